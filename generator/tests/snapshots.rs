//! Snapshots of every generated file: for `spec/openapi.yaml`, and for one small fixture spec per
//! feature. Review changes with `cargo insta review`; CI fails on any difference.

use std::path::Path;

use generator::{GeneratedCrate, Options};

/// Generates the crate for the spec at `path` (relative to the workspace root).
fn generate(path: &str) -> GeneratedCrate {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(path)).expect("the spec is readable");
    let options = Options {
        crate_name: "snapshot-client".to_owned(),
        spec_file: path.to_owned(),
        regenerate_command: "cargo xtask codegen".to_owned(),
    };
    generator::generate(&text, &options).unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
}

/// Snapshots each file of the crate generated from `path`, and its warnings.
fn assert_crate_snapshots(name: &str, path: &str, files: &[&str]) {
    let generated = generate(path);
    let listed: Vec<String> = generated
        .files
        .keys()
        .map(|file| file.display().to_string())
        .collect();
    insta::assert_snapshot!(format!("{name}__files"), listed.join("\n"));
    insta::assert_snapshot!(format!("{name}__warnings"), generated.warnings.to_string());
    for file in files {
        let contents = generated
            .files
            .get(Path::new(file))
            .unwrap_or_else(|| panic!("{file} is generated"));
        let snapshot = format!("{name}__{}", file.replace(['/', '.'], "_"));
        insta::assert_snapshot!(snapshot, contents);
    }
}

const EVERY_FILE: &[&str] = &[
    "Cargo.toml",
    "src/lib.rs",
    "src/client.rs",
    "src/operations.rs",
    "src/types.rs",
    "src/runtime.rs",
];

const TYPES_AND_OPERATIONS: &[&str] = &["src/types.rs", "src/operations.rs"];

#[test]
fn default_spec() {
    assert_crate_snapshots("default", "spec/openapi.yaml", EVERY_FILE);
}

#[test]
fn all_of_with_a_ref_chain() {
    assert_crate_snapshots(
        "allof_ref_chain",
        "generator/tests/fixtures/allof_ref_chain.yaml",
        TYPES_AND_OPERATIONS,
    );
}

#[test]
fn enum_with_unknown_values() {
    assert_crate_snapshots(
        "enum_unknown",
        "generator/tests/fixtures/enum_unknown.yaml",
        &["src/types.rs"],
    );
}

#[test]
fn nullable_required_matrix() {
    assert_crate_snapshots(
        "nullable_required",
        "generator/tests/fixtures/nullable_required.yaml",
        TYPES_AND_OPERATIONS,
    );
}

#[test]
fn read_only_and_write_only() {
    assert_crate_snapshots(
        "read_only",
        "generator/tests/fixtures/read_only.yaml",
        TYPES_AND_OPERATIONS,
    );
}

#[test]
fn one_of_with_a_discriminator() {
    assert_crate_snapshots(
        "oneof_discriminator",
        "generator/tests/fixtures/oneof_discriminator.yaml",
        &["src/types.rs"],
    );
}

#[test]
fn one_of_and_any_of_without_a_discriminator() {
    assert_crate_snapshots(
        "oneof_untagged",
        "generator/tests/fixtures/oneof_untagged.yaml",
        &["src/types.rs"],
    );
}

#[test]
fn integer_enums() {
    assert_crate_snapshots(
        "integer_enum",
        "generator/tests/fixtures/integer_enum.yaml",
        &["src/types.rs"],
    );
}

#[test]
fn absent_or_null_defaults_and_maps() {
    assert_crate_snapshots(
        "nullable_patch",
        "generator/tests/fixtures/nullable_patch.yaml",
        &["src/types.rs"],
    );
}

#[test]
fn keywords_and_name_collisions() {
    assert_crate_snapshots(
        "names",
        "generator/tests/fixtures/names.yaml",
        &["src/types.rs"],
    );
}

#[test]
fn generation_is_deterministic() {
    let first = generate("spec/openapi.yaml");
    let second = generate("spec/openapi.yaml");
    assert_eq!(first, second);
}
