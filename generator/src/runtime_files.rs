//! The hand-written runtime every generated crate gets, as source text: `emit` copies these files
//! under the crate's `src/` (as the module `runtime`), and `naming` reserves the names they
//! define so that no spec name can collide with them.

/// One file of the runtime: its path relative to the generated crate's `src/`, and its text.
pub(crate) struct RuntimeFile {
    /// The path under `src/`, such as `runtime/client.rs`.
    pub path: &'static str,
    /// The file's text, exactly as written in `generator/runtime/`. Doc examples name the
    /// generated crate as [`CRATE_MARKER`], which `emit` replaces with the crate's name.
    pub text: &'static str,
}

/// The stand-in for the generated crate's name in the runtime's doc examples.
pub(crate) const CRATE_MARKER: &str = "__crate__";

/// Every file of the runtime: `runtime/mod.rs` declares the others.
pub(crate) const RUNTIME_FILES: &[RuntimeFile] = &[
    RuntimeFile {
        path: "runtime/mod.rs",
        text: include_str!("../runtime/mod.rs"),
    },
    RuntimeFile {
        path: "runtime/auth.rs",
        text: include_str!("../runtime/auth.rs"),
    },
    RuntimeFile {
        path: "runtime/call.rs",
        text: include_str!("../runtime/call.rs"),
    },
    RuntimeFile {
        path: "runtime/client.rs",
        text: include_str!("../runtime/client.rs"),
    },
    RuntimeFile {
        path: "runtime/error.rs",
        text: include_str!("../runtime/error.rs"),
    },
    RuntimeFile {
        path: "runtime/form.rs",
        text: include_str!("../runtime/form.rs"),
    },
    RuntimeFile {
        path: "runtime/hooks.rs",
        text: include_str!("../runtime/hooks.rs"),
    },
    RuntimeFile {
        path: "runtime/nullable.rs",
        text: include_str!("../runtime/nullable.rs"),
    },
    RuntimeFile {
        path: "runtime/objects.rs",
        text: include_str!("../runtime/objects.rs"),
    },
    RuntimeFile {
        path: "runtime/pagination.rs",
        text: include_str!("../runtime/pagination.rs"),
    },
    RuntimeFile {
        path: "runtime/request.rs",
        text: include_str!("../runtime/request.rs"),
    },
    RuntimeFile {
        path: "runtime/response.rs",
        text: include_str!("../runtime/response.rs"),
    },
    RuntimeFile {
        path: "runtime/retry.rs",
        text: include_str!("../runtime/retry.rs"),
    },
    RuntimeFile {
        path: "runtime/unions.rs",
        text: include_str!("../runtime/unions.rs"),
    },
];

#[cfg(test)]
mod tests {
    use super::RUNTIME_FILES;

    #[test]
    fn every_runtime_file_parses_with_syn() {
        for file in RUNTIME_FILES {
            if let Err(error) = syn::parse_file(file.text) {
                panic!("{} does not parse: {error}", file.path);
            }
        }
    }

    #[test]
    fn the_module_file_declares_every_other_file() {
        let module = RUNTIME_FILES
            .iter()
            .find(|file| file.path == "runtime/mod.rs")
            .expect("runtime/mod.rs is listed");
        for file in RUNTIME_FILES.iter().filter(|file| file.path != module.path) {
            let name = file
                .path
                .trim_start_matches("runtime/")
                .trim_end_matches(".rs");
            assert!(
                module.text.contains(&format!("mod {name};")),
                "runtime/mod.rs does not declare `{name}`"
            );
        }
    }
}
