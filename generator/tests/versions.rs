//! The loader reads OpenAPI 3.1 and Swagger 2.0 into the same model as OpenAPI 3.0, and refuses
//! other versions by name. The fixtures are the `oas31_*` and `swagger2_*` specs of
//! `tests/fixtures/`, whose committed clients `cargo test` also compiles, and the one petstore
//! of `tests/same-api/` written in each version.

use std::path::Path;

use generator::model::{
    Api, BodyEncoding, Field, ListFormat, Operation, Parameter, ParameterLocation, Presence,
    SecurityKind, TypeDef, TypeKind, TypeRef, UnionDef,
};
use generator::{Diagnostic, Diagnostics, Options, Severity};
use serde_json::Value;

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

/// Lowers the fixture `tests/fixtures/<name>.yaml`.
fn lowered(name: &str) -> (Api, Diagnostics) {
    let path = format!("generator/tests/fixtures/{name}.yaml");
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(&path))
            .expect("the fixture is readable");
    generator::lower_spec(&text, &options(&path)).unwrap_or_else(|errors| panic!("{errors}"))
}

/// Lowers the spec `text`, as the file `spec.yaml`.
fn lowered_text(text: &str) -> (Api, Diagnostics) {
    generator::lower_spec(text, &options("spec.yaml")).unwrap_or_else(|errors| panic!("{errors}"))
}

/// Loads the fixture `tests/fixtures/<name>.yaml` into the OpenAPI 3.0 document.
fn loaded(name: &str) -> generator::load::Loaded {
    let path = format!("generator/tests/fixtures/{name}.yaml");
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(&path))
            .expect("the fixture is readable");
    generator::load::load(&path, &text, &generator::load::NoFiles)
        .unwrap_or_else(|errors| panic!("{errors}"))
}

fn options(spec_file: &str) -> Options {
    Options::new("versions-client")
        .spec_file(spec_file)
        .regenerate_command("cargo xtask codegen")
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

fn field<'a>(api: &'a Api, owner: &str, wire_name: &str) -> &'a Field {
    let TypeKind::Struct(structure) = &type_def(api, owner).kind else {
        panic!("{owner} is not a struct");
    };
    structure
        .fields
        .iter()
        .find(|field| field.wire_name == wire_name)
        .unwrap_or_else(|| panic!("{owner} has no field {wire_name}"))
}

fn union<'a>(api: &'a Api, name: &str) -> &'a UnionDef {
    match &type_def(api, name).kind {
        TypeKind::Union(union) => union,
        other => panic!("{name} is not a union: {other:?}"),
    }
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|operation| operation.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn parameter<'a>(operation: &'a Operation, wire_name: &str) -> &'a Parameter {
    operation
        .parameters
        .iter()
        .find(|parameter| parameter.wire_name == wire_name)
        .unwrap_or_else(|| panic!("{} has no parameter {wire_name}", operation.id))
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

/// Each diagnostic as `pointer: message`.
fn lines(diagnostics: &Diagnostics) -> Vec<String> {
    diagnostics
        .0
        .iter()
        .map(|diagnostic| {
            format!(
                "{}: {}",
                diagnostic.location.pointer.as_deref().unwrap_or("-"),
                diagnostic.message
            )
        })
        .collect()
}

#[test]
fn openapi_31_type_arrays_are_nullable_types_and_unions() {
    let (api, warnings) = lowered("oas31_type_arrays");
    assert!(warnings.is_empty(), "{warnings}");
    let nickname = field(&api, "Pet", "nickname");
    assert_eq!(
        (&nickname.ty, nickname.presence),
        (&TypeRef::String, Presence::RequiredNullable)
    );
    let age = field(&api, "Pet", "age");
    assert_eq!(
        (&age.ty, age.presence),
        (&TypeRef::I32, Presence::OptionalNullable)
    );
    assert_eq!(field(&api, "Pet", "id").ty, named("PetId"));
    let id: Vec<&TypeRef> = union(&api, "PetId")
        .variants
        .iter()
        .map(|variant| &variant.ty)
        .collect();
    assert!(
        id.contains(&&TypeRef::String) && id.contains(&&TypeRef::I64),
        "{id:?}"
    );
    let label = field(&api, "Pet", "label");
    assert_eq!(
        (&label.ty, label.presence),
        (&named("PetLabel"), Presence::OptionalNullable)
    );
    assert_eq!(union(&api, "PetLabel").variants.len(), 2);
    assert_eq!(
        field(&api, "Pet", "tags").ty,
        TypeRef::List(Box::new(TypeRef::Nullable(Box::new(TypeRef::String))))
    );
}

