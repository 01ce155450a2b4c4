//! The loader, through the lowered model and the diagnostics: `$ref`s to any JSON pointer and
//! to other files, what cannot be followed, and what does not fit OpenAPI 3.0 (other versions
//! are in `versions.rs`). The fixtures are in `tests/fixtures/load/`.

use std::path::{Path, PathBuf};

use generator::model::{Api, Field, ParameterLocation, Presence, TypeDef, TypeKind, TypeRef};
use generator::{Diagnostic, Diagnostics, Options, Severity};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/load")
}

/// The options for the fixture at `path` (relative to the fixtures), reading other files from
/// its directory when `read_files`.
fn options(path: &str, read_files: bool) -> Options {
    let spec = fixtures().join(path);
    let mut options = Options::new("load-client")
        .spec_file(format!("fixtures/{path}"))
        .regenerate_command("cargo xtask codegen");
    options.base_dir = read_files.then(|| spec.parent().expect("a directory").to_path_buf());
    options
}

/// Lowers the fixture at `path`.
fn lowered(path: &str, read_files: bool) -> (Api, Diagnostics) {
    let text = std::fs::read_to_string(fixtures().join(path)).expect("the fixture is readable");
    generator::lower_spec(&text, &options(path, read_files))
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

fn type_def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|definition| definition.name == name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
            panic!("no type {name} in {names:?}")
        })
}

fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
    match &type_def(api, name).kind {
        TypeKind::Struct(structure) => &structure.fields,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn field<'a>(api: &'a Api, owner: &str, wire_name: &str) -> &'a Field {
    fields(api, owner)
        .iter()
        .find(|field| field.wire_name == wire_name)
        .unwrap_or_else(|| panic!("{owner} has no field {wire_name}"))
}

