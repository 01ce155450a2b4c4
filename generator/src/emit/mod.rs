//! Stage 3: turns the model into the files of a crate, as text. Tokens are built with `quote`,
//! parsed by `syn` and printed by `prettyplease`; nothing is written to disk here.

mod crate_files;
mod docs;
mod manifest;
mod module_layout;
mod operations;
mod readme;
mod types;

pub(crate) use operations::Passing;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::Options;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Api, TypeDef, TypeRef};

/// What the emitters need to know about the whole API.
struct Context<'a> {
    api: &'a Api,
    options: &'a Options,
    types: HashMap<&'a str, &'a TypeDef>,
}

impl<'a> Context<'a> {
    fn new(api: &'a Api, options: &'a Options) -> Self {
        let types = api
            .types
            .iter()
            .map(|definition| (definition.name.as_str(), definition))
            .collect();
        Self {
            api,
            options,
            types,
        }
    }

    /// Whether the code has cargo features of its own. A crate does; the [`crate::Layout::Module`]
    /// file is compiled with the features of the crate that includes it, so it has no per-tag
    /// gates and every type gets both serde impls.
    fn has_features(&self) -> bool {
        self.options.layout == crate::Layout::Crate
    }

    /// The `#[cfg(..)]` attribute that compiles an item with any of `features`; nothing for
    /// `None` (always compiled) or without cargo features.
    fn cfg_features(&self, features: Option<&std::collections::BTreeSet<String>>) -> TokenStream {
        let features = features.filter(|_| self.has_features());
        match features.map(|features| features.iter().collect::<Vec<_>>()) {
            None => TokenStream::new(),
            Some(features) => match features.as_slice() {
                [feature] => quote!(#[cfg(feature = #feature)]),
                _ => quote!(#[cfg(any(#(feature = #features),*))]),
            },
        }
    }

    /// The serde directions a type's impls are written for: its [`Usage`], or both ways
    /// without cargo features (no `serde-both-ways` to add the other one).
    fn serde_usage(&self, usage: crate::model::Usage) -> crate::model::Usage {
        if self.has_features() {
            usage
        } else {
            crate::model::Usage {
                encoded: true,
                decoded: true,
                ..usage
            }
        }
    }

    /// Follows aliases to the type a reference finally means.
    fn resolve<'t>(&'t self, type_ref: &'t TypeRef) -> &'t TypeRef {
        crate::model::resolve_aliases(type_ref, |name| {
            self.types.get(name).map(|definition| &definition.kind)
        })
    }

    /// The header every generated file starts with, in the file's comment syntax.
    fn header(&self, comment: &str) -> String {
        crate::generated_header(
            comment,
            &self.options.regenerate_command,
            &self.options.spec_file,
        )
    }
}

/// Every file of the crate, by path relative to the crate root. The Rust files are built and
/// formatted on several threads (see [`FileShare`]); `times` gets the thread time spent building
/// tokens (`emit`) and printing them (`format`), and the stage's wall time (`emit_wall`).
pub fn emit(
    api: &Api,
    options: &Options,
    times: &mut crate::StageTimes,
) -> Result<BTreeMap<PathBuf, String>, Diagnostics> {
    emit_on_threads(api, options, times, emit_threads())
}

/// [`emit`] with the Rust files shared out over `threads` threads.
fn emit_on_threads(
    api: &Api,
    options: &Options,
    times: &mut crate::StageTimes,
    threads: usize,
) -> Result<BTreeMap<PathBuf, String>, Diagnostics> {
    let started = Instant::now();
    let context = Context::new(api, options);
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from("Cargo.toml"),
        crate_files::cargo_toml(&context),
    );
    files.insert(PathBuf::from("README.md"), readme::readme(&context));
    let shares = crate::on_threads(threads, |worker| {
        rust_files_share(api, options, FileShare::new(worker, threads))
    });
    for share in shares {
        let share = share?;
        times.emit += share.emit;
        times.format += share.format;
        files.extend(
            share
                .files
                .into_iter()
                .map(|(path, text)| (PathBuf::from(path), text)),
        );
    }
    let crate_ident = options.crate_name.replace('-', "_");
    for runtime in crate::runtime_files::RUNTIME_FILES {
        let text = runtime
            .text
            .replace(crate::runtime_files::CRATE_MARKER, &crate_ident);
        files.insert(
            PathBuf::from("src").join(runtime.path),
            format!("{}\n{text}", context.header("//")),
        );
    }
    if options.layout == crate::Layout::Module {
        files = BTreeMap::from([(
            PathBuf::from(crate::MODULE_FILE),
            module_layout::single_file(&files),
        )]);
    }
    times.emit_wall += started.elapsed();
    times.emit_threads = threads;
    Ok(files)
}

/// How many threads build and format the Rust files: one a core, at most
/// [`MAX_EMIT_THREADS`].
fn emit_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |cores| cores.get().min(MAX_EMIT_THREADS))
}

