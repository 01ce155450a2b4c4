//! `cargo xtask bench --compare`: the same spec through three other Rust generators in the same
//! run as ours, so that the build targets compare with figures of this machine at this moment:
//! progenitor (`cargo progenitor`), openapi-generator's `rust` generator and openapi-to-rust.
//!
//! Each is installed at a pinned version under `target/bench/anchors/` when it is not there yet
//! (or used from the directory [`ANCHORS_ENV`] names, laid out the same way: `cargo/` for
//! `cargo install --root`, `venv/` for the Python virtual environment). Each crate is generated
//! into its own directory under `target/bench/`, resolves its own dependencies, and is built in
//! its own target directory the way ours is: dependencies first, unmeasured, then the crate alone
//! after a touch of `src/lib.rs`.
//!
//! What an anchor cannot do is reported, never hidden. progenitor rejects some operations of the
//! Qovery spec without naming them, so they are found by bisection (progenitor run on halves of
//! the operations until each rejected operation stands alone) and removed from a JSON copy of the
//! spec; the report lists them with progenitor's error. An anchor that fails to install, generate
//! or build is reported with its error's first line while the others go on.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use super::{Build, Builder, CrateSize, median, touch};

/// The environment variable that names a directory of installed anchors to use instead of
/// `target/bench/anchors`.
const ANCHORS_ENV: &str = "XTASK_BENCH_ANCHORS";
/// openapi-generator takes seconds a run (a JVM start and a large template pass): at most this
/// many of its generations are timed.
const SLOW_GENERATION_RUNS: usize = 3;
/// The build target: at most this share of the fastest anchor's debug build.
const FASTEST_ANCHOR_SHARE: f64 = 0.5;
/// The build target: at most this share of openapi-generator's debug build.
const OPENAPI_GENERATOR_SHARE: f64 = 0.3;
/// The operation keys of an OpenAPI path item.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
/// The dependencies whose resolved versions the report gives.
const REPORTED_DEPENDENCIES: [&str; 2] = ["reqwest", "serde"];

/// One of the generators ours is compared with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Progenitor,
    OpenapiGenerator,
    OpenapiToRust,
}

impl Anchor {
    const ALL: [Anchor; 3] = [
        Anchor::Progenitor,
        Anchor::OpenapiGenerator,
        Anchor::OpenapiToRust,
    ];

    /// The name in the report.
    fn name(self) -> &'static str {
        match self {
            Anchor::Progenitor => "progenitor",
            Anchor::OpenapiGenerator => "openapi-generator (`-g rust`)",
            Anchor::OpenapiToRust => "openapi-to-rust",
        }
    }

    /// The name of its directories under `target/bench/`.
    fn dir(self) -> &'static str {
        match self {
            Anchor::Progenitor => "progenitor",
            Anchor::OpenapiGenerator => "openapi-generator",
            Anchor::OpenapiToRust => "openapi-to-rust",
        }
    }

    /// The package installed: a crate, or for openapi-generator the PyPI package that bundles
    /// its jar.
    fn package(self) -> &'static str {
        match self {
            Anchor::Progenitor => "cargo-progenitor",
            Anchor::OpenapiGenerator => "openapi-generator-cli",
            Anchor::OpenapiToRust => "openapi-to-rust",
        }
    }

    /// The pinned version of [`Anchor::package`].
    fn version(self) -> &'static str {
        match self {
            Anchor::Progenitor => "0.15.1",
            Anchor::OpenapiGenerator => "7.26.0",
            Anchor::OpenapiToRust => "0.23.0",
        }
    }

    /// How many generations are timed when ours is timed `runs` times.
    fn generation_runs(self, runs: usize) -> usize {
        match self {
            Anchor::OpenapiGenerator => runs.min(SLOW_GENERATION_RUNS),
            _ => runs,
        }
    }
}

/// Where the anchors are installed.
struct Installs {
    root: PathBuf,
}

impl Installs {
    /// The program that generates.
    fn program(&self, anchor: Anchor) -> PathBuf {
        match anchor {
            Anchor::OpenapiGenerator => self.root.join("venv/bin").join(anchor.package()),
            _ => self.root.join("cargo/bin").join(anchor.package()),
        }
    }

