//! `cargo xtask codegen [--spec PATH] [--out DIR] [--name CRATE] [--config FILE] [--check]`:
//! regenerates the client crate from the spec (through the same `oapic::run` as the CLI), or with
//! `--check` fails when the committed crate is stale.
//!
//! `cargo xtask conformance [--spec PATH]` and `cargo xtask roundtrip [--spec PATH]` check a
//! generated client against Prism and its schemas; see [`conformance`].
//!
//! `cargo xtask corpus [--only SUBSTRING]… [--version 3.0|3.1|2.0] [--ci] [--doc]` generates and checks a
//! client for every spec of `tests/corpus/`; see [`corpus`].
//!
//! `cargo xtask quickstart` runs the README's quickstart as written; see [`quickstart`].
//!
//! `cargo xtask bench [--spec PATH] [--runs N] [--build-runs N] [--tag FEATURE] [--no-requests]
//! [--compare]` measures the generator, the generated crate's build, and its requests
//! (per-request overhead, decode throughput), and writes `BENCHMARKS.md` (with `--compare`,
//! beside progenitor, openapi-generator and openapi-to-rust); with `--scaling
//! N,N,…` it measures the growth with synthetic specs into `BENCHMARKS-SCALING.md`; see
//! [`mod@bench`].
//! `cargo xtask synthetic --operations N --schemas M [--out FILE]` writes a synthetic spec of that
//! size; see [`synthetic`].

mod bench;
mod cargo;
mod conformance;
mod corpus;
mod quickstart;
mod synthetic;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use generator::{Config, Options};

const DEFAULT_SPEC: &str = "spec/openapi.yaml";
const DEFAULT_OUT: &str = "generated-client";
const DEFAULT_NAME: &str = "qovery-client";

/// The spec, directory and package of the wire-test client, relative to the workspace root.
const WIRE_CLIENT: (&str, &str, &str) = (
    "tests/wire-spec.yaml",
    "tests/fixture-client",
    "fixture-client",
);

/// The fixture specs: each `<name>.yaml` here has a committed client in `tests/clients/<name>`
/// (`_` written `-`), package `<name>-client`, so that every fixture's crate is compiled.
const FIXTURES_DIR: &str = "generator/tests/fixtures";

/// A test-only client: its spec, directory, package name and configuration file, relative to
/// the workspace root.
struct TestClient {
    spec: String,
    out: String,
    name: String,
    config: Option<String>,
}

/// The test-only clients regenerated (or checked) with the default client. Every fixture spec
/// is one, found on disk, with the configuration beside it (`<name>.toml`) when there is one.
fn test_clients(root: &Path) -> Result<Vec<TestClient>, String> {
    let dir = root.join(FIXTURES_DIR);
    let entries = std::fs::read_dir(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let mut fixtures: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".yaml").map(str::to_owned)
        })
        .collect();
    fixtures.sort();
    let (spec, out, name) = WIRE_CLIENT;
    let mut clients = vec![TestClient {
        spec: spec.to_owned(),
        out: out.to_owned(),
        name: name.to_owned(),
        config: None,
    }];
    clients.extend(fixtures.into_iter().map(|fixture| {
        let dashed = fixture.replace('_', "-");
        let config = format!("{FIXTURES_DIR}/{fixture}.toml");
        TestClient {
            spec: format!("{FIXTURES_DIR}/{fixture}.yaml"),
            out: format!("tests/clients/{dashed}"),
            name: format!("{dashed}-client"),
            config: root.join(&config).exists().then_some(config),
        }
    }));
    Ok(clients)
}

const USAGE: &str =
    "usage: cargo xtask codegen [--spec PATH] [--out DIR] [--name CRATE] [--config FILE] [--check] [--strict]
       cargo xtask conformance [--spec PATH]
       cargo xtask roundtrip [--spec PATH]
       cargo xtask corpus [--only SUBSTRING]... [--version 3.0|3.1|2.0] [--ci] [--doc] [--dir DIR] [--out DIR]
       cargo xtask quickstart
       cargo xtask bench [--spec PATH] [--runs N] [--build-runs N] [--tag FEATURE] [--no-requests] [--compare]
       cargo xtask bench --scaling N,N,... [--build-runs N]
       cargo xtask synthetic --operations N --schemas M [--out FILE]

  Without --spec, --out and --name, also regenerates the test clients:
  tests/fixture-client from tests/wire-spec.yaml, and tests/clients/<name>
  from every generator/tests/fixtures/<name>.yaml, with <name>.toml as its
  configuration when there is one.

  --spec PATH   the OpenAPI document (YAML or JSON); default: spec/openapi.yaml
  --out DIR     the crate directory to write; default: generated-client
  --name CRATE  the package name; default: qovery-client
  --config FILE a TOML configuration (see the README, Configuration)
  --check       write nothing; fail if the crate on disk differs from what would be generated
  --strict      treat every warning as an error: write nothing and fail if the spec needs any
                approximation or skips anything

