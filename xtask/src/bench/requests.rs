//! `cargo xtask bench`, requests: the generated client's per-request overhead against a
//! hand-written `reqwest` + `serde_json` call, and its decode throughput on a large list, both
//! over loopback HTTP to an in-process server.
//!
//! It writes a binary crate, `target/bench/requests/`, whose `src/main.rs` is
//! `xtask/src/bench/requests/main.rs` (kept in xtask as a template, not compiled into it),
//! with a path dependency on the generated `bench-client` and the generated crate's own version
//! requirements of `reqwest`, `serde_json`, `serde_path_to_error`, `tokio` and `uuid`; builds it
//! in release mode from the workspace's `Cargo.lock` with `CARGO_TARGET_DIR=target/bench/target`,
//! failing on any compiler warning (the check that keeps the template compiling: it compiles
//! only against the full Qovery client); runs it, and keeps the samples it prints in
//! `target/bench/requests/samples.json`. A unit test keeps the template rustfmt-formatted.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::median;
use crate::cargo;

/// The benchmark binary's source.
const MAIN_RS: &str = include_str!("requests/main.rs");
/// Its package name.
const PACKAGE: &str = "bench-requests";
/// Where the samples it printed are kept, in its crate directory.
const SAMPLES: &str = "samples.json";
/// Sequential calls a round, each way.
const REQUESTS: usize = 20_000;
/// The size of the large list body: at least this many bytes.
const LIST_BYTES: usize = 24 * 1024 * 1024;
/// The dependencies the binary shares with the generated crate, at its version requirements.
const SHARED_DEPENDENCIES: [&str; 5] = [
    "reqwest",
    "serde_json",
    "serde_path_to_error",
    "tokio",
    "uuid",
];
/// The tokio features the binary needs for its runtime and its server.
const TOKIO_FEATURES: &str = r#"["rt", "net", "io-util", "time"]"#;

/// The medians measured, in seconds.
pub(super) struct Requests {
    requests: usize,
    rounds: usize,
    organization_bytes: u64,
    generated: f64,
    hand: f64,
    list_bytes: u64,
    list_items: u64,
    list_generated: f64,
    list_hand: f64,
    list_bytes_only: f64,
    list_from_slice: f64,
    list_path_to_error: f64,
}

