//! `README.md` of the generated crate: what it is, how to add it, a quickstart with a real
//! operation of the spec, authentication and servers - what a crate page shows first.

use super::Context;
use super::crate_files::example_code;
use crate::model::SecurityKind;

/// The README's text.
pub(super) fn readme(context: &Context<'_>) -> String {
    let api = context.api;
    let name = &context.options.crate_name;
    let mut text = vec![
        context.header("<!--").trim_end().to_owned(),
        String::new(),
        format!("# {name}"),
        String::new(),
        format!(
            "A typed, async Rust client for {} (version {}), generated from its OpenAPI \
             document.",
            super::api_name(api),
            api.version
        ),
    ];
    if let Some(summary) = api
        .description
        .as_deref()
        .and_then(|description| description.split("\n\n").next())
        .map(str::trim)
        .filter(|summary| !summary.is_empty())
    {
        text.extend([String::new(), summary.to_owned()]);
    }
    text.extend([
        String::new(),
        "## Install".to_owned(),
        String::new(),
        "```toml".to_owned(),
        "[dependencies]".to_owned(),
        format!("{name} = {{ path = \"{name}\" }}"),
        "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }".to_owned(),
        "```".to_owned(),
        String::new(),
        "## Quickstart".to_owned(),
        String::new(),
        "```rust,no_run".to_owned(),
    ]);
    // The crate docs' example, in a `main`.
    let (imports, body) = example_code(context);
    text.extend(imports);
    text.extend([
        String::new(),
        "#[tokio::main]".to_owned(),
        "async fn main() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
    ]);
    text.extend(body.into_iter().map(|line| format!("    {line}")));
    text.extend(["    Ok(())".to_owned(), "}".to_owned()]);
    text.push("```".to_owned());
    text.extend(authentication(context));
    text.extend([String::new(), "## Servers".to_owned(), String::new()]);
    match &api.base_url {
        Some(url) => text.push(format!(
            "Requests go to `{url}` (`DEFAULT_BASE_URL`) unless the builder's `.base_url(..)` \
             names another server."
        )),
        None => text.push(
            "The spec names no server: give one with the builder's `.base_url(..)`.".to_owned(),
        ),
    }
    let others: Vec<&String> = api
        .servers
        .iter()
        .filter(|server| Some(*server) != api.base_url.as_ref())
        .collect();
    if !others.is_empty() {
        text.extend([
            String::new(),
            "The spec also lists:".to_owned(),
            String::new(),
        ]);
        text.extend(others.iter().map(|server| format!("- `{server}`")));
    }
    text.extend([
        String::new(),
        "## What is in the crate".to_owned(),
        String::new(),
        format!(
            "{}, each a method on `Client` that returns a `Call` (await it, or set a timeout, a \
             retry policy or headers first), and {}. Every operation's documented errors are an \
             enum with a variant per status; operations that document the same errors share one \
             enum, each naming it by its own alias. Regenerate the crate with `{}`; do not edit \
             it by hand.",
            counted(api.operations.len(), "operation"),
            counted(api.types.len(), "type"),
            context.options.regenerate_command
        ),
    ]);
    text.join("\n") + "\n"
}

/// The "Authentication" section: one line per security scheme.
fn authentication(context: &Context<'_>) -> Vec<String> {
    let schemes = &context.api.security_schemes;
    if schemes.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![String::new(), "## Authentication".to_owned(), String::new()];
    for scheme in schemes {
        let method = scheme.method_name.trim_start_matches("r#");
        let sends = match &scheme.kind {
            SecurityKind::Bearer => "`Authorization: Bearer <token>`".to_owned(),
            SecurityKind::Basic => "`Authorization: Basic <user:password>`".to_owned(),
            SecurityKind::ApiKeyHeader { header, prefix } => match prefix {
                Some(prefix) => format!("`{header}: {prefix} <key>`"),
                None => format!("`{header}: <key>`"),
            },
            SecurityKind::ApiKeyQuery { parameter } => {
                format!("the query parameter `{parameter}`")
            }
        };
        let mut line = format!(
            "- `{}`: `.{method}(..)` on the builder sends {sends}",
            scheme.key
        );
        if let Some(variable) = &scheme.env_var {
            line.push_str(&format!(
                "; without it, the client reads the `{variable}` environment variable"
            ));
        }
        line.push('.');
        lines.push(line);
    }
    lines
}

/// `1 operation`, `2 operations`.
fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