    /// The commands that install `anchor` at its pinned version (`cargo` is run as `$CARGO`
    /// when that is set).
    fn commands(&self, anchor: Anchor) -> Vec<Vec<String>> {
        let path = |path: PathBuf| path.display().to_string();
        match anchor {
            Anchor::OpenapiGenerator => vec![
                vec![
                    "python3".to_owned(),
                    "-m".to_owned(),
                    "venv".to_owned(),
                    path(self.root.join("venv")),
                ],
                vec![
                    path(self.root.join("venv/bin/pip")),
                    "install".to_owned(),
                    "--quiet".to_owned(),
                    format!("{}=={}", anchor.package(), anchor.version()),
                ],
            ],
            _ => vec![vec![
                "cargo".to_owned(),
                "install".to_owned(),
                "--quiet".to_owned(),
                "--locked".to_owned(),
                "--root".to_owned(),
                path(self.root.join("cargo")),
                anchor.package().to_owned(),
                "--version".to_owned(),
                anchor.version().to_owned(),
            ]],
        }
    }

    /// Whether `anchor` is installed at its pinned version.
    fn has(&self, anchor: Anchor) -> bool {
        if !self.program(anchor).exists() {
            return false;
        }
        match anchor {
            Anchor::OpenapiGenerator => Command::new(self.root.join("venv/bin/pip"))
                .args(["show", anchor.package()])
                .output()
                .is_ok_and(|output| {
                    String::from_utf8_lossy(&output.stdout)
                        .lines()
                        .any(|line| line.trim() == format!("Version: {}", anchor.version()))
                }),
            _ => std::fs::read_to_string(self.root.join("cargo/.crates.toml")).is_ok_and(
                |installed| cargo_installed(&installed, anchor.package(), anchor.version()),
            ),
        }
    }

    /// Installs `anchor` unless it is there.
    fn ensure(&self, anchor: Anchor) -> Result<(), String> {
        if self.has(anchor) {
            return Ok(());
        }
        println!(
            "bench: installing {} {} into {} (takes minutes)",
            anchor.package(),
            anchor.version(),
            self.root.display()
        );
        for command in self.commands(anchor) {
            let skip_venv = command.get(2).is_some_and(|arg| arg == "venv")
                && self.root.join("venv/bin/python").exists();
            if skip_venv {
                continue;
            }
            let mut command = command;
            if command[0] == "cargo"
                && let Ok(cargo) = std::env::var("CARGO")
            {
                command[0] = cargo;
            }
            run_captured(&command, anchor.package())?;
        }
        if self.has(anchor) {
            Ok(())
        } else {
            Err(format!(
                "{} {} is still not installed in {}",
                anchor.package(),
                anchor.version(),
                self.root.display()
            ))
        }
    }
}

/// Whether cargo's `.crates.toml` of an install root lists `package` at `version`.
fn cargo_installed(crates_toml: &str, package: &str, version: &str) -> bool {
    let key = format!("\"{package} {version} (");
    crates_toml.lines().any(|line| line.starts_with(&key))
}

/// Runs `command` (program first) with its output captured; on failure, its error's first line.
fn run_captured(command: &[String], what: &str) -> Result<(), String> {
    match failure(command, what)? {
        None => Ok(()),
        Some(error) => Err(format!("{what} failed: {error}")),
    }
}

/// Runs `command` (program first) with its output captured: `Some(its error's first line)`
/// when it fails.
fn failure(command: &[String], what: &str) -> Result<Option<String>, String> {
    let (program, args) = command.split_first().ok_or("an empty command")?;
    let output = Command::new(program)
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .output()
        .map_err(|error| format!("cannot run {what}: {error}"))?;
    if output.status.success() {
        return Ok(None);
    }
    let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
    text.push('\n');
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    Ok(Some(format!("{} ({})", error_line(&text), output.status)))
}

/// The line of a failed program's output that says what went wrong: a panic's message (with
/// the file and line it names), else the first line that starts like an error, else the first
/// line.
pub(super) fn error_line(output: &str) -> String {
    let lines: Vec<&str> = output
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if let Some(at) = lines.iter().position(|line| line.contains(" panicked at ")) {
        let location = lines[at]
            .split(" panicked at ")
            .nth(1)
            .unwrap_or_default()
            .trim_end_matches(':');
        let file = location.rsplit('/').next().unwrap_or(location);
        let message = lines.get(at + 1).copied().unwrap_or("(no message)");
        return format!("panic at {file}: {message}");
    }
    let starts_with = |line: &str, prefix: &str| {
        line.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    ["gen fail", "error", "exception"]
        .iter()
        .find_map(|prefix| lines.iter().find(|line| starts_with(line, prefix)))
        .or_else(|| lines.first())
        .map_or_else(|| "(no output)".to_owned(), |line| (*line).to_owned())
}

/// One operation of a spec: its path, its method and its `operationId`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OperationRef {
    path: String,
    method: String,
    id: Option<String>,
}

impl OperationRef {
    /// The `operationId`, else `METHOD /path`.
    fn label(&self) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("{} {}", self.method.to_uppercase(), self.path))
    }
}

