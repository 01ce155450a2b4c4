//! `cargo xtask corpus`: generates a client for every spec of the vendored corpus
//! (`tests/corpus/`, see its `MANIFEST.tsv`) and checks that each one compiles without warnings.
//!
//! Every spec goes through [`generator::generate`] in this process; each crate is written under
//! `target/corpus/<crate-dir>/` with the write plan, and the crates are the members of one
//! workspace there (`target/corpus/Cargo.toml`, with a copy of the repository's `Cargo.lock`), so
//! one `cargo check --keep-going` with the workspace's `target/` checks them all and shares the
//! dependency builds. Warnings are read from cargo's JSON messages ([`crate::cargo`]). One line
//! per spec and `corpus: N/M compile` go to standard output, everything to
//! `target/corpus/report.json`; the command fails unless every selected spec compiles. With
//! `--doc`, the crates that compile are also documented (`cargo doc --no-deps`), and a rustdoc
//! warning fails its crate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use generator::{Diagnostics, Options, Severity};
use serde_json::json;

use oapic::write;

use crate::cargo;

/// The corpus, relative to the workspace root.
const DEFAULT_DIR: &str = "tests/corpus";
/// Where the crates and the report go, relative to the workspace root.
const DEFAULT_OUT: &str = "target/corpus";
/// The file names that hold a spec.
const SPEC_EXTENSIONS: &[&str] = &["json", "yaml", "yml"];
/// What every crate's package name starts with; the rest comes from the file name.
const PACKAGE_PREFIX: &str = "corpus-";
/// The version kinds `--version` takes, as [`version_kind`] names them.
const VERSION_KINDS: &[&str] = &["3.0", "3.1", "2.0"];

/// The specs that `--ci` leaves out because the generator cannot compile them yet. Issue 7 wants
/// every spec to compile; a full run prints a note for each spec listed here that compiles, so
/// that it can be removed and CI keeps it compiling from then on. Once this list is empty, `--ci`
/// is the whole corpus.
const NOT_YET_IN_CI: &[&str] = &[];

/// The parsed command line.
#[derive(Debug, Default, PartialEq, Eq)]
struct Args {
    /// `--dir DIR`: the corpus directory, relative to the current directory.
    dir: Option<String>,
    /// `--out DIR`: where the crates and the report go, relative to the current directory.
    out: Option<String>,
    /// `--only SUBSTRING`: keep the specs whose file name contains any of these.
    only: Vec<String>,
    /// `--version KIND`: keep the specs of this version kind.
    version: Option<String>,
    /// `--ci`: leave out [`NOT_YET_IN_CI`].
    ci: bool,
    /// `--doc`: also document every crate that compiles (`cargo doc --no-deps`); a rustdoc
    /// warning fails the crate, as a compiler warning does.
    doc: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args::default();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = |flag: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .filter(|value| !value.is_empty())
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match flag.as_str() {
            "--dir" => parsed.dir = Some(value("--dir")?),
            "--out" => parsed.out = Some(value("--out")?),
            "--only" => parsed.only.push(value("--only")?),
            "--version" => {
                let kind = value("--version")?;
                if !VERSION_KINDS.contains(&kind.as_str()) {
                    return Err(format!(
                        "`--version {kind}`: expected one of {}",
                        VERSION_KINDS.join(", ")
                    ));
                }
                parsed.version = Some(kind);
            }
            "--ci" => parsed.ci = true,
            "--doc" => parsed.doc = true,
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(parsed)
}

/// One spec of the corpus and the names of its crate.
#[derive(Debug)]
struct Spec {
    /// The file name, such as `cpy.re__peertube.json`.
    file_name: String,
    /// The spec's path, as the command line and file headers name it.
    label: String,
    /// The text of the spec.
    text: String,
    /// The directory of its crate under the output directory, such as `cpy-re-peertube`.
    crate_dir: String,
    /// Its package name, such as `corpus-cpy-re-peertube`.
    package: String,
    /// `3.0`, `3.1`, `2.0`, or `?` when the document names none.
    version: String,
}

/// The crate directory for a spec file: the name without its extension, in lower case, every run
/// of other characters than ASCII letters and digits turned into one `-`. `None` when nothing is
/// left.
fn crate_dir_name(file_name: &str) -> Option<String> {
    let stem = Path::new(file_name)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or(file_name);
    let mut name = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-').to_owned();
    (!name.is_empty()).then_some(name)
}

/// The version kind of a spec: `major.minor` of its `openapi` field, `2.0` for `swagger: "2.0"`,
/// `?` when the top level names neither. JSON is parsed; in YAML the field is a top-level key,
/// so it starts a line at column 0.
fn version_kind(text: &str) -> String {
    let text = text.trim_start_matches('\u{feff}');
    let (openapi, swagger) = if text.trim_start().starts_with('{') {
        let document: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        let field = |key: &str| {
            document.get(key).map(|value| match value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            })
        };
        (field("openapi"), field("swagger"))
    } else {
        let field = |key: &str| {
            text.lines().find_map(|line| {
                let rest = ["", "\"", "'"].iter().find_map(|quote| {
                    line.strip_prefix(&format!("{quote}{key}{quote}"))?
                        .trim_start()
                        .strip_prefix(':')
                })?;
                let value = rest.split(" #").next().unwrap_or_default().trim();
                Some(value.trim_matches(|c| c == '"' || c == '\'').to_owned())
            })
        };
        (field("openapi"), field("swagger"))
    };
    match (openapi, swagger) {
        (_, Some(swagger)) => swagger,
        (Some(openapi), None) => openapi.split('.').take(2).collect::<Vec<_>>().join("."),
        (None, None) => "?".to_owned(),
    }
}

