//! Spec descriptions as rustdoc: safe for doctests and clean under clippy's doc lints.

use proc_macro2::TokenStream;
use quote::quote;

/// Rewrites Markdown from a spec so that rustdoc and clippy accept it as it is meant:
/// - fenced code blocks are marked `text`, so they are never compiled as doctests;
/// - indentation outside fences is removed, so no line becomes an indented code block;
/// - lines that continue a paragraph or a list item are joined to it (no lazy continuations);
/// - tabs become spaces and trailing spaces go;
/// - bare URLs become autolinks, `<` and stray brackets are escaped ([`rustdoc_text`]).
pub fn markdown_to_rustdoc(text: &str) -> Vec<String> {
    // Each line, and whether it is Markdown text (not a fence or code): text lines are made safe
    // once whole, since a link may span the lines of its paragraph.
    let mut lines: Vec<(String, bool)> = Vec::new();
    let mut in_fence = false;
    let mut previous_blank = true;
    for raw in text.replace("\r\n", "\n").replace('\t', "    ").lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            if in_fence {
                lines.push((fence.to_owned(), false));
            } else {
                lines.push((format!("{fence}text"), false));
            }
            in_fence = !in_fence;
            previous_blank = false;
            continue;
        }
        if in_fence {
            lines.push((raw.trim_end().to_owned(), false));
            continue;
        }
        if trimmed.is_empty() {
            if !previous_blank {
                lines.push((String::new(), false));
            }
            previous_blank = true;
            continue;
        }
        let continues = !previous_blank && !starts_block(trimmed);
        match lines.last_mut() {
            Some((last, true)) if continues => {
                last.push(' ');
                last.push_str(trimmed);
            }
            _ => lines.push((trimmed.to_owned(), true)),
        }
        previous_blank = false;
    }
    if in_fence {
        lines.push(("```".to_owned(), false));
    }
    while lines.last().is_some_and(|(line, _)| line.is_empty()) {
        lines.pop();
    }
    lines
        .into_iter()
        .map(|(line, text)| if text { rustdoc_text(&line) } else { line })
        .collect()
}

/// Spec text as one line of rustdoc, for a list item or a heading: [`markdown_to_rustdoc`],
/// its lines joined.
pub fn inline_rustdoc(text: &str) -> String {
    markdown_to_rustdoc(text).join(" ")
}

/// Makes a line of Markdown text safe for rustdoc's lints, outside code spans: bare URLs become
/// autolinks (`<https://…>`; URLs in links and autolinks stay, trailing punctuation stays
/// outside); `<` is written `&lt;`, since spec text is full of placeholders
/// such as `<paymentId>` and of unclosed HTML tags; and `[text]` that is not a Markdown link is
/// escaped, so that rustdoc does not read it as a link to an item.
fn rustdoc_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut index = 0;
    while let Some(c) = line[index..].chars().next() {
        let rest = &line[index..];
        let before = &line[..index];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            index += 1;
            continue;
        }
        if in_code {
            out.push(c);
            index += c.len_utf8();
            continue;
        }
        if rest.starts_with("https://") || rest.starts_with("http://") {
            let length = rest
                .find(|c: char| c.is_whitespace() || "<>\"'`)]".contains(c))
                .unwrap_or(rest.len());
            let url = rest[..length].trim_end_matches(['.', ',', ';', ':', '!', '?']);
            let already_linked = before.ends_with("](") || before.ends_with('<');
            if already_linked || url.len() <= "https://".len() {
                out.push_str(url);
            } else {
                out.push('<');
                out.push_str(url);
                out.push('>');
            }
            index += url.len();
            continue;
        }
        match c {
            '<' if rest.starts_with("<https://") || rest.starts_with("<http://") => out.push('<'),
            '<' => out.push_str("&lt;"),
            '[' if !is_markdown_link(rest) => out.push_str("\\["),
            ']' if !closes_markdown_link(before, rest) => out.push_str("\\]"),
            c => out.push(c),
        }
        index += c.len_utf8();
    }
    out
}

/// Whether the `[` that `rest` starts with opens a Markdown link (`[text](…)`, `[text][ref]`,
/// a reference definition `[ref]: …`) or a footnote (`[^1]`).
fn is_markdown_link(rest: &str) -> bool {
    if rest.starts_with("[^") {
        return true;
    }
    match rest.find(']') {
        Some(close) => {
            let after = &rest[close + 1..];
            after.starts_with('(') || after.starts_with('[') || after.starts_with(':')
        }
        None => false,
    }
}

