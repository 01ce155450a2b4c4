//! Tests of the generated client on the wire; the tests live in `tests/`.