#[test]
fn openapi_31_const_is_a_one_value_enum_and_fixes_a_tag() {
    let (api, warnings) = lowered("oas31_const");
    assert!(warnings.is_empty(), "{warnings}");
    let TypeKind::StringEnum(version) = &type_def(&api, "ApiVersion").kind else {
        panic!("ApiVersion is not an enum");
    };
    let values: Vec<&str> = version
        .variants
        .iter()
        .map(|variant| variant.wire_value.as_str())
        .collect();
    assert_eq!(values, ["v1"]);
    let event = union(&api, "Event");
    assert_eq!(event.discriminator.as_deref(), Some("kind"));
    let tags: Vec<(Option<&str>, &TypeRef)> = event
        .variants
        .iter()
        .map(|variant| (variant.tag.as_deref(), &variant.ty))
        .collect();
    assert_eq!(
        tags,
        [
            (Some("created"), &named("Created")),
            (Some("deleted"), &named("Deleted"))
        ]
    );
}

#[test]
fn openapi_31_references_keep_their_siblings_and_definitions_are_components() {
    let (api, warnings) = lowered("oas31_refs");
    assert!(warnings.is_empty(), "{warnings}");
    let owner = field(&api, "Pet", "owner");
    assert_eq!(owner.ty, named("Owner"));
    assert_eq!(
        owner.docs.as_deref(),
        Some("Who owns the pet (a description beside a `$ref`).")
    );
    for nullable in ["previousOwner", "keeper"] {
        let field = field(&api, "Pet", nullable);
        assert_eq!(
            (&field.ty, field.presence),
            (&named("Owner"), Presence::OptionalNullable),
            "{nullable}"
        );
    }
    assert_eq!(
        field(&api, "Pet", "tags").ty,
        TypeRef::List(Box::new(named("Tag")))
    );
    let main_tag = field(&api, "Pet", "mainTag");
    assert_eq!(main_tag.ty, named("Tag"));
    assert!(main_tag.read_only);
    let tag = type_def(&api, "Tag");
    assert_eq!(tag.origin, "#/components/schemas/Pet/$defs/Tag");
    assert_eq!(
        tag.docs.as_deref(),
        Some("A tag, defined in `$defs` of `Pet`.")
    );
    let loaded = loaded("oas31_refs");
    let schemas = &loaded.document.components.expect("components").schemas;
    let owner = serde_json::to_value(&schemas["Owner"]).expect("a schema");
    assert_eq!(owner["properties"]["id"]["example"], "owner-1");
}

#[test]
fn openapi_31_bounds_booleans_and_null_take_their_30_forms() {
    let (api, warnings) = lowered("oas31_schema_forms");
    assert_eq!(
        lines(&warnings),
        [
            "#/components/schemas/Measurement/properties/removed: this property's schema is \
             `false`: it must be absent, so it is left out of the type (nothing stops a caller \
             from sending it)",
            "#/components/schemas/Nothing: `not` cannot be expressed as a Rust type; the value \
             is kept as JSON",
        ]
    );
    let TypeKind::Struct(measurement) = &type_def(&api, "Measurement").kind else {
        panic!("Measurement is not a struct");
    };
    let names: Vec<&str> = measurement
        .fields
        .iter()
        .map(|field| field.wire_name.as_str())
        .collect();
    assert_eq!(names, ["value", "note", "extra", "cleared"]);
    assert_eq!(field(&api, "Measurement", "extra").ty, TypeRef::Json);
    let cleared = field(&api, "Measurement", "cleared");
    assert_eq!(cleared.presence, Presence::OptionalNullable);
    let loaded = loaded("oas31_schema_forms");
    let schemas = &loaded.document.components.expect("components").schemas;
    let measurement = serde_json::to_value(&schemas["Measurement"]).expect("a schema");
    let value = &measurement["properties"]["value"];
    assert_eq!(
        (
            &value["exclusiveMinimum"],
            value["minimum"].as_f64(),
            &value["exclusiveMaximum"],
            value["maximum"].as_f64()
        ),
        (
            &Value::Bool(true),
            Some(0.0),
            &Value::Bool(true),
            Some(100.0)
        )
    );
    assert_eq!(
        measurement["properties"]["cleared"]["enum"],
        serde_json::json!([null])
    );
}