conformance: generate the client for the spec (default: tests/specs/qovery.yaml) and a
  harness under target/conformance/, build them with warnings denied, call every operation against
  Prism mock servers, and round-trip every component schema's instances (needs `npm ci`).
roundtrip: the same without Prism: only the round trip of the component schemas.
corpus: generate a client for every spec of tests/corpus/ under target/corpus/<crate-dir>/, and
  `cargo check` them all (one workspace, the workspace's target/) with warnings denied. Prints one
  line per spec and `corpus: N/M compile`, writes target/corpus/report.json, and fails unless
  every selected spec compiles.
  --only SUBSTRING  only the specs whose file name contains SUBSTRING (repeatable: any of them)
  --version KIND    only the specs of this version kind: 3.0, 3.1 or 2.0
  --ci              the subset CI runs: every spec except those the generator cannot compile yet
  --doc             also `cargo doc --no-deps` the crates that compile; a rustdoc warning fails
  --dir DIR         the corpus directory; default: tests/corpus
  --out DIR         where the crates and report.json go; default: target/corpus
quickstart: run the README's quickstart commands (Install, Generate your first client) as
  written, from the repository root, with `oapic` installed under target/quickstart/.
bench: in a release build, generate the spec (default: tests/specs/qovery.yaml) --runs times
  (default 10) and time each stage against the parse floor; then build the generated crate alone
  under target/bench/ --build-runs times (default 3) each way (debug build, check, one tag's
  feature, incremental rebuilds) with /usr/bin/time -v; then build a release binary against it
  under target/bench/requests/ and time, over loopback HTTP to a local server, --runs rounds of
  20,000 getOrganization calls against the same call by hand (reqwest + serde_json), and the
  decoding of a 24 MiB listOrganization body; print the table and write BENCHMARKS.md.
  --tag FEATURE  the tag feature built alone; default: organization-main-calls, else the first
  --no-requests  skip the release build and the request measurements
  --compare      also generate the spec with progenitor, openapi-generator (-g rust) and
                 openapi-to-rust (installed at pinned versions into target/bench/anchors/ when
                 missing, or taken from $XTASK_BENCH_ANCHORS), build each crate the same way, and
                 report them side by side; the build targets then use their figures
  --scaling N,N,...  instead: for each N, a synthetic spec of N operations and N/4 schemas (see
                 synthetic); its crate's size, and cargo check with every feature and with one
                 tag's (wall time, peak RSS); writes BENCHMARKS-SCALING.md
synthetic: write an OpenAPI 3.0 spec (JSON) with N operations and M schemas shaped like a real
  API, to FILE or standard output, for measuring how the generated crate grows with the spec.";

/// The tasks other than `codegen`.
enum Task {
    /// `conformance` or `roundtrip`.
    Conformance(conformance::Task),
    /// `corpus`.
    Corpus,
    /// `quickstart`.
    Quickstart,
    /// `bench`.
    Bench,
    /// `synthetic`.
    Synthetic,
}

/// The parsed command line of `codegen`.
struct CodegenArgs {
    spec: Option<String>,
    out: Option<String>,
    name: Option<String>,
    config: Option<String>,
    check: bool,
    strict: bool,
    /// The spec and output paths resolved against the workspace root, for the fixture client
    /// (its header names the paths relative to the root, where the command is run).
    root_relative: Option<(PathBuf, PathBuf)>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<CodegenArgs, String> {
    match args.next().as_deref() {
        Some("codegen") => {}
        Some("-h" | "--help") => return Err(String::new()),
        Some(other) => return Err(format!("unknown task `{other}`")),
        None => return Err("no task given".to_owned()),
    }
    let mut parsed = CodegenArgs {
        spec: None,
        out: None,
        name: None,
        config: None,
        check: false,
        strict: false,
        root_relative: None,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = |flag: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .filter(|value| !value.is_empty())
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match flag.as_str() {
            "--spec" => parsed.spec = Some(value("--spec")?),
            "--out" => parsed.out = Some(value("--out")?),
            "--name" => {
                let name = value("--name")?;
                oapic::check_crate_name(&name)?;
                parsed.name = Some(name);
            }
            "--config" => parsed.config = Some(value("--config")?),
            "--check" => parsed.check = true,
            "--strict" => parsed.strict = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(parsed)
}

pub(crate) use oapic::shell_quote;

/// Removes `dir` and everything in it; a directory that is not there is no error.
fn remove_dir(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("{}: {error}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// The workspace root: defaults are relative to it, wherever the command runs.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The command that regenerates the crate with the same options, for file headers and hints.
fn regenerate_command(args: &CodegenArgs) -> String {
    let mut command = String::from("cargo xtask codegen");
    for (flag, value) in [
        ("--spec", &args.spec),
        ("--out", &args.out),
        ("--name", &args.name),
        ("--config", &args.config),
    ] {
        if let Some(value) = value {
            command.push_str(&format!(" {flag} {}", shell_quote(value)));
        }
    }
    command
}

/// Generation allocates and frees a great many small values (tokens, strings, JSON values);
/// mimalloc does that in about 20 % less time than the system allocator on the Qovery spec
/// (`docs/decisions/generation-time.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let mut raw = std::env::args().skip(1).peekable();
    let task = match raw.peek().map(String::as_str) {
        Some("conformance") => Some(Task::Conformance(conformance::Task::Conformance)),
        Some("roundtrip") => Some(Task::Conformance(conformance::Task::RoundTrip)),
        Some("corpus") => Some(Task::Corpus),
        Some("quickstart") => Some(Task::Quickstart),
        Some("bench") => Some(Task::Bench),
        Some("synthetic") => Some(Task::Synthetic),
        _ => None,
    };
    if let Some(task) = task {
        raw.next();
        let result = match task {
            Task::Conformance(task) => conformance::run(task, raw),
            Task::Corpus => corpus::run(raw),
            Task::Quickstart => quickstart::run(&workspace_root()),
            Task::Bench => bench::run(raw),
            Task::Synthetic => synthetic::run(raw),
        };
        return match result {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        };
    }
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(if message.is_empty() { 0 } else { 2 });
        }
    };
    let mut targets = vec![args];
    if let [defaults] = targets.as_slice()
        && defaults.spec.is_none()
        && defaults.out.is_none()
        && defaults.name.is_none()
    {
        let root = workspace_root();
        let (check, strict) = (defaults.check, defaults.strict);
        let clients = match test_clients(&root) {
            Ok(clients) => clients,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        };
        targets.extend(clients.into_iter().map(|client| CodegenArgs {
            root_relative: Some((root.join(&client.spec), root.join(&client.out))),
            spec: Some(client.spec),
            out: Some(client.out),
            name: Some(client.name),
            config: client.config,
            check,
            strict,
        }));
    }
    let mut status = ExitCode::SUCCESS;
    for target in &targets {
        if let Err(message) = codegen(target) {
            eprintln!("{message}");
            status = ExitCode::FAILURE;
        }
    }
    status
}

fn codegen(args: &CodegenArgs) -> Result<(), String> {
    let root = workspace_root();
    let (spec_path, out_dir) = match &args.root_relative {
        Some((spec, out)) => (spec.clone(), out.clone()),
        None => (
            args.spec
                .as_ref()
                .map_or_else(|| root.join(DEFAULT_SPEC), PathBuf::from),
            args.out
                .as_ref()
                .map_or_else(|| root.join(DEFAULT_OUT), PathBuf::from),
        ),
    };
    let spec_label = args.spec.clone().unwrap_or_else(|| DEFAULT_SPEC.to_owned());
    let config = match &args.config {
        Some(label) => {
            let path = match &args.root_relative {
                Some(_) => root.join(label),
                None => PathBuf::from(label),
            };
            let text = std::fs::read_to_string(&path).map_err(|error| {
                format!("error: {label}: cannot read the configuration: {error}")
            })?;
            Config::from_toml(label, &text).map_err(|errors| errors.to_string())?
        }
        None => Config::default(),
    };
    let options = Options::new(args.name.clone().unwrap_or_else(|| DEFAULT_NAME.to_owned()))
        .spec_file(spec_label)
        .regenerate_command(regenerate_command(args))
        .strict(args.strict)
        .config(config);
    let job = oapic::Job {
        spec: spec_path,
        out: out_dir,
        options,
        check: args.check,
    };
    let outcome = oapic::run(&job)?;
    for warning in &outcome.warnings.0 {
        eprintln!("{warning}");
    }
    println!("{}", outcome.report(&job.out)?);
    Ok(())
}
