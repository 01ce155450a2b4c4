//! Hostile specs (`tests/hostile-specs/*.spec`): deep nesting, references to themselves, values of
//! the wrong shape, alias bombs, documents that are not OpenAPI. Each must generate, or be refused
//! with diagnostics that name the file, without panicking. Inputs the fuzzers (`fuzz/`, see
//! docs/fuzzing.md) find go here too, once their cause is fixed.

use std::path::Path;

use generator::Severity;

#[test]
fn hostile_specs_generate_or_are_refused_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile-specs");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("the hostile specs are readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "spec")
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    for path in inputs {
        let text = std::fs::read_to_string(&path).expect("the input is readable UTF-8");
        let file = path.display().to_string();
        let options = generator::Options::new("hostile-client").spec_file(file.clone());
        match generator::generate(&text, &options) {
            Ok(generated) => assert!(
                !generated.files.is_empty(),
                "{file}: generated a crate without files"
            ),
            Err(diagnostics) => {
                assert!(
                    !diagnostics.0.is_empty(),
                    "{file}: refused without a reason"
                );
                for diagnostic in &diagnostics.0 {
                    assert_eq!(diagnostic.file, file, "{diagnostic}");
                }
                assert!(
                    diagnostics
                        .0
                        .iter()
                        .any(|diagnostic| diagnostic.severity == Severity::Error),
                    "{file}: refused with warnings only: {diagnostics}"
                );
            }
        }
    }
}
