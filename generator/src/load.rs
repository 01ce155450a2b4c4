//! Stage 1: reads the spec text (YAML or JSON) into an `openapiv3::OpenAPI` document.

use openapiv3::OpenAPI;
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Parses `text`, read from `file`, as an OpenAPI 3.0 document.
///
/// The text is read into a JSON value first (syntax errors name the line and column), then
/// normalized (see [`nullable_refs`]), then read as a document (shape errors name the JSON pointer
/// of the offending value).
pub fn load(file: &str, text: &str) -> Result<OpenAPI, Diagnostics> {
    let mut value: serde_json::Value = if looks_like_json(text) {
        serde_json::from_str(text).map_err(|error| {
            shape_error(
                file,
                text,
                None,
                Some((error.line(), error.column())),
                &error,
            )
        })?
    } else {
        serde_saphyr::from_str_with_options(text, yaml_options()).map_err(|error| {
            let line_column = error.location().map(|location| {
                let line = usize::try_from(location.line()).unwrap_or(usize::MAX);
                let column = usize::try_from(location.column()).unwrap_or(usize::MAX);
                (line, column)
            });
            shape_error(file, text, None, line_column, &error)
        })?
    };
    nullable_refs(&mut value);
    let document: OpenAPI = serde_path_to_error::deserialize(value)
        .map_err(|error| shape_error(file, text, Some(error.path()), None, error.inner()))?;
    check_version(file, text, &document)?;
    Ok(document)
}

/// Rewrites `{$ref: X, nullable: true, …}` as `{allOf: [{$ref: X}], nullable: true, …}`.
///
/// OpenAPI 3.0 ignores the siblings of `$ref`, but specs write `nullable` beside it to say that
/// this use of the schema may be `null` (a PATCH map whose `null` values remove entries, say);
/// the allOf form says the same thing in a way 3.0 keeps.
fn nullable_refs(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(object) => {
            let nullable_ref = object.get("nullable") == Some(&serde_json::Value::Bool(true))
                && object.get("$ref").is_some_and(serde_json::Value::is_string);
            if nullable_ref && let Some(reference) = object.remove("$ref") {
                let mut member = serde_json::Map::new();
                member.insert("$ref".to_owned(), reference);
                object.insert(
                    "allOf".to_owned(),
                    serde_json::Value::Array(vec![serde_json::Value::Object(member)]),
                );
            }
            object.values_mut().for_each(nullable_refs);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(nullable_refs),
        _ => {}
    }
}

/// YAML parser settings: one-line messages, and limits sized for large specs (forty times the
/// full Qovery spec) while keeping the library's guards against alias bombs.
fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 50_000_000;
    budget.max_nodes = 10_000_000;
    budget.max_depth = 256;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// Turns a parse failure into a diagnostic. When the failure is that the document is not
/// OpenAPI 3.0 at all (a Swagger 2.0 file, an empty file, some other YAML), says that instead of
/// reporting the first field that did not fit.
fn shape_error(
    file: &str,
    text: &str,
    path: Option<&serde_path_to_error::Path>,
    line_column: Option<(usize, usize)>,
    error: &dyn std::fmt::Display,
) -> Diagnostics {
    if let Some(message) = not_openapi_3(text) {
        return Diagnostic::error_at(file, "#/openapi", message).into();
    }
    let message = format!("the document is not a valid OpenAPI 3.0 document: {error}");
    let mut diagnostic = Diagnostic::error_at_line(file, line_column, message);
    diagnostic.location.pointer = path.map(path_to_pointer).filter(|pointer| pointer != "#");
    diagnostic.into()
}

/// The top-level fields that tell which kind of document this is.
#[derive(Deserialize)]
struct VersionProbe {
    openapi: Option<serde_json::Value>,
    swagger: Option<serde_json::Value>,
}

/// Why the text is not an OpenAPI 3.0 document, if its top level says so.
fn not_openapi_3(text: &str) -> Option<String> {
    let probe: VersionProbe = if looks_like_json(text) {
        serde_json::from_str(text).ok()?
    } else {
        serde_saphyr::from_str_with_options(text, yaml_options()).ok()?
    };
    match (probe.openapi, probe.swagger) {
        (_, Some(swagger)) => Some(format!(
            "this is a Swagger {} document; only OpenAPI 3.0.x is supported (convert it first)",
            scalar_text(&swagger)
        )),
        (None, None) => {
            Some("this is not an OpenAPI document: the top-level `openapi` field is missing".into())
        }
        (Some(version), None) => unsupported_version(&scalar_text(&version)),
    }
}

fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn unsupported_version(version: &str) -> Option<String> {
    (!version.starts_with("3.0")).then(|| {
        format!("`openapi: {version}` is not supported; this generator reads OpenAPI 3.0.x")
    })
}

fn check_version(file: &str, text: &str, document: &OpenAPI) -> Result<(), Diagnostics> {
    match unsupported_version(&document.openapi) {
        None => Ok(()),
        Some(message) => {
            let mut diagnostic = Diagnostic::error_at(file, "#/openapi", message);
            diagnostic.location.line_column = line_of_key(text, "openapi");
            Err(diagnostic.into())
        }
    }
}

/// The line and column of a top-level key, for messages about the document header.
fn line_of_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let quoted = format!("\"{key}\"");
    text.lines().enumerate().find_map(|(index, line)| {
        let yaml_key = line.starts_with(key) && line[key.len()..].trim_start().starts_with(':');
        let json_column = line.find(&quoted);
        if yaml_key {
            Some((index + 1, 1))
        } else {
            json_column.map(|column| (index + 1, column + 1))
        }
    })
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter().fold(String::from("#"), |pointer, segment| {
        let text = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => return pointer,
        };
        crate::diagnostics::pointer_push(&pointer, &text)
    })
}
