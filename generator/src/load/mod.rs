//! Stage 1: reads the spec text (YAML or JSON) into an `openapiv3::OpenAPI` document.
//!
//! The pipeline, one module a step:
//!
//! 1. `parse`: text to a JSON value (object order kept). Syntax errors and duplicate keys are
//!    fatal, at their line and column.
//! 2. `version`: the document as OpenAPI 3.0: OpenAPI 3.1 through `oas31`, Swagger 2.0
//!    through `swagger2`. Another version is fatal, naming the version found and the versions
//!    supported.
//! 3. `refs`: every `$ref` resolved to a component of the right kind, promoting values that
//!    references point into and bundling those of other files ([`SpecFiles`]).
//! 4. `normalize`: faithful rewrites of what specs commonly write wrong.
//! 5. `repair`: the typed parse, piece by piece, repairing or leaving out what does not fit.
//!
//! Only steps 1 and 2 (and a top level that cannot be read at all) are fatal; everything else
//! is a warning with the JSON pointer of what it is about, in the user's files ([`Origins`]).
//! `grammar` says what kind of object stands at a pointer, for all of them.

mod files;
pub mod grammar;
mod keys;
mod moves;
mod normalize;
mod oas31;
mod parse;
pub(crate) mod pointer;
mod refs;
mod repair;
mod swagger2;
mod version;

use std::path::Path;

pub use files::{DiskFiles, NoFiles, SpecFiles};
use grammar::Kind;
pub use parse::parse as parse_value;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// A loaded spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The OpenAPI 3.0 document, every `$ref` in it resolved to
    /// `#/components/<section>/<key>` (or dangling within the document, for `lower` to
    /// report).
    pub document: openapiv3::OpenAPI,
    /// What the loader had to approximate or leave out, pointing into the user's files.
    pub warnings: Diagnostics,
    /// Where the values the loader moved into `components` came from.
    pub origins: Origins,
}

/// Reads `text`, the contents of the spec file `file` (as messages name it), as an OpenAPI 3.0
/// document. Other files that its `$ref`s name are read through `files`.
pub fn load(file: &str, text: &str, files: &dyn SpecFiles) -> Result<Loaded, Diagnostics> {
    let value = parse::parse(file, text)?;
    let converted = version::to_openapi_30(file, text, value)?;
    let resolved = refs::resolve(file, converted.document, files);
    let mut warnings = resolved.warnings;
    let mut origins = resolved.origins;
    origins.converted = converted.moves;
    let mut document = resolved.document;
    normalize::normalize(file, &mut document, &mut warnings);
    let read = repair::read_document(file, document, &mut warnings);
    for warning in &mut warnings.0 {
        origins.relocate(warning);
    }
    let mut conversion_warnings = converted.warnings;
    for warning in warnings.0 {
        conversion_warnings.push(warning);
    }
    let warnings = conversion_warnings;
    let document = read.map_err(|mut errors| {
        errors
            .0
            .iter_mut()
            .for_each(|error| origins.relocate(error));
        errors
    })?;
    Ok(Loaded {
        document,
        warnings,
        origins,
    })
}

/// A warning that an object of `kind` at `pointer` was left out. It counts as skipped when the
/// client loses something by it: an operation, a parameter, a response, a schema, ….
fn left_out(
    file: &str,
    pointer: impl Into<String>,
    kind: Kind,
    message: impl Into<String>,
) -> Diagnostic {
    match kind {
        Kind::PathItem
        | Kind::Operation
        | Kind::Parameter
        | Kind::RequestBody
        | Kind::Responses
        | Kind::Response
        | Kind::MediaType
        | Kind::Encoding
        | Kind::Header
        | Kind::Schema
        | Kind::Discriminator
        | Kind::SecurityScheme
        | Kind::OAuthFlows
        | Kind::OAuthFlow
        | Kind::SecurityRequirement
        | Kind::Server
        | Kind::ServerVariable => Diagnostic::skipped_at(file, pointer, message),
        Kind::Document
        | Kind::Info
        | Kind::Contact
        | Kind::License
        | Kind::Components
        | Kind::Paths
        | Kind::ExternalDocs
        | Kind::Callback
        | Kind::Example
        | Kind::Link
        | Kind::Tag
        | Kind::Xml => Diagnostic::warning_at(file, pointer, message),
    }
}