#[test]
fn openapi_31_content_encodings_are_formats_and_tuples_are_lists() {
    let (api, warnings) = lowered("oas31_content");
    assert_eq!(
        lines(&warnings),
        [
            "#/components/schemas/Photo/properties/point/prefixItems: `prefixItems` (a tuple) \
             has no OpenAPI 3.0 form; every item has the same schema, so it is read as a list \
             of that schema",
            "#/components/schemas/Photo/properties/entry/prefixItems: `prefixItems` (a tuple) \
             has no OpenAPI 3.0 form; it is read as a list of any JSON values",
        ]
    );
    let upload = operation(&api, "uploadPhoto");
    let body = upload.body.as_ref().expect("a body");
    assert_eq!(
        (body.content_type.as_str(), body.encoding, &body.ty),
        ("image/png", BodyEncoding::Bytes, &TypeRef::Bytes)
    );
    assert_eq!(field(&api, "Photo", "thumbnail").ty, TypeRef::String);
    assert_eq!(field(&api, "Photo", "html").ty, TypeRef::String);
    assert_eq!(
        field(&api, "Photo", "point").ty,
        TypeRef::List(Box::new(TypeRef::F64))
    );
    assert_eq!(
        field(&api, "Photo", "entry").ty,
        TypeRef::List(Box::new(TypeRef::Json))
    );
}

#[test]
fn openapi_31_webhook_payloads_are_types_without_methods() {
    let (api, warnings) = lowered("oas31_webhooks");
    assert!(warnings.is_empty(), "{warnings}");
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        ["listPets"],
        "a path item by reference is read, webhooks are not"
    );
    let removed = type_def(&api, "PetRemovedPayload");
    assert_eq!(
        removed.origin,
        "#/webhooks/petRemoved/post/requestBody/content/application~1json/schema"
    );
    assert!(removed.usage.in_responses && !removed.usage.in_requests);
    let docs = removed.docs.as_deref().unwrap_or_default();
    assert!(
        docs.starts_with("Which pet was removed, and when.") && docs.contains("`petRemoved`"),
        "{docs}"
    );
    assert_eq!(
        field(&api, "PetRemovedPayload", "removedAt").ty,
        TypeRef::DateTime
    );
    let pet = type_def(&api, "Pet");
    assert!(pet.usage.in_responses);
    assert!(
        pet.docs
            .as_deref()
            .unwrap_or_default()
            .contains("The payload of the `newPet` webhook"),
        "{:?}",
        pet.docs
    );
}

#[test]
fn openapi_31_info_fields_are_accepted() {
    let (api, warnings) = lowered("oas31_info");
    assert!(warnings.is_empty(), "{warnings}");
    assert_eq!(
        api.description.as_deref(),
        Some(
            "A summary, which OpenAPI 3.1 adds and the crate docs use when there is no \
             description."
        )
    );
    assert_eq!(api.base_url.as_deref(), Some("https://api.example.com/v1"));
}

#[test]
fn openapi_31_lossy_steps_are_warnings_at_their_pointers() {
    let (_, warnings) = lowered_text(
        "openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Odd:
      type: object
      properties:
        tags:
          type: object
          patternProperties: {'^x-': {type: string}}
        flag: {if: {const: 1}, then: {minimum: 1}, else: {maximum: 0}}
        more: {dependentSchemas: {a: {required: [b]}}, dependentRequired: {a: [b]}}
        list: {type: array, contains: {type: string}, minContains: 1}
        names: {type: object, propertyNames: {pattern: '^a'}}
        tree: {$dynamicRef: '#node'}
        closed: {type: object, additionalProperties: true, unevaluatedProperties: false}
",
    );
    let pointers: Vec<String> = warnings
        .0
        .iter()
        .map(|warning| warning.location.pointer.clone().unwrap_or_default())
        .collect();
    let base = "#/components/schemas/Odd/properties";
    let expected: Vec<String> = [
        "tags/patternProperties",
        "flag/if",
        "more/dependentSchemas",
        "more/dependentRequired",
        "list/contains",
        "list/minContains",
        "names/propertyNames",
        "tree/$dynamicRef",
        "closed/unevaluatedProperties",
    ]
    .iter()
    .map(|tail| format!("{base}/{tail}"))
    .collect();
    let mut sorted = pointers.clone();
    sorted.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(sorted, expected_sorted, "{}", lines(&warnings).join("\n"));
}