/// Whether the `]` that `rest` starts with closes a Markdown link opened in `before`.
fn closes_markdown_link(before: &str, rest: &str) -> bool {
    before
        .rfind('[')
        .is_some_and(|open| is_markdown_link(&format!("{}{rest}", &before[open..])))
}

/// Whether a line starts a Markdown block of its own rather than continuing a paragraph.
fn starts_block(line: &str) -> bool {
    let ordered = line.split_once(['.', ')']).is_some_and(|(number, rest)| {
        !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit())
            && (rest.is_empty() || rest.starts_with(' '))
    });
    ordered
        || ["- ", "* ", "+ ", "#", ">", "|"]
            .iter()
            .any(|marker| line.starts_with(marker))
        || line == "-"
        || line == "*"
}

/// `#[doc = "…"]` attributes for `text`; nothing when there is no text.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let lines = text.map(markdown_to_rustdoc).unwrap_or_default();
    doc_lines(&lines)
}

/// `#[doc = "…"]` attributes for lines already in rustdoc form.
pub fn doc_lines(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Says in words where a type without a description comes from, from its origin pointer:
/// `#/components/schemas/Organization/properties/plan` gives "The `plan` property of
/// [`Organization`]." `component_name` gives the Rust name of a component schema by its origin
/// pointer (`#/components/schemas/Organization`, or Swagger 2.0's `#/definitions/Organization`).
pub fn origin_in_words<'n>(
    origin: &str,
    component_name: impl Fn(&str) -> Option<&'n str>,
) -> String {
    let segments: Vec<String> = origin
        .strip_prefix("#/")
        .map(|path| {
            path.split('/')
                .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
                .collect()
        })
        .unwrap_or_default();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let described = match segments.as_slice() {
        ["components", "schemas", key] | ["definitions", key] => {
            Some(format!("the `{key}` schema"))
        }
        ["components", "schemas", key, rest @ ..] => {
            inside_component("#/components/schemas", key, rest, &component_name)
        }
        ["definitions", key, rest @ ..] => {
            inside_component("#/definitions", key, rest, &component_name)
        }
        ["components", "parameters", key, "schema", rest @ ..]
        | ["parameters", key, "schema", rest @ ..] => {
            schema_part(rest, format!("the `{key}` parameter"))
        }
        ["responses", key, "schema", rest @ ..] => {
            schema_part(rest, format!("the `{key}` response"))
        }
        [
            "webhooks" | "x-webhooks",
            name,
            _,
            "requestBody",
            "content",
            _,
            "schema",
            rest @ ..,
        ] => schema_part(rest, format!("the payload of the `{name}` webhook")),
        [
            "components",
            "requestBodies",
            key,
            "content",
            _,
            "schema",
            rest @ ..,
        ] => schema_part(rest, format!("the `{key}` request body")),
        [
            "components",
            "responses",
            key,
            "content",
            _,
            "schema",
            rest @ ..,
        ] => schema_part(rest, format!("the `{key}` response")),
        ["paths", path, method, rest @ ..] => {
            let operation = format!("`{} {path}`", method.to_ascii_uppercase());
            match rest {
                ["requestBody", "content", _, "schema", rest @ ..] => {
                    schema_part(rest, format!("the request body of {operation}"))
                }
                ["responses", status, "content", _, "schema", rest @ ..]
                | ["responses", status, "schema", rest @ ..] => {
                    schema_part(rest, format!("the `{status}` response of {operation}"))
                }
                ["parameters", _, "schema", rest @ ..] => {
                    schema_part(rest, format!("a parameter of {operation}"))
                }
                _ => None,
            }
        }
        _ => None,
    };
    match described {
        Some(text) => {
            let mut chars = text.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
            format!("{}{}.", first.unwrap_or_default(), chars.as_str())
        }
        None => format!("Generated from `{origin}` in the spec."),
    }
}

/// Describes the part that `rest` points to of the component schema `key` of `section`.
fn inside_component<'n>(
    section: &str,
    key: &str,
    rest: &[&str],
    component_name: impl Fn(&str) -> Option<&'n str>,
) -> Option<String> {
    let owner = match component_name(&crate::diagnostics::pointer_push(section, key)) {
        Some(name) => format!("[`{name}`]"),
        None => format!("the `{key}` schema"),
    };
    schema_part(rest, owner)
}

