//! Every `$ref` made a reference to a component of the right kind, as a transformation of the
//! JSON value before the typed parse.
//!
//! A reference may point anywhere: at a component (`#/components/schemas/Pet`, left as it is),
//! into one (`#/components/schemas/Pet/properties/owner`), under `paths`, at another reference,
//! or into another file (`common.yaml#/components/schemas/Error`, `./pet.yaml`). Resolution
//! runs in two passes over the document:
//!
//! 1. **Plan.** Every reference is followed to the value it finally means (through references
//!    to references, and through a `$ref` met half-way along a pointer). A value that is not a
//!    component of the kind its referrer needs becomes a *target*: it gets a key in the
//!    `components` section of that kind, named from where it stands (see [`super::keys`]).
//!    Values in other files are read through [`SpecFiles`], once per file, and the references
//!    inside them are planned the same way (relative to their own file), so that files may
//!    refer to each other in cycles. Kinds that `openapiv3` cannot hold by reference (path
//!    items, operations, media types, callbacks, …) are copied in place instead (*inlined*).
//! 2. **Rewrite.** Targets in the document are *promoted*, deepest first: the value moves to
//!    its component, and a reference to the component is left where it was. Targets in other
//!    files are copied (*bundled*) into the components, with their own references rewritten.
//!    Then every reference is rewritten to the component it now means. A reference that cannot
//!    be followed (a URL, a file that cannot be read, a pointer that finds nothing in another
//!    file, a cycle) is a warning where it stands, and what it stood for is degraded: a schema
//!    becomes `{}` (any JSON value), anything else is left out. A reference within the
//!    document that finds nothing is left for `lower` to report.
//!
//! The loader keeps, for every promoted or bundled value, where it came from ([`Origins`]), so
//! that messages and types can name the place in the user's files.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::grammar::{self, Kind, Place, Step};
use super::keys::{self, Keys};
use super::{Origins, SpecFiles, files, left_out, parse, pointer};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The main document's index among the sources.
const MAIN: usize = 0;

/// How far a reference may lead through other references before it counts as a cycle.
const MAX_HOPS: usize = 64;

/// The resolved document, the warnings, and where moved values came from.
pub(super) struct Resolved {
    pub(super) document: Value,
    pub(super) warnings: Diagnostics,
    pub(super) origins: Origins,
}

/// Resolves every reference of `document`, read from `file`; other files come from `files`.
pub(super) fn resolve(file: &str, document: Value, files: &dyn SpecFiles) -> Resolved {
    let mut resolver = Resolver::new(file, document, files);
    if !resolver.plan() {
        let document = std::mem::take(&mut resolver.sources[MAIN].value);
        return Resolved {
            document,
            warnings: resolver.warnings,
            origins: resolver.origins,
        };
    }
    let document = resolver.rewrite_document();
    Resolved {
        document,
        warnings: resolver.warnings,
        origins: resolver.origins,
    }
}

/// The `components` section a reference of this kind points into, when `openapiv3` reads such
/// a reference. Operation callbacks are plain maps there, so callbacks are always inlined.
fn reference_section(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Callback => None,
        other => other.section(),
    }
}

/// `#/components/<section>/<key>`.
fn component_reference(section: &str, key: &str) -> String {
    pointer::format(&["components", section, key])
}

/// A reference in a document: a `$ref` object, or a discriminator mapping entry.
#[derive(Debug, Clone)]
struct Site {
    /// Where it stands, from the value that was walked.
    pointer: Vec<String>,
    /// The kind of object it stands for.
    kind: Kind,
    /// What it says.
    reference: String,
    /// Whether it is a discriminator mapping entry (a string) rather than a `$ref` object.
    mapping: bool,
}

