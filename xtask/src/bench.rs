//! `cargo xtask bench`: how fast the generator is, and how fast what it generates builds.
//!
//! On one spec (default: the full Qovery API) it measures, each the median of several runs:
//! the generation by stage (load, lower, emit, format, write) and in total; the parse floor (the
//! fastest way found to read the same file into `openapiv3::OpenAPI`); the generated crate's
//! size; and, with its dependencies prebuilt, the debug build of the crate alone (wall time and
//! peak memory from `/usr/bin/time -v`, `CARGO_INCREMENTAL=0`), its `cargo check`, an
//! incremental rebuild after a change to one type module and to one operation module, and the
//! build with a single tag's feature; then, unless `--no-requests`, the client's per-request
//! overhead and decode throughput ([`requests`]). It prints a table and writes it, with the
//! machine, the commands and the date, to `BENCHMARKS.md`. The generator is measured in a
//! release build: run from a debug build, the task runs itself again with `cargo run --release`.
//! With `--compare` it also measures three other generators on the same spec in the same run
//! ([`compare`]), and the build targets use their figures.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use generator::{Options, StageTimes};

mod compare;
mod requests;
mod scaling;

/// The spec measured by default.
const DEFAULT_SPEC: &str = "tests/specs/qovery.yaml";
/// The package name of the generated crate.
const CRATE_NAME: &str = "bench-client";
/// The tag feature built alone by default, when the crate has it.
const DEFAULT_TAG: &str = "organization-main-calls";
/// Where the report goes, relative to the workspace root.
const REPORT: &str = "BENCHMARKS.md";
/// The generation target: at most this many times the parse floor.
const GENERATION_FACTOR: f64 = 4.0;
/// progenitor's debug build of the Qovery crate alone, measured earlier on this kind of machine
/// (not in this run); the target is half of it. Only without `--compare`, which measures the
/// anchors in the run.
const PROGENITOR_BUILD_SECONDS: f64 = 21.0;
/// The peak memory target of the crate's debug build.
const PEAK_TARGET_MIB: f64 = 1024.0;
/// A user of one tag compiles at most this share of the full crate's build.
const SINGLE_TAG_SHARE: f64 = 0.15;

