//! Each configuration option does what it says, on the fixtures that `cargo xtask codegen`
//! also generates as committed clients (`tests/clients/config-*`, compiled by `cargo test`).

use std::path::Path;

use generator::{Config, GeneratedCrate, Options};

/// Generates the fixture `name` with its configuration `name.toml`, or with `config`.
fn generate(name: &str, config: Option<Config>) -> GeneratedCrate {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = std::fs::read_to_string(fixtures.join(format!("{name}.yaml"))).expect("the spec");
    let config = config.unwrap_or_else(|| {
        let path = format!("{name}.toml");
        let toml = std::fs::read_to_string(fixtures.join(&path)).expect("the configuration");
        Config::from_toml(&path, &toml).expect("the configuration reads")
    });
    let options = Options::new(name.replace('_', "-")).config(config);
    generator::generate(&text, &options).unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
}

/// Every Rust file of the crate, one after the other.
fn rust_text(generated: &GeneratedCrate) -> String {
    generated
        .files
        .iter()
        .filter(|(path, _)| {
            path.extension().is_some_and(|extension| extension == "rs")
                && !path.starts_with("src/runtime")
        })
        .map(|(_, text)| text.as_str())
        .collect()
}

#[test]
fn an_excluded_tag_takes_its_operations_and_the_types_only_they_use() {
    let everything = generate("config_selection", Some(Config::default()));
    assert_eq!(everything.operations, 3);
    assert!(rust_text(&everything).contains("pub struct Store "));

    let selected = generate("config_selection", None);
    let text = rust_text(&selected);
    assert_eq!(selected.operations, 1, "listPets only");
    assert!(text.contains("pub fn list_pets("), "{text}");
    assert!(!text.contains("fn delete_pet("), "deletePet is excluded");
    assert!(!text.contains("fn list_stores("), "Stores is not included");
    assert!(text.contains("pub struct Pet ") && text.contains("pub struct Owner "));
    assert!(
        !text.contains("Store"),
        "StoreList and Store are only reached from listStores"
    );
    assert!(!selected.files.contains_key(Path::new("src/types/store.rs")));
}

#[test]
fn a_renamed_type_property_and_operation_are_renamed_everywhere() {
    let generated = generate("config_names_and_types", None);
    let text = rust_text(&generated);
    assert!(text.contains("pub struct NewOrganization "), "{text}");
    assert!(
        !text.contains("OrganizationRequest {"),
        "no type keeps the old name"
    );
    assert!(
        text.contains("pub request: Option<NewOrganization>"),
        "{text}"
    );
    assert!(text.contains("body: &NewOrganization"), "{text}");
    assert!(
        text.contains("#[serde(rename = \"created_at\")]\n    pub created: String"),
        "the field is renamed, the wire name kept: {text}"
    );
    assert!(text.contains("pub fn found_organization("), "{text}");
    assert!(!text.contains("fn create_organization("), "{text}");
}

#[test]
fn mapped_schemas_and_formats_use_the_given_rust_types() {
    let generated = generate("config_names_and_types", None);
    let text = rust_text(&generated);
    assert!(
        text.contains("pub visits: Option<u64>"),
        "schema mapping: {text}"
    );
    assert!(
        text.contains("pub gateway: Option<std::net::Ipv4Addr>"),
        "format mapping: {text}"
    );
    assert!(
        text.contains("pub address: Option<std::net::IpAddr>"),
        "x-rust-type: {text}"
    );
    assert!(
        !generated
            .files
            .contains_key(Path::new("src/types/counter.rs")),
        "a mapped schema generates no type"
    );
}

#[test]
fn metadata_and_the_default_server_come_from_the_configuration_and_info() {
    let generated = generate("config_names_and_types", None);
    let manifest = &generated.files[Path::new("Cargo.toml")];
    for line in [
        "version = \"2.0.0\"",
        "description = \"Organizations, configured\"",
        "license = \"Apache-2.0\"",
        "homepage = \"https://example.com/api\"",
        "repository = \"https://example.com/repo\"",
        "readme = \"README.md\"",
    ] {
        assert!(manifest.contains(line), "{line} in\n{manifest}");
    }
    let client = &generated.files[Path::new("src/client.rs")];
    assert!(
        client.contains("pub const DEFAULT_BASE_URL: &str = \"https://staging.example.com\";"),
        "{client}"
    );
    let readme = &generated.files[Path::new("README.md")];
    assert!(readme.contains("client.found_organization("), "{readme}");
}

#[test]
fn configured_dependencies_go_into_the_manifest() {
    let config = Config::from_toml(
        "extra.toml",
        "[dependencies]\nrust_decimal = { version = \"1\", features = [\"serde-str\"] }\n",
    )
    .expect("the configuration reads");
    let generated = generate("config_selection", Some(config));
    let manifest = &generated.files[Path::new("Cargo.toml")];
    assert!(
        manifest.contains("rust_decimal = { features = [\"serde-str\"], version = \"1\" }"),
        "{manifest}"
    );
    assert!(
        generated
            .dependencies
            .iter()
            .any(|line| line.starts_with("rust_decimal = ")),
        "{:?}",
        generated.dependencies
    );
}

#[test]
fn a_rename_that_names_nothing_is_a_warning() {
    let config = Config::from_toml("typo.toml", "[rename]\ntypes = { Pett = \"Animal\" }\n")
        .expect("the configuration reads");
    let generated = generate("config_selection", Some(config));
    assert!(
        generated
            .warnings
            .to_string()
            .contains("the type rename `Pett` names no component schema"),
        "{}",
        generated.warnings
    );
}