/// What [`for_each_site`] calls for each reference.
pub(super) type SiteVisitor<'a, 'v> = dyn FnMut(&[Step<'v>], Kind, &'v str, Option<&'v str>) + 'a;

/// Calls `found` with every reference under `value`, which stands at `place`, in document
/// order: its path, the kind of object it stands for, what it says, and whether it is a
/// discriminator mapping entry. The members of a `$ref` object are walked only for kinds that
/// are inlined (a path item's `$ref` may have siblings that are kept); elsewhere OpenAPI 3.0
/// ignores them.
pub(super) fn for_each_site<'v>(value: &'v Value, place: Place, found: &mut SiteVisitor<'_, 'v>) {
    grammar::walk(value, place, &mut |path, kind, map| {
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            found(path, kind, reference, None);
            return reference_section(kind).is_none();
        }
        if kind == Kind::Discriminator
            && let Some(Value::Object(mapping)) = map.get("mapping")
        {
            for (name, target) in mapping {
                if let Some(target) = target
                    .as_str()
                    .filter(|target| names_a_file_or_pointer(target))
                {
                    found(path, Kind::Schema, target, Some(name));
                }
            }
        }
        true
    });
}

/// The references under `value` (see [`for_each_site`]) that `wanted` keeps, with their
/// pointers from `value`.
fn collect_sites(
    value: &Value,
    place: Place,
    wanted: &mut dyn FnMut(Kind, &str) -> bool,
) -> Vec<Site> {
    let mut sites = Vec::new();
    for_each_site(value, place, &mut |path, kind, reference, mapping| {
        if !wanted(kind, reference) {
            return;
        }
        let mut pointer = grammar::segments(path);
        if let Some(name) = mapping {
            pointer.extend(["mapping".to_owned(), name.to_owned()]);
        }
        sites.push(Site {
            pointer,
            kind,
            reference: reference.to_owned(),
            mapping: mapping.is_some(),
        });
    });
    sites
}

/// The key of the component entry at `path`, when a reference standing there for a `kind`
/// object is one (`components/schemas/Pet: {$ref: …}`).
fn component_entry<'v>(path: &[Step<'v>], kind: Kind) -> Option<&'v str> {
    match path {
        [Step::Key("components"), Step::Key(section), Step::Key(key)]
            if Kind::of_section(section) == Some(kind) =>
        {
            Some(key)
        }
        _ => None,
    }
}

/// Whether a discriminator mapping value is a reference rather than a schema name.
fn names_a_file_or_pointer(target: &str) -> bool {
    target.contains('#')
        || target.contains('/')
        || [".yaml", ".yml", ".json"]
            .iter()
            .any(|extension| target.ends_with(extension))
}

/// What a reference turns into.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// A reference to this component of the document.
    Component { section: &'static str, key: String },
    /// A reference to a value promoted or bundled into the components ([`Target`]).
    Target(usize),
    /// A copy of a value, in place of the reference ([`Inline`]).
    Inline(usize),
    /// Finds nothing within the document: left for `lower` to report.
    Dangling,
    /// Cannot be followed; the text says why ("is a URL, …").
    Unresolved(String),
}

/// A value that moves into (or is copied into) `components/<section>/<key>`.
#[derive(Debug, Clone)]
struct Target {
    source: usize,
    pointer: Vec<String>,
    kind: Kind,
    section: &'static str,
    key: String,
}

/// A value that is copied in place of every reference to it.
#[derive(Debug, Clone)]
struct Inline {
    source: usize,
    pointer: Vec<String>,
    kind: Kind,
    content: Value,
}

/// A file that references reach.
#[derive(Debug)]
struct Source {
    /// Relative to the main file's directory.
    path: PathBuf,
    value: Value,
    /// Whether it is an OpenAPI document, so that pointers into it can be classified.
    document: bool,
}

/// Why a pointer finds no value.
enum Missing {
    /// Nothing stands there in this source.
    Nothing(usize),
    /// The reference cannot be followed at all.
    Because(String),
}

