//! `cargo xtask conformance` and `cargo xtask roundtrip`: check a generated client against an
//! independent reading of its spec.
//!
//! Both generate the client (default: the full Qovery spec) and a harness crate for it under
//! `target/conformance/`, sample the inputs with `xtask/js/sample.mjs` (openapi-sampler and
//! json-schema-faker, from `npm ci`), and build the harness with the workspace's target directory,
//! failing on any compiler warning. `conformance` then starts Prism mock servers and calls every
//! operation through the typed client, and runs the round trip; `roundtrip` runs only the round
//! trip, without Prism.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use generator::Options;
use generator::harness::HarnessOptions;

use oapic::write;

use crate::cargo;

/// The spec checked by default: the full Qovery API, vendored in the repository.
const DEFAULT_SPEC: &str = "tests/specs/qovery.yaml";
/// The package name of the client under test.
const CLIENT_NAME: &str = "qovery-full";
/// The package name of the harness.
const HARNESS_NAME: &str = "conformance-harness";
/// Prism's `--seed` for each dynamic server. The static checks use the first server.
const SEEDS: &[u32] = &[1, 2, 3];
/// The json-schema-faker file Prism loads, and the fix from
/// `patches/@stoplight+prism-http++json-schema-faker+0.5.8.patch` (applied by `npm ci`).
const PATCHED_FAKER: &str =
    "node_modules/@stoplight/prism-http/node_modules/json-schema-faker/dist/main.cjs";
const FAKER_FIX: &str =
    "function shouldClean(key, schema) {\n  if (!schema) {\n    return false;\n  }";
/// How long Prism may take to load the spec and listen.
const PRISM_START_TIMEOUT: Duration = Duration::from_secs(120);

/// Which checks to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Every operation against Prism, then the round trip.
    Conformance,
    /// Only the round trip.
    RoundTrip,
}

/// Parses `[--spec PATH]` and runs `task`. `Ok(false)` means some check failed.
pub fn run(task: Task, mut args: impl Iterator<Item = String>) -> Result<bool, String> {
    let mut spec = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => spec = Some(args.next().ok_or("`--spec` needs a value")?),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    let root = crate::workspace_root();
    // A given spec is relative to the current directory, as for `codegen`; the default is
    // relative to the workspace root.
    let (spec_label, spec_path) = match spec {
        Some(spec) => (spec.clone(), PathBuf::from(spec)),
        None => (DEFAULT_SPEC.to_owned(), root.join(DEFAULT_SPEC)),
    };
    let spec_path = std::fs::canonicalize(&spec_path)
        .map_err(|error| format!("{spec_label}: cannot read the spec: {error}"))?;
    let work = root.join("target").join("conformance");
    let started = Instant::now();

    let phase = Instant::now();
    generate(&root, &spec_path, &spec_label, &work)?;
    println!(
        "conformance: generated the client and the harness in {}",
        work.display()
    );
    let plan = work.join("call-plan.json");
    let instances = work.join("schema-instances.json");
    sample(&root, &spec_path, &plan, &instances)?;
    println!(
        "conformance: generate + sample took {:.1} s",
        seconds(phase)
    );

    let phase = Instant::now();
    let harness = build(&root, &work.join("harness"))?;
    println!(
        "conformance: built with zero warnings in {:.1} s",
        seconds(phase)
    );

    let mut passed = true;
    if task == Task::Conformance {
        let phase = Instant::now();
        let servers = SEEDS
            .iter()
            .map(|seed| Prism::start(&root, &spec_path, *seed, &work))
            .collect::<Result<Vec<_>, _>>()?;
        let mut servers = servers;
        for server in &mut servers {
            server.wait_until_ready()?;
        }
        println!(
            "conformance: {} Prism servers ready in {:.1} s",
            servers.len(),
            seconds(phase)
        );
        let mut command = Command::new(&harness);
        command
            .arg("conformance")
            .arg("--plan")
            .arg(&plan)
            .arg("--report")
            .arg(work.join("conformance-report.json"))
            .arg("--static")
            .arg(servers[0].url());
        for server in &servers {
            command
                .arg("--dynamic")
                .arg(server.seed.to_string())
                .arg(server.url());
        }
        passed &= run_harness(command)?;
        drop(servers);
    }
    let mut command = Command::new(&harness);
    command
        .arg("roundtrip")
        .arg("--instances")
        .arg(&instances)
        .arg("--report")
        .arg(work.join("roundtrip-report.json"));
    passed &= run_harness(command)?;
    println!(
        "conformance: done in {:.1} s; reports in {}",
        seconds(started),
        work.display()
    );
    Ok(passed)
}

fn seconds(since: Instant) -> f64 {
    since.elapsed().as_secs_f64()
}