fn alias(api: &Api, name: &str) -> TypeRef {
    match &type_def(api, name).kind {
        TypeKind::Alias(target) => target.clone(),
        other => panic!("{name} is not an alias: {other:?}"),
    }
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a generator::model::Operation {
    api.operations
        .iter()
        .find(|operation| operation.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

/// Each diagnostic as `file pointer: message`, with `[skipped]` for what was left out.
fn lines(diagnostics: &Diagnostics) -> Vec<String> {
    diagnostics.0.iter().map(line).collect()
}

fn line(diagnostic: &Diagnostic) -> String {
    format!(
        "{}{} {}: {}",
        if diagnostic.skipped { "[skipped] " } else { "" },
        diagnostic.file,
        diagnostic.location.pointer.as_deref().unwrap_or("-"),
        diagnostic.message
    )
}

/// The diagnostic at `file` and `pointer`, whose message contains `text`.
fn find<'a>(diagnostics: &'a Diagnostics, file: &str, pointer: &str, text: &str) -> &'a Diagnostic {
    diagnostics
        .0
        .iter()
        .find(|diagnostic| {
            diagnostic.file == file
                && diagnostic.location.pointer.as_deref() == Some(pointer)
                && diagnostic.message.contains(text)
        })
        .unwrap_or_else(|| {
            panic!(
                "no diagnostic at {file} {pointer} saying {text:?} in\n{}",
                lines(diagnostics).join("\n")
            )
        })
}

#[test]
fn references_into_schemas_are_promoted_to_components() {
    let (api, warnings) = lowered("refs.yaml", false);
    assert!(warnings.is_empty(), "{}", lines(&warnings).join("\n"));
    // `#/components/schemas/Video/properties/owner` is a component named as lower names the
    // inline type, and Video refers to it.
    assert_eq!(field(&api, "Video", "owner").ty, named("VideoOwner"));
    assert_eq!(field(&api, "VideoOwner", "name").ty, named("Chained"));
    assert_eq!(
        type_def(&api, "VideoOwner").origin,
        "#/components/schemas/Video/properties/owner"
    );
    // `tilde~name`, referred to as `tilde~0name`, and a reference to that reference.
    assert_eq!(field(&api, "Video", "size").ty, named("VideoTildeName"));
    assert_eq!(
        field(&api, "Video", "otherSize").ty,
        named("VideoTildeName")
    );
    assert!(matches!(
        type_def(&api, "VideoTildeName").kind,
        TypeKind::StringEnum(_)
    ));
    assert_eq!(
        field(&api, "Video", "tilde~name").ty,
        named("VideoTildeName")
    );
    // A component entry that is a reference into a schema takes the value, under its own name;
    // another component's reference to it stays an alias.
    assert_eq!(alias(&api, "Chained"), TypeRef::String);
    assert_eq!(
        type_def(&api, "Chained").origin,
        "#/components/schemas/Video/properties/owner/properties/name"
    );
    assert_eq!(alias(&api, "Alias"), named("Chained"));
}

#[test]
fn references_under_paths_are_promoted_to_components() {
    let (api, _) = lowered("refs.yaml", false);
    let get = operation(&api, "getVideo");
    let response = get.success[0].body.as_ref().expect("a body");
    assert_eq!(response.ty, named("GetVideoResponse"));
    assert_eq!(
        type_def(&api, "GetVideoResponse").origin,
        "#/paths/~1videos~1{id}/get/responses/200/content/application~1json/schema"
    );
    assert_eq!(
        field(&api, "GetVideoResponse", "owner").ty,
        named("VideoOwner")
    );
    let copy = operation(&api, "copyVideo");
    assert_eq!(
        copy.body.as_ref().expect("a body").ty,
        named("GetVideoResponse")
    );
    let parameter = &copy.parameters[0];
    assert_eq!(parameter.wire_name, "id");
    assert_eq!(parameter.location, ParameterLocation::Path);
    assert_eq!(
        copy.success[0].body.as_ref().expect("a body").ty,
        named("Alias")
    );
}

#[test]
fn references_into_and_to_callbacks_are_followed() {
    let (api, _) = lowered("refs.yaml", false);
    // The request body of the callback's operation, through a percent-escaped pointer.
    let notify = operation(&api, "notify");
    let body = notify.body.as_ref().expect("a body");
    assert_eq!(body.ty, named("Video"));
    // An operation's callback that is a reference is copied in place (openapiv3 reads operation
    // callbacks without references), so the document reads at all.
    let text = std::fs::read_to_string(fixtures().join("refs.yaml")).expect("readable");
    let loaded =
        generator::load::load("refs.yaml", &text, &generator::load::NoFiles).expect("it loads");
    let item = loaded.document.paths.paths["/videos/{id}"]
        .as_item()
        .expect("a path item");
    let callback = &item.get.as_ref().expect("get").callbacks["onDone"];
    assert!(
        callback.contains_key("{$request.body#/url}"),
        "{callback:?}"
    );
    let components = loaded.document.components.expect("components");
    assert!(components.request_bodies.contains_key("PostDoneRequest"));
}

#[test]
fn other_files_are_bundled_into_the_components() {
    let (api, warnings) = lowered("multi/openapi.yaml", true);
    // The component entries that refer to other files take their values under their own keys.
    assert_eq!(
        field(&api, "Problem", "message").presence,
        Presence::Required
    );
    assert_eq!(field(&api, "Problem", "detail").ty, named("Detail"));
    assert_eq!(
        type_def(&api, "Problem").origin,
        "common.yaml#/components/schemas/Problem"
    );
    assert_eq!(field(&api, "Pet", "owner").ty, named("Owner"));
    assert_eq!(type_def(&api, "Pet").origin, "schemas/Pet.yaml#");
    // Owner.yaml and Pet.yaml refer to each other.
    assert_eq!(
        field(&api, "Owner", "pets").ty,
        TypeRef::List(Box::new(named("Pet")))
    );
    assert_eq!(type_def(&api, "Owner").origin, "schemas/Owner.yaml#");
    // A path item file, whose references are relative to it.
    let list = operation(&api, "listPets");
    assert_eq!(list.path, "/pets");
    assert_eq!(
        list.success[0].body.as_ref().expect("a body").ty,
        TypeRef::List(Box::new(named("Pet")))
    );
    let error = list.errors.last().expect("the default response");
    assert_eq!(error.body.as_ref().expect("a body").ty, named("Problem"));
    // A warning about a bundled value names its own file.
    find(
        &warnings,
        "fixtures/multi/common.yaml",
        "#/components/schemas/Detail/properties/hint/required",
        "belongs in the owning schema",
    );
    assert_eq!(
        field(&api, "Detail", "hint").presence,
        Presence::Required,
        "required: true on the property"
    );
}

#[test]
fn a_url_and_a_missing_file_are_warnings_and_degrade_what_they_stand_for() {
    let (api, warnings) = lowered("multi/openapi.yaml", true);
    let remote = operation(&api, "remote");
    assert_eq!(
        remote.success[0].body.as_ref().expect("a body").ty,
        TypeRef::Json
    );
    let url = find(
        &warnings,
        "fixtures/multi/openapi.yaml",
        "#/paths/~1remote/get/responses/200/content/application~1json/schema",
        "`$ref: https://example.com/schemas/Remote.yaml` is a URL",
    );
    assert!(!url.skipped);
    assert!(
        url.message
            .ends_with("the schema is read as any JSON value")
    );
    let missing = operation(&api, "missing");
    let names: Vec<&str> = missing
        .parameters
        .iter()
        .map(|parameter| parameter.wire_name.as_str())
        .collect();
    assert_eq!(names, ["verbose"]);
    let file = find(
        &warnings,
        "fixtures/multi/openapi.yaml",
        "#/paths/~1missing/get/parameters/0",
        "names `fixtures/multi/missing.yaml`, which cannot be read",
    );
    assert!(file.skipped, "{}", line(file));
    assert!(file.message.ends_with("the parameter is left out"));
    assert_eq!(warnings.len(), 3, "{}", lines(&warnings).join("\n"));
    assert!(warnings.0.iter().all(|d| d.severity == Severity::Warning));
}

#[test]
fn without_files_every_other_file_is_a_warning() {
    let (api, warnings) = lowered("multi/openapi.yaml", false);
    assert_eq!(alias(&api, "Pet"), TypeRef::Json);
    assert!(
        api.operations
            .iter()
            .all(|operation| operation.id != "listPets")
    );
    let pets = find(
        &warnings,
        "fixtures/multi/openapi.yaml",
        "#/paths/~1pets",
        "reading other files is turned off",
    );
    assert!(pets.skipped);
    assert!(pets.message.ends_with("the path item is left out"));
    find(
        &warnings,
        "fixtures/multi/openapi.yaml",
        "#/components/schemas/Problem",
        "names `fixtures/multi/common.yaml`, which cannot be read",
    );
}

#[test]
fn what_does_not_fit_is_read_faithfully_or_costs_only_itself() {
    let (api, warnings) = lowered("broken.yaml", false);
    // Read faithfully.
    assert_eq!(field(&api, "Thing", "name").presence, Presence::Required);
    assert_eq!(field(&api, "Thing", "id").ty, TypeRef::I64);
    let list = operation(&api, "listThings");
    let names: Vec<&str> = list
        .parameters
        .iter()
        .map(|parameter| parameter.wire_name.as_str())
        .collect();
    assert_eq!(names, ["limit"], "the body parameter is left out");
    assert_eq!(list.parameters[0].ty, TypeRef::I64);
    // Degraded: the one property schema that is not a schema, and the reference cycle.
    let extra = match &field(&api, "Thing", "extra").ty {
        TypeRef::Named(name) => name.clone(),
        other => panic!("extra is {other:?}"),
    };
    assert_eq!(field(&api, &extra, "weird").ty, TypeRef::Json);
    assert_eq!(field(&api, &extra, "fine").ty, TypeRef::Bool);
    assert_eq!(field(&api, "Thing", "loop").ty, TypeRef::Json);
    // Skipped: the operation that does not fit, and only it.
    assert!(
        api.operations
            .iter()
            .all(|operation| operation.id != "broken")
    );
    assert_eq!(api.operations.len(), 1);
    let file = "fixtures/broken.yaml";
    let expected = [
        (
            "#/components/schemas/Thing/properties/loop",
            "is part of a cycle of `$ref`s; the schema is read as any JSON value",
        ),
        (
            "#/components/schemas/Thing/properties/loopBack",
            "is part of a cycle of `$ref`s; the schema is read as any JSON value",
        ),
        (
            "#/paths/~1things/get/parameters/0",
            "has `type` beside it (Swagger 2.0 style) rather than a `schema`; read as its schema",
        ),
        (
            "#/components/schemas/Thing/properties/id/minimum",
            "`minimum: \"1\"` is read as `minimum: 1`",
        ),
        (
            "#/components/schemas/Thing/properties/name/required",
            "read as the property's name in its owner's `required` list",
        ),
        (
            "#/components/schemas/Thing/properties/kind/type",
            "is read as `type: string, nullable: true`",
        ),
        (
            "#/components/schemas/Thing/properties/kind/enum",
            "are read as that type: 1",
        ),
        (
            "#/components/schemas/Thing/properties/ratio/exclusiveMaximum",
            "read as `maximum: 10, exclusiveMaximum: true`",
        ),
        (
            "#/paths/~1things/get/parameters/1",
            "this parameter does not fit OpenAPI 3.0 (unknown variant `body`",
        ),
        (
            "#/paths/~1broken/get",
            "this operation does not fit OpenAPI 3.0 (invalid type: string \"yes please\", \
             expected a boolean)",
        ),
        (
            "#/components/schemas/Thing/properties/extra/properties/weird",
            "this schema does not fit OpenAPI 3.0 (invalid type: integer `5`",
        ),
    ];
    for (pointer, text) in expected {
        find(&warnings, file, pointer, text);
    }
    let skipped: Vec<&str> = warnings
        .0
        .iter()
        .filter(|diagnostic| diagnostic.skipped)
        .filter_map(|diagnostic| diagnostic.location.pointer.as_deref())
        .collect();
    assert_eq!(
        skipped,
        ["#/paths/~1things/get/parameters/1", "#/paths/~1broken/get"]
    );
    assert_eq!(
        warnings.len(),
        expected.len(),
        "{}",
        lines(&warnings).join("\n")
    );
}

#[test]
fn strict_makes_every_loader_warning_an_error() {
    let text = std::fs::read_to_string(fixtures().join("broken.yaml")).expect("readable");
    let mut options = options("broken.yaml", false);
    options.strict = true;
    let errors = generator::generate(&text, &options).expect_err("strict fails");
    assert!(errors.0.iter().all(|d| d.severity == Severity::Error));
    assert!(errors.len() >= 10, "{errors}");
}

#[test]
fn syntax_errors_and_duplicate_keys_are_fatal_at_their_line() {
    let errors = generator::load::load(
        "spec.yaml",
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\ninfo: {}\npaths: {}\n",
        &generator::load::NoFiles,
    )
    .expect_err("a duplicate key");
    assert_eq!(
        errors.0[0].location.line_column.map(|(line, _)| line),
        Some(3)
    );
    let errors = generator::load::load("spec.json", "{\"openapi\": ", &generator::load::NoFiles)
        .expect_err("a syntax error");
    assert!(
        errors.0[0]
            .message
            .starts_with("the file is not valid JSON")
    );
}

#[test]
fn the_classifier_is_public_for_tools() {
    use generator::load::grammar::{Kind, Place, classify_pointer};
    assert_eq!(
        classify_pointer("#/paths/~1a/get/responses/200/content/application~1json/schema"),
        Place::Object(Kind::Schema)
    );
    assert_eq!(
        classify_pointer("#/components/callbacks/done/{$request.body#~1url}/post"),
        Place::Object(Kind::Operation)
    );
}

/// A spec whose `components/schemas` are `schemas` (JSON), with one operation returning `Root`.
fn spec_with_schemas(schemas: &str, extra: &str) -> String {
    format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}},
        "paths": {{"/r": {{"get": {{"operationId": "root", "responses": {{"200": {{
            "description": "ok", "content": {{"application/json": {{"schema":
            {{"$ref": "#/components/schemas/Root"}}}}}}}}}}}}}}{extra}}},
        "components": {{"schemas": {schemas}}}}}"##
    )
}

