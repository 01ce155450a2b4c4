//! Text to a JSON value: YAML or JSON, with the line and column of any syntax error.

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Reads `text`, the contents of `file`, as JSON (when it starts with `{`) or YAML. Object
/// members keep their order. A syntax error or a duplicate key is an error at its line and
/// column.
pub fn parse(file: &str, text: &str) -> Result<Value, Diagnostics> {
    if looks_like_json(text) {
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|error| {
            let message = format!("the file is not valid JSON: {error}");
            Diagnostic::error_at_line(file, Some((error.line(), error.column())), message).into()
        })
    } else {
        serde_saphyr::from_str_with_options(text, yaml_options()).map_err(|error| {
            let line_column = error.location().map(|location| {
                let line = usize::try_from(location.line()).unwrap_or(usize::MAX);
                let column = usize::try_from(location.column()).unwrap_or(usize::MAX);
                (line, column)
            });
            let message = match &error {
                serde_saphyr::Error::Budget {
                    breach: serde_saphyr::budget::BudgetBreach::Depth { .. },
                    ..
                } => format!(
                    "the file nests lists and mappings deeper than {MAX_DEPTH} levels, more than \
                     any spec needs; it is not read"
                ),
                _ => format!("the file is not valid YAML: {error}"),
            };
            Diagnostic::error_at_line(file, line_column, message).into()
        })
    }
}

/// How deep lists and mappings may nest in a YAML spec (JSON has `serde_json`'s own limit of
/// 128): the pipeline's stack is sized for it (`PIPELINE_STACK_BYTES` in `lib.rs`).
const MAX_DEPTH: usize = 256;

/// YAML parser settings: one-line messages, and limits sized for large specs (forty times the
/// full Qovery spec) while keeping the library's guards against alias bombs.
fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 50_000_000;
    budget.max_nodes = 10_000_000;
    budget.max_depth = MAX_DEPTH;
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

/// The line and column of a top-level key, for messages about the document header.
pub(super) fn line_of_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let quoted = format!("\"{key}\"");
    text.lines().enumerate().find_map(|(index, line)| {
        let yaml_key = line
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'));
        if yaml_key {
            Some((index + 1, 1))
        } else {
            line.find(&quoted).map(|column| (index + 1, column + 1))
        }
    })
}
