//! Integration tests of the `xtask codegen` command line: bad specs, determinism, `--check`,
//! incremental writes and the summary line. Every run writes into a temporary directory, never
//! into the workspace's `generated-client/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use tempfile::TempDir;

/// The full Qovery spec, vendored in the repository.
const QOVERY_SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/specs/qovery.yaml");

/// A small valid spec whose `Thing.other` property points at a schema that does not exist.
const DANGLING_REF_SPEC: &str = "\
openapi: 3.0.0
info:
  title: Dangling
  version: '1'
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        name:
          type: string
        other:
          $ref: '#/components/schemas/Nope'
";

/// Two operations, one of which takes a request body that does not exist.
const BROKEN_OPERATION_SPEC: &str = "\
openapi: 3.0.0
info:
  title: Half broken
  version: '1'
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
    post:
      operationId: createThing
      requestBody:
        $ref: '#/components/requestBodies/Missing'
      responses:
        '201':
          description: created
";

/// A spec whose `tags: [` on line 6, column 7 is never closed.
const UNCLOSED_BRACKET_SPEC: &str = "\
openapi: 3.0.0
info:
  title: Broken
  version: '1'
paths: {}
tags: [
components: {}
";

/// A Swagger 2.0 document.
const SWAGGER_SPEC: &str = "\
swagger: '1.2'
info:
  title: Old
  version: '1'
paths: {}
";

/// An OpenAPI 4 document.
const OPENAPI_4_SPEC: &str = "\
openapi: 4.0.0
info:
  title: Newer
  version: '1'
paths: {}
";

/// The files of the crate generated from the default spec, as the library makes them.
fn generated_files() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = fs::read_to_string(root.join("spec/openapi.yaml")).expect("the default spec");
    let generated = generator::generate(&text, &generator::Options::new("qovery-client"))
        .expect("the default spec generates");
    generated
        .files
        .keys()
        .map(|path| path.display().to_string())
        .collect()
}

/// Runs `xtask codegen <args>` in `cwd` and returns what it printed.
fn codegen(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the xtask binary runs")
}

/// The standard output of a run, as text.
fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// The standard error of a run, as text.
fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts that a run succeeded, showing its output otherwise.
fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "codegen failed with {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        stdout(output),
        stderr(output)
    );
}