/// Beyond this many threads the emit stage gains little: the largest files set its length.
const MAX_EMIT_THREADS: usize = 8;

/// Which of the crate's Rust files one thread builds: every thread walks the same list of files
/// in the same order and takes every `threads`-th, starting at its own index, so the files are
/// shared out without any being built twice. Tokens (`proc_macro2`) cannot cross threads, so
/// each thread builds and formats its own files.
pub(super) struct FileShare {
    worker: usize,
    threads: usize,
    next: usize,
}

impl FileShare {
    fn new(worker: usize, threads: usize) -> Self {
        Self {
            worker,
            threads: threads.max(1),
            next: 0,
        }
    }

    /// Whether this thread builds the next file of the list.
    pub(super) fn takes_next(&mut self) -> bool {
        let mine = self.next % self.threads == self.worker;
        self.next += 1;
        mine
    }
}

/// One thread's formatted Rust files, with the time it spent building and printing them.
struct RenderedShare {
    files: Vec<(String, String)>,
    emit: Duration,
    format: Duration,
}

/// Builds and formats this thread's share of the Rust files.
fn rust_files_share(
    api: &Api,
    options: &Options,
    mut share: FileShare,
) -> Result<RenderedShare, Diagnostics> {
    let started = Instant::now();
    let context = Context::new(api, options);
    let mut rust_files = Vec::new();
    if share.takes_next() {
        rust_files.push(("src/lib.rs".to_owned(), crate_files::lib_rs(&context)));
    }
    if share.takes_next() {
        rust_files.push(("src/client.rs".to_owned(), operations::client_rs(&context)));
    }
    rust_files.extend(types::types_files(&context, &mut share));
    rust_files.extend(operations::operations_files(&context, &mut share));
    let mut format = Duration::ZERO;
    let mut files = Vec::with_capacity(rust_files.len());
    for (path, tokens) in rust_files {
        let formatting = Instant::now();
        let text = format_rust(&context, &path, tokens)?;
        format += formatting.elapsed();
        files.push((path, text));
    }
    Ok(RenderedShare {
        files,
        emit: started.elapsed().saturating_sub(format),
        format,
    })
}

/// The `[dependencies]` lines of the crate's manifest.
pub fn dependencies(api: &Api, options: &Options) -> Vec<String> {
    crate_files::dependencies(&Context::new(api, options))
}

/// Formats generated tokens as a Rust file with its header.
fn format_rust(
    context: &Context<'_>,
    path: &str,
    tokens: TokenStream,
) -> Result<String, Diagnostics> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| {
        Diagnostic::error_at(
            &context.options.spec_file,
            "#",
            format!("internal error: generated {path} does not parse ({error}); please report it"),
        )
    })?;
    Ok(format!(
        "{}\n{}",
        context.header("//"),
        separate_items(
            &format_field_tables(&prettyplease::unparse(&file)),
            path.starts_with("src/operations/") || path.starts_with("src/types/")
        )
    ))
}

/// The macro call that `types` writes for a struct's serde impls.
const FIELD_TABLE_MACRO: &str = "crate::runtime::serde_object!(";