/// Where the values that the loader moved into `components` stood in the user's files: a
/// promoted value (`#/components/schemas/VideoId` was `#/components/schemas/Video/properties/id`)
/// or a bundled one (`#/components/schemas/Error` is `common.yaml#/components/schemas/Error`),
/// and, in a document of another version, what the conversion moved (`#/components/schemas/Pet`
/// is Swagger 2.0's `#/definitions/Pet`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    /// The main spec file, as messages name it.
    file: String,
    moved: Vec<Moved>,
    /// What the conversion to OpenAPI 3.0 moved, within the main file.
    converted: moves::Moves,
}

/// One moved value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Moved {
    /// Where it stands in the loaded document, `#/components/schemas/VideoId`.
    at: String,
    /// The file it came from, relative to the spec's directory; `None` for the spec itself.
    file: Option<String>,
    /// Where it stood in that file, `#/components/schemas/Video/properties/id`.
    pointer: String,
}

impl Origins {
    fn new(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            moved: Vec::new(),
            converted: moves::Moves::default(),
        }
    }

    fn record(&mut self, at: &str, file: Option<String>, pointer: String) {
        self.moved.push(Moved {
            at: at.to_owned(),
            file,
            pointer,
        });
    }

    /// The moved value that `pointer` (in the loaded document) lies in, innermost first, and
    /// the rest of the pointer below it.
    fn find<'p>(&self, pointer: &'p str) -> Option<(&Moved, &'p str)> {
        self.moved
            .iter()
            .filter_map(|moved| {
                let rest = pointer.strip_prefix(moved.at.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then_some((moved, rest))
            })
            .max_by_key(|(moved, _)| moved.at.len())
    }

    /// Points `diagnostic`, about the loaded document, at the place in the user's files.
    pub fn relocate(&self, diagnostic: &mut Diagnostic) {
        if diagnostic.file != self.file {
            return;
        }
        let Some(pointer) = &diagnostic.location.pointer else {
            return;
        };
        let (file, original) = match self.find(pointer) {
            Some((moved, rest)) => (moved.file.as_ref(), format!("{}{rest}", moved.pointer)),
            None => (None, pointer.clone()),
        };
        match file {
            Some(file) => {
                let dir = Path::new(&self.file).parent().unwrap_or(Path::new(""));
                diagnostic.file = files::display(&dir.join(file));
                diagnostic.location.line_column = None;
                diagnostic.location.pointer = Some(original);
            }
            None => diagnostic.location.pointer = Some(self.unconverted(original)),
        }
    }

    /// Where the value at `pointer` (in the loaded document) stood: the pointer itself, the
    /// pointer it was promoted from or converted from, or `file#pointer` for a value of another
    /// file.
    pub fn origin(&self, pointer: &str) -> String {
        match self.find(pointer) {
            Some((moved, rest)) => match &moved.file {
                Some(file) => format!("{file}{}{rest}", moved.pointer),
                None => self.unconverted(format!("{}{rest}", moved.pointer)),
            },
            None => self.unconverted(pointer.to_owned()),
        }
    }

    /// The place in the user's main file of `pointer`, a place in the converted document.
    fn unconverted(&self, pointer: String) -> String {
        self.converted.original(&pointer).unwrap_or(pointer)
    }
}

/// Each diagnostic of `warnings` as `pointer: message`, for the loader's tests.
#[cfg(test)]
fn pointer_messages(warnings: &Diagnostics) -> Vec<String> {
    warnings
        .0
        .iter()
        .map(|warning| {
            format!(
                "{}: {}",
                warning.location.pointer.as_deref().unwrap_or(""),
                warning.message
            )
        })
        .collect()
}
