//! Which OpenAPI version a document is written in, and the step that makes it OpenAPI 3.0.
//!
//! The rest of the loader reads OpenAPI 3.0 only. A converter for another version is one
//! function `fn(Value, &mut Diagnostics) -> Value` (the document in, the 3.0 document out,
//! with a warning for every construct it had to approximate), called from [`to_openapi_30`] in
//! that version's arm; until one exists, such a document is an error that names its version.

use serde_json::Value;

use super::parse::line_of_key;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The versions this loader reads, for messages.
const SUPPORTED: &str = "OpenAPI 3.0.x (3.0.0 to 3.0.4)";

/// What a document's top level says it is.
enum Dialect {
    /// `openapi: 3.0.x`.
    OpenApi30,
    /// `openapi: 3.1.x`.
    OpenApi31(String),
    /// `swagger: "2.0"` (or another Swagger version).
    Swagger(String),
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
) -> Result<(Value, Diagnostics), Diagnostics> {
    let mut warnings = Diagnostics::default();
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
                warnings.push(Diagnostic::warning_at(
                    file,
                    "#/openapi",
                    format!("`openapi: {written}` should be a string; read as \"{written}\""),
                ));
                *version = Value::String(written);
            }
            Ok((document, warnings))
        }
        Dialect::OpenApi31(version) | Dialect::OtherOpenApi(version) => Err(version_error(
            format!("`openapi: {version}` is not supported; this generator reads {SUPPORTED}"),
        )),
        Dialect::Swagger(version) => Err(Diagnostic::error_at(
            file,
            "#/openapi",
            format!(
                "this is a Swagger {version} document; this generator reads {SUPPORTED} \
                 (convert it first)"
            ),
        )
        .into()),
        Dialect::NotOpenApi => Err(Diagnostic::error_at(
            file,
            "#/openapi",
            "this is not an OpenAPI document: the top-level `openapi` field is missing",
        )
        .into()),
    }
}

fn dialect(document: &Value) -> Dialect {
    let field = |name: &str| document.get(name).map(scalar_text);
    match (field("openapi"), field("swagger")) {
        (_, Some(swagger)) => Dialect::Swagger(swagger),
        (Some(version), None) if is_version(&version, "3.0") => Dialect::OpenApi30,
        (Some(version), None) if is_version(&version, "3.1") => Dialect::OpenApi31(version),
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
