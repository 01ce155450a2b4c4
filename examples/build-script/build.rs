//! Generates this crate's client from `petstore.yaml` when the crate builds, as one file in
//! `OUT_DIR` that `src/lib.rs` includes.

use std::path::{Path, PathBuf};

fn main() {
    let spec = "petstore.yaml";
    println!("cargo::rerun-if-changed={spec}");
    let text = std::fs::read_to_string(spec).expect("the spec is readable");
    let options = oapic::Options::new(env!("CARGO_PKG_NAME"))
        .spec_file(spec)
        .regenerate_command("cargo build -p build-script-example")
        .layout(oapic::Layout::Module);
    let generated = oapic::generate(&text, &options).unwrap_or_else(|diagnostics| {
        panic!("{diagnostics}");
    });
    for warning in &generated.warnings.0 {
        println!("cargo::warning={warning}");
    }
    // The crate must declare every dependency the client needs.
    let manifest = std::fs::read_to_string("Cargo.toml").expect("the manifest is readable");
    for dependency in &generated.dependencies {
        let name = dependency.split(' ').next().unwrap_or(dependency);
        assert!(
            manifest
                .lines()
                .any(|line| line.starts_with(&format!("{name} ="))),
            "Cargo.toml lacks the client's dependency `{dependency}`"
        );
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let file = Path::new(oapic::MODULE_FILE);
    std::fs::write(out.join(file), &generated.files[file]).expect("OUT_DIR is writable");
}
