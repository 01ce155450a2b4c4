//! Any text as a spec: load, lower and emit must never panic, hang or overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        generator_fuzz::generate(text);
    }
});