/// Prints each `serde_object!` call one field a line, as a person would write the table:
/// `prettyplease` fills a macro's tokens into lines like prose.
fn format_field_tables(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut lines = code.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with(FIELD_TABLE_MACRO) {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut call = line.to_owned();
        for next in lines.by_ref() {
            call.push('\n');
            call.push_str(next);
            if next == ");" {
                break;
            }
        }
        out.push_str(&field_table(&call).unwrap_or(call));
        out.push('\n');
    }
    out
}

/// One `serde_object!(direction Name { 0 => field: "wire" presence, … });` call, a field a
/// line; `None` when the call does not have that shape (it is then left as it was printed).
fn field_table(call: &str) -> Option<String> {
    use proc_macro2::TokenTree;
    let arguments = call
        .strip_prefix(FIELD_TABLE_MACRO)?
        .trim_end()
        .strip_suffix(");")?;
    let tokens: Vec<TokenTree> = arguments.parse::<TokenStream>().ok()?.into_iter().collect();
    let [
        TokenTree::Ident(direction),
        TokenTree::Ident(name),
        TokenTree::Group(fields),
    ] = tokens.as_slice()
    else {
        return None;
    };
    let mut text = format!("{FIELD_TABLE_MACRO}{direction} {name} {{\n");
    let fields: Vec<TokenTree> = fields.stream().into_iter().collect();
    for field in fields.split(|token| matches!(token, TokenTree::Punct(p) if p.as_char() == ',')) {
        let [index, arrow_1, arrow_2, rust_name, colon, wire, presence] = field else {
            if field.is_empty() {
                continue;
            }
            return None;
        };
        if format!("{arrow_1}{arrow_2}") != "=>" || colon.to_string() != ":" {
            return None;
        }
        text.push_str(&format!("    {index} => {rust_name}: {wire} {presence},\n"));
    }
    text.push_str("});");
    Some(text)
}

/// Puts a blank line between top-level items, which `prettyplease` prints back to back, and
/// with `nested`, between the items of a top-level block (the methods of an `impl`).
fn separate_items(code: &str, nested: bool) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous_closed_item = false;
    let mut previous_closed_nested = false;
    for line in code.lines() {
        let starts_item = !line.starts_with([' ', '}', ')', ']']) && !line.is_empty();
        let nested_line = line
            .strip_prefix("    ")
            .filter(|rest| !rest.starts_with([' ', '}', ')', ']']) && !rest.is_empty());
        if (previous_closed_item && starts_item)
            || (nested && previous_closed_nested && nested_line.is_some())
        {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        let comment = line.starts_with("//");
        previous_closed_item = matches!(line, "}" | ");" | "});")
            || (starts_item && !comment && (line.ends_with(';') || line.ends_with('}')));
        previous_closed_nested = line == "    }";
    }
    out
}