/// Describes the part of a schema that `rest` points to, inside `whole`.
fn schema_part(rest: &[&str], whole: String) -> Option<String> {
    match rest {
        [] => Some(whole),
        ["properties", property, rest @ ..] => {
            schema_part(rest, format!("the `{property}` property of {whole}"))
        }
        ["items", rest @ ..] => schema_part(rest, format!("an item of {whole}")),
        ["additionalProperties", rest @ ..] => {
            schema_part(rest, format!("a value of the map {whole}"))
        }
        ["allOf", _, rest @ ..] => schema_part(rest, format!("a part of {whole}")),
        ["oneOf" | "anyOf", _, rest @ ..] => {
            schema_part(rest, format!("an alternative of {whole}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{markdown_to_rustdoc, origin_in_words};

    #[test]
    fn origins_are_described_in_words() {
        let name = |component: &str| {
            matches!(
                component,
                "#/components/schemas/Organization" | "#/definitions/Organization"
            )
            .then_some("Organization")
        };
        assert_eq!(
            origin_in_words("#/components/schemas/Organization", name),
            "The `Organization` schema."
        );
        assert_eq!(
            origin_in_words(
                "#/components/schemas/Organization/properties/plan/items",
                name
            ),
            "An item of the `plan` property of [`Organization`]."
        );
        assert_eq!(
            origin_in_words(
                "#/paths/~1orgs~1{id}/post/responses/201/content/application~1json/schema",
                name
            ),
            "The `201` response of `POST /orgs/{id}`."
        );
        assert_eq!(
            origin_in_words("#/definitions/Organization/properties/plan", name),
            "The `plan` property of [`Organization`]."
        );
        assert_eq!(
            origin_in_words(
                "#/webhooks/ping/post/requestBody/content/application~1json/schema/properties/at",
                name
            ),
            "The `at` property of the payload of the `ping` webhook."
        );
        assert_eq!(
            origin_in_words("#/x-webhooks/ping", name),
            "Generated from `#/x-webhooks/ping` in the spec."
        );
    }

    #[test]
    fn fences_become_text_and_indentation_goes() {
        let text = "Example:\n\n    curl -H x\n\n```\nlet x = 1;\n```";
        assert_eq!(
            markdown_to_rustdoc(text),
            [
                "Example:",
                "",
                "curl -H x",
                "",
                "```text",
                "let x = 1;",
                "```"
            ]
        );
    }

    #[test]
    fn continuation_lines_are_joined() {
        let text = "- Qovery is the fastest way\nto deploy.\n- Second item\n\nNew paragraph\nhere.";
        assert_eq!(
            markdown_to_rustdoc(text),
            [
                "- Qovery is the fastest way to deploy.",
                "- Second item",
                "",
                "New paragraph here."
            ]
        );
    }

    #[test]
    fn bare_urls_become_autolinks_and_others_stay() {
        assert_eq!(
            markdown_to_rustdoc("See https://example.com/a?b=c. Or (https://x.test)."),
            ["See <https://example.com/a?b=c>. Or (<https://x.test>)."]
        );
        assert_eq!(
            markdown_to_rustdoc("[docs](https://d.test) <https://e.test> `curl https://f.test`"),
            ["[docs](https://d.test) <https://e.test> `curl https://f.test`"]
        );
        assert_eq!(
            markdown_to_rustdoc("<b>bold</b> 'curl https://h.test -H x'"),
            ["&lt;b>bold&lt;/b> 'curl <https://h.test> -H x'"]
        );
    }

    #[test]
    fn links_and_code_spans_may_span_the_lines_of_a_paragraph() {
        assert_eq!(
            markdown_to_rustdoc(
                "use the [media search\nendpoint ](https://i.test/media) or `a\n[b]`"
            ),
            ["use the [media search endpoint ](https://i.test/media) or `a [b]`"]
        );
        assert_eq!(
            markdown_to_rustdoc("```\n[x]\n```\nafter [y]"),
            ["```text", "[x]", "```", "after \\[y\\]"]
        );
    }

    #[test]
    fn placeholders_tags_and_brackets_do_not_trip_rustdoc() {
        assert_eq!(
            markdown_to_rustdoc(
                "GET /payments/<paymentId> returns <p>the payment, see [0] or [docs](x) and `a<b>[c]`"
            ),
            [
                "GET /payments/&lt;paymentId> returns &lt;p>the payment, see \\[0\\] or [docs](x) and `a<b>[c]`"
            ]
        );
        assert_eq!(
            markdown_to_rustdoc("[ref]: https://r.test"),
            ["[ref]: <https://r.test>"]
        );
    }

    #[test]
    fn an_unclosed_fence_is_closed() {
        assert_eq!(markdown_to_rustdoc("```json\n{}"), ["```text", "{}", "```"]);
    }
}