/// What generating one crate gave.
enum Generation {
    /// The crate was written.
    Generated {
        operations: usize,
        types: usize,
        skipped: usize,
        /// The generator's warnings, as it prints them.
        diagnostics: Vec<String>,
    },
    /// The generator refused the spec: its first error, and how many errors.
    Failed { first: String, errors: usize },
    /// The generator panicked (it must never do so on a spec).
    Panicked(String),
}

/// What `cargo check` said about one crate.
#[derive(Default)]
struct Check {
    /// Every error and warning of the crate, in the order they came.
    messages: Vec<cargo::CompilerMessage>,
    /// Whether cargo finished the crate's library.
    artifact: bool,
    /// Whether cargo found the crate up to date.
    fresh: bool,
    /// When cargo started the crate, and when its last message came.
    started: Option<Instant>,
    last: Option<Instant>,
}

impl Check {
    fn errors(&self) -> usize {
        self.messages.iter().filter(|m| m.is_error()).count()
    }

    fn warnings(&self) -> usize {
        self.messages.iter().filter(|m| m.is_warning()).count()
    }

    /// Whether the crate compiled without errors or warnings.
    fn compiled(&self) -> bool {
        self.artifact && self.messages.is_empty()
    }

    /// The message the table shows: the first error, or else the first warning.
    fn first(&self) -> Option<&cargo::CompilerMessage> {
        self.messages
            .iter()
            .find(|m| m.is_error())
            .or_else(|| self.messages.first())
    }

    fn duration(&self) -> Option<Duration> {
        Some(self.last?.saturating_duration_since(self.started?))
    }
}

/// One line of the table, with everything the report holds.
struct Outcome {
    spec: Spec,
    generation: Generation,
    generate_time: Duration,
    /// `None` when the crate was not generated.
    check: Option<Check>,
}