#[test]
fn swagger_20_sections_and_references_into_them() {
    let (api, warnings) = lowered("swagger2_definitions");
    assert!(warnings.is_empty(), "{warnings}");
    let get = operation(&api, "getPet");
    let pet_id = parameter(get, "petId");
    assert_eq!(
        (pet_id.location, &pet_id.ty, pet_id.required),
        (ParameterLocation::Path, &TypeRef::I64, true)
    );
    let verbose = parameter(get, "verbose");
    assert_eq!(
        (verbose.location, &verbose.ty, verbose.required),
        (ParameterLocation::Query, &TypeRef::Bool, false)
    );
    let not_found = get
        .errors
        .iter()
        .find(|response| response.variant_name == "NotFound")
        .and_then(|response| response.body.as_ref())
        .expect("a 404 body");
    assert_eq!(not_found.ty, named("ErrorModel"));
    let replace = operation(&api, "replacePet");
    let body = replace.body.as_ref().expect("a body");
    assert_eq!(
        (body.content_type.as_str(), &body.ty, body.required),
        ("application/json", &named("Pet"), true)
    );
    assert_eq!(type_def(&api, "Pet").origin, "#/definitions/Pet");
    assert_eq!(field(&api, "Pet", "ownerName").ty, named("OwnerName"));
    assert_eq!(
        type_def(&api, "OwnerName").origin,
        "#/definitions/Owner/properties/name"
    );
}