struct Resolver<'f> {
    /// The main file, as messages name it.
    file: &'f str,
    files: &'f dyn SpecFiles,
    sources: Vec<Source>,
    /// Sources by path, or why that file cannot be read.
    by_path: HashMap<PathBuf, Result<usize, String>>,
    /// The outcome of each reference, by the source it is written in and its kind.
    outcomes: HashMap<(usize, Kind), HashMap<String, Outcome>>,
    /// References being followed, to tell cycles.
    following: HashSet<(usize, Kind, String)>,
    /// How deep `locate_reference` is, to stop cycles met half-way along pointers.
    depth: usize,
    /// Whether planning is over: from then on, no new target may appear.
    planned: bool,
    targets: Vec<Target>,
    target_at: HashMap<(usize, Vec<String>, Kind), usize>,
    inlines: Vec<Inline>,
    inline_at: HashMap<(usize, Vec<String>, Kind), usize>,
    /// Values of other sources (or odd places of the main one) whose references are planned.
    visited: HashSet<(usize, Vec<String>, Kind)>,
    /// Inline values being expanded, to stop a value that includes itself.
    expanding: Vec<usize>,
    keys: Keys,
    warnings: Diagnostics,
    origins: Origins,
}

impl<'f> Resolver<'f> {
    fn new(file: &'f str, document: Value, files: &'f dyn SpecFiles) -> Self {
        let main_path = Path::new(file)
            .file_name()
            .map_or_else(|| PathBuf::from("openapi.yaml"), PathBuf::from);
        let keys = Keys::of(&document);
        Self {
            file,
            files,
            sources: vec![Source {
                path: main_path.clone(),
                value: document,
                document: true,
            }],
            by_path: HashMap::from([(main_path, Ok(MAIN))]),
            outcomes: HashMap::new(),
            following: HashSet::new(),
            depth: 0,
            planned: false,
            targets: Vec::new(),
            target_at: HashMap::new(),
            inlines: Vec::new(),
            inline_at: HashMap::new(),
            visited: HashSet::new(),
            expanding: Vec::new(),
            keys,
            warnings: Diagnostics::default(),
            origins: Origins::new(file),
        }
    }

    /// Plans every reference of the main document, and says whether any must change.
    /// Component entries that are references come first, so that a value they point at takes
    /// their key rather than a made-up one.
    fn plan(&mut self) -> bool {
        let mut entries: Vec<(Kind, String, String)> = Vec::new();
        let mut others: Vec<(Kind, String)> = Vec::new();
        let mut seen: HashSet<(Kind, &str)> = HashSet::new();
        for_each_site(
            &self.sources[MAIN].value,
            Place::Object(Kind::Document),
            &mut |path, kind, reference, mapping| match component_entry(path, kind) {
                Some(key) if mapping.is_none() => {
                    entries.push((kind, reference.to_owned(), key.to_owned()));
                }
                _ => {
                    if seen.insert((kind, reference)) {
                        others.push((kind, reference.to_owned()));
                    }
                }
            },
        );
        for (kind, reference, key) in &entries {
            self.outcome(MAIN, reference, *kind, Some(key));
        }
        for (kind, reference) in &others {
            self.outcome(MAIN, reference, *kind, None);
        }
        self.planned = true;
        !self.targets.is_empty()
            || !self.inlines.is_empty()
            || entries
                .iter()
                .map(|(kind, reference, _)| (*kind, reference))
                .chain(others.iter().map(|(kind, reference)| (*kind, reference)))
                .any(|(kind, reference)| self.changes(MAIN, kind, reference))
    }

    /// Whether rewriting changes `reference`, written in `source` for a `kind` object.
    fn changes(&self, source: usize, kind: Kind, reference: &str) -> bool {
        match self.known(source, kind, reference) {
            Some(Outcome::Component { section, key }) => {
                component_reference(section, key) != reference
            }
            Some(Outcome::Dangling) => false,
            Some(_) => true,
            None => !matches!(planned_later(source, reference, kind), Outcome::Dangling),
        }
    }