/// Parses the options after `corpus` and runs the corpus. `Ok(false)` means some selected spec
/// did not compile.
pub fn run(args: impl Iterator<Item = String>) -> Result<bool, String> {
    let args = parse_args(args)?;
    let started = Instant::now();
    let root = crate::workspace_root();
    let (dir, dir_label) = match &args.dir {
        Some(dir) => (PathBuf::from(dir), dir.trim_end_matches('/').to_owned()),
        None => (root.join(DEFAULT_DIR), DEFAULT_DIR.to_owned()),
    };
    let (out, out_label) = match &args.out {
        Some(out) => (PathBuf::from(out), out.trim_end_matches('/').to_owned()),
        None => (root.join(DEFAULT_OUT), DEFAULT_OUT.to_owned()),
    };
    let specs = select(read_corpus(&dir, &dir_label)?, &args)?;
    std::fs::create_dir_all(&out).map_err(|error| format!("{}: {error}", out.display()))?;
    let out = std::fs::canonicalize(&out).map_err(|error| format!("{}: {error}", out.display()))?;

    eprintln!(
        "corpus: generating {} crate(s) in {}",
        specs.len(),
        out_label
    );
    let mut outcomes = Vec::new();
    for spec in specs {
        outcomes.push(generate(spec, &out, &out_label)?);
    }
    let generated: Vec<String> = outcomes
        .iter()
        .filter(|outcome| matches!(outcome.generation, Generation::Generated { .. }))
        .map(|outcome| outcome.spec.crate_dir.clone())
        .collect();
    let check_started = Instant::now();
    let mut cargo_error = None;
    if !generated.is_empty() {
        eprintln!(
            "corpus: cargo check of {} crate(s), warnings denied",
            generated.len()
        );
        let manifest = write_workspace(&root, &out, &generated)?;
        let (mut checks, error) = run_cargo(&root, &out, &manifest, "check", &generated)?;
        cargo_error = error;
        if args.doc && cargo_error.is_none() && checks.values().any(Check::compiled) {
            let compiled: Vec<String> = generated
                .iter()
                .filter(|member| checks.get(*member).is_some_and(Check::compiled))
                .cloned()
                .collect();
            eprintln!(
                "corpus: cargo doc of {} crate(s), warnings denied",
                compiled.len()
            );
            let (docs, error) = run_cargo(&root, &out, &manifest, "doc", &compiled)?;
            cargo_error = error;
            for (member, doc) in docs {
                if let Some(check) = checks.get_mut(&member) {
                    check.messages.extend(doc.messages);
                }
            }
        }
        for outcome in &mut outcomes {
            outcome.check = checks.remove(&outcome.spec.crate_dir);
        }
    }
    let check_time = check_started.elapsed();

    let table = table(&outcomes, &out_label, cargo_error.as_deref());
    print!("{table}");
    let compiled = outcomes
        .iter()
        .filter(|outcome| outcome.check.as_ref().is_some_and(Check::compiled))
        .count();
    let total = outcomes.len();
    println!(
        "corpus: {compiled}/{total} compile ({:.1} s, of which cargo check {:.1} s)",
        started.elapsed().as_secs_f64(),
        check_time.as_secs_f64()
    );
    for outcome in &outcomes {
        let listed = NOT_YET_IN_CI.contains(&outcome.spec.file_name.as_str());
        if listed && outcome.check.as_ref().is_some_and(Check::compiled) {
            println!(
                "note: {} compiles now: remove it from NOT_YET_IN_CI in xtask/src/corpus.rs so that CI keeps it compiling",
                outcome.spec.file_name
            );
        }
    }
    let report_path = out.join("report.json");
    let report = report(
        &args,
        &dir_label,
        &out_label,
        &outcomes,
        cargo_error.as_deref(),
        started.elapsed(),
    );
    let text = serde_json::to_string_pretty(&report).map_err(|error| error.to_string())?;
    std::fs::write(&report_path, text + "\n")
        .map_err(|error| format!("{}: {error}", report_path.display()))?;
    println!("corpus: report in {out_label}/report.json");
    Ok(compiled == total)
}

/// Every spec file of the corpus directory, sorted by file name.
fn read_corpus(dir: &Path, dir_label: &str) -> Result<Vec<Spec>, String> {
    let entries = std::fs::read_dir(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let mut specs = Vec::new();
    let mut packages: BTreeMap<String, String> = BTreeMap::new();
    for entry in entries {
        let path = entry
            .map_err(|error| format!("{}: {error}", dir.display()))?
            .path();
        let is_spec = path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| SPEC_EXTENSIONS.contains(&extension));
        let Some(file_name) = path.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        if !is_spec || !path.is_file() {
            continue;
        }
        let crate_dir = crate_dir_name(file_name)
            .ok_or_else(|| format!("{file_name}: no crate name can be made from this file name"))?;
        let package = format!("{PACKAGE_PREFIX}{crate_dir}");
        oapic::check_crate_name(&package)?;
        if let Some(other) = packages.insert(package.clone(), file_name.to_owned()) {
            return Err(format!(
                "{other} and {file_name} both give the crate name `{package}`; rename one"
            ));
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("{}: cannot read the spec: {error}", path.display()))?;
        specs.push(Spec {
            file_name: file_name.to_owned(),
            label: format!("{dir_label}/{file_name}"),
            version: version_kind(&text),
            text,
            crate_dir,
            package,
        });
    }
    specs.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    Ok(specs)
}

/// The specs the options pick. Fails when none is left, or when `--ci` names a spec that is not
/// in the corpus.
fn select(specs: Vec<Spec>, args: &Args) -> Result<Vec<Spec>, String> {
    if args.ci {
        listed_specs_exist(NOT_YET_IN_CI, &specs)?;
    }
    let selected: Vec<Spec> = specs
        .into_iter()
        .filter(|spec| {
            args.only.is_empty() || args.only.iter().any(|part| spec.file_name.contains(part))
        })
        .filter(|spec| {
            args.version
                .as_ref()
                .is_none_or(|kind| spec.version == *kind)
        })
        .filter(|spec| !args.ci || !NOT_YET_IN_CI.contains(&spec.file_name.as_str()))
        .collect();
    if selected.is_empty() {
        return Err("no spec of the corpus matches the options".to_owned());
    }
    Ok(selected)
}