/// A path as the `&str` the command line takes.
fn arg(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("the directory is readable") {
            let path = entry.expect("the entry is readable").path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let relative = path.strip_prefix(root).expect("under root").to_path_buf();
                files.insert(relative, fs::read(&path).expect("the file is readable"));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// The relative paths of a snapshot, for readable assertion messages.
fn file_list(files: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    files
        .keys()
        .map(|path| path.display().to_string())
        .collect()
}

/// Asserts two generated trees are identical, naming the first file that differs.
fn assert_same_tree(first: &BTreeMap<PathBuf, Vec<u8>>, second: &BTreeMap<PathBuf, Vec<u8>>) {
    assert_eq!(file_list(first), file_list(second), "the file lists differ");
    for (path, bytes) in first {
        assert!(
            *bytes == second[path],
            "{} differs between the two runs",
            path.display()
        );
    }
}

/// Writes `text` to `dir/name` and returns the path.
fn write_spec(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).expect("the spec is written");
    path
}

/// Runs codegen on a spec that must be rejected, with an output directory holding a sentinel
/// `Cargo.toml` and a stale generated file. Asserts the exit status, that stderr names `spec`
/// and contains `location`, that nothing panicked and that the output directory is untouched.
/// Returns stderr for further checks.
fn assert_rejected(spec: &Path, location: &str) -> String {
    assert_rejected_with(spec, &[], location)
}

/// [`assert_rejected`] with more command-line arguments (`--strict`).
fn assert_rejected_with(spec: &Path, extra: &[&str], location: &str) -> String {
    let out = TempDir::new().expect("a temporary directory");
    fs::write(out.path().join("Cargo.toml"), "sentinel").expect("the sentinel is written");
    fs::create_dir(out.path().join("src")).expect("src/ is created");
    fs::write(
        out.path().join("src/old.rs"),
        "// @generated by `cargo xtask codegen` from `x.yaml`. Do not edit by hand.\n",
    )
    .expect("the stale generated file is written");
    let before = snapshot(out.path());

    let mut args = vec!["--spec", arg(spec), "--out", arg(out.path())];
    args.extend_from_slice(extra);
    let output = codegen(out.path(), &args);
    let stderr = stderr(&output);

    assert_eq!(output.status.code(), Some(1), "stderr:\n{stderr}");
    assert_eq!(stdout(&output), "", "nothing is printed to stdout");
    assert!(
        stderr.starts_with(&format!("error: {}", spec.display())),
        "stderr does not start with `error: <spec path>`:\n{stderr}"
    );
    assert!(
        stderr.contains(location),
        "stderr does not name `{location}`:\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "the command panicked:\n{stderr}"
    );
    let after = snapshot(out.path());
    assert_eq!(
        file_list(&before),
        file_list(&after),
        "files appeared or vanished"
    );
    assert_eq!(before, after, "the output directory was modified");
    stderr
}

#[test]
fn missing_spec_is_reported_and_nothing_is_written() {
    let dir = TempDir::new().expect("a temporary directory");
    let spec = dir.path().join("does-not-exist.yaml");
    let stderr = assert_rejected(&spec, &format!("{}: ", spec.display()));
    assert!(
        stderr.starts_with(&format!(
            "error: {}: cannot read the spec: ",
            spec.display()
        )),
        "{stderr}"
    );
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let dir = TempDir::new().expect("a temporary directory");
    let spec = write_spec(dir.path(), "broken.yaml", UNCLOSED_BRACKET_SPEC);
    let stderr = assert_rejected(&spec, &format!("{}:6:7: ", spec.display()));
    assert!(stderr.contains("unclosed bracket '['"), "{stderr}");
    assert!(
        stderr.ends_with("\ncodegen: failed with 1 error(s); nothing was written\n"),
        "{stderr}"
    );
}

#[test]
fn a_broken_operation_is_skipped_and_strict_rejects_it() {
    let dir = TempDir::new().expect("a temporary directory");
    let spec = write_spec(dir.path(), "broken.yaml", BROKEN_OPERATION_SPEC);
    let location = format!("{} at #/paths/~1things/post/requestBody: ", spec.display());

    let out = dir.path().join("out");
    let output = codegen(dir.path(), &["--spec", arg(&spec), "--out", arg(&out)]);
    let warnings = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "stderr:\n{warnings}");
    assert!(
        warnings.starts_with(&format!("warning: {location}")),
        "{warnings}"
    );
    assert!(warnings.contains("is left out"), "{warnings}");
    let summary = stdout(&output);
    assert!(
        summary.starts_with("codegen: 1 operations, 0 types, 1 skipped, 1 diagnostics, "),
        "{summary}"
    );
    let operations = fs::read_to_string(out.join("src/operations/default.rs"))
        .expect("the untagged operations are generated");
    assert!(operations.contains("fn list_things("), "{operations}");
    assert!(!operations.contains("create_thing"), "{operations}");

    assert_rejected_with(&spec, &["--strict"], &location);
}

#[test]
fn dangling_ref_names_the_json_pointer() {
    let dir = TempDir::new().expect("a temporary directory");
    let spec = write_spec(dir.path(), "dangling.yaml", DANGLING_REF_SPEC);
    let location = format!(
        "{} at #/components/schemas/Thing/properties/other: ",
        spec.display()
    );

    let out = dir.path().join("out");
    let output = codegen(dir.path(), &["--spec", arg(&spec), "--out", arg(&out)]);
    let warnings = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "stderr:\n{warnings}");
    assert!(
        warnings.starts_with(&format!("warning: {location}")),
        "{warnings}"
    );
    assert!(
        warnings
            .contains("points at nothing in this document; the value is kept as any JSON value"),
        "{warnings}"
    );
    assert!(out.join("src/types/thing.rs").exists());

    let stderr = assert_rejected_with(&spec, &["--strict"], &location);
    assert!(
        stderr.contains("#/components/schemas/Nope` points at nothing"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("\ncodegen: failed with 1 error(s); nothing was written\n"),
        "{stderr}"
    );
}

#[test]
fn swagger_1_2_document_is_rejected_at_swagger() {
    let dir = TempDir::new().expect("a temporary directory");
    let spec = write_spec(dir.path(), "swagger.yaml", SWAGGER_SPEC);
    let stderr = assert_rejected(&spec, &format!("{}:1:1 at #/swagger: ", spec.display()));
    assert!(
        stderr.contains("`swagger: 1.2` is not supported"),
        "{stderr}"
    );
    assert!(stderr.contains("Swagger 2.0"), "{stderr}");
}

#[test]
fn openapi_4_document_is_rejected_at_openapi() {
    let dir = TempDir::new().expect("a temporary directory");
    let spec = write_spec(dir.path(), "openapi4.yaml", OPENAPI_4_SPEC);
    let stderr = assert_rejected(&spec, &format!("{}:1:1 at #/openapi: ", spec.display()));
    assert!(
        stderr.contains("`openapi: 4.0.0` is not supported"),
        "{stderr}"
    );
    assert!(stderr.contains("OpenAPI 3.1.x"), "{stderr}");
}

