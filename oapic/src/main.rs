//! `oapic generate SPEC --out DIR [--name CRATE] [--check] [--strict] [--config FILE]`: writes a
//! client crate for an OpenAPI document. Warnings go to stderr, the summary line to stdout.
//! Exit status: 0 done, 1 the spec (or the configuration) has errors or the crate is stale
//! (`--check`), 2 a usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use oapic::{Config, Job, Options};

const USAGE: &str = "\
oapic: generates a typed, async Rust client crate from an OpenAPI document
(OpenAPI 3.0, 3.1 or Swagger 2.0; YAML or JSON).

usage: oapic generate SPEC --out DIR [--name CRATE] [--check] [--strict] [--config FILE]
       oapic --help | --version

  SPEC           the spec file; `$ref`s to other files are read relative to it
  --out DIR      the crate directory to write (created if needed); only files that change
                 are written, and generated files no longer produced are removed
  --name CRATE   the package name; default: the configuration's [package] name, else the
                 name of DIR
  --check        write nothing; exit 1 when DIR differs from what would be generated
  --strict       treat every warning as an error: write nothing and exit 1 if the spec
                 needs any approximation or skips anything
  --config FILE  a TOML configuration: operations to include or exclude (with the types
                 only they use), renames, type mappings, crate metadata; see the README

exit status: 0 done, 1 errors in the spec or configuration (or a stale --check), 2 usage";

/// The command line of `generate`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Arguments {
    spec: Option<String>,
    out: Option<String>,
    name: Option<String>,
    config: Option<String>,
    check: bool,
    strict: bool,
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Generate(Arguments),
    Help,
    Version,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    match args.next().as_deref() {
        Some("generate") => {}
        Some("-h" | "--help" | "help") => return Ok(Command::Help),
        Some("-V" | "--version") => return Ok(Command::Version),
        Some(other) => return Err(format!("unknown command `{other}`")),
        None => return Err("no command given".to_owned()),
    }
    let mut parsed = Arguments::default();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |flag: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .filter(|value| !value.is_empty())
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match flag.as_str() {
            "--out" => parsed.out = Some(value("--out")?),
            "--name" => parsed.name = Some(value("--name")?),
            "--config" => parsed.config = Some(value("--config")?),
            "--check" => parsed.check = true,
            "--strict" => parsed.strict = true,
            "-h" | "--help" => return Ok(Command::Help),
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            spec if parsed.spec.is_none() => parsed.spec = Some(spec.to_owned()),
            extra => return Err(format!("unexpected argument `{extra}`: one spec only")),
        }
    }
    Ok(Command::Generate(parsed))
}

/// Generation allocates and frees a great many small values (tokens, strings, JSON values);
/// mimalloc does that in about 20 % less time than the system allocator on the Qovery spec
/// (`docs/decisions/generation-time.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let arguments = match parse(std::env::args().skip(1)) {
        Ok(Command::Generate(arguments)) => arguments,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("oapic {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => return usage_error(&message),
    };
    let job = match job(&arguments) {
        Ok(job) => job,
        Err(Failure::Usage(message)) => return usage_error(&message),
        Err(Failure::Input(message)) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    match oapic::run(&job) {
        Ok(outcome) => {
            for warning in &outcome.warnings.0 {
                eprintln!("{warning}");
            }
            match outcome.report(&job.out) {
                Ok(line) => {
                    println!("{line}");
                    ExitCode::SUCCESS
                }
                Err(stale) => {
                    eprintln!("{stale}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// Why the command line cannot become a job.
enum Failure {
    /// The command line itself is wrong (exit 2).
    Usage(String),
    /// A file it names is wrong (exit 1).
    Input(String),
}

/// The generation the arguments ask for.
fn job(arguments: &Arguments) -> Result<Job, Failure> {
    let spec = arguments
        .spec
        .clone()
        .ok_or_else(|| Failure::Usage("no SPEC given".to_owned()))?;
    let out = arguments
        .out
        .clone()
        .ok_or_else(|| Failure::Usage("`--out DIR` is required".to_owned()))?;
    let config = match &arguments.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| {
                Failure::Input(format!(
                    "error: {path}: cannot read the configuration: {error}"
                ))
            })?;
            Config::from_toml(path, &text).map_err(|errors| Failure::Input(errors.to_string()))?
        }
        None => Config::default(),
    };
    let name = arguments
        .name
        .clone()
        .or_else(|| config.package.name.clone())
        .unwrap_or_else(|| name_from_dir(Path::new(&out)));
    oapic::check_crate_name(&name).map_err(Failure::Usage)?;
    let options = Options::new(name)
        .spec_file(spec.clone())
        .regenerate_command(regenerate_command(arguments))
        .strict(arguments.strict)
        .config(config);
    Ok(Job {
        spec: PathBuf::from(spec),
        out: PathBuf::from(out),
        options,
        check: arguments.check,
    })
}

/// A package name from the output directory's name (`clients/Acme API` gives `acme-api`).
fn name_from_dir(out: &Path) -> String {
    let base: String = out
        .file_name()
        .map(|name| name.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let words: Vec<&str> = base.split('-').filter(|word| !word.is_empty()).collect();
    match words.first() {
        Some(first) if first.starts_with(|c: char| c.is_ascii_alphabetic()) => words.join("-"),
        Some(_) => format!("client-{}", words.join("-")),
        None => "api-client".to_owned(),
    }
}

/// The command that regenerates the crate, for the file headers.
fn regenerate_command(arguments: &Arguments) -> String {
    let mut command = String::from("oapic generate");
    if let Some(spec) = &arguments.spec {
        command.push_str(&format!(" {}", oapic::shell_quote(spec)));
    }
    for (flag, value) in [
        ("--out", &arguments.out),
        ("--name", &arguments.name),
        ("--config", &arguments.config),
    ] {
        if let Some(value) = value {
            command.push_str(&format!(" {flag} {}", oapic::shell_quote(value)));
        }
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(|arg| (*arg).to_owned()))
    }

    #[test]
    fn the_command_line_is_read() {
        let Ok(Command::Generate(arguments)) = parsed(&[
            "generate",
            "spec.yaml",
            "--out=client",
            "--name",
            "acme",
            "--strict",
            "--check",
            "--config",
            "oapic.toml",
        ]) else {
            panic!("generate is read")
        };
        assert_eq!(arguments.spec.as_deref(), Some("spec.yaml"));
        assert_eq!(arguments.out.as_deref(), Some("client"));
        assert_eq!(arguments.name.as_deref(), Some("acme"));
        assert_eq!(arguments.config.as_deref(), Some("oapic.toml"));
        assert!(arguments.strict && arguments.check);
        assert_eq!(parsed(&["--help"]), Ok(Command::Help));
        assert_eq!(parsed(&["generate", "--help"]), Ok(Command::Help));
        assert!(parsed(&["generate", "a.yaml", "b.yaml"]).is_err());
        assert!(parsed(&["generate", "--frobnicate"]).is_err());
        assert!(parsed(&["build"]).is_err());
    }

    #[test]
    fn names_come_from_the_directory() {
        assert_eq!(name_from_dir(Path::new("clients/Acme API")), "acme-api");
        assert_eq!(
            name_from_dir(Path::new("out/2024_client")),
            "client-2024-client"
        );
        assert_eq!(name_from_dir(Path::new("/")), "api-client");
    }
}
