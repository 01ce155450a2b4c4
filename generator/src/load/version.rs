//! Which OpenAPI version a document is written in, and the step that makes it OpenAPI 3.0.
//!
//! The rest of the loader reads OpenAPI 3.0 only. A converter for another version is one
//! function `fn(Value, &mut Conversion) -> Value` (the document in, the 3.0 document out, with
//! a warning for every construct it had to approximate and a record of every value it moved),
//! called from [`to_openapi_30`] in that version's arm: [`super::oas31`] and
//! [`super::swagger2`]. Any other version is an error that names it.

use serde_json::Value;

use super::moves::Moves;
use super::parse::line_of_key;
use super::{oas31, swagger2};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The versions this loader reads, for messages.
const SUPPORTED: &str = "OpenAPI 3.0.x (3.0.0 to 3.0.4), OpenAPI 3.1.x and Swagger 2.0";

/// What a converter records besides the document it returns.
#[derive(Debug)]
pub(super) struct Conversion<'f> {
    /// The spec file, as messages name it.
    pub(super) file: &'f str,
    /// Every construct the converter approximated or left out, at its pointer in the user's
    /// document.
    pub(super) warnings: Diagnostics,
    /// Every value the converter moved.
    pub(super) moves: Moves,
}

impl<'f> Conversion<'f> {
    pub(super) fn new(file: &'f str) -> Self {
        Self {
            file,
            warnings: Diagnostics::default(),
            moves: Moves::default(),
        }
    }

    /// A warning about the user's document at `pointer`.
    pub(super) fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.warnings
            .push(Diagnostic::warning_at(self.file, pointer, message));
    }

    /// A warning that something at `pointer` is left out of the client.
    pub(super) fn skip(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.warnings
            .push(Diagnostic::skipped_at(self.file, pointer, message));
    }
}

/// The document as OpenAPI 3.0, what its conversion said, and where it moved values.
pub(super) struct Converted {
    pub(super) document: Value,
    pub(super) warnings: Diagnostics,
    pub(super) moves: Moves,
}

/// What a document's top level says it is.
enum Dialect {
    /// `openapi: 3.0.x`.
    OpenApi30,
    /// `openapi: 3.1.x`.
    OpenApi31,
    /// `swagger: "2.0"`.
    Swagger20,
    /// `swagger:` with any other version.
    OtherSwagger(String),
    /// `openapi:` with any other version.
    OtherOpenApi(String),
    /// Neither field: not an OpenAPI document.
    NotOpenApi,
}

/// The document as OpenAPI 3.0, with the warnings of the conversion, or why it cannot be read.
pub(super) fn to_openapi_30(
    file: &str,
    text: &str,
    mut document: Value,
) -> Result<Converted, Diagnostics> {
    let mut conversion = Conversion::new(file);
    let convert = |converter: fn(Value, &mut Conversion) -> Value,
                   document: Value,
                   mut conversion: Conversion| {
        let document = converter(document, &mut conversion);
        Ok(Converted {
            document,
            warnings: conversion.warnings,
            moves: conversion.moves,
        })
    };
    let version_error = |message: String| {
        let mut diagnostic = Diagnostic::error_at(file, "#/openapi", message);
        diagnostic.location.line_column = line_of_key(text, "openapi");
        Diagnostics::from(diagnostic)
    };
    match dialect(&document) {
        Dialect::OpenApi30 => {
            if let Some(version) = document.get_mut("openapi")
                && !version.is_string()
            {
                let written = scalar_text(version);
                conversion.warn(
                    "#/openapi",
                    format!("`openapi: {written}` should be a string; read as \"{written}\""),
                );
                *version = Value::String(written);
            }
            Ok(Converted {
                document,
                warnings: conversion.warnings,
                moves: conversion.moves,
            })
        }
        Dialect::OpenApi31 => convert(oas31::convert, document, conversion),
        Dialect::Swagger20 => convert(swagger2::convert, document, conversion),
        Dialect::OtherOpenApi(version) => Err(version_error(format!(
            "`openapi: {version}` is not supported; this generator reads {SUPPORTED}"
        ))),
        Dialect::OtherSwagger(version) => {
            let mut diagnostic = Diagnostic::error_at(
                file,
                "#/swagger",
                format!("`swagger: {version}` is not supported; this generator reads {SUPPORTED}"),
            );
            diagnostic.location.line_column = line_of_key(text, "swagger");
            Err(diagnostic.into())
        }
        Dialect::NotOpenApi => Err(Diagnostic::error_at(
            file,
            "#/openapi",
            format!(
                "this is not an OpenAPI document: it has neither an `openapi` nor a `swagger` \
                 field; this generator reads {SUPPORTED}"
            ),
        )
        .into()),
    }
}

fn dialect(document: &Value) -> Dialect {
    let field = |name: &str| document.get(name).map(scalar_text);
    match (field("openapi"), field("swagger")) {
        (_, Some(swagger)) if swagger == "2.0" => Dialect::Swagger20,
        (_, Some(swagger)) => Dialect::OtherSwagger(swagger),
        (Some(version), None) if is_version(&version, "3.0") => Dialect::OpenApi30,
        (Some(version), None) if is_version(&version, "3.1") => Dialect::OpenApi31,
        (Some(version), None) => Dialect::OtherOpenApi(version),
        (None, None) => Dialect::NotOpenApi,
    }
}

/// Whether `version` is `family` or a release of it (`3.0`, `3.0.3`, not `3.01`).
fn is_version(version: &str, family: &str) -> bool {
    version
        .strip_prefix(family)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