/// The parsed command line.
struct Args {
    spec: Option<String>,
    runs: usize,
    build_runs: usize,
    tag: Option<String>,
    /// `--scaling N,N,…`: measure the growth with synthetic specs of these sizes instead.
    scaling: Vec<usize>,
    /// `--no-requests`: skip the per-request and decoding measurements.
    no_requests: bool,
    /// `--compare`: also measure the other generators on the same spec.
    compare: bool,
    raw: Vec<String>,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Args, String> {
    let raw: Vec<String> = args.collect();
    let mut parsed = Args {
        spec: None,
        runs: 10,
        build_runs: 3,
        tag: None,
        scaling: Vec::new(),
        no_requests: false,
        compare: false,
        raw: raw.clone(),
    };
    let mut args = raw.into_iter();
    let count = |flag: &str, value: Option<String>| -> Result<usize, String> {
        value
            .and_then(|value| value.parse::<usize>().ok())
            .filter(|count| *count > 0)
            .ok_or_else(|| format!("`{flag}` needs a number of runs (1 or more)"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => parsed.spec = Some(args.next().ok_or("`--spec` needs a value")?),
            "--runs" => parsed.runs = count("--runs", args.next())?,
            "--build-runs" => parsed.build_runs = count("--build-runs", args.next())?,
            "--tag" => parsed.tag = Some(args.next().ok_or("`--tag` needs a feature")?),
            "--no-requests" => parsed.no_requests = true,
            "--compare" => parsed.compare = true,
            "--scaling" => {
                let sizes = args.next().unwrap_or_default();
                parsed.scaling = sizes
                    .split(',')
                    .map(|size| size.trim().parse::<usize>().ok().filter(|size| *size > 0))
                    .collect::<Option<Vec<usize>>>()
                    .filter(|sizes| !sizes.is_empty())
                    .ok_or("`--scaling` needs numbers of operations, such as 1000,5000")?;
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if parsed.compare && !parsed.scaling.is_empty() {
        return Err("`--compare` measures one spec; it does not go with `--scaling`".to_owned());
    }
    Ok(parsed)
}

/// Parses the options and runs the benchmark. `Ok(false)` when a step failed.
pub fn run(args: impl Iterator<Item = String>) -> Result<bool, String> {
    let args = parse_args(args)?;
    let root = crate::workspace_root();
    if cfg!(debug_assertions) {
        println!("bench: running itself again in a release build");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args([
                "run",
                "--quiet",
                "--release",
                "--package",
                "xtask",
                "--manifest-path",
            ])
            .arg(root.join("Cargo.toml"))
            .args(["--", "bench"])
            .args(&args.raw)
            .status()
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        return Ok(status.success());
    }
    let mut command_line = String::from("cargo xtask bench");
    for arg in &args.raw {
        command_line.push(' ');
        command_line.push_str(&crate::shell_quote(arg));
    }
    if !args.scaling.is_empty() {
        return scaling::run(&root, &args.scaling, args.build_runs, &command_line);
    }
    let (spec_label, spec_path) = match &args.spec {
        Some(spec) => (spec.clone(), PathBuf::from(spec)),
        None => (DEFAULT_SPEC.to_owned(), root.join(DEFAULT_SPEC)),
    };
    let text = std::fs::read_to_string(&spec_path)
        .map_err(|error| format!("{spec_label}: cannot read the spec: {error}"))?;
    let work = root.join("target").join("bench");
    let crate_dir = work.join(CRATE_NAME);
    let options = Options::new(CRATE_NAME)
        .spec_file(spec_label.clone())
        .regenerate_command(command_line.clone())
        .base_dir(
            spec_path
                .parent()
                .map_or_else(PathBuf::new, Path::to_path_buf),
        );

    println!(
        "bench: generating {spec_label} {} times, and parsing it into openapiv3::OpenAPI \
         between the runs",
        args.runs
    );
    let mut parse_floor = ParseFloor::new(&text)?;
    let generation = measure_generation(&text, &options, &crate_dir, args.runs, &mut |text| {
        parse_floor.sample(text)
    })?;
    let floor = parse_floor.fastest();
    let size = CrateSize::of(&crate_dir)?;

    let lock = crate_dir.join("Cargo.lock");
    std::fs::copy(root.join("Cargo.lock"), &lock)
        .map_err(|error| format!("{}: {error}", lock.display()))?;
    let builder = Builder {
        crate_dir: crate_dir.clone(),
        target_dir: work.join("target"),
        report: work.join("time.txt"),
        runs: args.build_runs,
    };
    let features = tag_features(&crate_dir)?;
    let tag = match &args.tag {
        Some(tag) if features.contains(tag) => tag.clone(),
        Some(tag) => return Err(format!("the crate has no feature `{tag}`")),
        None if features.iter().any(|feature| feature == DEFAULT_TAG) => DEFAULT_TAG.to_owned(),
        None => features
            .first()
            .cloned()
            .ok_or("the crate has no tag feature")?,
    };
    println!("bench: building the dependencies (not measured)");
    builder.warm(&["build"], false)?;
    builder.warm(&["check"], false)?;
    let touch = |_: usize| touch(&crate_dir.join("src/lib.rs"));
    println!(
        "bench: debug build of the crate alone, {} runs",
        args.build_runs
    );
    let build = builder.measure(&["build"], false, touch)?;
    println!("bench: cargo check of the crate alone");
    let check = builder.measure(&["check"], false, touch)?;
    let single_args = ["build", "--no-default-features", "--features", tag.as_str()];
    builder.warm(&single_args, false)?;
    println!("bench: debug build with only the `{tag}` feature");
    let single = builder.measure(&single_args, false, touch)?;
    let type_file = edited_file(&crate_dir, "src/types", &["organization.rs"])?;
    let operation_file = edited_file(
        &crate_dir,
        "src/operations",
        &[&format!("{}.rs", tag.replace('-', "_"))],
    )?;
    builder.warm(&["build"], true)?;
    println!("bench: incremental rebuilds");
    let after_type = builder.measure(&["build"], true, |run| {
        add_doc_line(&crate_dir.join(&type_file), run)
    })?;
    let after_operation = builder.measure(&["build"], true, |run| {
        add_doc_line(&crate_dir.join(&operation_file), run)
    })?;
    let requests = (!args.no_requests)
        .then(|| requests::run(&root, &work, &crate_dir, args.runs))
        .transpose()?;
    let comparison = if args.compare {
        Some(compare::run(&root, &spec_path, args.runs, args.build_runs)?)
    } else {
        None
    };
    let dependencies = compare::resolved(&crate_dir);

    let machine = Machine::here();
    let report = Report {
        spec: spec_label,
        command_line,
        runs: args.runs,
        build_runs: args.build_runs,
        generation,
        floor,
        size,
        build,
        check,
        single,
        tag,
        after_type,
        type_file,
        after_operation,
        operation_file,
        requests,
        comparison,
        dependencies,
        machine,
    };
    let markdown = report.markdown();
    println!("{markdown}");
    let path = root.join(REPORT);
    std::fs::write(&path, &markdown).map_err(|error| format!("{}: {error}", path.display()))?;
    println!("bench: wrote {}", path.display());
    Ok(true)
}

/// The median of each stage over the runs, in seconds, and the operations generated.
struct Generation {
    operations: usize,
    load: f64,
    lower: f64,
    emit: f64,
    format: f64,
    emit_wall: f64,
    emit_threads: usize,
    write: f64,
    total: f64,
}

/// Generates the crate `runs` times, each time into a directory that did not exist (as a first
/// generation does; removing the previous run's files just before would make the file system
/// busy with that), runs `before` before each run, and leaves the last run's crate in
/// `crate_dir`.
fn measure_generation(
    text: &str,
    options: &Options,
    crate_dir: &Path,
    runs: usize,
    before: &mut dyn FnMut(&str),
) -> Result<Generation, String> {
    let runs_dir = crate_dir.with_extension("runs");
    crate::remove_dir(&runs_dir)?;
    let mut samples: Vec<(StageTimes, Duration, Duration)> = Vec::new();
    let mut operations = 0;
    for run in 0..runs {
        before(text);
        let out = runs_dir.join(run.to_string());
        let started = Instant::now();
        let (generated, times) =
            generator::generate_timed(text, options).map_err(|errors| errors.to_string())?;
        let writing = Instant::now();
        oapic::write::plan(&out, &generated.files)
            .and_then(oapic::write::Plan::apply)
            .map_err(|error| format!("{}: {error}", out.display()))?;
        samples.push((times, writing.elapsed(), started.elapsed()));
        operations = generated.operations;
    }
    crate::remove_dir(crate_dir)?;
    let last = runs_dir.join((runs - 1).to_string());
    std::fs::rename(&last, crate_dir)
        .map_err(|error| format!("{}: {error}", crate_dir.display()))?;
    crate::remove_dir(&runs_dir)?;
    let stage = |pick: &dyn Fn(&(StageTimes, Duration, Duration)) -> Duration| {
        median(samples.iter().map(|sample| pick(sample).as_secs_f64()))
    };
    Ok(Generation {
        operations,
        load: stage(&|sample| sample.0.load),
        lower: stage(&|sample| sample.0.lower),
        emit: stage(&|sample| sample.0.emit),
        format: stage(&|sample| sample.0.format),
        emit_wall: stage(&|sample| sample.0.emit_wall),
        emit_threads: samples.first().map_or(1, |sample| sample.0.emit_threads),
        write: stage(&|sample| sample.1),
        total: stage(&|sample| sample.2),
    })
}

/// The parse floor: the fastest of the ways tried, with its name.
struct Floor {
    way: &'static str,
    seconds: f64,
}

/// One way to read a spec into `openapiv3::OpenAPI`.
type ParseWay = (&'static str, fn(&str) -> Result<openapiv3::OpenAPI, String>);

/// The ways to parse tried for the floor.
const PARSE_WAYS: [ParseWay; 3] = [
    ("serde_json::from_str", |text| {
        serde_json::from_str(text).map_err(|error| error.to_string())
    }),
    ("serde_saphyr::from_str", |text| {
        serde_saphyr::from_str(text).map_err(|error| error.to_string())
    }),
    (
        "serde_saphyr::from_str to serde_json::Value, then from_value",
        |text| {
            let value: serde_json::Value =
                serde_saphyr::from_str(text).map_err(|error| error.to_string())?;
            serde_json::from_value(value).map_err(|error| error.to_string())
        },
    ),
];

/// The parse times of every way that reads the spec, sampled between the generation runs so
/// that both see the same machine.
struct ParseFloor {
    ways: Vec<(ParseWay, Vec<f64>)>,
}

impl ParseFloor {
    /// The ways that read `text`.
    fn new(text: &str) -> Result<Self, String> {
        let ways: Vec<(ParseWay, Vec<f64>)> = PARSE_WAYS
            .into_iter()
            .filter(|(_, parse)| parse(text).is_ok())
            .map(|way| (way, Vec::new()))
            .collect();
        if ways.is_empty() {
            return Err("no parser reads the spec into openapiv3::OpenAPI".to_owned());
        }
        Ok(Self { ways })
    }

    /// Parses `text` once each way.
    fn sample(&mut self, text: &str) {
        for ((_, parse), samples) in &mut self.ways {
            let started = Instant::now();
            let parsed = parse(text);
            samples.push(started.elapsed().as_secs_f64());
            drop(parsed);
        }
    }

    /// The way with the smallest median.
    fn fastest(&self) -> Floor {
        self.ways
            .iter()
            .map(|((way, _), samples)| Floor {
                way,
                seconds: median(samples.iter().copied()),
            })
            .min_by(|a, b| a.seconds.total_cmp(&b.seconds))
            .unwrap_or(Floor {
                way: "none",
                seconds: f64::NAN,
            })
    }
}

/// What the generated crate holds.
struct CrateSize {
    files: usize,
    lines: usize,
    structs: usize,
    enums: usize,
    derives: usize,
    serde_objects: usize,
    /// `pub async fn` lines: the methods of a client made of async functions.
    async_fns: usize,
}

impl CrateSize {
    /// Counts the Rust files under `crate_dir/src` and what they declare.
    fn of(crate_dir: &Path) -> Result<Self, String> {
        let mut size = CrateSize {
            files: 0,
            lines: 0,
            structs: 0,
            enums: 0,
            derives: 0,
            serde_objects: 0,
            async_fns: 0,
        };
        let mut dirs = vec![crate_dir.join("src")];
        while let Some(dir) = dirs.pop() {
            let entries =
                std::fs::read_dir(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
            for entry in entries {
                let path = entry.map_err(|error| error.to_string())?.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|extension| extension != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path)
                    .map_err(|error| format!("{}: {error}", path.display()))?;
                size.files += 1;
                for line in text.lines() {
                    size.lines += 1;
                    let line = line.trim_start();
                    if line.starts_with("pub struct ") {
                        size.structs += 1;
                    } else if line.starts_with("pub enum ") {
                        size.enums += 1;
                    } else if let Some(list) = line.strip_prefix("#[derive(") {
                        size.derives += list.split(',').filter(|d| !d.trim().is_empty()).count();
                    } else if line.starts_with("crate::runtime::serde_object!(") {
                        size.serde_objects += 1;
                    } else if line.starts_with("pub async fn ") {
                        size.async_fns += 1;
                    }
                }
            }
        }
        Ok(size)
    }
}

/// The tag features of the generated crate: the list of its `full` feature.
fn tag_features(crate_dir: &Path) -> Result<Vec<String>, String> {
    let path = crate_dir.join("Cargo.toml");
    let manifest =
        std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    let Some(start) = manifest.find("\nfull = [") else {
        return Ok(Vec::new());
    };
    let rest = &manifest[start + "\nfull = [".len()..];
    let list = rest.split(']').next().unwrap_or_default();
    Ok(list
        .split(',')
        .map(|item| item.trim().trim_matches('"').to_owned())
        .filter(|item| !item.is_empty())
        .collect())
}

/// The file to edit for an incremental rebuild: the first of `preferred` under `dir`, or its
/// first module file.
fn edited_file(crate_dir: &Path, dir: &str, preferred: &[&str]) -> Result<String, String> {
    let full = crate_dir.join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&full)
        .map_err(|error| format!("{}: {error}", full.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rs") && name != "mod.rs")
        .collect();
    names.sort();
    let chosen = preferred
        .iter()
        .find(|name| names.iter().any(|have| have == *name))
        .map(|name| (*name).to_owned())
        .or_else(|| names.first().cloned())
        .ok_or_else(|| format!("{} has no module file", full.display()))?;
    Ok(format!("{dir}/{chosen}"))
}

/// Marks `path` as changed without changing it.
fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(std::time::SystemTime::now()))
        .map_err(|error| format!("{}: {error}", path.display()))
}

/// Changes one item of `path`: a doc line numbered `run` before its first public item, so that
/// every run is a real change.
fn add_doc_line(path: &Path, run: usize) -> Result<(), String> {
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let mut out = String::with_capacity(text.len() + 64);
    let mut added = false;
    for line in text.lines() {
        let item = ["pub struct ", "pub enum ", "pub type ", "impl "]
            .iter()
            .any(|start| line.starts_with(start));
        if !added && item {
            out.push_str(&format!(
                "/// Changed by `cargo xtask bench` (run {run}).\n"
            ));
            added = true;
        }
        out.push_str(line);
        out.push('\n');
    }
    std::fs::write(path, out).map_err(|error| format!("{}: {error}", path.display()))
}

/// Runs cargo on the generated crate, alone, in its own target directory.
struct Builder {
    crate_dir: PathBuf,
    target_dir: PathBuf,
    report: PathBuf,
    runs: usize,
}

/// The medians of one build measurement.
#[derive(Clone)]
struct Build {
    wall: f64,
    cpu: f64,
    peak_mib: f64,
}

impl Builder {
    fn cargo(&self, args: &[&str], incremental: bool) -> Command {
        let mut command = Command::new("/usr/bin/time");
        command
            .arg("-v")
            .arg("-o")
            .arg(&self.report)
            .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(args)
            .arg("--quiet")
            .current_dir(&self.crate_dir)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" });
        command
    }

    /// Runs the command once, unmeasured (to build what the measured runs reuse).
    fn warm(&self, args: &[&str], incremental: bool) -> Result<(), String> {
        self.run(args, incremental).map(|_| ())
    }

    fn run(&self, args: &[&str], incremental: bool) -> Result<(f64, f64, f64), String> {
        let started = Instant::now();
        let output = self
            .cargo(args, incremental)
            .output()
            .map_err(|error| format!("cannot run /usr/bin/time -v cargo: {error}"))?;
        let wall = started.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&output.stderr);
        eprint!("{stderr}");
        if !output.status.success() {
            return Err(format!(
                "cargo {} failed ({}): {}",
                args.join(" "),
                output.status,
                compare::error_line(&stderr)
            ));
        }
        let report = std::fs::read_to_string(&self.report)
            .map_err(|error| format!("{}: {error}", self.report.display()))?;
        let field = |name: &str| -> f64 {
            report
                .lines()
                .find_map(|line| line.trim().strip_prefix(name))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(f64::NAN)
        };
        let cpu = field("User time (seconds):") + field("System time (seconds):");
        let peak_mib = field("Maximum resident set size (kbytes):") / 1024.0;
        Ok((wall, cpu, peak_mib))
    }

    /// `prepare(run)` then the command, `runs` times; the medians.
    fn measure(
        &self,
        args: &[&str],
        incremental: bool,
        prepare: impl Fn(usize) -> Result<(), String>,
    ) -> Result<Build, String> {
        let mut samples = Vec::new();
        for run in 0..self.runs {
            prepare(run)?;
            samples.push(self.run(args, incremental)?);
        }
        Ok(Build {
            wall: median(samples.iter().map(|sample| sample.0)),
            cpu: median(samples.iter().map(|sample| sample.1)),
            peak_mib: median(samples.iter().map(|sample| sample.2)),
        })
    }
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Where the benchmark ran.
struct Machine {
    cpu: String,
    cores: usize,
    memory: String,
    rustc: String,
    date: String,
    /// The workspace's commit (`git rev-parse --short HEAD`).
    commit: String,
}

impl Machine {
    fn here() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name"))
            .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_owned())
            .unwrap_or_else(|| "unknown".to_owned());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory = meminfo
            .lines()
            .find_map(|line| line.strip_prefix("MemTotal:"))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .map_or_else(
                || "unknown".to_owned(),
                |kib| format!("{:.1} GiB", kib / 1024.0 / 1024.0),
            );
        let output = |program: &str, args: &[&str]| {
            Command::new(program)
                .args(args)
                .output()
                .ok()
                .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
                .unwrap_or_else(|| "unknown".to_owned())
        };
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(0, usize::from),
            memory,
            rustc: output("rustc", &["-V"]),
            date: output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            commit: output("git", &["rev-parse", "--short", "HEAD"]),
        }
    }
}

/// Everything measured, and how to print it.
struct Report {
    spec: String,
    command_line: String,
    runs: usize,
    build_runs: usize,
    generation: Generation,
    floor: Floor,
    size: CrateSize,
    build: Build,
    check: Build,
    single: Build,
    tag: String,
    after_type: Build,
    type_file: String,
    after_operation: Build,
    operation_file: String,
    requests: Option<requests::Requests>,
    /// The other generators, with `--compare`.
    comparison: Option<compare::Comparison>,
    /// The versions of reqwest and serde the crate was built with.
    dependencies: Vec<(String, String)>,
    machine: Machine,
}

fn milliseconds(seconds: f64) -> String {
    format!("{:.1} ms", seconds * 1000.0)
}

fn build_row(what: &str, build: &Build) -> String {
    format!(
        "| {what} | {:.1} s | {:.1} s | {:.0} MiB |",
        build.wall, build.cpu, build.peak_mib
    )
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

impl Report {
    /// Our row of the comparison.
    fn entry(&self) -> compare::Entry {
        compare::Entry {
            name: "ours (oapic)".to_owned(),
            version: format!("{} at {}", env!("CARGO_PKG_VERSION"), self.machine.commit),
            operations: Some(self.generation.operations),
            methods: None,
            generation: Some((self.generation.total, self.runs)),
            size: Some((self.size.files, self.size.lines)),
            build: Some(self.build.clone()),
            check: Some(self.check.clone()),
            dependencies: self.dependencies.clone(),
            failure: None,
        }
    }

    fn markdown(&self) -> String {
        let g = &self.generation;
        let m = &self.machine;
        let s = &self.size;
        let factor = g.total / self.floor.seconds;
        let build_target = PROGENITOR_BUILD_SECONDS / 2.0;
        let share_wall = self.single.wall / self.build.wall;
        let share_cpu = self.single.cpu / self.build.cpu;
        let mut lines = vec![
            "# Benchmarks".to_owned(),
            String::new(),
            format!(
                "Written by `{}` on {}. Every figure is the median of {} runs (generation and \
                 parse) or {} runs (builds); the machine is shared, so wall times are noisy: CPU \
                 time (user + system) is given beside them.",
                self.command_line, m.date, self.runs, self.build_runs
            ),
            String::new(),
            format!(
                "Machine: {}, {} cores available, {} memory; {}.",
                m.cpu, m.cores, m.memory, m.rustc
            ),
            String::new(),
            format!("Spec: `{}`.", self.spec),
            String::new(),
            "## Generation (release build of the generator)".to_owned(),
            String::new(),
            "| stage | time |".to_owned(),
            "|---|---|".to_owned(),
            format!(
                "| load (parse, references, normalising) | {} |",
                milliseconds(g.load)
            ),
            format!("| lower (model and passes) | {} |", milliseconds(g.lower)),
            format!(
                "| emit and format, on {} threads | {} |",
                g.emit_threads,
                milliseconds(g.emit_wall)
            ),
            format!(
                "| &nbsp;&nbsp;of which building tokens (thread time, all threads) | {} |",
                milliseconds(g.emit)
            ),
            format!(
                "| &nbsp;&nbsp;of which syn + prettyplease (thread time, all threads) | {} |",
                milliseconds(g.format)
            ),
            format!(
                "| write (into a new directory) | {} |",
                milliseconds(g.write)
            ),
            format!("| **total** | **{}** |", milliseconds(g.total)),
            format!(
                "| parse floor: `{}` into `openapiv3::OpenAPI` | {} |",
                self.floor.way,
                milliseconds(self.floor.seconds)
            ),
            String::new(),
            "The parse floor is the fastest of the parsers the workspace has (serde-saphyr \
             straight into `openapiv3::OpenAPI`, through a `serde_json::Value`, and serde_json \
             for JSON specs); `docs/decisions/yaml-parser.md` measured the libyaml-based crates \
             at about half serde-saphyr's time on this spec. Write is the `oapic` write plan \
             (each file staged beside its target, then renamed into place)."
                .to_owned(),
            String::new(),
            format!(
                "Generated crate: {} Rust files, {} lines, {} structs, {} enums, {} derive \
                 expansions (`#[derive(..)]` entries), {} `serde_object!` tables.",
                s.files, s.lines, s.structs, s.enums, s.derives, s.serde_objects
            ),
            String::new(),
            "## The generated crate's build (debug, dependencies prebuilt)".to_owned(),
            String::new(),
            "| what | wall | cpu | peak RSS |".to_owned(),
            "|---|---|---|---|".to_owned(),
            build_row(
                "`cargo build`, crate alone (CARGO_INCREMENTAL=0)",
                &self.build,
            ),
            build_row(
                "`cargo check`, crate alone (CARGO_INCREMENTAL=0)",
                &self.check,
            ),
            build_row(
                &format!(
                    "`cargo build --no-default-features --features {}` (CARGO_INCREMENTAL=0)",
                    self.tag
                ),
                &self.single,
            ),
            build_row(
                &format!(
                    "incremental rebuild after a doc line added to `{}`",
                    self.type_file
                ),
                &self.after_type,
            ),
            build_row(
                &format!(
                    "incremental rebuild after a doc line added to `{}`",
                    self.operation_file
                ),
                &self.after_operation,
            ),
            String::new(),
        ];
        if let Some(comparison) = &self.comparison {
            lines.extend(comparison.markdown(&self.entry()));
        }
        lines.extend([
            "## Targets".to_owned(),
            String::new(),
            format!(
                "- Generation at most {GENERATION_FACTOR}× the parse floor: {:.1}× — {}.",
                factor,
                verdict(factor <= GENERATION_FACTOR)
            ),
        ]);
        match &self.comparison {
            Some(comparison) => lines.extend(comparison.build_targets(&self.build)),
            None => lines.push(format!(
                "- Debug build of the crate alone at most half of progenitor's \
                 ({PROGENITOR_BUILD_SECONDS:.0} s, measured earlier, not in this run: the \
                 fallback without `--compare`, which measures the anchors in the run), so \
                 {build_target:.1} s: {:.1} s wall — {}.",
                self.build.wall,
                verdict(self.build.wall <= build_target)
            )),
        }
        lines.extend([
            format!(
                "- Peak RSS of that build at most {PEAK_TARGET_MIB:.0} MiB: {:.0} MiB — {}.",
                self.build.peak_mib,
                verdict(self.build.peak_mib <= PEAK_TARGET_MIB)
            ),
            format!(
                "- One tag's build at most {:.0} % of the full crate's: {:.0} % of the wall time, \
                 {:.0} % of the CPU time — {}.",
                SINGLE_TAG_SHARE * 100.0,
                share_wall * 100.0,
                share_cpu * 100.0,
                verdict(share_wall <= SINGLE_TAG_SHARE && share_cpu <= SINGLE_TAG_SHARE)
            ),
            String::new(),
            format!(
                "How the crate grows with the spec (synthetic specs up to about 11,000 \
                 operations): `{}`, written by `cargo xtask bench --scaling`.",
                scaling::REPORT
            ),
            String::new(),
            self.requests.as_ref().map_or_else(
                || {
                    "Not measured here (`--no-requests`): the per-request overhead against \
                     hand-written reqwest + serde, and the decode throughput of a large list."
                        .to_owned()
                },
                requests::Requests::markdown,
            ),
            String::new(),
            if self.comparison.is_some() {
                String::new()
            } else {
                "Not measured here: the comparison with other generators (progenitor, \
                 openapi-generator, openapi-to-rust; `cargo xtask bench --compare`)."
                    .to_owned()
            },
            String::new(),
            "## Commands".to_owned(),
            String::new(),
            "The crate is generated into `target/bench/bench-client` and built there with \
             `CARGO_TARGET_DIR=target/bench/target`, from the workspace's `Cargo.lock`. The \
             dependencies are built once first, unmeasured. Before each full build or check, \
             `src/lib.rs` is touched; before each incremental rebuild, one doc line is added to \
             the file named."
                .to_owned(),
            String::new(),
            "```sh".to_owned(),
            "CARGO_INCREMENTAL=0 /usr/bin/time -v cargo build --quiet".to_owned(),
            "CARGO_INCREMENTAL=0 /usr/bin/time -v cargo check --quiet".to_owned(),
            format!(
                "CARGO_INCREMENTAL=0 /usr/bin/time -v cargo build --no-default-features \
                 --features {} --quiet",
                self.tag
            ),
            "CARGO_INCREMENTAL=1 /usr/bin/time -v cargo build --quiet".to_owned(),
            "```".to_owned(),
            String::new(),
        ]);
        lines.dedup_by(|a, b| a.is_empty() && b.is_empty());
        lines.join("\n")
    }
}