/// Writes the client crate and the harness crate under `work`.
fn generate(root: &Path, spec_path: &Path, spec_label: &str, work: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec_path)
        .map_err(|error| format!("{}: cannot read the spec: {error}", spec_path.display()))?;
    let client_dir = work.join(CLIENT_NAME);
    let mut options = Options::new(CLIENT_NAME)
        .spec_file(spec_label)
        .regenerate_command(format!(
            "cargo xtask codegen --spec {spec_label} --out target/conformance/{CLIENT_NAME} --name {CLIENT_NAME}"
        ));
    options.base_dir = spec_path.parent().map(Path::to_path_buf);
    let failed = |diagnostics: generator::Diagnostics| format!("{diagnostics}");
    let client = generator::generate(&text, &options).map_err(failed)?;
    let (api, _) = generator::lower_spec(&text, &options).map_err(failed)?;
    let harness_files = generator::harness::harness(
        &api,
        &HarnessOptions {
            crate_name: HARNESS_NAME.to_owned(),
            client_package: CLIENT_NAME.to_owned(),
            client_path: format!("../{CLIENT_NAME}"),
        },
    )
    .map_err(failed)?;
    let harness_dir = work.join("harness");
    for (dir, files) in [(&client_dir, &client.files), (&harness_dir, &harness_files)] {
        write::plan(dir, files)
            .and_then(write::Plan::apply)
            .map_err(|error| format!("{}: {error}", dir.display()))?;
    }
    // Start from the workspace's lock file, so that the harness shares its dependency builds.
    let lock = harness_dir.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock)
            .map_err(|error| format!("{}: {error}", lock.display()))?;
    }
    Ok(())
}

/// Runs the sampler script, which writes the call plan and the schema instances.
fn sample(root: &Path, spec: &Path, plan: &Path, instances: &Path) -> Result<(), String> {
    if !root.join("node_modules/.bin/prism").exists() {
        return Err("node_modules is missing: run `npm ci` in the repository root".to_owned());
    }
    let faker = std::fs::read_to_string(root.join(PATCHED_FAKER)).unwrap_or_default();
    if !faker.contains(FAKER_FIX) {
        return Err(format!(
            "{PATCHED_FAKER} lacks the fix in patches/: run `npm ci` in the repository root"
        ));
    }
    let status = Command::new("node")
        .arg(root.join("xtask/js/sample.mjs"))
        .arg(spec)
        .arg(plan)
        .arg(instances)
        .current_dir(root)
        .status()
        .map_err(|error| format!("cannot run node: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the sampler failed ({status})"))
    }
}

/// Builds the harness (and the client) with the workspace's target directory. Any compiler
/// warning fails the build. Returns the harness executable.
fn build(root: &Path, harness_dir: &Path) -> Result<PathBuf, String> {
    let mut command = cargo::command(root, "build");
    command
        .arg("--manifest-path")
        .arg(harness_dir.join("Cargo.toml"));
    cargo::build_executable(command, "the harness (and the generated client)")
}

/// Runs the harness; `Ok(false)` when it reports failures.
fn run_harness(mut command: Command) -> Result<bool, String> {
    let status = command
        .status()
        .map_err(|error| format!("cannot run the harness: {error}"))?;
    match status.code() {
        Some(0) => Ok(true),
        Some(1) => Ok(false),
        _ => Err(format!("the harness failed ({status})")),
    }
}

/// A Prism mock server, killed when dropped.
struct Prism {
    child: Child,
    address: SocketAddr,
    seed: u32,
    log: PathBuf,
}

impl Prism {
    /// Starts `prism mock` with the spec on a free loopback port.
    fn start(root: &Path, spec: &Path, seed: u32, work: &Path) -> Result<Self, String> {
        let address = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|error| format!("cannot find a free port: {error}"))?;
        let log = work.join(format!("prism-seed-{seed}.log"));
        let output =
            std::fs::File::create(&log).map_err(|error| format!("{}: {error}", log.display()))?;
        let errors = output
            .try_clone()
            .map_err(|error| format!("{}: {error}", log.display()))?;
        let child = Command::new(root.join("node_modules/.bin/prism"))
            .arg("mock")
            .arg("--host")
            .arg("127.0.0.1")
            .arg("--port")
            .arg(address.port().to_string())
            .arg("--seed")
            .arg(seed.to_string())
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(errors)
            .spawn()
            .map_err(|error| format!("cannot start Prism: {error}"))?;
        Ok(Self {
            child,
            address,
            seed,
            log,
        })
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Waits until the server accepts connections, or fails if it exits or takes too long.
    fn wait_until_ready(&mut self) -> Result<(), String> {
        let started = Instant::now();
        while started.elapsed() < PRISM_START_TIMEOUT {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "Prism (seed {}) exited ({status}); see {}",
                    self.seed,
                    self.log.display()
                ));
            }
            if TcpStream::connect_timeout(&self.address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!(
            "Prism (seed {}) did not listen on {} within {} s; see {}",
            self.seed,
            self.address,
            PRISM_START_TIMEOUT.as_secs(),
            self.log.display()
        ))
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
