//! Running cargo on generated crates and reading its JSON messages (`--message-format=json`).
//!
//! Compiler warnings are denied by reading them from these messages rather than by setting
//! `RUSTFLAGS=-D warnings`, because changing `RUSTFLAGS` would rebuild every dependency. Every
//! command uses the workspace's `target/` directory, so dependency builds are shared.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Instant;

/// `cargo <subcommand>` with the workspace's target directory, cargo's own colours off (its
/// standard error is read line by line) and JSON messages on standard output.
pub fn command(root: &Path, subcommand: &str) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .arg(subcommand)
        .arg("--color=never")
        .arg("--message-format=json")
        .env("CARGO_TARGET_DIR", root.join("target"));
    command
}

/// Where a compiler message points: the primary span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The file, as rustc names it (relative to the workspace root of the cargo invocation).
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

/// A diagnostic from rustc about one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompilerMessage {
    /// The `Cargo.toml` of the package being compiled.
    pub manifest_path: PathBuf,
    /// `error`, `warning`, `note`, `failure-note`, …
    pub level: String,
    /// The error code or lint name, such as `E0277` or `unused_imports`.
    pub code: Option<String>,
    /// The one-line message.
    pub message: String,
    /// The primary span, when the message has one.
    pub span: Option<Span>,
    /// The message as rustc prints it, with the source excerpt.
    pub rendered: String,
}

impl CompilerMessage {
    /// Whether the message is an error (an internal compiler error included).
    pub fn is_error(&self) -> bool {
        self.level.starts_with("error")
    }

    /// Whether the message is a warning.
    pub fn is_warning(&self) -> bool {
        self.level == "warning"
    }
}

/// One message of cargo's JSON output that the tasks use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A rustc diagnostic.
    Compiler(CompilerMessage),
    /// A target was compiled (or was already up to date).
    Artifact {
        /// The `Cargo.toml` of the package.
        manifest_path: PathBuf,
        /// Whether cargo found it up to date without compiling it.
        fresh: bool,
        /// The executable, for a binary target.
        executable: Option<PathBuf>,
    },
}

/// Reads one line of cargo's standard output; `None` for lines that are not JSON or are other
/// messages (build scripts, `build-finished`).
pub fn parse_message(line: &str) -> Option<Message> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    let manifest_path = PathBuf::from(value["manifest_path"].as_str()?);
    match value["reason"].as_str()? {
        "compiler-message" => {
            let message = &value["message"];
            let span = message["spans"]
                .as_array()
                .and_then(|spans| spans.iter().find(|span| span["is_primary"] == true))
                .and_then(|span| {
                    Some(Span {
                        file: span["file_name"].as_str()?.to_owned(),
                        line: span["line_start"].as_u64()?,
                        column: span["column_start"].as_u64()?,
                    })
                });
            Some(Message::Compiler(CompilerMessage {
                manifest_path,
                level: message["level"].as_str()?.to_owned(),
                code: message["code"]["code"].as_str().map(str::to_owned),
                message: message["message"].as_str()?.to_owned(),
                span,
                rendered: message["rendered"].as_str().unwrap_or_default().to_owned(),
            }))
        }
        "compiler-artifact" => Some(Message::Artifact {
            manifest_path,
            fresh: value["fresh"] == true,
            executable: value["executable"].as_str().map(PathBuf::from),
        }),
        _ => None,
    }
}

/// The package whose compilation starts on this line of cargo's standard error
/// (`   Compiling name v1.0.0 (/path)` or `    Checking name v1.0.0 (/path)`).
pub fn unit_started(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let rest = line
        .strip_prefix("Checking ")
        .or_else(|| line.strip_prefix("Compiling "))?;
    let mut words = rest.split_whitespace();
    let name = words.next()?;
    words
        .next()
        .is_some_and(|version| version.starts_with('v'))
        .then_some(name)
}

/// What cargo printed, in the order it arrived, with the time it was read.
#[derive(Debug)]
pub enum Output {
    /// A JSON message from standard output.
    Message(Message, Instant),
    /// A line of standard error (progress, cargo's own errors).
    Stderr(String, Instant),
}

/// Runs `command` (from [`command`]) and hands every message and standard-error line to
/// `on_output` as it arrives. Returns cargo's exit status.
pub fn run(mut command: Command, mut on_output: impl FnMut(Output)) -> Result<ExitStatus, String> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    let (sender, receiver) = mpsc::channel();
    let mut readers = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        let sender = sender.clone();
        readers.push(std::thread::spawn(move || {
            read_lines(stdout, |line| {
                if let Some(message) = parse_message(&line) {
                    let _ = sender.send(Output::Message(message, Instant::now()));
                }
            })
        }));
    }
    if let Some(stderr) = child.stderr.take() {
        let sender = sender.clone();
        readers.push(std::thread::spawn(move || {
            read_lines(stderr, |line| {
                let _ = sender.send(Output::Stderr(line, Instant::now()));
            })
        }));
    }
    drop(sender);
    for output in receiver {
        on_output(output);
    }
    let mut read_error = None;
    for reader in readers {
        match reader.join() {
            Ok(Ok(())) => {}
            Ok(Err(error)) => read_error = Some(error),
            Err(_) => read_error = Some("a reader thread panicked".to_owned()),
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("waiting for cargo: {error}"))?;
    match read_error {
        Some(error) => Err(format!("reading cargo's output: {error}")),
        None => Ok(status),
    }
}

fn read_lines(stream: impl Read, mut on_line: impl FnMut(String)) -> Result<(), String> {
    for line in BufReader::new(stream).lines() {
        on_line(line.map_err(|error| error.to_string())?);
    }
    Ok(())
}

