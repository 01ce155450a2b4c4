//! Structure-aware: a real spec, parsed to JSON and mutated the way broken specs are broken
//! (keys dropped, values of another type, `$ref`s to anywhere), must generate or be refused
//! with a diagnostic, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = arbitrary::Unstructured::new(data);
    if let Some(text) = generator_fuzz::mutated_spec(&mut input) {
        generator_fuzz::generate(&text);
    }
});