    fn known(&self, source: usize, kind: Kind, reference: &str) -> Option<&Outcome> {
        self.outcomes.get(&(source, kind))?.get(reference)
    }

    /// The outcome of `reference`, written in `source` where a `kind` object belongs.
    /// `adopt` is the key of the component entry that is this reference, if it is one.
    fn outcome(
        &mut self,
        source: usize,
        reference: &str,
        kind: Kind,
        adopt: Option<&str>,
    ) -> Outcome {
        if let Some(known) = self.known(source, kind, reference) {
            return known.clone();
        }
        if self.planned {
            return planned_later(source, reference, kind);
        }
        if self.following.len() >= MAX_HOPS {
            return Outcome::Unresolved(format!("leads through more than {MAX_HOPS} `$ref`s"));
        }
        let key = (source, kind, reference.to_owned());
        if !self.following.insert(key.clone()) {
            return Outcome::Unresolved("is part of a cycle of `$ref`s".to_owned());
        }
        let mut outcome = self.follow(source, reference, kind, adopt);
        self.following.remove(&key);
        if source != MAIN && outcome == Outcome::Dangling {
            outcome = Outcome::Unresolved(format!(
                "leads to a `$ref` that points at nothing in `{}`",
                self.display(MAIN)
            ));
        }
        self.outcomes
            .entry((source, kind))
            .or_default()
            .insert(reference.to_owned(), outcome.clone());
        outcome
    }

    fn follow(
        &mut self,
        source: usize,
        reference: &str,
        kind: Kind,
        adopt: Option<&str>,
    ) -> Outcome {
        let (found_in, segments) = match self.locate_reference(source, reference) {
            Ok(location) => location,
            Err(Missing::Nothing(file)) if file == MAIN && source == MAIN => {
                return Outcome::Dangling;
            }
            Err(Missing::Nothing(file)) => {
                return Outcome::Unresolved(format!(
                    "points at nothing in `{}`",
                    self.display(file)
                ));
            }
            Err(Missing::Because(why)) => return Outcome::Unresolved(why),
        };
        let Some(value) = pointer::get(&self.sources[found_in].value, &segments) else {
            return Outcome::Dangling;
        };
        let inner = pointer::reference_of(value).map(str::to_owned);
        let is_object = value.is_object();
        let json_type = json_type(value);
        if found_in == MAIN
            && let Some(section) = reference_section(kind)
            && let [components, found_section, key] = segments.as_slice()
            && components == "components"
            && found_section == section
        {
            return Outcome::Component {
                section,
                key: key.clone(),
            };
        }
        let place = if self.sources[found_in].document {
            grammar::classify(&segments)
        } else {
            Place::Unknown
        };
        match place {
            Place::Object(found) if found == kind => {}
            Place::Unknown | Place::Value => {}
            Place::Object(found) => {
                return Outcome::Unresolved(format!(
                    "points at {}, where {} belongs",
                    found.with_article(),
                    kind.with_article()
                ));
            }
            Place::Map(_) | Place::List(_) | Place::Mapping => {
                return Outcome::Unresolved(format!(
                    "points at a collection, where {} belongs",
                    kind.with_article()
                ));
            }
        }
        if let Some(inner) = inner {
            return self.outcome(found_in, &inner, kind, adopt);
        }
        if !is_object {
            return Outcome::Unresolved(format!(
                "points at {json_type}, where {} belongs",
                kind.with_article()
            ));
        }
        match reference_section(kind) {
            Some(section) => Outcome::Target(self.target(found_in, segments, kind, section, adopt)),
            None => Outcome::Inline(self.inline(found_in, segments, kind)),
        }
    }