/// An identifier from a name the namer made (possibly raw, as `r#type`).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type for a reference.
pub(crate) fn rust_type(type_ref: &TypeRef) -> TokenStream {
    match type_ref {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
        TypeRef::Boxed(name) => {
            let name = ident(name);
            quote!(Box<#name>)
        }
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::File => quote!(crate::FilePart),
        TypeRef::Json => quote!(serde_json::Value),
        // The configuration checked that the path parses (`Config::from_toml`), and lower checks
        // an `x-rust-type`; a path that still does not parse is kept as any JSON value.
        TypeRef::External(path) => syn::parse_str::<syn::Type>(path)
            .map_or_else(|_| quote!(serde_json::Value), |ty| quote!(#ty)),
        TypeRef::List(item) => {
            let item = rust_type(item);
            quote!(Vec<#item>)
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner);
            quote!(Option<#inner>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value);
            quote!(std::collections::BTreeMap<String, #value>)
        }
    }
}

/// A setter's argument and the expression that turns it into the field's value: `impl Into<T>`
/// in general (so `impl Into<String>` for strings, and `f64` also takes integers), any iterable
/// for lists, and the plain type for integers, `f32` and booleans (so that a literal such as
/// `5_000_000_000` infers its type instead of defaulting to `i32`).
/// A list reached through an alias is taken as the alias (its item type may not be in scope).
fn setter_argument(context: &Context<'_>, ty: &TypeRef) -> (TokenStream, TokenStream) {
    match (ty, context.resolve(ty)) {
        (_, TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32) => {
            let ty = rust_type(ty);
            (quote!(value: #ty), quote!(value))
        }
        (TypeRef::List(item), _) => {
            let item_type = rust_type(item);
            match context.resolve(item) {
                TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => (
                    quote!(values: impl IntoIterator<Item = #item_type>),
                    quote!(values.into_iter().collect()),
                ),
                _ => (
                    quote!(values: impl IntoIterator<Item = impl Into<#item_type>>),
                    quote!(values.into_iter().map(Into::into).collect()),
                ),
            }
        }
        _ => {
            let ty = rust_type(ty);
            (quote!(value: impl Into<#ty>), quote!(value.into()))
        }
    }
}

/// A chaining setter `setter` for the field `field` of type `ty`: `wrap` turns the argument into
/// the field's value (`Some(..)`, `Nullable::Value(..)`).
fn chaining_setter(
    context: &Context<'_>,
    setter: &str,
    field: &str,
    ty: &TypeRef,
    wrap: impl Fn(TokenStream) -> TokenStream,
) -> TokenStream {
    let setter = ident(setter);
    let plain = field.trim_start_matches("r#");
    let doc = format!(" Sets [`{plain}`](Self::{plain}).");
    let field = ident(field);
    let (argument, value) = setter_argument(context, ty);
    let value = wrap(value);
    quote! {
        #[doc = #doc]
        pub fn #setter(mut self, #argument) -> Self {
            self.#field = #value;
            self
        }
    }
}

/// The API's name for prose: its title, with "API" added unless the title already says it.
fn api_name(api: &Api) -> String {
    let title = api.title.trim();
    if title
        .to_ascii_lowercase()
        .split_whitespace()
        .any(|word| word == "api")
    {
        format!("the {title}")
    } else {
        format!("the {title} API")
    }
}

/// Whether any type or operation in the API uses a type matching `wanted`.
fn api_uses(api: &Api, wanted: &dyn Fn(&TypeRef) -> bool) -> bool {
    fn contains(type_ref: &TypeRef, wanted: &dyn Fn(&TypeRef) -> bool) -> bool {
        wanted(type_ref)
            || type_ref
                .wrapped()
                .is_some_and(|inner| contains(inner, wanted))
    }
    let in_types = api.types.iter().any(|definition| {
        definition
            .kind
            .referenced_types()
            .into_iter()
            .any(|type_ref| contains(type_ref, wanted))
    });
    let in_operations = api.operations.iter().any(|operation| {
        operation
            .parameters
            .iter()
            .any(|parameter| contains(&parameter.ty, wanted))
            || operation
                .body
                .as_ref()
                .is_some_and(|body| contains(&body.ty, wanted))
            || operation
                .success
                .iter()
                .chain(&operation.errors)
                .filter_map(|response| response.body.as_ref())
                .any(|body| contains(&body.ty, wanted))
    });
    in_types || in_operations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_goes_to_exactly_one_thread() {
        for threads in 1..=4 {
            let mut shares: Vec<FileShare> = (0..threads)
                .map(|worker| FileShare::new(worker, threads))
                .collect();
            for _ in 0..11 {
                let takers = shares
                    .iter_mut()
                    .map(FileShare::takes_next)
                    .filter(|taken| *taken)
                    .count();
                assert_eq!(takers, 1, "{threads} threads");
            }
        }
    }

    #[test]
    fn the_crate_does_not_depend_on_the_number_of_threads() {
        let text = include_str!("../../tests/fixtures/tag_modules.yaml");
        let options = Options::new("threads-client");
        let (api, _) = crate::lower_spec(text, &options).expect("the fixture lowers");
        let on = |threads| {
            emit_on_threads(&api, &options, &mut crate::StageTimes::default(), threads)
                .expect("the fixture emits")
        };
        let one = on(1);
        assert!(
            one.keys()
                .filter(|path| path.extension().is_some_and(|e| e == "rs"))
                .count()
                > 4
        );
        for threads in [2, 3, 7] {
            assert_eq!(on(threads), one, "{threads} threads");
        }
    }
}
