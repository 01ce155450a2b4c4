//! The hand-written runtime every generated crate gets, as source text: `emit` copies these files
//! into `src/runtime/`-relative paths of the crate, and `naming` reserves the names they define so
//! that no spec name can collide with them.

/// One file of the runtime: its path relative to the generated crate's `src/`, and its text.
pub(crate) struct RuntimeFile {
    /// The path under `src/`, such as `runtime.rs`.
    pub path: &'static str,
    /// The file's text, exactly as written in `generator/runtime/`.
    pub text: &'static str,
}

/// Every file of the runtime.
pub(crate) const RUNTIME_FILES: &[RuntimeFile] = &[RuntimeFile {
    path: "runtime.rs",
    text: include_str!("../runtime/runtime.rs"),
}];