/// Every operation of `spec`, in its order.
fn operations(spec: &Value) -> Vec<OperationRef> {
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS.iter().filter_map(move |method| {
                let operation = item.get(*method)?;
                Some(OperationRef {
                    path: path.clone(),
                    method: (*method).to_owned(),
                    id: operation
                        .get("operationId")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                })
            })
        })
        .collect()
}

/// `spec` with only the operations of `keep`; a path item left without operations goes too.
fn with_operations(spec: &Value, keep: &[OperationRef]) -> Value {
    let mut spec = spec.clone();
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        paths.retain(|path, item| {
            let Some(item) = item.as_object_mut() else {
                return true;
            };
            item.retain(|key, _| {
                !METHODS.contains(&key.as_str())
                    || keep
                        .iter()
                        .any(|operation| operation.path == *path && operation.method == *key)
            });
            METHODS.iter().any(|method| item.contains_key(*method))
        });
    }
    spec
}

/// Runs the generator on the spec with only the operations given: `Some(error)` when it
/// rejects them.
type Probe<'a> = dyn FnMut(&[OperationRef]) -> Result<Option<String>, String> + 'a;

/// An operation progenitor rejects, with its error when given that operation alone.
struct Rejection {
    operation: OperationRef,
    error: String,
}

/// Finds the operations of `set` that `probe` rejects alone, by bisection: a set it accepts
/// holds none; a rejected set is halved until each rejected operation stands alone. `probe`
/// gives `Some(error)` when it rejects a set. Operations rejected only in company are not
/// found: the generation of what is left then fails, and says so.
fn rejected(
    set: &[OperationRef],
    probe: &mut Probe,
    found: &mut Vec<Rejection>,
) -> Result<(), String> {
    let Some(error) = probe(set)? else {
        return Ok(());
    };
    if let [operation] = set {
        found.push(Rejection {
            operation: operation.clone(),
            error,
        });
        return Ok(());
    }
    let (first, second) = set.split_at(set.len() / 2);
    rejected(first, probe, found)?;
    rejected(second, probe, found)
}

/// What one generator made, and how its crate built; `None` where a step failed or was not
/// reached.
pub(super) struct Entry {
    /// The generator's name in the report.
    pub(super) name: String,
    /// Its version.
    pub(super) version: String,
    /// The operations it generated: ours counts them; the others are given the operations of
    /// their input spec, and generate all of them or fail.
    pub(super) operations: Option<usize>,
    /// The `pub async fn` lines of its code (one a client method for the anchors; ours has
    /// builders, so `None`).
    pub(super) methods: Option<usize>,
    /// The median generation time in seconds, and how many runs it is the median of.
    pub(super) generation: Option<(f64, usize)>,
    /// The Rust files under `src/` and their lines.
    pub(super) size: Option<(usize, usize)>,
    /// The debug build of the crate alone.
    pub(super) build: Option<Build>,
    /// Its `cargo check`.
    pub(super) check: Option<Build>,
    /// The versions of [`REPORTED_DEPENDENCIES`] its crate resolved.
    pub(super) dependencies: Vec<(String, String)>,
    /// The step that failed, with its error's first line.
    pub(super) failure: Option<String>,
}

impl Entry {
    fn new(anchor: Anchor) -> Self {
        Entry {
            name: anchor.name().to_owned(),
            version: anchor.version().to_owned(),
            operations: None,
            methods: None,
            generation: None,
            size: None,
            build: None,
            check: None,
            dependencies: Vec::new(),
            failure: None,
        }
    }
}

/// One anchor's run: its figures and how it was run.
struct AnchorRun {
    anchor: Anchor,
    entry: Entry,
    /// The commands, as run from the workspace root.
    commands: Vec<String>,
}

/// Everything `--compare` measured.
pub(super) struct Comparison {
    runs: Vec<AnchorRun>,
    /// The operations of the spec.
    spec_operations: usize,
    /// The operations removed for progenitor; `None` when it did not get that far.
    rejections: Option<Vec<Rejection>>,
    /// Where the anchors were installed, as shown.
    installs: String,
}