#[test]
fn swagger_20_body_and_form_parameters_are_request_bodies() {
    let (api, warnings) = lowered("swagger2_bodies");
    assert!(warnings.is_empty(), "{warnings}");
    let content_type = |id: &str| {
        let body = operation(&api, id).body.as_ref().expect("a body");
        body.content_type.clone()
    };
    assert_eq!(content_type("createPet"), "application/json");
    assert_eq!(
        content_type("updatePetWithForm"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(content_type("uploadPhoto"), "multipart/form-data");
    let form = &loaded("swagger2_bodies").document.paths.paths["/pets/{petId}/photo"];
    let form = serde_json::to_value(form).expect("a path item");
    assert_eq!(
        form["post"]["requestBody"]["content"]["multipart/form-data"]["schema"],
        serde_json::json!({"type": "object", "required": ["file"], "properties": {
            "caption": {"type": "string"},
            "file": {"type": "string", "format": "binary", "description": "The photo."}}})
    );
}

#[test]
fn swagger_20_consumes_and_produces_are_media_types() {
    let (api, warnings) = lowered("swagger2_media_types");
    assert!(warnings.is_empty(), "{warnings}");
    let add = operation(&api, "addNote").body.as_ref().expect("a body");
    assert_eq!(
        (add.content_type.as_str(), add.encoding),
        ("application/json", BodyEncoding::Json)
    );
    let text = operation(&api, "addTextNote");
    let body = text.body.as_ref().expect("a body");
    assert_eq!(
        (body.content_type.as_str(), body.encoding),
        ("text/plain", BodyEncoding::Text)
    );
    let success = text.success[0].body.as_ref().expect("a response body");
    assert_eq!(success.content_type, "text/plain");
    let export = operation(&api, "exportNotes").success[0]
        .body
        .as_ref()
        .expect("a response body");
    assert_eq!(
        (export.content_type.as_str(), &export.ty),
        ("application/json", &TypeRef::List(Box::new(named("Note"))))
    );
}

#[test]
fn swagger_20_host_base_path_and_schemes_are_the_base_url() {
    let (api, _) = lowered("swagger2_servers");
    assert_eq!(api.base_url.as_deref(), Some("https://api.example.com/v2"));
    let (api, _) =
        lowered_text("swagger: '2.0'\ninfo: {title: t, version: '1'}\nbasePath: /api\npaths: {}\n");
    assert_eq!(api.base_url.as_deref(), Some("/api"));
    let (api, _) = lowered_text(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: h.example\nschemes: [http]\npaths: {}\n",
    );
    assert_eq!(api.base_url.as_deref(), Some("http://h.example"));
}

#[test]
fn swagger_20_security_definitions_are_schemes() {
    let (api, warnings) = lowered("swagger2_security");
    assert!(warnings.is_empty(), "{warnings}");
    let kinds: Vec<(&str, &SecurityKind)> = api
        .security_schemes
        .iter()
        .map(|scheme| (scheme.key.as_str(), &scheme.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("basicAuth", &SecurityKind::Basic),
            (
                "apiKeyHeader",
                &SecurityKind::ApiKeyHeader {
                    header: "X-API-Key".to_owned(),
                    prefix: None
                }
            ),
            (
                "apiKeyQuery",
                &SecurityKind::ApiKeyQuery {
                    parameter: "api_key".to_owned()
                }
            ),
            ("oauth", &SecurityKind::Bearer),
        ]
    );
    let schemes = |id: &str| -> Vec<Vec<String>> {
        operation(&api, id)
            .security
            .iter()
            .map(|requirement| requirement.schemes.clone())
            .collect()
    };
    assert_eq!(schemes("getMe"), [vec!["oauth".to_owned()]]);
    assert!(schemes("getPublic").is_empty());
}

#[test]
fn swagger_20_collection_formats_are_styles() {
    let (api, warnings) = lowered("swagger2_collection_formats");
    assert_eq!(
        lines(&warnings),
        [
            "#/paths/~1items~1{ids}/get/parameters/3/collectionFormat: `collectionFormat: tsv` \
          (tab-separated) has no OpenAPI 3.0 form; the items are sent separated by spaces \
          (`spaceDelimited`), the closest form"
        ]
    );
    let list = operation(&api, "listItems");
    let delimited = |separator: &str| ListFormat::Delimited(separator.to_owned());
    for (name, format) in [
        ("ids", delimited(",")),
        ("csv", delimited(",")),
        ("ssv", delimited(" ")),
        ("tsv", delimited(" ")),
        ("pipes", delimited("|")),
        ("multi", ListFormat::Repeated),
        ("X-Tags", delimited(",")),
    ] {
        assert_eq!(parameter(list, name).list_format, format, "{name}");
    }
}

#[test]
fn swagger_20_nullable_discriminators_and_files() {
    let (api, warnings) = lowered("swagger2_schemas");
    assert!(warnings.is_empty(), "{warnings}");
    let photo = operation(&api, "getPhoto").success[0]
        .body
        .as_ref()
        .expect("a response body");
    assert_eq!(
        (photo.content_type.as_str(), &photo.ty),
        ("image/png", &TypeRef::Bytes)
    );
    let loaded = loaded("swagger2_schemas");
    let schemas = &loaded.document.components.expect("components").schemas;
    let pet = serde_json::to_value(&schemas["Pet"]).expect("a schema");
    assert_eq!(pet["discriminator"]["propertyName"], "petType");
    assert_eq!(pet["properties"]["nickname"]["nullable"], true);
    assert_eq!(
        pet["properties"]["owner"],
        serde_json::json!({"nullable": true, "description": "May be null (`x-nullable` beside \
            a `$ref`).", "allOf": [{"$ref": "#/components/schemas/Owner"}]})
    );
}

#[test]
fn swagger_20_messages_point_into_the_swagger_document() {
    let (api, warnings) = lowered_text(
        "swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /pets:
    post:
      operationId: addPet
      parameters:
        - {name: pet, in: body, schema: {type: object, required: [ghost], properties: {a: {type: string}}}}
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/Missing'}}
definitions:
  Pet: {type: object, required: [name], properties: {id: {type: integer}}}
",
    );
    let mut lines = lines(&warnings);
    lines.sort();
    assert_eq!(
        lines,
        [
            "#/definitions/Pet: `name` is required but no schema declares it; it is an \
             optional property of any JSON type",
            "#/paths/~1pets/post/parameters/0/schema: `ghost` is required but no schema \
             declares it; it is an optional property of any JSON type",
            "#/paths/~1pets/post/responses/200/schema: `$ref: #/components/schemas/Missing` \
             points at nothing in this document; the value is kept as any JSON value",
        ]
    );
    assert_eq!(type_def(&api, "Pet").origin, "#/definitions/Pet");
}

/// The generated code of a crate, item by item as text, with what legitimately depends on how
/// the spec is written left out: doc comments and attributes (they may name the spec's JSON
/// pointers: the enum of a Swagger 2.0 `formData` parameter is documented as generated from
/// that parameter), `mod` and `use` items (which file an inline type is declared in: that enum
/// gets a file of its own, its origin lying outside the body's), the `@generated`
/// headers (comments, which `syn` drops) and the README. Everything else is compared: every
/// type with its fields, variants and serde attributes, every method's signature and body (so
/// how requests are encoded and responses decoded), the runtime and `Cargo.toml`.
fn generated_items(spec_file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(spec_file),
    )
    .expect("the spec is readable");
    let generated = generator::generate(&text, &options(spec_file))
        .unwrap_or_else(|errors| panic!("{spec_file}: {errors}"));
    assert!(
        generated.warnings.is_empty(),
        "{spec_file}: {}",
        generated.warnings
    );
    let mut items = Vec::new();
    for (path, contents) in &generated.files {
        match path.extension().and_then(|extension| extension.to_str()) {
            Some("rs") => {
                let file = syn::parse_file(contents)
                    .unwrap_or_else(|error| panic!("{spec_file}: {}: {error}", path.display()));
                for item in file.items {
                    if !matches!(item, syn::Item::Mod(_) | syn::Item::Use(_)) {
                        let tokens = without_docs(quote::ToTokens::into_token_stream(item));
                        items.push(tokens.to_string());
                    }
                }
            }
            Some("toml") => items.extend(
                contents
                    .lines()
                    .filter(|line| !line.starts_with("# @generated"))
                    .map(|line| format!("{}: {line}", path.display())),
            ),
            _ => {}
        }
    }
    items.sort();
    items
}

/// `tokens` without its doc attributes (`#[doc = …]` and `#![doc = …]`), at any depth.
fn without_docs(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Delimiter, Group, TokenTree};
    let is_doc = |tree: &TokenTree| {
        matches!(tree, TokenTree::Group(group) if group.delimiter() == Delimiter::Bracket
            && matches!(group.stream().into_iter().next(),
                Some(TokenTree::Ident(ident)) if ident == "doc"))
    };
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut kept = Vec::with_capacity(trees.len());
    let mut position = 0;
    while position < trees.len() {
        let tree = &trees[position];
        if matches!(tree, TokenTree::Punct(punct) if punct.as_char() == '#') {
            let bang = matches!(trees.get(position + 1),
                Some(TokenTree::Punct(punct)) if punct.as_char() == '!');
            let attribute = position + 1 + usize::from(bang);
            if trees.get(attribute).is_some_and(is_doc) {
                position = attribute + 1;
                continue;
            }
        }
        kept.push(match tree {
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), without_docs(group.stream()));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            other => other.clone(),
        });
        position += 1;
    }
    kept.into_iter().collect()
}

