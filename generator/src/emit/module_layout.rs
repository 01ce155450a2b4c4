//! The [`Layout::Module`](crate::Layout::Module) layout: the whole crate as one file, every
//! `mod x;` replaced by the module's text inline, so that a build script can write it into
//! `OUT_DIR` and a crate can `include!` it as its `lib.rs`. Its `crate::` paths then work
//! unchanged.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The crate's Rust files (by path under the crate root) as one file: `src/lib.rs` with its
/// modules inline. The crate-level docs (`//!` lines of `lib.rs`) are left out: an included
/// file cannot have inner attributes.
pub(super) fn single_file(files: &BTreeMap<PathBuf, String>) -> String {
    let Some(lib) = files.get(Path::new("src/lib.rs")) else {
        return String::new();
    };
    let mut out = String::new();
    let mut lines = lib.lines();
    if let Some(header) = lines.next() {
        out.push_str(header);
        out.push('\n');
    }
    let body: Vec<&str> = lines.filter(|line| !line.starts_with("//!")).collect();
    inline_modules(&body, Path::new("src"), files, &mut out, 0);
    out
}

/// Writes `lines` (of a file whose child modules live in `dir`) to `out`, with each `mod x;`
/// replaced by `mod x { <x's lines> }`.
fn inline_modules(
    lines: &[&str],
    dir: &Path,
    files: &BTreeMap<PathBuf, String>,
    out: &mut String,
    depth: usize,
) {
    let indent = "    ".repeat(depth);
    for line in lines {
        let declaration = line.trim_start().strip_suffix(';').and_then(|rest| {
            rest.strip_prefix("pub mod ")
                .or_else(|| rest.strip_prefix("mod "))
        });
        let child = declaration.and_then(|name| {
            let file_name = name.trim_start_matches("r#");
            let flat = dir.join(format!("{file_name}.rs"));
            let nested = dir.join(file_name).join("mod.rs");
            files
                .get(&flat)
                .or_else(|| files.get(&nested))
                .map(|text| (text, dir.join(file_name)))
        });
        match child {
            Some((text, child_dir)) => {
                let opening = line.trim_end().trim_end_matches(';');
                out.push_str(&format!("{indent}{} {{\n", opening.trim_start()));
                // Its first line is the generated-file header, said once at the top.
                let child_lines: Vec<&str> = text.lines().skip(1).collect();
                inline_modules(&child_lines, &child_dir, files, out, depth + 1);
                out.push_str(&format!("{indent}}}\n"));
            }
            None if line.is_empty() => out.push('\n'),
            None => {
                out.push_str(&indent);
                out.push_str(line);
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_are_inlined_with_their_children() {
        let files: BTreeMap<PathBuf, String> = [
            (
                "src/lib.rs",
                "// header\n//! Crate docs.\nmod a;\npub mod b;\npub use a::*;\n",
            ),
            ("src/a.rs", "// header\n//! A.\npub struct A;\n"),
            ("src/b/mod.rs", "// header\nmod r#type;\n"),
            ("src/b/type.rs", "// header\npub struct T;\n"),
        ]
        .into_iter()
        .map(|(path, text)| (PathBuf::from(path), text.to_owned()))
        .collect();
        assert_eq!(
            single_file(&files),
            "// header\nmod a {\n    //! A.\n    pub struct A;\n}\npub mod b {\n    mod r#type {\n        \
             pub struct T;\n    }\n}\npub use a::*;\n"
        );
    }
}