/// Runs a `cargo build` `command` (with `--message-format=json`, as [`command`] sets) that
/// builds one executable, `what`, and returns its path. Compiler output is shown as it comes;
/// a failed build and any compiler warning are errors.
pub fn build_executable(command: Command, what: &str) -> Result<PathBuf, String> {
    let mut warnings = 0;
    let mut executable = None;
    let status = run(command, |output| match output {
        Output::Message(Message::Compiler(message), _) => {
            if message.is_warning() {
                warnings += 1;
            }
            eprint!("{}", message.rendered);
        }
        Output::Message(
            Message::Artifact {
                executable: Some(path),
                ..
            },
            _,
        ) => executable = Some(path),
        Output::Message(Message::Artifact { .. }, _) => {}
        Output::Stderr(line, _) => eprintln!("{line}"),
    })?;
    if !status.success() {
        return Err(format!("building {what} failed ({status})"));
    }
    if warnings > 0 {
        return Err(format!("{what}: {warnings} compiler warning(s)"));
    }
    executable.ok_or_else(|| format!("cargo reported no executable for {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rustc error as cargo 1.95 prints it (the explanation shortened).
    const ERROR_LINE: &str = r#"{"reason":"compiler-message","package_id":"path+file:///w/target/corpus/mastodon-local#corpus-mastodon-local@0.1.0","manifest_path":"/w/target/corpus/mastodon-local/Cargo.toml","target":{"kind":["lib"],"crate_types":["lib"],"name":"corpus_mastodon_local","src_path":"/w/target/corpus/mastodon-local/src/lib.rs","edition":"2024","doc":true,"doctest":true,"test":true},"message":{"$message_type":"diagnostic","message":"the size for values of type `[Item]` cannot be known at compilation time","code":{"code":"E0277","explanation":"You tried to use a type..."},"level":"error","spans":[{"file_name":"mastodon-local/src/operations/default.rs","byte_start":10,"byte_end":20,"line_start":2756,"line_end":2756,"column_start":45,"column_end":55,"is_primary":false,"text":[],"label":null,"suggested_replacement":null,"suggestion_applicability":null,"expansion":null},{"file_name":"mastodon-local/src/operations/default.rs","byte_start":30,"byte_end":40,"line_start":2757,"line_end":2757,"column_start":9,"column_end":19,"is_primary":true,"text":[],"label":"doesn't have a size known at compile-time","suggested_replacement":null,"suggestion_applicability":null,"expansion":null}],"children":[],"rendered":"error[E0277]: the size for values of type `[Item]` cannot be known at compilation time\n"}}"#;

    #[test]
    fn reads_a_compiler_error_with_its_primary_span() {
        let Some(Message::Compiler(message)) = parse_message(ERROR_LINE) else {
            panic!("not read as a compiler message");
        };
        assert_eq!(
            message.manifest_path,
            PathBuf::from("/w/target/corpus/mastodon-local/Cargo.toml")
        );
        assert!(message.is_error());
        assert!(!message.is_warning());
        assert_eq!(message.code.as_deref(), Some("E0277"));
        assert_eq!(
            message.message,
            "the size for values of type `[Item]` cannot be known at compilation time"
        );
        assert_eq!(
            message.span,
            Some(Span {
                file: "mastodon-local/src/operations/default.rs".to_owned(),
                line: 2757,
                column: 9,
            })
        );
        assert!(message.rendered.starts_with("error[E0277]"));
    }

    #[test]
    fn reads_a_lint_warning_without_a_span() {
        let line = r#"{"reason":"compiler-message","manifest_path":"/w/a/Cargo.toml","message":{"message":"unused import: `types::*`","code":{"code":"unused_imports","explanation":null},"level":"warning","spans":[],"rendered":"warning: unused import\n"}}"#;
        let Some(Message::Compiler(message)) = parse_message(line) else {
            panic!("not read as a compiler message");
        };
        assert!(message.is_warning());
        assert!(!message.is_error());
        assert_eq!(message.code.as_deref(), Some("unused_imports"));
        assert_eq!(message.span, None);
    }

    #[test]
    fn reads_artifacts_and_skips_other_lines() {
        let artifact = r#"{"reason":"compiler-artifact","package_id":"x","manifest_path":"/w/h/Cargo.toml","target":{"kind":["bin"],"name":"h"},"profile":{},"features":[],"filenames":["/t/debug/h"],"executable":"/t/debug/h","fresh":true}"#;
        assert_eq!(
            parse_message(artifact),
            Some(Message::Artifact {
                manifest_path: PathBuf::from("/w/h/Cargo.toml"),
                fresh: true,
                executable: Some(PathBuf::from("/t/debug/h")),
            })
        );
        assert_eq!(
            parse_message(r#"{"reason":"build-finished","success":false}"#),
            None
        );
        assert_eq!(parse_message("    Checking serde v1.0.0"), None);
    }

    #[test]
    fn finds_the_package_a_progress_line_starts() {
        assert_eq!(
            unit_started(
                "    Checking corpus-hetzner-cloud v1.0.0 (/w/target/corpus/hetzner-cloud)"
            ),
            Some("corpus-hetzner-cloud")
        );
        assert_eq!(
            unit_started("   Compiling serde_json v1.0.154"),
            Some("serde_json")
        );
        assert_eq!(
            unit_started("error: could not compile `corpus-x` (lib) due to 3 previous errors"),
            None
        );
        assert_eq!(unit_started("    Checking the manifest"), None);
    }
}