/// Fails naming the first of `listed` (the file names of [`NOT_YET_IN_CI`]) that is not in the
/// corpus `specs`.
fn listed_specs_exist(listed: &[&str], specs: &[Spec]) -> Result<(), String> {
    match listed
        .iter()
        .find(|listed| !specs.iter().any(|spec| spec.file_name == **listed))
    {
        Some(missing) => Err(format!(
            "NOT_YET_IN_CI in xtask/src/corpus.rs lists {missing}, which is not in the corpus"
        )),
        None => Ok(()),
    }
}

/// Generates one crate and writes it; a spec the generator refuses leaves no crate behind.
fn generate(spec: Spec, out: &Path, out_label: &str) -> Result<Outcome, String> {
    let started = Instant::now();
    let crate_out = out.join(&spec.crate_dir);
    let options = Options::new(spec.package.clone())
        .spec_file(spec.label.clone())
        .regenerate_command(format!(
            "cargo xtask codegen --spec {} --out {out_label}/{} --name {}",
            crate::shell_quote(&spec.label),
            spec.crate_dir,
            spec.package
        ));
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        generator::generate(&spec.text, &options)
    }));
    let generation = match result {
        Ok(Ok(generated)) => {
            write::plan(&crate_out, &generated.files)
                .and_then(write::Plan::apply)
                .map_err(|error| format!("{}: {error}", crate_out.display()))?;
            Generation::Generated {
                operations: generated.operations,
                types: generated.types,
                skipped: generated.warnings.skipped(),
                diagnostics: generated
                    .warnings
                    .0
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            }
        }
        Ok(Err(diagnostics)) => first_error(&diagnostics),
        Err(panic) => Generation::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
                .unwrap_or_else(|| "a panic without a message".to_owned()),
        ),
    };
    if !matches!(generation, Generation::Generated { .. }) {
        crate::remove_dir(&crate_out)?;
    }
    Ok(Outcome {
        spec,
        generation,
        generate_time: started.elapsed(),
        check: None,
    })
}

fn first_error(diagnostics: &Diagnostics) -> Generation {
    let errors = diagnostics
        .0
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let first = diagnostics
        .0
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or_else(|| diagnostics.0.first())
        .map_or_else(
            || "the generator gave no reason".to_owned(),
            ToString::to_string,
        );
    Generation::Failed { first, errors }
}

/// Writes the workspace of the generated crates, `members`, and returns its manifest's path.
fn write_workspace(root: &Path, out: &Path, members: &[String]) -> Result<PathBuf, String> {
    let manifest = out.join("Cargo.toml");
    // Incremental compilation only costs here: the crates are checked once after each
    // generation (it took 15% more CPU time and 880 MB for the OpenAPI 3.0 crates). Dependencies
    // are never compiled incrementally, so this does not change their builds.
    let mut text = String::from(
        "# Written by `cargo xtask corpus`: the crates generated from the corpus, checked together.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    for member in members {
        let _ = writeln!(text, "    \"{member}\",");
    }
    text.push_str("]\n\n[profile.dev]\nincremental = false\n");
    std::fs::write(&manifest, text).map_err(|error| format!("{}: {error}", manifest.display()))?;
    // The repository's lock file, so that the crates get the dependency versions (and builds)
    // of the workspace.
    let lock = out.join("Cargo.lock");
    std::fs::copy(root.join("Cargo.lock"), &lock)
        .map_err(|error| format!("{}: {error}", lock.display()))?;
    Ok(manifest)
}

