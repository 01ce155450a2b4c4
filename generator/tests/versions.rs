//! The loader reads OpenAPI 3.1 and Swagger 2.0 into the same model as OpenAPI 3.0, and refuses
//! other versions by name. The fixtures are the `oas31_*` and `swagger2_*` specs of
//! `tests/fixtures/`, whose committed clients `cargo test` also compiles.

use generator::{Diagnostic, Severity};

/// The one error for a document of an unsupported version.
fn version_error(text: &str) -> Diagnostic {
    let errors = generator::load::load("spec.yaml", text, &generator::load::NoFiles)
        .expect_err("the version is refused");
    assert_eq!(errors.len(), 1, "{errors}");
    let error = errors.0[0].clone();
    assert_eq!(error.severity, Severity::Error);
    error
}

const SUPPORTED: &str = "this generator reads OpenAPI 3.0.x (3.0.0 to 3.0.4), OpenAPI 3.1.x and \
                         Swagger 2.0";

#[test]
fn other_versions_are_errors_naming_the_version_found_and_those_supported() {
    let info = "info: {title: t, version: '1'}\npaths: {}\n";
    let newer = version_error(&format!("openapi: 4.0.0\n{info}"));
    assert_eq!(
        newer.message,
        format!("`openapi: 4.0.0` is not supported; {SUPPORTED}")
    );
    assert_eq!(newer.location.pointer.as_deref(), Some("#/openapi"));
    assert_eq!(newer.location.line_column, Some((1, 1)));
    let older = version_error(&format!("{info}swagger: '1.2'\n"));
    assert_eq!(
        older.message,
        format!("`swagger: 1.2` is not supported; {SUPPORTED}")
    );
    assert_eq!(older.location.pointer.as_deref(), Some("#/swagger"));
    assert_eq!(older.location.line_column, Some((3, 1)));
    let none = version_error(info);
    assert_eq!(
        none.message,
        format!(
            "this is not an OpenAPI document: it has neither an `openapi` nor a `swagger` field; \
             {SUPPORTED}"
        )
    );
    let json = version_error("{\"openapi\": \"3.2.0\", \"info\": {}, \"paths\": {}}");
    assert_eq!(json.location.line_column, Some((1, 2)));
    for accepted in [
        "openapi: 3.1.0",
        "openapi: 3.1.1",
        "swagger: '2.0'",
        "swagger: 2.0",
    ] {
        let text = format!("{accepted}\n{info}");
        let loaded = generator::load::load("spec.yaml", &text, &generator::load::NoFiles)
            .unwrap_or_else(|errors| panic!("{accepted}: {errors}"));
        assert_eq!(loaded.document.openapi, "3.0.3", "{accepted}");
        assert!(
            loaded.warnings.is_empty(),
            "{accepted}: {}",
            loaded.warnings
        );
    }
}