/// Installs, generates with and builds every anchor on the spec at `spec_path`.
pub(super) fn run(
    root: &Path,
    spec_path: &Path,
    runs: usize,
    build_runs: usize,
) -> Result<Comparison, String> {
    let spec_path = std::fs::canonicalize(spec_path)
        .map_err(|error| format!("{}: {error}", spec_path.display()))?;
    let text = std::fs::read_to_string(&spec_path)
        .map_err(|error| format!("{}: {error}", spec_path.display()))?;
    let spec: Value = serde_saphyr::from_str(&text)
        .map_err(|error| format!("{}: {error}", spec_path.display()))?;
    let work = root.join("target").join("bench");
    let installs = Installs {
        root: std::env::var_os(ANCHORS_ENV).map_or_else(|| work.join("anchors"), PathBuf::from),
    };
    let mut comparison = Comparison {
        runs: Vec::new(),
        spec_operations: operations(&spec).len(),
        rejections: None,
        installs: shown(root, &installs.root.display().to_string()),
    };
    for anchor in Anchor::ALL {
        let mut run = AnchorRun {
            anchor,
            entry: Entry::new(anchor),
            commands: Vec::new(),
        };
        let context = Context {
            root,
            work: &work,
            installs: &installs,
            spec: &spec,
            spec_path: &spec_path,
            runs: anchor.generation_runs(runs),
            build_runs,
        };
        if let Err(error) = context.measure(&mut run, &mut comparison.rejections) {
            println!("bench: {}: {error}", anchor.name());
            run.entry.failure = Some(error);
        }
        comparison.runs.push(run);
    }
    Ok(comparison)
}

/// What every anchor's run needs.
struct Context<'a> {
    root: &'a Path,
    work: &'a Path,
    installs: &'a Installs,
    spec: &'a Value,
    spec_path: &'a Path,
    runs: usize,
    build_runs: usize,
}

impl Context<'_> {
    /// Installs, generates and builds; fills `run` as it goes.
    fn measure(
        &self,
        run: &mut AnchorRun,
        rejections: &mut Option<Vec<Rejection>>,
    ) -> Result<(), String> {
        let anchor = run.anchor;
        self.installs
            .ensure(anchor)
            .map_err(|error| format!("install failed: {error}"))?;
        let program = self.installs.program(anchor).display().to_string();
        let crate_dir = self.work.join(anchor.dir());
        let mut given = operations(self.spec).len();
        let input = match anchor {
            Anchor::Progenitor => {
                let found = self.progenitor_rejections(&program)?;
                let removed: Vec<OperationRef> =
                    found.iter().map(|found| found.operation.clone()).collect();
                let kept: Vec<OperationRef> = operations(self.spec)
                    .into_iter()
                    .filter(|operation| !removed.contains(operation))
                    .collect();
                given = kept.len();
                *rejections = Some(found);
                let input = self.work.join("progenitor-spec.json");
                write_json(&input, &with_operations(self.spec, &kept))?;
                input
            }
            _ => self.spec_path.to_path_buf(),
        };
        let path = |path: &Path| path.display().to_string();
        let command: Vec<String> = match anchor {
            Anchor::Progenitor => {
                progenitor_command(program, &input, &crate_dir, "bench-progenitor")
            }
            Anchor::OpenapiGenerator => vec![
                program,
                "generate".to_owned(),
                "-i".to_owned(),
                path(&input),
                "-g".to_owned(),
                "rust".to_owned(),
                "-o".to_owned(),
                path(&crate_dir),
            ],
            Anchor::OpenapiToRust => vec![
                program,
                "generate".to_owned(),
                path(&input),
                "--output-dir".to_owned(),
                path(&crate_dir.join(OPENAPI_TO_RUST_MODULE)),
                "--quiet".to_owned(),
            ],
        };
        run.commands.push(
            command
                .iter()
                .map(|arg| crate::shell_quote(&shown(self.root, arg)))
                .collect::<Vec<_>>()
                .join(" "),
        );
        println!(
            "bench: generating with {} {}, {} times",
            anchor.name(),
            anchor.version(),
            self.runs
        );
        let mut samples = Vec::new();
        for _ in 0..self.runs {
            crate::remove_dir(&crate_dir)?;
            let started = Instant::now();
            run_captured(&command, anchor.package())
                .map_err(|error| format!("generation failed: {error}"))?;
            samples.push(started.elapsed().as_secs_f64());
        }
        run.entry.generation = Some((median(samples.into_iter()), self.runs));
        if anchor == Anchor::OpenapiToRust {
            wrap_module(&crate_dir)?;
            run.commands.push(format!(
                "# then {}/Cargo.toml: [package] name = \"bench-openapi-to-rust\", edition \
                 2024, and the [dependencies] of {OPENAPI_TO_RUST_MODULE}/REQUIRED_DEPS.toml; \
                 src/lib.rs: `pub mod generated;`",
                shown(self.root, &crate_dir.display().to_string())
            ));
        }
        let size = CrateSize::of(&crate_dir)?;
        run.entry.size = Some((size.files, size.lines));
        run.entry.operations = Some(given);
        run.entry.methods = Some(size.async_fns);

        let builder = Builder {
            crate_dir: crate_dir.clone(),
            target_dir: self.work.join(format!("{}-target", anchor.dir())),
            report: self.work.join(format!("{}-time.txt", anchor.dir())),
            runs: self.build_runs,
        };
        println!(
            "bench: {}: building the dependencies (not measured)",
            anchor.name()
        );
        builder
            .warm(&["build"], false)
            .map_err(|error| format!("build failed: {error}"))?;
        run.entry.dependencies = resolved(&crate_dir);
        builder
            .warm(&["check"], false)
            .map_err(|error| format!("check failed: {error}"))?;
        let lib = crate_dir.join("src/lib.rs");
        println!(
            "bench: {}: debug build of the crate alone, {} runs, and cargo check",
            anchor.name(),
            self.build_runs
        );
        run.entry.build = Some(builder.measure(&["build"], false, |_| touch(&lib))?);
        run.entry.check = Some(builder.measure(&["check"], false, |_| touch(&lib))?);
        Ok(())
    }

    /// The operations progenitor rejects, found by bisection; an error when it rejects the spec
    /// even without operations.
    fn progenitor_rejections(&self, program: &str) -> Result<Vec<Rejection>, String> {
        let probe_spec = self.work.join("progenitor-probe.json");
        let probe_dir = self.work.join("progenitor-probe");
        let mut probes = 0;
        let mut probe = |keep: &[OperationRef]| -> Result<Option<String>, String> {
            probes += 1;
            write_json(&probe_spec, &with_operations(self.spec, keep))?;
            crate::remove_dir(&probe_dir)?;
            let command = progenitor_command(program.to_owned(), &probe_spec, &probe_dir, "probe");
            failure(&command, "progenitor")
        };
        println!("bench: progenitor: finding the operations it rejects (by bisection)");
        if let Some(error) = probe(&[])? {
            return Err(format!(
                "generation failed: progenitor rejects the spec without any operation: {error}"
            ));
        }
        let mut found = Vec::new();
        rejected(&operations(self.spec), &mut probe, &mut found)?;
        println!(
            "bench: progenitor rejects {} operations alone (found in {probes} runs)",
            found.len()
        );
        Ok(found)
    }
}

