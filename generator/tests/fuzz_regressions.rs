//! Inputs the fuzzers (`fuzz/`, see docs/fuzzing.md) once crashed the generator with: each must
//! now load, lower and emit, or be refused with a diagnostic, without panicking.

use std::path::Path;

#[test]
fn every_crashing_input_found_by_fuzzing_is_handled() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("the regression inputs are readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "spec")
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    for path in inputs {
        // The text fuzzer feeds only UTF-8 to the generator, so every kept input is UTF-8.
        let text = std::fs::read_to_string(&path).expect("the input is readable UTF-8");
        let options =
            generator::Options::new("fuzzed-client").spec_file(path.display().to_string());
        // Refusing the input with diagnostics is fine; a panic fails the test.
        let _ = generator::generate(&text, &options);
    }
}
