//! Generates a typed, async Rust client crate from an OpenAPI 3.0 document.
//!
//! The pipeline is a function, [`generate`]: [`load`] parses the text, [`lower`] builds the
//! [`model`], and `emit` prints the crate's files. Nothing here writes to the disk (`xtask`
//! writes the files); the loader reads the files that the spec's `$ref`s name, from
//! [`Options::base_dir`] only.

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
    /// The directory that `$ref`s to other files (`common.yaml#/…`) are read from: the spec
    /// file's directory. `None` reads no file; every such reference is then a warning.
    pub base_dir: Option<PathBuf>,
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

/// How long each stage of one generation took: what `cargo xtask bench` reports. Writing the
/// files is the caller's stage, so it is not here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// Reading the text into `openapiv3::OpenAPI` (YAML or JSON parse, references, normalising).
    pub load: std::time::Duration,
    /// Building the model, with its passes.
    pub lower: std::time::Duration,
    /// Building every file's tokens (and copying the runtime).
    pub emit: std::time::Duration,
    /// Parsing the tokens with `syn` and printing them with `prettyplease`.
    pub format: std::time::Duration,
}

/// Loads and lowers the spec `text`: the model the client is generated from, and the warnings
/// (the loader's first). Diagnostics and type origins point into the user's files, also for
/// values the loader moved.
pub fn lower_spec(text: &str, options: &Options) -> Result<(model::Api, Diagnostics), Diagnostics> {
    lower_spec_timed(text, options, &mut StageTimes::default())
}

/// [`lower_spec`], adding the time of the load and lower stages to `times`.
fn lower_spec_timed(
    text: &str,
    options: &Options,
    times: &mut StageTimes,
) -> Result<(model::Api, Diagnostics), Diagnostics> {
    let started = std::time::Instant::now();
    let disk;
    let files: &dyn load::SpecFiles = match &options.base_dir {
        Some(dir) => {
            disk = load::DiskFiles::new(dir);
            &disk
        }
        None => &load::NoFiles,
    };
    let load::Loaded {
        document,
        warnings: mut all_warnings,
        origins,
    } = load::load(&options.spec_file, text, files)?;
    times.load += started.elapsed();
    let started = std::time::Instant::now();
    let (mut api, lower_warnings) = lower::lower(&options.spec_file, &document);
    for mut warning in lower_warnings.0 {
        origins.relocate(&mut warning);
        all_warnings.push(warning);
    }
    for definition in &mut api.types {
        definition.origin = origins.origin(&definition.origin);
    }
    times.lower += started.elapsed();
    Ok((api, all_warnings))
}

/// Generates the client crate for the spec `text`. With [`Options::strict`], any warning fails
/// the generation, with every warning turned into an error.
pub fn generate(text: &str, options: &Options) -> Result<GeneratedCrate, Diagnostics> {
    generate_timed(text, options).map(|(generated, _)| generated)
}

/// [`generate`], also telling how long each stage took.
pub fn generate_timed(
    text: &str,
    options: &Options,
) -> Result<(GeneratedCrate, StageTimes), Diagnostics> {
    let mut times = StageTimes::default();
    let (api, warnings) = lower_spec_timed(text, options, &mut times)?;
    if options.strict && !warnings.is_empty() {
        return Err(Diagnostics(
            warnings.0.into_iter().map(Diagnostic::into_error).collect(),
        ));
    }
    let files = emit::emit(&api, options, &mut times)?;
    let generated = GeneratedCrate {
        files,
        operations: api.operations.len(),
        types: api.types.len(),
        warnings,
    };
    Ok((generated, times))
}