/// `cargo progenitor` generating the crate `name` from `input` into `output`.
fn progenitor_command(program: String, input: &Path, output: &Path, name: &str) -> Vec<String> {
    vec![
        program,
        "progenitor".to_owned(),
        "--input".to_owned(),
        input.display().to_string(),
        "--output".to_owned(),
        output.display().to_string(),
        "--name".to_owned(),
        name.to_owned(),
        "--version".to_owned(),
        "0.1.0".to_owned(),
    ]
}

/// Where openapi-to-rust writes its module, in the crate that wraps it.
const OPENAPI_TO_RUST_MODULE: &str = "src/generated";

/// Makes the module openapi-to-rust wrote into a crate: a manifest with the dependencies of its
/// `REQUIRED_DEPS.toml`, and a `src/lib.rs` that declares the module.
fn wrap_module(crate_dir: &Path) -> Result<(), String> {
    let fragment_path = crate_dir
        .join(OPENAPI_TO_RUST_MODULE)
        .join("REQUIRED_DEPS.toml");
    let fragment = std::fs::read_to_string(&fragment_path)
        .map_err(|error| format!("{}: {error}", fragment_path.display()))?;
    let manifest = format!(
        "[package]\nname = \"bench-openapi-to-rust\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
         publish = false\n\n{fragment}"
    );
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|error| format!("{}: {error}", path.display()))
    };
    write(crate_dir.join("Cargo.toml"), &manifest)?;
    write(crate_dir.join("src/lib.rs"), "pub mod generated;\n")
}

fn write_json(path: &Path, value: &Value) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|error| error.to_string())?;
    std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))
}

/// `arg` with the workspace root's prefix taken off.
fn shown(root: &Path, arg: &str) -> String {
    let prefix = format!("{}/", root.display());
    arg.strip_prefix(&prefix).unwrap_or(arg).to_owned()
}

/// The versions of [`REPORTED_DEPENDENCIES`] in the crate's `Cargo.lock`.
pub(super) fn resolved(crate_dir: &Path) -> Vec<(String, String)> {
    let lock = std::fs::read_to_string(crate_dir.join("Cargo.lock")).unwrap_or_default();
    REPORTED_DEPENDENCIES
        .iter()
        .filter_map(|name| locked_version(&lock, name).map(|version| ((*name).to_owned(), version)))
        .collect()
}