    /// The source and pointer `reference`, written in `source`, finally stands for.
    fn locate_reference(
        &mut self,
        source: usize,
        reference: &str,
    ) -> Result<(usize, Vec<String>), Missing> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if files::is_url(file) {
            return Err(Missing::Because(
                "is a URL, which this generator never fetches".to_owned(),
            ));
        }
        let target = if file.is_empty() {
            source
        } else {
            self.open(source, file).map_err(Missing::Because)?
        };
        let segments = pointer::parse_fragment(fragment).ok_or_else(|| {
            Missing::Because(format!(
                "has a fragment, `#{fragment}`, that is not a JSON pointer"
            ))
        })?;
        if self.depth >= MAX_HOPS {
            return Err(Missing::Because("is part of a cycle of `$ref`s".to_owned()));
        }
        self.depth += 1;
        let located = self.locate(target, segments);
        self.depth -= 1;
        located
    }

    /// Walks `segments` in `source`. Where a `$ref` object stands in the way and lacks the next
    /// member, the walk follows that reference (leniently: some specs point through references)
    /// and goes on from where it leads.
    fn locate(
        &mut self,
        mut source: usize,
        mut segments: Vec<String>,
    ) -> Result<(usize, Vec<String>), Missing> {
        for _ in 0..MAX_HOPS {
            let through = {
                let mut current = &self.sources[source].value;
                let mut through = None;
                for (position, segment) in segments.iter().enumerate() {
                    match pointer::child(current, segment) {
                        Some(next) => current = next,
                        None => {
                            let Some(reference) = pointer::reference_of(current) else {
                                return Err(Missing::Nothing(source));
                            };
                            through = Some((position, reference.to_owned()));
                            break;
                        }
                    }
                }
                through
            };
            let Some((position, reference)) = through else {
                return Ok((source, segments));
            };
            let (next_source, mut next) = self.locate_reference(source, &reference)?;
            next.extend(segments.drain(position..));
            source = next_source;
            segments = next;
        }
        Err(Missing::Because("is part of a cycle of `$ref`s".to_owned()))
    }

    /// The source for `file`, written in `from`, read and parsed on first use.
    fn open(&mut self, from: usize, file: &str) -> Result<usize, String> {
        let path = files::resolve(&self.sources[from].path, file);
        if let Some(known) = self.by_path.get(&path) {
            return known.clone();
        }
        let shown = self.display_path(&path);
        let opened = match self.files.read(&path) {
            Err(error) => Err(format!("names `{shown}`, which cannot be read: {error}")),
            Ok(text) => match parse::parse(&shown, &text) {
                Err(errors) => Err(format!(
                    "names `{shown}`, which cannot be parsed: {}",
                    errors.0.first().map_or_else(String::new, located_message)
                )),
                Ok(value) => {
                    let document = value.get("openapi").is_some();
                    self.sources.push(Source {
                        path: path.clone(),
                        value,
                        document,
                    });
                    Ok(self.sources.len() - 1)
                }
            },
        };
        self.by_path.insert(path, opened.clone());
        opened
    }

    fn target(
        &mut self,
        source: usize,
        segments: Vec<String>,
        kind: Kind,
        section: &'static str,
        adopt: Option<&str>,
    ) -> usize {
        let at = (source, segments, kind);
        if let Some(&known) = self.target_at.get(&at) {
            return known;
        }
        let (_, segments, _) = &at;
        let key = match adopt {
            Some(key) => key.to_owned(),
            None => {
                let wanted = self.wanted_key(source, segments, kind);
                self.keys.claim(section, &wanted)
            }
        };
        let id = self.targets.len();
        self.targets.push(Target {
            source,
            pointer: segments.clone(),
            kind,
            section,
            key,
        });
        self.target_at.insert(at.clone(), id);
        self.visit(source, segments, kind);
        id
    }

    fn inline(&mut self, source: usize, segments: Vec<String>, kind: Kind) -> usize {
        let at = (source, segments, kind);
        if let Some(&known) = self.inline_at.get(&at) {
            return known;
        }
        let (_, segments, _) = &at;
        let content = pointer::get(&self.sources[source].value, segments)
            .cloned()
            .unwrap_or_default();
        let id = self.inlines.len();
        self.inlines.push(Inline {
            source,
            pointer: segments.clone(),
            kind,
            content,
        });
        self.inline_at.insert(at.clone(), id);
        self.visit(source, segments, kind);
        id
    }

    /// Plans the references inside a target or inline value (those of the main document's
    /// objects are planned already; the walk of a value met again is skipped).
    fn visit(&mut self, source: usize, segments: &[String], kind: Kind) {
        if !self.visited.insert((source, segments.to_vec(), kind)) {
            return;
        }
        let Some(value) = pointer::get(&self.sources[source].value, segments) else {
            return;
        };
        let mut found = Vec::new();
        for_each_site(value, Place::Object(kind), &mut |_, kind, reference, _| {
            found.push((kind, reference.to_owned()));
        });
        for (kind, reference) in found {
            self.outcome(source, &reference, kind, None);
        }
    }

    /// A key for a target: from where it stands (read as a place in an OpenAPI document when
    /// it is one, else as a name in a file of named objects), else from its file's name, else
    /// its kind.
    fn wanted_key(&self, source: usize, segments: &[String], kind: Kind) -> String {
        let file = &self.sources[source];
        let start = if file.document || grammar::classify(segments).kind().is_some() {
            Place::Object(Kind::Document)
        } else {
            Place::Map(kind)
        };
        let key = keys::natural_key(&file.value, segments, start);
        if !key.is_empty() {
            return key;
        }
        let stem = file.path.file_stem().map(|stem| stem.to_string_lossy());
        let word = match (segments.last(), stem) {
            (Some(last), _) => keys::camel(last),
            (None, Some(stem)) if source != MAIN => keys::camel(&stem),
            _ => String::new(),
        };
        if word.is_empty() {
            keys::camel(kind.name())
        } else {
            word
        }
    }

    /// Rewrites the main document: promotes, bundles, then rewrites every reference.
    fn rewrite_document(&mut self) -> Value {
        let mut document = std::mem::take(&mut self.sources[MAIN].value);
        let mut deepest_first: Vec<usize> = (0..self.targets.len()).collect();
        deepest_first.sort_by_key(|&id| Reverse(self.targets[id].pointer.len()));
        for &id in &deepest_first {
            let target = &self.targets[id];
            if target.source != MAIN {
                continue;
            }
            let stub = reference_object(component_reference(target.section, &target.key));
            let Some(slot) = pointer::get_mut(&mut document, &target.pointer) else {
                continue;
            };
            let content = std::mem::replace(slot, stub);
            let (section, key) = (target.section, target.key.clone());
            let from = pointer::format(&target.pointer);
            insert_component(&mut document, section, &key, content);
            self.origins
                .record(&component_reference(section, &key), None, from);
        }
        for inline in 0..self.inlines.len() {
            let (source, at) = (
                self.inlines[inline].source,
                self.inlines[inline].pointer.clone(),
            );
            let mut content = std::mem::take(&mut self.inlines[inline].content);
            self.stub_targets(&mut content, source, &at);
            self.inlines[inline].content = content;
        }
        for id in 0..self.targets.len() {
            let target = self.targets[id].clone();
            if target.source == MAIN {
                continue;
            }
            let Some(mut content) =
                pointer::get(&self.sources[target.source].value, &target.pointer).cloned()
            else {
                continue;
            };
            self.stub_targets(&mut content, target.source, &target.pointer);
            let base = ["components", target.section, target.key.as_str()].map(str::to_owned);
            self.rewrite(
                &mut content,
                target.source,
                Place::Object(target.kind),
                &base,
            );
            insert_component(&mut document, target.section, &target.key, content);
            let from = self.origin_path(target.source);
            self.origins.record(
                &pointer::format(&base),
                from,
                pointer::format(&target.pointer),
            );
        }
        self.rewrite(&mut document, MAIN, Place::Object(Kind::Document), &[]);
        document
    }

    /// Puts references to their components in place of the targets under `at` in a copy of the
    /// value at `at` in `source`, so that a copy never repeats a value that moved.
    fn stub_targets(&self, content: &mut Value, source: usize, at: &[String]) {
        let mut inside: Vec<&Target> = self
            .targets
            .iter()
            .filter(|target| {
                target.source == source
                    && target.pointer.len() > at.len()
                    && pointer::starts_with(&target.pointer, at)
            })
            .collect();
        inside.sort_by_key(|target| Reverse(target.pointer.len()));
        for target in inside {
            if let Some(slot) = pointer::get_mut(content, &target.pointer[at.len()..]) {
                *slot = reference_object(component_reference(target.section, &target.key));
            }
        }
    }

    /// Rewrites every reference under `value`, which stands at `place` and was written in
    /// `source`; `base` is where `value` now stands in the main document. References are
    /// rewritten last first, so that leaving one out of a list never moves one not yet seen.
    fn rewrite(&mut self, value: &mut Value, source: usize, place: Place, base: &[String]) {
        let earlier = std::mem::take(&mut self.warnings);
        let mut by_site = Vec::new();
        let sites = collect_sites(value, place, &mut |kind, reference| {
            self.changes(source, kind, reference)
        });
        for site in sites.into_iter().rev() {
            self.rewrite_site(value, source, &site, base);
            by_site.push(std::mem::take(&mut self.warnings));
        }
        self.warnings = earlier;
        for warning in by_site.into_iter().rev().flat_map(|warnings| warnings.0) {
            self.warnings.push(warning);
        }
    }

    /// Rewrites the reference at `site` to what it now means.
    fn rewrite_site(&mut self, value: &mut Value, source: usize, site: &Site, base: &[String]) {
        match self.outcome(source, &site.reference, site.kind, None) {
            Outcome::Dangling => {}
            Outcome::Component { section, key } => {
                set_reference(value, site, component_reference(section, &key));
            }
            Outcome::Target(id) => {
                let target = &self.targets[id];
                let reference = component_reference(target.section, &target.key);
                set_reference(value, site, reference);
            }
            Outcome::Inline(id) => self.expand(value, site, id, base),
            Outcome::Unresolved(why) => self.degrade(value, site, &why, base),
        }
    }

    /// Puts a copy of inline value `id` in place of the reference at `site`, keeping the
    /// reference's other members.
    fn expand(&mut self, value: &mut Value, site: &Site, id: usize, base: &[String]) {
        if self.expanding.contains(&id) {
            return self.degrade(value, site, "includes itself", base);
        }
        if self.expanding.len() >= MAX_HOPS {
            let why = format!("nests more than {MAX_HOPS} copied values");
            return self.degrade(value, site, &why, base);
        }
        let Some(inline) = self.inlines.get(id) else {
            return;
        };
        let (source, kind, from) = (inline.source, inline.kind, inline.pointer.clone());
        let mut content = inline.content.clone();
        let at: Vec<String> = base.iter().chain(&site.pointer).cloned().collect();
        self.expanding.push(id);
        self.rewrite(&mut content, source, Place::Object(kind), &at);
        self.expanding.pop();
        let Some(slot) = pointer::get_mut(value, &site.pointer) else {
            return;
        };
        if let (Value::Object(members), Value::Object(merged)) = (&*slot, &mut content) {
            for (name, member) in members {
                if name != "$ref" {
                    merged.insert(name.clone(), member.clone());
                }
            }
        }
        *slot = content;
        if source != MAIN {
            let path = self.origin_path(source);
            self.origins
                .record(&pointer::format(&at), path, pointer::format(&from));
        }
    }

    /// Degrades what an unresolvable reference stood for, with a warning where it stands.
    fn degrade(&mut self, value: &mut Value, site: &Site, why: &str, base: &[String]) {
        let at: Vec<String> = base.iter().chain(&site.pointer).cloned().collect();
        let at = pointer::format(&at);
        let reference = &site.reference;
        if site.mapping {
            pointer::remove(value, &site.pointer);
            self.warnings.push(Diagnostic::warning_at(
                self.file,
                at,
                format!("the mapping to `{reference}` {why}; the mapping entry is left out"),
            ));
        } else if site.kind == Kind::Schema {
            if let Some(slot) = pointer::get_mut(value, &site.pointer) {
                *slot = Value::Object(Map::new());
            }
            self.warnings.push(Diagnostic::warning_at(
                self.file,
                at,
                format!("`$ref: {reference}` {why}; the schema is read as any JSON value"),
            ));
        } else if pointer::remove(value, &site.pointer).is_some() {
            let message = format!(
                "`$ref: {reference}` {why}; the {} is left out",
                site.kind.name()
            );
            self.warnings
                .push(left_out(self.file, at, site.kind, message));
        }
    }

    /// A source's file as messages name it: relative to the working directory, like the main
    /// file's name.
    fn display(&self, source: usize) -> String {
        if source == MAIN {
            return self.file.to_owned();
        }
        self.display_path(&self.sources[source].path)
    }

    fn display_path(&self, path: &Path) -> String {
        let dir = Path::new(self.file).parent().unwrap_or(Path::new(""));
        files::display(&dir.join(path))
    }

    /// A source's path for [`Origins`]: `None` for the main file.
    fn origin_path(&self, source: usize) -> Option<String> {
        (source != MAIN).then(|| files::display(&self.sources[source].path))
    }
}

