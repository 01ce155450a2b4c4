//! Snapshots of every generated file: for `spec/openapi.yaml`, and for one small fixture spec per
//! feature. Review changes with `cargo insta review`; CI fails on any difference.

use std::path::Path;

use generator::{GeneratedCrate, Options};

/// Generates the crate for the spec at `path` (relative to the workspace root).
fn generate(path: &str) -> GeneratedCrate {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(path)).expect("the spec is readable");
    let options = Options::new("snapshot-client")
        .spec_file(path)
        .regenerate_command("cargo xtask codegen");
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
        // A path ending in `/` stands for every file under it.
        let matching: Vec<(&Path, &String)> = generated
            .files
            .iter()
            .filter(|(path, _)| match file.strip_suffix('/') {
                Some(dir) => path.starts_with(dir),
                None => path.as_path() == Path::new(file),
            })
            .map(|(path, contents)| (path.as_path(), contents))
            .collect();
        assert!(!matching.is_empty(), "{file} is generated");
        for (path, contents) in matching {
            let path = path.display().to_string();
            let snapshot = format!("{name}__{}", path.replace(['/', '.'], "_"));
            insta::assert_snapshot!(snapshot, contents);
        }
    }
}

const EVERY_FILE: &[&str] = &[
    "Cargo.toml",
    "src/lib.rs",
    "src/client.rs",
    "src/operations/",
    "src/types/",
    "src/runtime/",
];

const TYPES_AND_OPERATIONS: &[&str] = &["src/types/", "src/operations/"];

const OPERATIONS: &[&str] = &["src/operations/"];

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
        &["src/types/"],
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
fn optional_parameters_grouped_in_an_options_struct() {
    assert_crate_snapshots(
        "options_grouped",
        "generator/tests/fixtures/options_grouped.yaml",
        &["src/lib.rs", "src/operations/"],
    );
}

#[test]
fn query_arrays_repeated_or_delimited() {
    assert_crate_snapshots(
        "query_arrays",
        "generator/tests/fixtures/query_arrays.yaml",
        OPERATIONS,
    );
}

#[test]
fn header_parameters() {
    assert_crate_snapshots(
        "header_params",
        "generator/tests/fixtures/header_params.yaml",
        OPERATIONS,
    );
}

#[test]
fn several_success_statuses() {
    assert_crate_snapshots(
        "multiple_success",
        "generator/tests/fixtures/multiple_success.yaml",
        OPERATIONS,
    );
}

#[test]
fn text_yaml_and_bytes_bodies() {
    assert_crate_snapshots(
        "media_types",
        "generator/tests/fixtures/media_types.yaml",
        OPERATIONS,
    );
}

#[test]
fn errors_without_a_body_by_status() {
    assert_crate_snapshots(
        "bodyless_errors",
        "generator/tests/fixtures/bodyless_errors.yaml",
        OPERATIONS,
    );
}

#[test]
fn operations_with_the_same_errors_share_one_enum() {
    assert_crate_snapshots(
        "shared_errors",
        "generator/tests/fixtures/shared_errors.yaml",
        OPERATIONS,
    );
}

#[test]
fn one_module_per_tag() {
    assert_crate_snapshots(
        "tag_modules",
        "generator/tests/fixtures/tag_modules.yaml",
        &["src/operations/mod.rs"],
    );
}

#[test]
fn one_of_with_a_discriminator() {
    assert_crate_snapshots(
        "oneof_discriminator",
        "generator/tests/fixtures/oneof_discriminator.yaml",
        &["src/types/"],
    );
}

#[test]
fn one_of_and_any_of_without_a_discriminator() {
    assert_crate_snapshots(
        "oneof_untagged",
        "generator/tests/fixtures/oneof_untagged.yaml",
        &["src/types/"],
    );
}

#[test]
fn integer_enums() {
    assert_crate_snapshots(
        "integer_enum",
        "generator/tests/fixtures/integer_enum.yaml",
        &["src/types/"],
    );
}

#[test]
fn absent_or_null_defaults_and_maps() {
    assert_crate_snapshots(
        "nullable_patch",
        "generator/tests/fixtures/nullable_patch.yaml",
        &["src/types/"],
    );
}

#[test]
fn keywords_and_name_collisions() {
    assert_crate_snapshots(
        "names",
        "generator/tests/fixtures/names.yaml",
        &["src/types/"],
    );
}

#[test]
fn required_properties_that_are_not_declared() {
    assert_crate_snapshots(
        "required_undeclared",
        "generator/tests/fixtures/required_undeclared.yaml",
        &["src/types/"],
    );
}

#[test]
fn generation_is_deterministic() {
    let first = generate("spec/openapi.yaml");
    let second = generate("spec/openapi.yaml");
    assert_eq!(first, second);
}