/// Runs `cargo <subcommand>` (`check`, or `doc` without dependencies) on `members` of the
/// workspace at `manifest`, in one invocation. Returns each crate's result by crate directory,
/// and cargo's own error when it stopped before compiling (a manifest it could not read, say).
fn run_cargo(
    root: &Path,
    out: &Path,
    manifest: &Path,
    subcommand: &str,
    members: &[String],
) -> Result<(BTreeMap<String, Check>, Option<String>), String> {
    let by_dir: BTreeMap<PathBuf, String> = members
        .iter()
        .map(|member| (out.join(member), member.clone()))
        .collect();
    let by_package: BTreeMap<String, String> = members
        .iter()
        .map(|member| (format!("{PACKAGE_PREFIX}{member}"), member.clone()))
        .collect();
    let crate_of = |manifest_path: &Path| {
        let dir = manifest_path.parent()?;
        by_dir.get(dir).cloned().or_else(|| {
            let canonical = std::fs::canonicalize(dir).ok()?;
            by_dir.get(&canonical).cloned()
        })
    };
    let mut checks: BTreeMap<String, Check> = BTreeMap::new();
    let mut stderr = Vec::new();
    let mut command = cargo::command(root, subcommand);
    command
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--keep-going");
    if subcommand == "doc" {
        command.arg("--no-deps");
    }
    for member in members {
        command
            .arg("--package")
            .arg(format!("{PACKAGE_PREFIX}{member}"));
    }
    let status = cargo::run(command, |output| match output {
        cargo::Output::Message(cargo::Message::Compiler(message), at) => {
            if (message.is_error() || message.is_warning())
                && let Some(member) = crate_of(&message.manifest_path)
            {
                let check = checks.entry(member).or_default();
                check.last = Some(at);
                check.messages.push(message);
            }
        }
        cargo::Output::Message(
            cargo::Message::Artifact {
                manifest_path,
                fresh,
                ..
            },
            at,
        ) => {
            if let Some(member) = crate_of(&manifest_path) {
                let check = checks.entry(member).or_default();
                check.artifact = true;
                check.fresh = fresh;
                check.last = Some(at);
            }
        }
        cargo::Output::Stderr(line, at) => {
            if let Some(member) = cargo::unit_started(&line).and_then(|name| by_package.get(name)) {
                checks.entry(member.clone()).or_default().started = Some(at);
            }
            eprintln!("{line}");
            stderr.push(line);
        }
    })?;
    let cargo_error = (!status.success()).then(|| cargo_error(&stderr)).flatten();
    Ok((checks, cargo_error))
}

/// Cargo's own error, when it printed one other than "could not compile" (which only repeats
/// the compiler's errors): from its first `error:` line to the end, on one line.
fn cargo_error(stderr: &[String]) -> Option<String> {
    let start = stderr.iter().position(|line| {
        line.starts_with("error") && !line.starts_with("error: could not compile")
    })?;
    let lines: Vec<&str> = stderr[start..]
        .iter()
        .map(|line| line.trim())
        .filter(|line| !line.is_empty() && !line.starts_with("error: could not compile"))
        .collect();
    Some(lines.join(" / "))
}

/// Where a compiler message points, relative to the workspace root: the span's file is relative
/// to the corpus workspace.
fn location(message: &cargo::CompilerMessage, out_label: &str) -> String {
    match &message.span {
        Some(span) => format!("{out_label}/{}:{}:{}", span.file, span.line, span.column),
        None => "(no location)".to_owned(),
    }
}

/// `error[E0277]` or `warning[unused_imports]`.
fn headline(message: &cargo::CompilerMessage) -> String {
    match &message.code {
        Some(code) => format!("{}[{code}]", message.level),
        None => message.level.clone(),
    }
}

/// The table: one line per spec.
fn table(outcomes: &[Outcome], out_label: &str, cargo_error: Option<&str>) -> String {
    let width = outcomes
        .iter()
        .map(|outcome| outcome.spec.file_name.len())
        .max()
        .unwrap_or_default();
    let mut table = String::new();
    for outcome in outcomes {
        let check_time = match &outcome.check {
            Some(check) if check.fresh => "fresh".to_owned(),
            Some(check) => check
                .duration()
                .map_or_else(|| "?".to_owned(), |d| format!("{:.1} s", d.as_secs_f64())),
            None => "-".to_owned(),
        };
        let times = format!(
            "{:>5.1} s + {check_time:>7}",
            outcome.generate_time.as_secs_f64()
        );
        let (counts, result) = match &outcome.generation {
            Generation::Generated {
                operations,
                types,
                skipped,
                diagnostics,
            } => (
                format!(
                    "{operations:>4} ops {types:>5} types {skipped:>3} skipped {:>3} diagnostics",
                    diagnostics.len()
                ),
                check_result(outcome.check.as_ref(), out_label, cargo_error),
            ),
            Generation::Failed { first, errors } => (
                String::new(),
                format!("NOT GENERATED ({errors} error(s)): {first}"),
            ),
            Generation::Panicked(message) => (
                String::new(),
                format!("NOT GENERATED: the generator panicked: {message}"),
            ),
        };
        let _ = writeln!(
            table,
            "{:<width$}  {:<3}  {times}  {counts:<47}  {result}",
            outcome.spec.file_name, outcome.spec.version
        );
    }
    table
}

