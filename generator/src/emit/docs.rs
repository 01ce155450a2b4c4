//! Spec descriptions as rustdoc: safe for doctests and clean under clippy's doc lints.

use proc_macro2::TokenStream;
use quote::quote;

/// Rewrites Markdown from a spec so that rustdoc and clippy accept it as it is meant:
/// - fenced code blocks are marked `text`, so they are never compiled as doctests;
/// - indentation outside fences is removed, so no line becomes an indented code block;
/// - lines that continue a paragraph or a list item are joined to it (no lazy continuations);
/// - tabs become spaces and trailing spaces go.
pub fn markdown_to_rustdoc(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut previous_blank = true;
    for raw in text.replace("\r\n", "\n").replace('\t', "    ").lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            if in_fence {
                lines.push(fence.to_owned());
            } else {
                lines.push(format!("{fence}text"));
            }
            in_fence = !in_fence;
            previous_blank = false;
            continue;
        }
        if in_fence {
            lines.push(raw.trim_end().to_owned());
            continue;
        }
        if trimmed.is_empty() {
            if !previous_blank {
                lines.push(String::new());
            }
            previous_blank = true;
            continue;
        }
        let continues = !previous_blank && !starts_block(trimmed);
        match lines.last_mut() {
            Some(last) if continues => {
                last.push(' ');
                last.push_str(trimmed);
            }
            _ => lines.push(trimmed.to_owned()),
        }
        previous_blank = false;
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
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

#[cfg(test)]
mod tests {
    use super::markdown_to_rustdoc;

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
    fn an_unclosed_fence_is_closed() {
        assert_eq!(markdown_to_rustdoc("```json\n{}"), ["```text", "{}", "```"]);
    }
}
