//! Generates a typed, async Rust client crate from an OpenAPI 3.0 document.
//!
//! The pipeline is a pure function, [`generate`]: [`load`] parses the text, [`lower`] builds the
//! [`model`], and `emit` prints the crate's files. Nothing here touches the disk; `xtask` writes
//! the files.

pub mod diagnostics;
mod emit;
pub mod harness;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
mod runtime_files;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The package name of the generated crate, such as `qovery-client`.
    pub crate_name: String,
    /// The spec's path as it should appear in messages and file headers.
    pub spec_file: String,
    /// The command that regenerates the crate, written at the top of every file.
    pub regenerate_command: String,
    /// Whether every warning is an error: nothing is generated from a spec that needs any
    /// approximation.
    pub strict: bool,
}

/// A generated crate: file contents by path relative to the crate root, and what went into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCrate {
    /// Every file of the crate.
    pub files: BTreeMap<PathBuf, String>,
    /// How many operations the client has.
    pub operations: usize,
    /// How many named types it has.
    pub types: usize,
    /// What the generator had to approximate.
    pub warnings: Diagnostics,
}

/// Loads and lowers the spec `text`: the model the client is generated from, and the warnings.
pub fn lower_spec(text: &str, options: &Options) -> Result<(model::Api, Diagnostics), Diagnostics> {
    let document = load::load(&options.spec_file, text)?;
    Ok(lower::lower(&options.spec_file, &document))
}

/// Generates the client crate for the spec `text`. With [`Options::strict`], any warning fails
/// the generation, with every warning turned into an error.
pub fn generate(text: &str, options: &Options) -> Result<GeneratedCrate, Diagnostics> {
    let (api, warnings) = lower_spec(text, options)?;
    if options.strict && !warnings.is_empty() {
        return Err(Diagnostics(
            warnings.0.into_iter().map(Diagnostic::into_error).collect(),
        ));
    }
    let files = emit::emit(&api, options)?;
    Ok(GeneratedCrate {
        files,
        operations: api.operations.len(),
        types: api.types.len(),
        warnings,
    })
}