/// Generates `spec` (or the default spec) twice, each time into `out/` of a fresh temporary
/// directory used as the working directory, so that the `--out` recorded in the file headers is
/// the same. Asserts both trees are identical and returns the first run's output.
fn assert_deterministic(spec: Option<&str>) -> Output {
    let (first_dir, second_dir) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let mut args = vec!["--out", "out"];
    if let Some(spec) = spec {
        args.extend(["--spec", spec]);
    }
    let first = codegen(first_dir.path(), &args);
    assert_success(&first);
    let second = codegen(second_dir.path(), &args);
    assert_success(&second);
    let first_tree = snapshot(&first_dir.path().join("out"));
    let files = file_list(&first_tree);
    if spec.is_none() {
        assert_eq!(files, generated_files());
    } else {
        // The fixed files, and one module per tag under src/operations/.
        for file in [
            "Cargo.toml",
            "src/lib.rs",
            "src/operations/mod.rs",
            "src/types/mod.rs",
        ] {
            assert!(
                files.iter().any(|listed| listed == file),
                "{file} in {files:?}"
            );
        }
        let modules = files
            .iter()
            .filter(|file| file.starts_with("src/operations/"))
            .count();
        assert!(modules > 2, "{files:?}");
    }
    assert_same_tree(&first_tree, &snapshot(&second_dir.path().join("out")));
    assert_eq!(stderr(&first), stderr(&second), "the diagnostics differ");
    first
}

#[test]
fn default_spec_generates_identical_trees() {
    assert_deterministic(None);
}

#[test]
fn qovery_spec_generates_identical_trees() {
    let output = assert_deterministic(Some(QOVERY_SPEC));
    let stdout = stdout(&output);
    let diagnostics: usize = stdout
        .strip_prefix("codegen: 554 operations, ")
        .and_then(|rest| rest.split(", ").nth(2))
        .and_then(|field| field.strip_suffix(" diagnostics"))
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("unexpected summary: {stdout}"));
    assert_eq!(
        stderr(&output).lines().count(),
        diagnostics,
        "one stderr line per diagnostic"
    );
    assert!(!stderr(&output).contains("panicked"));
}