/// Builds the benchmark against the generated crate in `client_dir` and runs it, `rounds`
/// rounds each way.
pub(super) fn run(
    root: &Path,
    work: &Path,
    client_dir: &Path,
    rounds: usize,
) -> Result<Requests, String> {
    let crate_dir = work.join("requests");
    let manifest = manifest(client_dir)?;
    let src = crate_dir.join("src");
    std::fs::create_dir_all(&src).map_err(|error| format!("{}: {error}", src.display()))?;
    for (path, text) in [
        (crate_dir.join("Cargo.toml"), manifest.as_str()),
        (src.join("main.rs"), MAIN_RS),
    ] {
        std::fs::write(&path, text).map_err(|error| format!("{}: {error}", path.display()))?;
    }
    let lock = crate_dir.join("Cargo.lock");
    std::fs::copy(root.join("Cargo.lock"), &lock)
        .map_err(|error| format!("{}: {error}", lock.display()))?;
    println!("bench: release build of the request benchmark (not measured)");
    let executable = build(&crate_dir, &work.join("target"))?;
    println!(
        "bench: {rounds} rounds of {REQUESTS} getOrganization calls each way, and of a \
         {} MiB listOrganization body",
        LIST_BYTES / 1024 / 1024
    );
    let output = Command::new(&executable)
        .args([REQUESTS, rounds, LIST_BYTES].map(|number| number.to_string()))
        .output()
        .map_err(|error| format!("cannot run {}: {error}", executable.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the request benchmark failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let samples: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|error| format!("the request benchmark printed no JSON: {error}"))?;
    let kept = crate_dir.join(SAMPLES);
    std::fs::write(&kept, &output.stdout)
        .map_err(|error| format!("{}: {error}", kept.display()))?;
    println!("bench: every sample (seconds) is in {}", kept.display());
    Requests::from_samples(&samples)
}

/// The binary's `Cargo.toml`: the generated crate as a path dependency, and the dependencies
/// it shares with it at the generated crate's version requirements.
fn manifest(client_dir: &Path) -> Result<String, String> {
    let path = client_dir.join("Cargo.toml");
    let client =
        std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    let mut lines = vec![
        "[package]".to_owned(),
        format!("name = \"{PACKAGE}\""),
        "version = \"0.0.0\"".to_owned(),
        "edition = \"2024\"".to_owned(),
        "publish = false".to_owned(),
        String::new(),
        "[dependencies]".to_owned(),
        format!("bench-client = {{ path = \"{}\" }}", client_dir.display()),
    ];
    for name in SHARED_DEPENDENCIES {
        let version = dependency_version(&client, name)
            .ok_or_else(|| format!("{}: no version of `{name}`", path.display()))?;
        lines.push(if name == "tokio" {
            format!("{name} = {{ version = \"{version}\", features = {TOKIO_FEATURES} }}")
        } else {
            format!("{name} = \"{version}\"")
        });
    }
    lines.extend([String::new(), "[workspace]".to_owned(), String::new()]);
    Ok(lines.join("\n"))
}

/// The version requirement of dependency `name` in a generated `Cargo.toml`: a line
/// `name = "1"` or `name = { version = "1", … }` of its `[dependencies]`.
fn dependency_version<'m>(manifest: &'m str, name: &str) -> Option<&'m str> {
    let dependencies = manifest.split("\n[dependencies]\n").nth(1)?;
    let value = dependencies
        .lines()
        .take_while(|line| !line.starts_with('['))
        .find_map(|line| line.strip_prefix(name)?.trim_start().strip_prefix('='))?
        .trim();
    let quoted = match value.strip_prefix('{') {
        Some(table) => table
            .split("version")
            .nth(1)?
            .trim_start()
            .strip_prefix('=')?,
        None => value,
    };
    quoted.trim_start().strip_prefix('"')?.split('"').next()
}

/// Builds the binary in release mode; any compiler warning fails. Returns the executable.
fn build(crate_dir: &Path, target_dir: &Path) -> Result<PathBuf, String> {
    let mut command = cargo::command(crate_dir, "build");
    command
        .arg("--release")
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir);
    cargo::build_executable(command, "the request benchmark (and the generated client)")
}

impl Requests {
    /// The medians of the samples the binary printed.
    fn from_samples(samples: &serde_json::Value) -> Result<Self, String> {
        let number = |pointer: &str| {
            samples
                .pointer(pointer)
                .and_then(serde_json::Value::as_u64)
                .ok_or_else(|| format!("the request benchmark printed no `{pointer}`"))
        };
        let median_of = |pointer: &str| {
            samples
                .pointer(pointer)
                .and_then(serde_json::Value::as_array)
                .filter(|values| !values.is_empty())
                .map(|values| median(values.iter().filter_map(serde_json::Value::as_f64)))
                .ok_or_else(|| format!("the request benchmark printed no `{pointer}` samples"))
        };
        let count = |pointer: &str| number(pointer).map(|count| count as usize);
        Ok(Self {
            requests: count("/requests")?,
            rounds: count("/rounds")?,
            organization_bytes: number("/organization_bytes")?,
            generated: median_of("/per_request/generated")?,
            hand: median_of("/per_request/hand")?,
            list_bytes: number("/list/bytes")?,
            list_items: number("/list/items")?,
            list_generated: median_of("/list/generated")?,
            list_hand: median_of("/list/hand")?,
            list_bytes_only: median_of("/list/bytes_only")?,
            list_from_slice: median_of("/list/from_slice")?,
            list_path_to_error: median_of("/list/path_to_error")?,
        })
    }