/// The version of `package` in a `Cargo.lock` (the first, when it holds several).
fn locked_version(lock: &str, package: &str) -> Option<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            return lines
                .next()
                .and_then(|line| line.trim().strip_prefix("version = "))
                .map(|version| version.trim_matches('"').to_owned());
        }
    }
    None
}

/// `ours / theirs`, printed as a ratio.
fn ratio(ours: f64, theirs: f64) -> String {
    format!("{:.2}×", ours / theirs)
}

fn seconds(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |value| format!("{value:.1} s"))
}

impl Comparison {
    /// The anchors' entries that built.
    fn built(&self) -> impl Iterator<Item = (&AnchorRun, &Build)> {
        self.runs
            .iter()
            .filter_map(|run| run.entry.build.as_ref().map(|build| (run, build)))
    }

    /// The section of the report: the side-by-side table with `ours` first, the ratios, what
    /// each anchor could not do, and the commands.
    pub(super) fn markdown(&self, ours: &Entry) -> Vec<String> {
        let mut lines = vec![
            "## Compared with other generators (same spec, same run)".to_owned(),
            String::new(),
            format!(
                "The spec has {} operations. Generation is the median wall time of the runs \
                 given (ours: in process, release build, writing included; the others: their \
                 command, process start included). Builds as for ours above: each crate alone \
                 in its own target directory under `target/bench/`, dependencies prebuilt, \
                 `CARGO_INCREMENTAL=0`, after a touch of `src/lib.rs`. Lines and files: the \
                 Rust files under `src/`. Operations generated: ours, the generator's count; \
                 the others, the operations of the spec they were given, which they generate \
                 all or fail. Methods: the `pub async fn` lines of their code (one per client \
                 method; ours are builders, not counted this way). Ratios: ours ÷ theirs.",
                self.spec_operations
            ),
            String::new(),
            "| generator | version | operations generated | methods | generation | lines | files | \
             build: wall | build: cpu | build: peak RSS | check: wall | ours ÷ this: \
             generation, build wall, build cpu |"
                .to_owned(),
            "|---|---|---|---|---|---|---|---|---|---|---|---|".to_owned(),
            self.row(ours, None),
        ];
        for run in &self.runs {
            lines.push(self.row(&run.entry, Some(ours)));
        }
        lines.push(String::new());
        let mut notes = Vec::new();
        for run in &self.runs {
            if let Some(failure) = &run.entry.failure {
                notes.push(format!("- {}: {failure}.", run.anchor.name()));
            }
        }
        if let Some(rejections) = &self.rejections {
            let listed: Vec<String> = by_error(rejections)
                .into_iter()
                .map(|(error, labels)| format!("{} ({error})", labels.join(", ")))
                .collect();
            notes.push(if listed.is_empty() {
                "- progenitor: operations removed: 0 (it rejects none alone).".to_owned()
            } else {
                format!(
                    "- progenitor: operations removed: {} of {}, because it rejects each of \
                     them alone (its errors name no operation, so they were found by \
                     bisection): {}.",
                    rejections.len(),
                    self.spec_operations,
                    listed.join("; ")
                )
            });
        }
        notes.push(format!(
            "- openapi-generator: its crate is built as generated, nothing added (its default \
             `native-tls` feature needs OpenSSL's headers); its generation is timed at most \
             {SLOW_GENERATION_RUNS} runs."
        ));
        notes.push(
            "- openapi-to-rust: it writes a module and `REQUIRED_DEPS.toml`, so it is wrapped in \
             a crate (edition 2024) with those dependencies."
                .to_owned(),
        );
        let mut resolved = vec![format!("ours: {}", dependency_list(&ours.dependencies))];
        for run in &self.runs {
            if !run.entry.dependencies.is_empty() {
                resolved.push(format!(
                    "{}: {}",
                    run.anchor.dir(),
                    dependency_list(&run.entry.dependencies)
                ));
            }
        }
        notes.push(format!(
            "- Each crate resolves its own dependencies (ours from the workspace's \
             `Cargo.lock`, the others afresh in this run): {}.",
            resolved.join("; ")
        ));
        lines.extend(notes);
        lines.push(String::new());
        lines.push(format!(
            "The anchors are installed when missing into `{}` (or the directory \
             `{ANCHORS_ENV}` names) with:",
            self.installs
        ));
        lines.push(String::new());
        lines.push("```sh".to_owned());
        for anchor in Anchor::ALL {
            let installs = Installs {
                root: PathBuf::from(&self.installs),
            };
            for command in installs.commands(anchor) {
                lines.push(
                    command
                        .iter()
                        .map(|arg| crate::shell_quote(arg))
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
        }
        lines.push("```".to_owned());
        lines.push(String::new());
        lines.push("and run, from the workspace root, as:".to_owned());
        lines.push(String::new());
        lines.push("```sh".to_owned());
        for run in &self.runs {
            lines.extend(run.commands.iter().cloned());
        }
        lines.push("```".to_owned());
        lines.push(String::new());
        lines
    }

    /// One generator's row; the ratios against `ours` unless it is ours.
    fn row(&self, entry: &Entry, ours: Option<&Entry>) -> String {
        let build = entry.build.as_ref();
        let Some(ours) = ours else {
            return self.cells(entry, "—");
        };
        let ratios = match (&ours.generation, &entry.generation, &ours.build, build) {
            (Some(our_gen), Some(their_gen), Some(our_build), Some(their_build)) => format!(
                "{}, {}, {}",
                ratio(our_gen.0, their_gen.0),
                ratio(our_build.wall, their_build.wall),
                ratio(our_build.cpu, their_build.cpu)
            ),
            (Some(our_gen), Some(their_gen), _, _) => {
                format!("{}, —, —", ratio(our_gen.0, their_gen.0))
            }
            _ => "—".to_owned(),
        };
        self.cells(entry, &ratios)
    }

    fn cells(&self, entry: &Entry, ratios: &str) -> String {
        let build = entry.build.as_ref();
        let operations = entry.operations.map_or_else(
            || "—".to_owned(),
            |count| format!("{count} of {}", self.spec_operations),
        );
        format!(
            "| {} | {} | {operations} | {} | {} | {} | {} | {} | {} | {} | {} | {ratios} |",
            entry.name,
            entry.version,
            entry
                .methods
                .map_or_else(|| "—".to_owned(), |methods| methods.to_string()),
            entry.generation.map_or_else(
                || "—".to_owned(),
                |(time, runs)| format!("{:.2} s ({runs} runs)", time)
            ),
            entry
                .size
                .map_or_else(|| "—".to_owned(), |size| size.1.to_string()),
            entry
                .size
                .map_or_else(|| "—".to_owned(), |size| size.0.to_string()),
            seconds(build.map(|build| build.wall)),
            seconds(build.map(|build| build.cpu)),
            build.map_or_else(
                || "—".to_owned(),
                |build| format!("{:.0} MiB", build.peak_mib)
            ),
            seconds(entry.check.as_ref().map(|check| check.wall)),
        )
    }

    /// The build targets against the anchors measured in this run.
    pub(super) fn build_targets(&self, ours: &Build) -> Vec<String> {
        let target = |what: String, share: f64, theirs: &Build| {
            format!(
                "- Debug build of the crate alone at most {:.0} % of {what}'s ({:.1} s wall, \
                 {:.1} s cpu in this run), so {:.1} s: {:.1} s wall, {:.0} % of it ({:.0} % of \
                 its cpu) — {}.",
                share * 100.0,
                theirs.wall,
                theirs.cpu,
                share * theirs.wall,
                ours.wall,
                ours.wall / theirs.wall * 100.0,
                ours.cpu / theirs.cpu * 100.0,
                super::verdict(ours.wall <= share * theirs.wall)
            )
        };
        let mut lines = Vec::new();
        match self.built().min_by(|a, b| a.1.wall.total_cmp(&b.1.wall)) {
            Some((run, build)) => lines.push(target(
                format!("the fastest anchor, {}", run.anchor.name()),
                FASTEST_ANCHOR_SHARE,
                build,
            )),
            None => lines.push(format!(
                "- Debug build of the crate alone at most {:.0} % of the fastest anchor's: not \
                 judged, no anchor built in this run.",
                FASTEST_ANCHOR_SHARE * 100.0
            )),
        }
        match self
            .built()
            .find(|(run, _)| run.anchor == Anchor::OpenapiGenerator)
        {
            Some((run, build)) => lines.push(target(
                run.anchor.name().to_owned(),
                OPENAPI_GENERATOR_SHARE,
                build,
            )),
            None => lines.push(format!(
                "- Debug build of the crate alone at most {:.0} % of openapi-generator's: not \
                 judged, it did not build in this run.",
                OPENAPI_GENERATOR_SHARE * 100.0
            )),
        }
        lines
    }
}

/// The rejected operations (as code spans) grouped by progenitor's error, in the order first
/// seen.
fn by_error(rejections: &[Rejection]) -> Vec<(&str, Vec<String>)> {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for rejection in rejections {
        let label = format!("`{}`", rejection.operation.label());
        match groups
            .iter_mut()
            .find(|(error, _)| *error == rejection.error)
        {
            Some((_, labels)) => labels.push(label),
            None => groups.push((&rejection.error, vec![label])),
        }
    }
    groups
}

fn dependency_list(dependencies: &[(String, String)]) -> String {
    if dependencies.is_empty() {
        return "not recorded".to_owned();
    }
    dependencies
        .iter()
        .map(|(name, version)| format!("{name} {version}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        serde_json::json!({
            "openapi": "3.0.0",
            "paths": {
                "/a": {
                    "parameters": [],
                    "get": { "operationId": "getA" },
                    "post": { "operationId": "postA" }
                },
                "/b": { "delete": {} }
            },
            "components": {}
        })
    }

    #[test]
    fn operations_are_listed_and_kept_by_path_and_method() {
        let spec = spec();
        let all = operations(&spec);
        let labels: Vec<String> = all.iter().map(OperationRef::label).collect();
        assert_eq!(labels, ["getA", "postA", "DELETE /b"]);
        let kept = with_operations(&spec, &all[1..2]);
        assert_eq!(
            kept["paths"],
            serde_json::json!({ "/a": { "parameters": [], "post": { "operationId": "postA" } } })
        );
        assert_eq!(kept["components"], spec["components"]);
        assert!(operations(&with_operations(&spec, &[])).is_empty());
    }

    #[test]
    fn bisection_finds_each_operation_rejected_alone() {
        let all: Vec<OperationRef> = (0..9)
            .map(|n| OperationRef {
                path: format!("/{n}"),
                method: "get".to_owned(),
                id: Some(format!("op{n}")),
            })
            .collect();
        let bad = ["op2", "op7"];
        let mut probe = |set: &[OperationRef]| -> Result<Option<String>, String> {
            Ok(set
                .iter()
                .find(|operation| bad.contains(&operation.label().as_str()))
                .map(|operation| format!("rejects {}", operation.label())))
        };
        let mut found = Vec::new();
        rejected(&all, &mut probe, &mut found).unwrap();
        let found: Vec<(String, String)> = found
            .into_iter()
            .map(|rejection| (rejection.operation.label(), rejection.error))
            .collect();
        assert_eq!(
            found,
            [
                ("op2".to_owned(), "rejects op2".to_owned()),
                ("op7".to_owned(), "rejects op7".to_owned())
            ]
        );
    }

    #[test]
    fn rejections_are_grouped_by_error() {
        let rejection = |id: &str, error: &str| Rejection {
            operation: OperationRef {
                path: format!("/{id}"),
                method: "get".to_owned(),
                id: Some(id.to_owned()),
            },
            error: error.to_owned(),
        };
        let rejections = [
            rejection("a", "one"),
            rejection("b", "two"),
            rejection("c", "one"),
        ];
        assert_eq!(
            by_error(&rejections),
            [
                ("one", vec!["`a`".to_owned(), "`c`".to_owned()]),
                ("two", vec!["`b`".to_owned()])
            ]
        );
    }

    #[test]
    fn the_error_line_of_progenitor_and_cargo() {
        let panic = "\nthread 'main' (19201) panicked at /root/.cargo/registry/src/x/\
                     progenitor-impl-0.15.1/src/method.rs:1220:9:\nassertion failed: \
                     response_types.len() <= 1\nstack backtrace:\n";
        assert_eq!(
            error_line(panic),
            "panic at method.rs:1220:9: assertion failed: response_types.len() <= 1"
        );
        let failure = "Error: generation experienced errors\n\n---\n TYPE SPACE\n\
                       gen fail: UnexpectedFormat(\"unexpected content type: application/x-yaml\")\n";
        assert_eq!(
            error_line(failure),
            "gen fail: UnexpectedFormat(\"unexpected content type: application/x-yaml\")"
        );
        let cargo = "warning: unused import\nerror[E0425]: cannot find value `x`\n";
        assert_eq!(error_line(cargo), "error[E0425]: cannot find value `x`");
        assert_eq!(error_line(""), "(no output)");
    }

    #[test]
    fn versions_from_cargo_files() {
        let lock = "[[package]]\nname = \"reqwest\"\nversion = \"0.13.1\"\nsource = \"x\"\n";
        assert_eq!(locked_version(lock, "reqwest").as_deref(), Some("0.13.1"));
        assert_eq!(locked_version(lock, "serde"), None);
        let crates =
            "[v1]\n\"cargo-progenitor 0.15.1 (registry+https://x)\" = [\"cargo-progenitor\"]\n";
        assert!(cargo_installed(crates, "cargo-progenitor", "0.15.1"));
        assert!(!cargo_installed(crates, "cargo-progenitor", "0.15.0"));
        assert!(!cargo_installed(crates, "openapi-to-rust", "0.23.0"));
    }
}