#[test]
fn check_passes_when_fresh_and_reports_stale_and_orphaned_files() {
    let dir = TempDir::new().expect("a temporary directory");
    let out = dir.path().join("client");
    let args = ["--out", arg(&out)];
    let check_args = ["--out", arg(&out), "--check"];
    assert_success(&codegen(dir.path(), &args));

    let fresh = codegen(dir.path(), &check_args);
    assert_success(&fresh);
    assert!(
        stdout(&fresh).ends_with(&format!("; {} is up to date\n", out.display())),
        "{}",
        stdout(&fresh)
    );

    // A hand edit makes exactly that file stale, and --check leaves it as it is.
    let types = out.join("src/types/organization.rs");
    let edited = format!("{}// a hand edit\n", fs::read_to_string(&types).unwrap());
    fs::write(&types, &edited).unwrap();
    let stale = codegen(dir.path(), &check_args);
    let message = stderr(&stale);
    assert_eq!(stale.status.code(), Some(1), "{message}");
    assert_eq!(
        message
            .lines()
            .filter(|line| line.starts_with("stale: "))
            .collect::<Vec<_>>(),
        [format!("stale: {}", types.display())]
    );
    assert!(message.contains("cargo xtask codegen"), "{message}");
    assert!(
        message.contains(&format!(
            "error: {} is stale; run `cargo xtask codegen --out {}`",
            out.display(),
            out.display()
        )),
        "{message}"
    );
    assert_eq!(fs::read_to_string(&types).unwrap(), edited);
    assert_success(&codegen(dir.path(), &args));
    assert_success(&codegen(dir.path(), &check_args));

    // A file with the generated header that is no longer generated is reported, then removed;
    // user files (no header, or the mark only on a later line) and files under target/ stay.
    let header = fs::read_to_string(out.join("src/lib.rs"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned();
    assert!(
        header.contains("@generated by `cargo xtask codegen"),
        "{header}"
    );
    let old = out.join("src/old.rs");
    fs::write(&old, format!("{header}\n\npub fn old() {{}}\n")).unwrap();
    let user = out.join("src/user.rs");
    fs::write(&user, format!("// mine\n{header}\n")).unwrap();
    let build_output = out.join("target/generated.rs");
    fs::create_dir_all(build_output.parent().unwrap()).unwrap();
    fs::write(&build_output, format!("{header}\n")).unwrap();

    let orphaned = codegen(dir.path(), &check_args);
    let message = stderr(&orphaned);
    assert_eq!(orphaned.status.code(), Some(1), "{message}");
    assert!(
        message.starts_with(&format!("no longer generated: {}\n", old.display())),
        "{message}"
    );
    assert!(!message.contains("stale: "), "{message}");
    assert!(!message.contains("user.rs"), "{message}");
    assert!(!message.contains("generated.rs"), "{message}");
    assert!(old.exists(), "--check removed a file");

    let cleaned = codegen(dir.path(), &args);
    assert_success(&cleaned);
    assert!(
        stdout(&cleaned).ends_with(&format!(
            " (0 files written, 1 removed in {})\n",
            out.display()
        )),
        "{}",
        stdout(&cleaned)
    );
    assert!(!old.exists(), "the orphaned generated file was not removed");
    assert_eq!(
        fs::read_to_string(&user).unwrap(),
        format!("// mine\n{header}\n")
    );
    assert!(build_output.exists(), "a file under target/ was removed");
    assert_success(&codegen(dir.path(), &check_args));
}

/// The modification time of a file.
fn modified(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

/// Sets the modification time of a file.
fn set_modified(path: &Path, time: SystemTime) {
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let dir = TempDir::new().expect("a temporary directory");
    let out = dir.path().join("client");
    let args = ["--out", arg(&out)];
    assert_success(&codegen(dir.path(), &args));

    // Put every file's modification time in the past: a rewrite would bring it to now.
    let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let paths: Vec<PathBuf> = generated_files()
        .iter()
        .map(|file| out.join(file))
        .collect();
    for path in &paths {
        set_modified(path, past);
    }
    let again = codegen(dir.path(), &args);
    assert_success(&again);
    assert!(
        stdout(&again).ends_with(&format!(
            " (0 files written, 0 removed in {})\n",
            out.display()
        )),
        "{}",
        stdout(&again)
    );
    for path in &paths {
        assert_eq!(modified(path), past, "{} was rewritten", path.display());
    }

    // After one file changes, only that one is written.
    let client = out.join("src/client.rs");
    fs::write(&client, "// emptied\n").unwrap();
    set_modified(&client, past);
    let repaired = codegen(dir.path(), &args);
    assert_success(&repaired);
    assert!(
        stdout(&repaired).ends_with(&format!(
            " (1 files written, 0 removed in {})\n",
            out.display()
        )),
        "{}",
        stdout(&repaired)
    );
    for path in &paths {
        assert_eq!(
            modified(path) != past,
            *path == client,
            "{} has the wrong modification time",
            path.display()
        );
    }
    let leftovers: Vec<String> = file_list(&snapshot(&out))
        .into_iter()
        .filter(|path| path.ends_with(".xtask-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// Parses `codegen: 1 operations, 5 types, 0 skipped, 0 diagnostics, <N> ms<rest>`, returning `rest`.
fn default_summary_rest(line: &str) -> &str {
    let after = line
        .strip_prefix("codegen: 1 operations, 5 types, 0 skipped, 0 diagnostics, ")
        .unwrap_or_else(|| panic!("unexpected summary: {line}"));
    let (millis, rest) = after
        .split_once(" ms")
        .unwrap_or_else(|| panic!("no ` ms` in the summary: {line}"));
    assert!(
        !millis.is_empty() && millis.bytes().all(|byte| byte.is_ascii_digit()),
        "`{millis}` is not a number of milliseconds: {line}"
    );
    rest
}

#[test]
fn summary_line_counts_the_default_spec() {
    let dir = TempDir::new().expect("a temporary directory");
    let out = dir.path().join("client");
    let output = codegen(dir.path(), &["--out", arg(&out)]);
    assert_success(&output);
    assert_eq!(stderr(&output), "", "no diagnostics for the default spec");
    let stdout = stdout(&output);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert_eq!(
        default_summary_rest(&stdout),
        format!(
            " ({} files written, 0 removed in {})\n",
            generated_files().len(),
            out.display()
        )
    );

    let check = codegen(dir.path(), &["--out", arg(&out), "--check"]);
    assert_success(&check);
    let stdout = self::stdout(&check);
    assert_eq!(
        default_summary_rest(&stdout),
        format!("; {} is up to date\n", out.display())
    );
}

// Regression tests for bugs found by the tests above: nested crates, empty option values,
// invalid crate names, repeated warnings.

#[test]
fn generating_into_a_parent_directory_keeps_nested_generated_crates() {
    let dir = TempDir::new().expect("a temporary directory");
    let nested = dir.path().join("generated-client");
    assert_success(&codegen(dir.path(), &["--out", arg(&nested)]));
    let before = snapshot(&nested);

    let parent = codegen(dir.path(), &["--out", arg(dir.path())]);
    assert_success(&parent);
    assert_eq!(
        snapshot(&nested),
        before,
        "generating into the parent removed the nested crate: {}",
        stdout(&parent)
    );
}

#[test]
fn empty_out_value_is_rejected() {
    let dir = TempDir::new().expect("a temporary directory");
    let output = codegen(dir.path(), &["--out="]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        snapshot(dir.path()).is_empty(),
        "files were written into the working directory"
    );
}

#[test]
fn invalid_crate_name_is_rejected() {
    let dir = TempDir::new().expect("a temporary directory");
    let out = dir.path().join("client");
    let output = codegen(dir.path(), &["--out", arg(&out), "--name", "bad name\"x"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(!out.exists(), "a crate with an invalid name was written");
}

#[test]
fn each_warning_is_reported_once() {
    let dir = TempDir::new().expect("a temporary directory");
    let spec = write_spec(
        dir.path(),
        "shared-base.yaml",
        "\
openapi: 3.0.0
info:
  title: Shared base
  version: '1'
paths: {}
components:
  schemas:
    Base:
      type: object
      properties:
        source:
          oneOf:
            - type: string
            - type: integer
    A:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            a:
              type: string
    B:
      allOf:
        - $ref: '#/components/schemas/Base'
",
    );
    let out = dir.path().join("client");
    let output = codegen(dir.path(), &["--spec", arg(&spec), "--out", arg(&out)]);
    assert_success(&output);
    let stderr = stderr(&output);
    let distinct: std::collections::BTreeSet<&str> = stderr.lines().collect();
    assert_eq!(
        stderr.lines().count(),
        distinct.len(),
        "a warning was repeated:\n{stderr}"
    );
}

/// A spec with one operation per tag in `tags`.
fn tagged_spec(tags: &[&str]) -> String {
    let mut spec = String::from("openapi: 3.0.3\ninfo:\n  title: Tags\n  version: '1'\npaths:\n");
    for (index, tag) in tags.iter().enumerate() {
        spec.push_str(&format!(
            "  /p{index}:\n    get:\n      operationId: op{index}\n      tags: [{tag}]\n      \
             responses:\n        '204':\n          description: OK\n"
        ));
    }
    spec
}

#[test]
fn tag_modules_that_disappear_are_removed_from_the_operations_directory() {
    let dir = TempDir::new().expect("a temporary directory");
    let out = dir.path().join("client");
    let spec = write_spec(dir.path(), "spec.yaml", &tagged_spec(&["Alpha", "Beta"]));
    let args = ["--spec", arg(&spec), "--out", arg(&out)];
    assert_success(&codegen(dir.path(), &args));
    assert!(out.join("src/operations/alpha.rs").exists());
    assert!(out.join("src/operations/beta.rs").exists());

    // The layout before tag modules: a generated src/operations.rs is removed too.
    let header = fs::read_to_string(out.join("src/lib.rs"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned();
    let flat = out.join("src/operations.rs");
    fs::write(&flat, format!("{header}\n")).unwrap();
    let user = out.join("src/operations/mine.rs");
    fs::write(&user, "// mine\n").unwrap();

    write_spec(dir.path(), "spec.yaml", &tagged_spec(&["Alpha"]));
    let check = codegen(dir.path(), &[&args[..], &["--check"]].concat());
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let message = stderr(&check);
    assert!(
        message.contains(&format!(
            "no longer generated: {}",
            out.join("src/operations/beta.rs").display()
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("no longer generated: {}", flat.display())),
        "{message}"
    );

    assert_success(&codegen(dir.path(), &args));
    assert!(out.join("src/operations/alpha.rs").exists());
    assert!(!out.join("src/operations/beta.rs").exists());
    assert!(!flat.exists());
    assert!(
        user.exists(),
        "a file without the generated header was removed"
    );
    assert_success(&codegen(dir.path(), &[&args[..], &["--check"]].concat()));
}

/// The committed clients that `cargo test` compiles (`generated-client/`, `tests/fixture-client/`
/// and one per fixture under `tests/clients/`) are what the generator makes now: a stale client
/// cannot pass the tests.
#[test]
fn committed_clients_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = codegen(&root, &["--check"]);
    assert!(
        output.status.success(),
        "stale committed clients; run `cargo xtask codegen`:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(stdout(&output).contains("tests/clients/hostile-names is up to date"));
}