fn check_result(check: Option<&Check>, out_label: &str, cargo_error: Option<&str>) -> String {
    let Some(check) = check else {
        return match cargo_error {
            Some(error) => format!("NOT CHECKED: cargo failed: {error}"),
            None => "NOT CHECKED: cargo gave no result for this crate".to_owned(),
        };
    };
    if check.compiled() {
        return "compiled".to_owned();
    }
    match check.first() {
        Some(first) => format!(
            "NOT COMPILED ({} error(s), {} warning(s)): {} {}: {}",
            check.errors(),
            check.warnings(),
            headline(first),
            location(first, out_label),
            first.message
        ),
        None => match cargo_error {
            Some(error) => format!("NOT COMPILED: cargo failed: {error}"),
            None => "NOT COMPILED: cargo finished no library for this crate".to_owned(),
        },
    }
}

fn message_json(message: &cargo::CompilerMessage, out_label: &str) -> serde_json::Value {
    json!({
        "level": message.level,
        "code": message.code,
        "message": message.message,
        "file": message.span.as_ref().map(|span| format!("{out_label}/{}", span.file)),
        "line": message.span.as_ref().map(|span| span.line),
        "column": message.span.as_ref().map(|span| span.column),
    })
}

/// Everything the run found, for `report.json`.
fn report(
    args: &Args,
    dir_label: &str,
    out_label: &str,
    outcomes: &[Outcome],
    cargo_error: Option<&str>,
    elapsed: Duration,
) -> serde_json::Value {
    let specs: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|outcome| {
            let spec = &outcome.spec;
            let mut entry = json!({
                "file": spec.file_name,
                "version": spec.version,
                "package": spec.package,
                "crate_dir": format!("{out_label}/{}", spec.crate_dir),
                "generate_seconds": outcome.generate_time.as_secs_f64(),
            });
            let fields = match &outcome.generation {
                Generation::Generated {
                    operations,
                    types,
                    skipped,
                    diagnostics,
                } => json!({
                    "generated": true,
                    "operations": operations,
                    "types": types,
                    "skipped": skipped,
                    "diagnostics": diagnostics.len(),
                    "generator_warnings": diagnostics,
                }),
                Generation::Failed { first, errors } => json!({
                    "generated": false,
                    "generate_error": first,
                    "generate_errors": errors,
                }),
                Generation::Panicked(message) => json!({
                    "generated": false,
                    "generate_error": format!("the generator panicked: {message}"),
                }),
            };
            let check = match &outcome.check {
                Some(check) => json!({
                    "compiled": check.compiled(),
                    "check_seconds": check.duration().map(|d| d.as_secs_f64()),
                    "fresh": check.fresh,
                    "errors": check.errors(),
                    "warnings": check.warnings(),
                    "first_message": check.first().map(|first| {
                        let mut value = message_json(first, out_label);
                        value["rendered"] = json!(first.rendered);
                        value
                    }),
                    "messages": check
                        .messages
                        .iter()
                        .map(|message| message_json(message, out_label))
                        .collect::<Vec<_>>(),
                }),
                None => json!({
                    "compiled": false,
                    "cargo_error": matches!(outcome.generation, Generation::Generated { .. })
                        .then_some(cargo_error)
                        .flatten(),
                }),
            };
            for (key, value) in fields
                .as_object()
                .into_iter()
                .chain(check.as_object())
                .flatten()
            {
                entry[key] = value.clone();
            }
            entry
        })
        .collect();
    let compiled = outcomes
        .iter()
        .filter(|outcome| outcome.check.as_ref().is_some_and(Check::compiled))
        .count();
    json!({
        "corpus": dir_label,
        "selection": {
            "only": args.only,
            "version": args.version,
            "ci": args.ci,
        },
        "compiled": compiled,
        "total": outcomes.len(),
        "seconds": elapsed.as_secs_f64(),
        "cargo_error": cargo_error,
        "specs": specs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vendored corpus.
    const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus");

    fn spec(file_name: &str, version: &str) -> Spec {
        let crate_dir = crate_dir_name(file_name).unwrap();
        Spec {
            file_name: file_name.to_owned(),
            label: format!("tests/corpus/{file_name}"),
            text: String::new(),
            package: format!("{PACKAGE_PREFIX}{crate_dir}"),
            crate_dir,
            version: version.to_owned(),
        }
    }

    fn args(words: &[&str]) -> Result<Args, String> {
        parse_args(words.iter().map(|word| (*word).to_owned()))
    }

    fn message(
        level: &str,
        code: &str,
        file: &str,
        line: u64,
        text: &str,
    ) -> cargo::CompilerMessage {
        cargo::CompilerMessage {
            manifest_path: PathBuf::from("/w/target/corpus/x/Cargo.toml"),
            level: level.to_owned(),
            code: Some(code.to_owned()),
            message: text.to_owned(),
            span: Some(cargo::Span {
                file: file.to_owned(),
                line,
                column: 5,
            }),
            rendered: String::new(),
        }
    }

    #[test]
    fn crate_directories_come_from_the_file_name() {
        assert_eq!(
            crate_dir_name("cpy.re__peertube.json").as_deref(),
            Some("cpy-re-peertube")
        );
        assert_eq!(
            crate_dir_name("azure.com__servicefabric.json").as_deref(),
            Some("azure-com-servicefabric")
        );
        assert_eq!(
            crate_dir_name("swagger20__go-swagger__todolist.allparams.yml").as_deref(),
            Some("swagger20-go-swagger-todolist-allparams")
        );
        assert_eq!(
            crate_dir_name("__Ünïcode API_.yaml").as_deref(),
            Some("n-code-api")
        );
        assert_eq!(crate_dir_name("..json"), None);
        assert_eq!(crate_dir_name("ÄÖ.yaml"), None);
    }

    #[test]
    fn every_corpus_spec_gets_a_distinct_snake_case_library_name() {
        let specs = read_corpus(Path::new(CORPUS), "tests/corpus").unwrap();
        assert_eq!(specs.len(), 26);
        let mut libraries = std::collections::BTreeSet::new();
        for spec in &specs {
            assert!(spec.package.starts_with(PACKAGE_PREFIX), "{}", spec.package);
            let library = spec.package.replace('-', "_");
            let snake_case = !library.contains("__")
                && library
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            assert!(
                snake_case,
                "{} gives the library name {library}",
                spec.file_name
            );
            assert!(libraries.insert(library), "{} is not unique", spec.package);
        }
        let peertube = specs
            .iter()
            .find(|spec| spec.file_name == "cpy.re__peertube.json")
            .unwrap();
        assert_eq!(peertube.package, "corpus-cpy-re-peertube");
    }

    #[test]
    fn the_version_kind_comes_from_the_top_level_field() {
        assert_eq!(version_kind(r#"{"openapi": "3.0.3", "info": {}}"#), "3.0");
        assert_eq!(version_kind("\u{feff}{\"swagger\": \"2.0\"}"), "2.0");
        assert_eq!(
            version_kind(r#"{"info": {"openapi": "3.1.0"}, "paths": {}}"#),
            "?"
        );
        assert_eq!(version_kind("{ not json"), "?");
        assert_eq!(version_kind("openapi: 3.1.0\ninfo: {}\n"), "3.1");
        assert_eq!(
            version_kind("info:\n  title: x\nswagger: '2.0' # old\n"),
            "2.0"
        );
        assert_eq!(version_kind("\"openapi\": \"3.0.1\"\n"), "3.0");
        assert_eq!(
            version_kind("info:\n  description: |\n    openapi: 3.1.0\n  openapi: 3.1.0\n"),
            "?"
        );
        assert_eq!(version_kind("openapiX: 3.0.0\n"), "?");
    }

    #[test]
    fn the_version_kinds_agree_with_the_manifest() {
        let manifest = std::fs::read_to_string(format!("{CORPUS}/MANIFEST.tsv")).unwrap();
        let mut checked = 0;
        for row in manifest.lines().skip(1) {
            let mut columns = row.split('\t');
            let (file, version) = (columns.next().unwrap(), columns.next().unwrap());
            let expected = match version {
                "swagger 2.0" => "2.0".to_owned(),
                openapi => openapi.split('.').take(2).collect::<Vec<_>>().join("."),
            };
            let text = std::fs::read_to_string(format!("{CORPUS}/{file}")).unwrap();
            assert_eq!(version_kind(&text), expected, "{file}");
            checked += 1;
        }
        assert_eq!(checked, 26);
    }

    #[test]
    fn options_are_parsed_and_checked() {
        assert_eq!(
            args(&[
                "--only",
                "azure",
                "--only=hetzner",
                "--version",
                "3.1",
                "--ci"
            ])
            .unwrap(),
            Args {
                only: vec!["azure".to_owned(), "hetzner".to_owned()],
                version: Some("3.1".to_owned()),
                ci: true,
                ..Args::default()
            }
        );
        assert!(
            args(&["--version", "3.2"])
                .unwrap_err()
                .contains("3.0, 3.1, 2.0")
        );
        assert!(args(&["--only"]).unwrap_err().contains("needs a value"));
        assert!(args(&["--fast"]).unwrap_err().contains("unknown option"));
    }

    #[test]
    fn the_options_pick_the_specs() {
        let corpus = || {
            vec![
                spec("azure.com__search.json", "3.0"),
                spec("azure.com__servicefabric.json", "3.0"),
                spec("hetzner.cloud.json", "3.0"),
                spec("oas31__rentcast.io.json", "3.1"),
            ]
        };
        let names = |specs: Vec<Spec>| -> Vec<String> {
            specs.into_iter().map(|spec| spec.file_name).collect()
        };
        let only = args(&["--only", "servicefabric", "--only", "rentcast"]).unwrap();
        assert_eq!(
            names(select(corpus(), &only).unwrap()),
            ["azure.com__servicefabric.json", "oas31__rentcast.io.json"]
        );
        let version = args(&["--only", "azure", "--version", "3.0"]).unwrap();
        assert_eq!(names(select(corpus(), &version).unwrap()).len(), 2);
        let nothing = args(&["--only", "rentcast", "--version", "2.0"]).unwrap();
        assert!(select(corpus(), &nothing).is_err());
    }

    #[test]
    fn ci_leaves_out_the_listed_specs_and_every_listed_spec_exists() {
        let specs = read_corpus(Path::new(CORPUS), "tests/corpus").unwrap();
        let total = specs.len();
        let ci = select(specs, &args(&["--ci"]).unwrap()).unwrap();
        assert_eq!(ci.len(), total - NOT_YET_IN_CI.len());
        assert!(
            ci.iter()
                .all(|spec| !NOT_YET_IN_CI.contains(&spec.file_name.as_str()))
        );
        let corpus = [spec("hetzner.cloud.json", "3.0")];
        assert!(listed_specs_exist(&["hetzner.cloud.json"], &corpus).is_ok());
        let stale = listed_specs_exist(&["hetzner.cloud.json", "gone.yaml"], &corpus);
        assert_eq!(
            stale.unwrap_err(),
            "NOT_YET_IN_CI in xtask/src/corpus.rs lists gone.yaml, which is not in the corpus"
        );
    }

    #[test]
    fn a_crate_compiles_only_with_its_library_and_no_message() {
        let compiled = Check {
            artifact: true,
            ..Check::default()
        };
        assert_eq!(
            check_result(Some(&compiled), "target/corpus", None),
            "compiled"
        );

        let warned = Check {
            artifact: true,
            messages: vec![message(
                "warning",
                "unused_imports",
                "x/src/lib.rs",
                3,
                "unused import: `types::*`",
            )],
            ..Check::default()
        };
        assert!(!warned.compiled());
        assert_eq!(
            check_result(Some(&warned), "target/corpus", None),
            "NOT COMPILED (0 error(s), 1 warning(s)): warning[unused_imports] \
             target/corpus/x/src/lib.rs:3:5: unused import: `types::*`"
        );

        let failed = Check {
            messages: vec![
                message("warning", "dead_code", "x/src/a.rs", 1, "never used"),
                message(
                    "error",
                    "E0119",
                    "x/src/b.rs",
                    87,
                    "conflicting implementations",
                ),
            ],
            ..Check::default()
        };
        assert_eq!(
            check_result(Some(&failed), "target/corpus", None),
            "NOT COMPILED (1 error(s), 1 warning(s)): error[E0119] \
             target/corpus/x/src/b.rs:87:5: conflicting implementations"
        );

        let silent = Check::default();
        assert!(!silent.compiled());
        assert!(check_result(Some(&silent), "target/corpus", None).starts_with("NOT COMPILED"));
        assert_eq!(
            check_result(
                None,
                "target/corpus",
                Some("error: failed to load manifest")
            ),
            "NOT CHECKED: cargo failed: error: failed to load manifest"
        );
    }

    #[test]
    fn cargo_errors_are_told_apart_from_compile_failures() {
        let lines = |text: &str| text.lines().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            cargo_error(&lines(
                "    Checking corpus-x v0.1.0 (/w/x)\n\
                 error: could not compile `corpus-x` (lib) due to 3 previous errors\n"
            )),
            None
        );
        assert_eq!(
            cargo_error(&lines(
                "error: failed to load manifest for workspace member `/w/x`\n\
                 \n\
                 Caused by:\n  invalid semver\n"
            ))
            .as_deref(),
            Some(
                "error: failed to load manifest for workspace member `/w/x` / Caused by: / invalid semver"
            )
        );
    }
}