    /// The report's section: one string of markdown lines.
    pub(super) fn markdown(&self) -> String {
        let micros = |seconds: f64| format!("{:.1} µs", seconds * 1e6);
        let megabytes = self.list_bytes as f64 / 1e6;
        let list_row = |what: &str, seconds: f64| {
            format!(
                "| {what} | {:.1} ms | {:.0} MB/s | {:.0} items/s |",
                seconds * 1000.0,
                megabytes / seconds,
                self.list_items as f64 / seconds
            )
        };
        let overhead = self.generated - self.hand;
        [
            "## Requests (release build, loopback HTTP)".to_owned(),
            String::new(),
            format!(
                "The generated client (default features; `Client::builder()` with a bearer \
                 token: default retries, timeouts, no hooks) against a hand-written call with \
                 `reqwest::Client::new()` and `serde_json::from_slice` into the same generated \
                 type. A minimal keep-alive HTTP/1.1 server on 127.0.0.1 answers fixed bodies on \
                 the same single-threaded tokio runtime as the calls. The binary is \
                 `target/bench/requests` (`xtask/src/bench/requests/main.rs`), built with \
                 `cargo build --release` (the default release profile). Every figure is the \
                 median of {} rounds, after a warm-up; every sample is in \
                 `target/bench/requests/{SAMPLES}`.",
                self.rounds
            ),
            String::new(),
            format!(
                "Per request: `getOrganization` (`GET /organization/{{organizationId}}`, a \
                 {}-byte `Organization`), {} sequential calls a round each way, the two ways \
                 alternating in order from round to round.",
                self.organization_bytes, self.requests
            ),
            String::new(),
            "| way | per request |".to_owned(),
            "|---|---|".to_owned(),
            format!("| generated client | {} |", micros(self.generated)),
            format!("| by hand (reqwest + serde_json) | {} |", micros(self.hand)),
            format!(
                "| **overhead of the generated client** | **{} ({:+.0} %)** |",
                micros(overhead),
                overhead / self.hand * 100.0
            ),
            String::new(),
            format!(
                "Decoding: `listOrganization` (`GET /organization`) answering an \
                 `OrganizationResponseList` of {} organizations (every field set), {:.1} MB; \
                 each decoding is checked to hold them all.",
                self.list_items, megabytes
            ),
            String::new(),
            "| way | time | throughput | items |".to_owned(),
            "|---|---|---|---|".to_owned(),
            list_row("generated client: the call", self.list_generated),
            list_row(
                "by hand: reqwest, then `serde_json::from_slice`",
                self.list_hand,
            ),
            list_row(
                "reqwest: the bytes alone, no decoding",
                self.list_bytes_only,
            ),
            list_row("in memory: `serde_json::from_slice`", self.list_from_slice),
            list_row(
                "in memory: `serde_path_to_error::deserialize` over serde_json (what the \
                 runtime adds, for the error's path, when a body fails to decode)",
                self.list_path_to_error,
            ),
        ]
        .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_versions_come_from_the_generated_manifest() {
        let manifest = "[package]\nname = \"c\"\nversion = \"9\"\n\n[dependencies]\n\
                        reqwest = \"0.13\"\nserde = { version = \"1\", features = [\"derive\"] }\n\
                        serde_json = \"1.0.2\"\n\n[dev-dependencies]\ntokio = \"2\"\n";
        assert_eq!(dependency_version(manifest, "reqwest"), Some("0.13"));
        assert_eq!(dependency_version(manifest, "serde"), Some("1"));
        assert_eq!(dependency_version(manifest, "serde_json"), Some("1.0.2"));
        assert_eq!(dependency_version(manifest, "tokio"), None);
        assert_eq!(dependency_version(manifest, "version"), None);
    }

    #[test]
    fn the_template_is_rustfmt_formatted() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bench/requests/main.rs");
        let status = Command::new("rustfmt")
            .args(["--edition", "2024", "--check"])
            .arg(&path)
            .status()
            .expect("rustfmt runs");
        assert!(
            status.success(),
            "run `rustfmt --edition 2024 {}`",
            path.display()
        );
    }
}