#[test]
fn the_same_api_as_swagger_20_openapi_30_and_openapi_31_generates_the_same_client() {
    // A petstore with a JSON body, a form body, a multipart upload with a file, a nullable
    // field (`x-nullable`, `nullable`, `type: [string, 'null']`), enums and list parameters.
    let specs = ["swagger20", "oas30", "oas31"]
        .map(|version| format!("generator/tests/same-api/{version}.yaml"));
    let [swagger20, oas30, oas31] = specs.each_ref().map(|spec| generated_items(spec));
    let joined = oas30.join("\n");
    for needle in [
        "pub struct Pet",
        "pub tag : crate :: Nullable < String >",
        "pub enum PetStatus",
        "pub file : crate :: FilePart",
        "Form :: multipart (\"multipart/form-data\"",
        "Form :: urlencoded (\"application/x-www-form-urlencoded\"",
        "request . json (body)",
    ] {
        assert!(joined.contains(needle), "the 3.0 client lacks `{needle}`");
    }
    for (name, items) in [("Swagger 2.0", &swagger20), ("OpenAPI 3.1", &oas31)] {
        let only_30: Vec<&String> = oas30.iter().filter(|item| !items.contains(item)).collect();
        let only_other: Vec<&String> = items.iter().filter(|item| !oas30.contains(item)).collect();
        assert!(
            items == &oas30,
            "the {name} client differs from the OpenAPI 3.0 one:\nonly in 3.0: {only_30:#?}\n\
             only in {name}: {only_other:#?}"
        );
    }
}
