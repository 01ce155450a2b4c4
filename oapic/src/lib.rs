//! Generates a typed, async Rust client crate from an OpenAPI document (3.0, 3.1 or Swagger
//! 2.0).
//!
//! The `oapic` command (`cargo install --path oapic`) is the usual way in:
//! `oapic generate openapi.yaml --out acme-client`. This library is the same thing for your own
//! tools and build scripts: [`generate`] is a pure function from the spec's text and
//! [`Options`] to the crate's files and the warnings; [`write::plan`] brings a directory in line
//! with them, writing only what changed.
//!
//! ```
//! let spec = r#"
//! openapi: 3.0.3
//! info: { title: Acme, version: 1.0.0 }
//! servers: [{ url: "https://api.acme.test" }]
//! paths:
//!   /ping:
//!     get:
//!       operationId: ping
//!       responses: { '204': { description: pong } }
//! "#;
//! let options = oapic::Options::new("acme-client").spec_file("acme.yaml").strict(true);
//! let generated = oapic::generate(spec, &options).expect("the spec generates");
//! assert!(generated.files.contains_key(std::path::Path::new("src/lib.rs")));
//! assert_eq!(generated.operations, 1);
//! ```
//!
//! # From a `build.rs`
//!
//! A crate can generate its client when it builds, into a module of its own: the
//! [`Layout::Module`] layout gives one file whose `crate::` paths work when it is the crate's
//! whole `lib.rs`, through `include!`.
//!
//! ```no_run
//! // The `main` of build.rs, in a crate `acme-client` with `oapic` as a build-dependency.
//! let spec = "acme.yaml";
//! println!("cargo::rerun-if-changed={spec}");
//! let text = std::fs::read_to_string(spec).expect("the spec is readable");
//! let options = oapic::Options::new("acme-client")
//!     .spec_file(spec)
//!     .layout(oapic::Layout::Module);
//! let generated = oapic::generate(&text, &options).unwrap_or_else(|diagnostics| {
//!     panic!("{diagnostics}");
//! });
//! let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
//! let file = std::path::Path::new(oapic::MODULE_FILE);
//! std::fs::write(out.join(file), &generated.files[file]).expect("OUT_DIR is writable");
//! // And src/lib.rs is: include!(concat!(env!("OUT_DIR"), "/client.rs"));
//! ```
//!
//! The including crate needs the client's dependencies ([`GeneratedCrate::dependencies`]); the
//! `examples/build-script` crate of this repository does exactly this.

pub mod write;

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use generator::config;
pub use generator::diagnostics;
pub use generator::model;
pub use generator::{
    Config, Diagnostic, Diagnostics, GeneratedCrate, Layout, MODULE_FILE, Options, Severity,
    generate, is_generated_header, lower_spec,
};

/// One generation: a spec on disk, the crate directory, and the options.
#[derive(Debug, Clone)]
pub struct Job {
    /// Where the spec is read from.
    pub spec: PathBuf,
    /// The crate directory to write (or, with `check`, to compare).
    pub out: PathBuf,
    /// What to generate. Its `spec_file` names the spec in messages; its `base_dir` is set to
    /// the spec's directory when it is not set.
    pub options: Options,
    /// Write nothing; report whether the directory is up to date.
    pub check: bool,
}

/// What a generation did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// What the generator approximated or left out, one line each.
    pub warnings: Diagnostics,
    /// `codegen: 554 operations, 958 types, 0 skipped, 18 diagnostics, 280 ms`.
    pub summary: String,
    /// What happened on disk.
    pub status: Status,
}

/// What happened on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The files that changed were written, and files no longer generated were removed.
    Written {
        /// How many files were written.
        written: usize,
        /// How many were removed.
        removed: usize,
    },
    /// With `check`: the directory holds exactly what would be generated.
    UpToDate,
    /// With `check`: what differs, one file a line.
    Stale(String),
}

impl Outcome {
    /// The line to print on success, or the lines to print on failure (a stale check).
    pub fn report(&self, out: &Path) -> Result<String, String> {
        match &self.status {
            Status::Written { written, removed } => Ok(format!(
                "{} ({written} files written, {removed} removed in {})",
                self.summary,
                out.display()
            )),
            Status::UpToDate => Ok(format!("{}; {} is up to date", self.summary, out.display())),
            Status::Stale(stale) => Err(stale.clone()),
        }
    }
}

/// Generates the crate of `job` and writes it (or checks it). An `Err` is the message to print:
/// the spec could not be read or has errors, or the directory could not be written; nothing
/// was written then.
pub fn run(job: &Job) -> Result<Outcome, String> {
    let started = Instant::now();
    let label = &job.options.spec_file;
    let text = std::fs::read_to_string(&job.spec).map_err(|error| {
        format!(
            "error: {label}: cannot read the spec: {error}\n\
             codegen: failed with 1 error(s); nothing was written"
        )
    })?;
    let mut options = job.options.clone();
    if options.base_dir.is_none() {
        options.base_dir = job.spec.parent().map(Path::to_path_buf);
    }
    let generated = generate(&text, &options).map_err(|diagnostics| {
        format!(
            "{diagnostics}\ncodegen: failed with {} error(s); nothing was written",
            diagnostics.len()
        )
    })?;
    let plan = write::plan(&job.out, &generated.files)
        .map_err(|error| format!("error: {}: {error}", job.out.display()))?;
    let summary = format!(
        "codegen: {} operations, {} types, {} skipped, {} diagnostics, {} ms",
        generated.operations,
        generated.types,
        generated.warnings.skipped(),
        generated.warnings.len(),
        started.elapsed().as_millis()
    );
    let status = if job.check {
        if plan.is_empty() {
            Status::UpToDate
        } else {
            Status::Stale(format!(
                "{}\n{summary}\nerror: {} is stale; run `{}` and commit the result",
                plan.describe(),
                job.out.display(),
                options.regenerate_command
            ))
        }
    } else {
        let (written, removed) = (plan.writes.len(), plan.removals.len());
        plan.apply()
            .map_err(|error| format!("error: {}: {error}", job.out.display()))?;
        Status::Written { written, removed }
    };
    Ok(Outcome {
        warnings: generated.warnings,
        summary,
        status,
    })
}

/// Checks that `name` is a valid Cargo package name: a letter, then letters, digits, `-` or
/// `_`.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid crate name (a letter, then letters, digits, `-` or `_`)"
        ))
    }
}

/// Quotes a command-line argument for a POSIX shell when it needs it, for the commands written
/// into file headers and hints.
pub fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::{check_crate_name, shell_quote};

    #[test]
    fn crate_names_and_quoting() {
        assert!(check_crate_name("acme-client").is_ok());
        assert!(check_crate_name("1acme").is_err());
        assert!(check_crate_name("").is_err());
        assert_eq!(shell_quote("specs/a.yaml"), "specs/a.yaml");
        assert_eq!(shell_quote("my spec's.yaml"), "'my spec'\\''s.yaml'");
    }
}