#[test]
fn names_that_collide_with_the_runtime_rust_and_the_file_system() {
    assert_crate_snapshots(
        "hostile_names",
        "generator/tests/fixtures/hostile_names.yaml",
        &["src/lib.rs", "src/operations/", "src/types/"],
    );
}

#[test]
fn what_cannot_be_expressed_costs_only_itself() {
    assert_crate_snapshots(
        "skip_dont_stop",
        "generator/tests/fixtures/skip_dont_stop.yaml",
        TYPES_AND_OPERATIONS,
    );
}

#[test]
fn operations_without_an_operation_id() {
    assert_crate_snapshots(
        "missing_operation_ids",
        "generator/tests/fixtures/missing_operation_ids.yaml",
        OPERATIONS,
    );
}

#[test]
fn status_ranges_and_default_responses() {
    assert_crate_snapshots(
        "response_ranges",
        "generator/tests/fixtures/response_ranges.yaml",
        OPERATIONS,
    );
}

#[test]
fn unions_of_enums_primitives_null_and_one_type() {
    assert_crate_snapshots(
        "union_shapes",
        "generator/tests/fixtures/union_shapes.yaml",
        &["src/types/", "src/operations/"],
    );
}

const TYPES: &[&str] = &["src/types/"];

const CLIENT_AND_OPERATIONS: &[&str] = &["src/client.rs", "src/operations/"];

#[test]
fn openapi_31_type_arrays() {
    assert_crate_snapshots(
        "oas31_type_arrays",
        "generator/tests/fixtures/oas31_type_arrays.yaml",
        TYPES,
    );
}

#[test]
fn openapi_31_const() {
    assert_crate_snapshots(
        "oas31_const",
        "generator/tests/fixtures/oas31_const.yaml",
        TYPES,
    );
}

#[test]
fn openapi_31_references_definitions_and_examples() {
    assert_crate_snapshots(
        "oas31_refs",
        "generator/tests/fixtures/oas31_refs.yaml",
        TYPES,
    );
}

#[test]
fn openapi_31_bounds_boolean_schemas_and_null() {
    assert_crate_snapshots(
        "oas31_schema_forms",
        "generator/tests/fixtures/oas31_schema_forms.yaml",
        TYPES,
    );
}

#[test]
fn openapi_31_content_encodings_and_tuples() {
    assert_crate_snapshots(
        "oas31_content",
        "generator/tests/fixtures/oas31_content.yaml",
        TYPES_AND_OPERATIONS,
    );
}

#[test]
fn openapi_31_webhooks_and_path_items() {
    assert_crate_snapshots(
        "oas31_webhooks",
        "generator/tests/fixtures/oas31_webhooks.yaml",
        TYPES_AND_OPERATIONS,
    );
}

#[test]
fn openapi_31_info() {
    assert_crate_snapshots(
        "oas31_info",
        "generator/tests/fixtures/oas31_info.yaml",
        &["src/lib.rs", "src/client.rs"],
    );
}

#[test]
fn swagger_20_definitions_parameters_and_responses() {
    assert_crate_snapshots(
        "swagger2_definitions",
        "generator/tests/fixtures/swagger2_definitions.yaml",
        TYPES_AND_OPERATIONS,
    );
}

#[test]
fn swagger_20_body_and_form_parameters() {
    assert_crate_snapshots(
        "swagger2_bodies",
        "generator/tests/fixtures/swagger2_bodies.yaml",
        OPERATIONS,
    );
}

#[test]
fn swagger_20_consumes_and_produces() {
    assert_crate_snapshots(
        "swagger2_media_types",
        "generator/tests/fixtures/swagger2_media_types.yaml",
        OPERATIONS,
    );
}

#[test]
fn swagger_20_host_base_path_and_schemes() {
    assert_crate_snapshots(
        "swagger2_servers",
        "generator/tests/fixtures/swagger2_servers.yaml",
        &["src/client.rs"],
    );
}

#[test]
fn swagger_20_security_definitions() {
    assert_crate_snapshots(
        "swagger2_security",
        "generator/tests/fixtures/swagger2_security.yaml",
        CLIENT_AND_OPERATIONS,
    );
}

#[test]
fn swagger_20_collection_formats() {
    assert_crate_snapshots(
        "swagger2_collection_formats",
        "generator/tests/fixtures/swagger2_collection_formats.yaml",
        OPERATIONS,
    );
}

#[test]
fn swagger_20_nullable_discriminators_and_files() {
    assert_crate_snapshots(
        "swagger2_schemas",
        "generator/tests/fixtures/swagger2_schemas.yaml",
        TYPES_AND_OPERATIONS,
    );
}

#[test]
fn form_and_multipart_bodies() {
    assert_crate_snapshots(
        "form_bodies",
        "generator/tests/fixtures/form_bodies.yaml",
        TYPES_AND_OPERATIONS,
    );
}