/// The outcome of a reference first met while rewriting: only the references the rewrite itself
/// wrote, which name components.
fn planned_later(source: usize, reference: &str, kind: Kind) -> Outcome {
    let component = reference
        .strip_prefix('#')
        .and_then(pointer::parse_fragment)
        .and_then(|segments| match segments.as_slice() {
            [components, section, key]
                if components == "components"
                    && source == MAIN
                    && reference_section(kind) == Some(section.as_str()) =>
            {
                reference_section(kind).map(|section| (section, key.clone()))
            }
            _ => None,
        });
    match component {
        Some((section, key)) => Outcome::Component { section, key },
        None => Outcome::Dangling,
    }
}

fn reference_object(reference: String) -> Value {
    let mut object = Map::new();
    object.insert("$ref".to_owned(), Value::String(reference));
    Value::Object(object)
}

/// Sets the reference at `site` to `reference`.
fn set_reference(value: &mut Value, site: &Site, reference: String) {
    if reference == site.reference {
        return;
    }
    let Some(slot) = pointer::get_mut(value, &site.pointer) else {
        return;
    };
    if site.mapping {
        *slot = Value::String(reference);
    } else if let Value::Object(object) = slot {
        object.insert("$ref".to_owned(), Value::String(reference));
    }
}

/// Puts `content` at `components/<section>/<key>`, making the maps on the way.
pub(super) fn insert_component(document: &mut Value, section: &str, key: &str, content: Value) {
    let Value::Object(root) = document else {
        return;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let Value::Object(components) = components else {
        return;
    };
    let entries = components
        .entry(section)
        .or_insert_with(|| Value::Object(Map::new()));
    if !entries.is_object() {
        *entries = Value::Object(Map::new());
    }
    if let Value::Object(entries) = entries {
        entries.insert(key.to_owned(), content);
    }
}

/// "a string", "a list", … for messages.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A diagnostic's message with its line and column, for quoting it in another message.
fn located_message(diagnostic: &Diagnostic) -> String {
    match diagnostic.location.line_column {
        Some((line, column)) => format!("line {line}, column {column}: {}", diagnostic.message),
        None => diagnostic.message.clone(),
    }
}
