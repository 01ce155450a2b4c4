//! Integration tests of `xtask corpus` on a tiny corpus of specs the generator must refuse (a
//! syntax error, a document that is not OpenAPI), so that no crate is generated and cargo never
//! runs: the table, the summary, the exit status, the options and the report.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

/// An OpenAPI 3.0 document with a YAML syntax error: `tags: [` on line 6 is never closed.
const BROKEN_YAML: &str = "\
openapi: 3.0.0
info:
  title: Broken
  version: '1'
paths: {}
tags: [
components: {}
";

/// A JSON document that is not OpenAPI at all.
const NOT_OPENAPI: &str = r#"{"hello": "world"}"#;

/// A tiny corpus: two specs and a file that is not a spec.
fn corpus() -> TempDir {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join("specs")).unwrap();
    fs::write(dir.path().join("specs/broken.api.yaml"), BROKEN_YAML).unwrap();
    fs::write(dir.path().join("specs/not-openapi.json"), NOT_OPENAPI).unwrap();
    fs::write(dir.path().join("specs/MANIFEST.tsv"), "file\tversion\n").unwrap();
    dir
}

/// Runs `xtask corpus --dir <dir>/specs --out <dir>/out <args>`.
fn run(dir: &Path, args: &[&str]) -> Output {
    let arg = |path: &Path| path.to_str().unwrap().to_owned();
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("corpus")
        .arg("--dir")
        .arg(arg(&dir.join("specs")))
        .arg("--out")
        .arg(arg(&dir.join("out")))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn report(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("out/report.json")).unwrap()).unwrap()
}

#[test]
fn specs_that_do_not_generate_are_reported_and_fail_the_run() {
    let dir = corpus();
    let output = run(dir.path(), &[]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    let columns = |line: &str| {
        line.split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(columns(lines[0]), "broken.api.yaml 3.0", "{text}");
    assert!(
        lines[0].contains("NOT GENERATED (1 error(s)): error: ")
            && lines[0].contains("broken.api.yaml:"),
        "{text}"
    );
    assert_eq!(columns(lines[1]), "not-openapi.json ?", "{text}");
    assert!(lines[1].contains("NOT GENERATED"), "{text}");
    assert!(lines[2].starts_with("corpus: 0/2 compile ("), "{text}");

    let report = report(dir.path());
    assert_eq!(report["compiled"], 0);
    assert_eq!(report["total"], 2);
    let specs = report["specs"].as_array().unwrap();
    assert_eq!(specs[0]["file"], "broken.api.yaml");
    assert_eq!(specs[0]["package"], "corpus-broken-api");
    assert_eq!(specs[0]["version"], "3.0");
    assert_eq!(specs[0]["generated"], false);
    assert_eq!(specs[0]["compiled"], false);
    assert!(
        specs[0]["generate_error"]
            .as_str()
            .unwrap()
            .contains("broken.api.yaml:"),
        "{report}"
    );
    assert_eq!(specs[1]["version"], "?");
    assert!(!dir.path().join("out/broken-api").exists());
}

#[test]
fn only_and_version_pick_a_subset() {
    let dir = corpus();
    let only = run(dir.path(), &["--only", "openapi"]);
    assert!(
        stdout(&only).contains("corpus: 0/1 compile"),
        "{}",
        stdout(&only)
    );
    assert_eq!(report(dir.path())["specs"][0]["file"], "not-openapi.json");

    let version = run(dir.path(), &["--version", "3.0"]);
    assert!(stdout(&version).contains("corpus: 0/1 compile"));
    assert_eq!(report(dir.path())["specs"][0]["file"], "broken.api.yaml");
    assert_eq!(report(dir.path())["selection"]["version"], "3.0");
}

#[test]
fn bad_options_and_empty_selections_are_usage_errors() {
    let dir = corpus();
    let empty = run(dir.path(), &["--version", "2.0"]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("no spec of the corpus matches"));
    let bad = run(dir.path(), &["--version", "4"]);
    assert_eq!(bad.status.code(), Some(2));
}