#[test]
fn hostile_references_never_panic_and_degrade_with_warnings() {
    let cases = [
        r##"{"Root": {"$ref": ""}}"##,
        r##"{"Root": {"$ref": "#"}}"##,
        r##"{"Root": {"$ref": "#Root"}}"##,
        r##"{"Root": {"$ref": 5}}"##,
        r##"{"Root": {"$ref": "#/components/schemas"}}"##,
        r##"{"Root": {"$ref": "#/components/schemas/Root/properties/a"}}"##,
        r##"{"Root": {"type": "array", "items": [1, 2]}, "B": {"$ref": "#/components/schemas/Root/items/5"}}"##,
        r##"{"Root": {"properties": {"a": {"$ref": "#/components/schemas/Root/properties/a/items"}}}}"##,
        r##"{"Root": {"properties": {"a": {"$ref": "#/paths/~1r/get"}}}}"##,
        r##"{"Root": {"properties": {"a": {"$ref": "#/components/schemas/%ZZ/x"}}}}"##,
        r##"{"Root": {"discriminator": {"propertyName": "k", "mapping": {"a": "nope.yaml#/X", "b": "#/x/y"}}, "oneOf": [{"$ref": "#/components/schemas/B"}]}, "B": {"type": "object"}}"##,
        r##"{"Root": {"$ref": "other.yaml"}, "B": {"$ref": "other.yaml#/B"}}"##,
    ];
    for schemas in cases {
        let text = spec_with_schemas(schemas, "");
        let result = generator::generate(&text, &options("inline.json", false));
        assert!(result.is_ok(), "{schemas}: {result:?}");
    }
    // A callback that includes itself, and a long chain of path items.
    let callback = r##", "/c": {"post": {"operationId": "c", "responses": {"200": {"description": "ok"}},
        "callbacks": {"again": {"$ref": "#/paths/~1c/post/callbacks/again"}}}}"##;
    let text = spec_with_schemas(r#"{"Root": {"type": "string"}}"#, callback);
    let generated = generator::generate(&text, &options("inline.json", false)).expect("generates");
    assert!(
        generated.warnings.to_string().contains("cycle"),
        "{}",
        generated.warnings
    );
    let chain: String = (0..300)
        .map(|index| format!(r##", "/p{index}": {{"$ref": "#/paths/~1p{}"}}"##, index + 1))
        .collect();
    let text = spec_with_schemas(r#"{"Root": {"type": "string"}}"#, &chain);
    let generated = generator::generate(&text, &options("inline.json", false)).expect("generates");
    assert_eq!(generated.operations, 1);
    assert!(
        generated.warnings.len() >= 300,
        "{}",
        generated.warnings.len()
    );
}
