//! Generates a typed, async Rust client crate from an OpenAPI 3.0 document.
//!
//! The pipeline is a function, [`generate`]: [`load`] parses the text, [`lower`] builds the
//! [`model`], and `emit` prints the crate's files. Nothing here writes to the disk (`xtask`
//! writes the files); the loader reads the files that the spec's `$ref`s name, from
//! [`Options::base_dir`] only.

pub mod config;
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

pub use config::Config;
pub use diagnostics::{Diagnostic, Diagnostics, Severity};

/// What to generate: start from [`Options::new`] and chain the setters.
///
/// ```
/// let options = generator::Options::new("acme-client")
///     .spec_file("specs/acme.yaml")
///     .strict(true);
/// assert_eq!(options.crate_name, "acme-client");
/// ```
#[derive(Debug, Clone, PartialEq)]
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
    /// What to keep, rename and map, and the crate's metadata.
    pub config: Config,
}

impl Options {
    /// Options for a crate called `crate_name`, from a spec called `openapi.yaml` in messages,
    /// reading no other file, with the default configuration.
    pub fn new(crate_name: impl Into<String>) -> Self {
        Self {
            crate_name: crate_name.into(),
            spec_file: "openapi.yaml".to_owned(),
            regenerate_command: "oapic generate".to_owned(),
            strict: false,
            base_dir: None,
            config: Config::default(),
        }
    }

    /// Names the spec in messages and file headers.
    pub fn spec_file(mut self, spec_file: impl Into<String>) -> Self {
        self.spec_file = spec_file.into();
        self
    }

    /// The command written at the top of every generated file.
    pub fn regenerate_command(mut self, command: impl Into<String>) -> Self {
        self.regenerate_command = command.into();
        self
    }

    /// Makes every warning an error.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Reads the files the spec's `$ref`s name from `dir` (the spec's own directory).
    pub fn base_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.base_dir = Some(dir.into());
        self
    }

    /// Applies a configuration.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }
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

/// Loads and lowers the spec `text`: the model the client is generated from, and the warnings
/// (the loader's first). Diagnostics and type origins point into the user's files, also for
/// values the loader moved.
pub fn lower_spec(text: &str, options: &Options) -> Result<(model::Api, Diagnostics), Diagnostics> {
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
    let (mut api, lower_warnings) = lower::lower(&options.spec_file, &document, &options.config);
    for mut warning in lower_warnings.0 {
        origins.relocate(&mut warning);
        all_warnings.push(warning);
    }
    for definition in &mut api.types {
        definition.origin = origins.origin(&definition.origin);
    }
    Ok((api, all_warnings))
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
