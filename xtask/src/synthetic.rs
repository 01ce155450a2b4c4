//! Synthetic specs of any size, for measuring how the generated crate grows with the spec:
//! [`spec`] writes an OpenAPI 3.0 document with a given number of operations and schemas, shaped
//! like a real API rather than like a stress test.
//!
//! Schemas are objects of eight properties of every common kind (strings with and without a
//! format, integers, numbers, booleans, a string enum, a list and a map), a third of them nullable
//! and half required; every schema after the first refers to an earlier one, every fifth holds a
//! list of another, and every seventh is an `allOf` of an earlier schema and properties of its own.
//! Operations come in groups of five on one resource (list with paging query parameters, create
//! with a JSON body, get, replace, delete by id), each with a documented error, spread over one
//! tag per twenty operations. The collection operations of the R resources use the schemas
//! round-robin from the first, the item operations from the R-th, so that with up to 2R schemas
//! every schema is used.

use serde_json::{Map, Value, json};

/// `cargo xtask synthetic --operations N --schemas M [--out FILE]`: writes [`spec`] to `FILE`, or
/// to standard output.
pub fn run(mut args: impl Iterator<Item = String>) -> Result<bool, String> {
    let (mut operations, mut schemas, mut out) = (None, None, None);
    while let Some(flag) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .filter(|value| !value.is_empty())
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        let count = |text: String, flag: &str| {
            text.parse::<usize>()
                .map_err(|_| format!("`{flag} {text}`: expected a number"))
        };
        match flag.as_str() {
            "--operations" => operations = Some(count(value(&flag)?, &flag)?),
            "--schemas" => schemas = Some(count(value(&flag)?, &flag)?),
            "--out" => out = Some(value(&flag)?),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    let (Some(operations), Some(schemas)) = (operations, schemas) else {
        return Err("`synthetic` needs --operations N and --schemas M".to_owned());
    };
    let text = spec(operations, schemas);
    match out {
        Some(path) => {
            std::fs::write(&path, text + "\n").map_err(|error| format!("{path}: {error}"))?;
        }
        None => println!("{text}"),
    }
    Ok(true)
}

/// Operations per tag.
const OPERATIONS_PER_TAG: usize = 20;

/// An OpenAPI 3.0 document, as JSON text, with `operations` operations and `schemas` component
/// schemas (at least one of each); the same sizes give the same text.
pub fn spec(operations: usize, schemas: usize) -> String {
    let operations = operations.max(1);
    let schemas = schemas.max(1);
    let mut components = Map::new();
    for index in 0..schemas {
        components.insert(schema_name(index), schema(index));
    }
    components.insert(
        "Problem".to_owned(),
        json!({
            "type": "object",
            "required": ["status", "title"],
            "properties": {
                "status": {"type": "integer", "format": "int32"},
                "title": {"type": "string"},
                "detail": {"type": "string", "nullable": true}
            }
        }),
    );
    let mut paths = Map::new();
    for resource in 0..operations.div_ceil(5) {
        let tag = format!("Area{}", resource * 5 / OPERATIONS_PER_TAG);
        let resources = operations.div_ceil(5);
        let schema = schema_name(resource % schemas);
        let item_schema = schema_name((resource + resources) % schemas);
        let collection = format!(
            "/areas/{}/resources{resource}",
            resource * 5 / OPERATIONS_PER_TAG
        );
        let item = format!("{collection}/{{id}}");
        let first = resource * 5;
        let wanted = |offset: usize| first + offset < operations;
        let mut collection_item = Map::new();
        if wanted(0) {
            collection_item.insert("get".to_owned(), list_operation(resource, &tag, &schema));
        }
        if wanted(1) {
            collection_item.insert("post".to_owned(), create_operation(resource, &tag, &schema));
        }
        if !collection_item.is_empty() {
            paths.insert(collection, Value::Object(collection_item));
        }
        let mut item_item = Map::new();
        let by_id = [
            (2, "get", "get", None),
            (3, "put", "replace", Some(&item_schema)),
            (4, "delete", "delete", None),
        ];
        for (offset, method, verb, body) in by_id {
            if wanted(offset) {
                item_item.insert(
                    method.to_owned(),
                    item_operation(resource, verb, &tag, &item_schema, body),
                );
            }
        }
        if !item_item.is_empty() {
            item_item.insert(
                "parameters".to_owned(),
                json!([{
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {"type": "string", "format": "uuid"}
                }]),
            );
            paths.insert(item, Value::Object(item_item));
        }
    }
    let document = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Synthetic API",
            "version": "1.0.0",
            "description": format!("{operations} operations and {schemas} schemas, generated for benchmarks.")
        },
        "servers": [{"url": "https://api.synthetic.test/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        }
    });
    document.to_string()
}

fn schema_name(index: usize) -> String {
    format!("Resource{index}")
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The component schema number `index`.
fn schema(index: usize) -> Value {
    let nullable = |position: usize| (index + position).is_multiple_of(3);
    let mut properties = Map::new();
    let kinds = [
        json!({"type": "string", "format": "uuid"}),
        json!({"type": "string", "description": "A name people read."}),
        json!({"type": "integer", "format": "int64", "minimum": 0}),
        json!({"type": "number", "format": "double"}),
        json!({"type": "boolean"}),
        json!({"type": "string", "enum": ["active", "paused", "deleted"]}),
        json!({"type": "array", "items": {"type": "string"}}),
        json!({"type": "object", "additionalProperties": {"type": "string"}}),
    ];
    for (position, mut kind) in kinds.into_iter().enumerate() {
        if nullable(position)
            && let Some(object) = kind.as_object_mut()
        {
            object.insert("nullable".to_owned(), Value::Bool(true));
        }
        properties.insert(format!("field{position}"), kind);
    }
    properties.insert(
        "created_at".to_owned(),
        json!({"type": "string", "format": "date-time", "readOnly": true}),
    );
    if index > 0 {
        properties.insert("parent".to_owned(), reference(&schema_name(index / 2)));
    }
    if index % 5 == 4 {
        properties.insert(
            "children".to_owned(),
            json!({"type": "array", "items": reference(&schema_name(index - 1))}),
        );
    }
    let mut required: Vec<String> = (0..8_usize)
        .filter(|position| position.is_multiple_of(2))
        .map(|position| format!("field{position}"))
        .collect();
    let extends = index % 7 == 6;
    if extends {
        // Its own properties beside those of the schema it extends.
        properties = properties
            .into_iter()
            .map(|(name, schema)| (format!("own_{name}"), schema))
            .collect();
        required = required
            .into_iter()
            .map(|name| format!("own_{name}"))
            .collect();
    }
    let own = json!({
        "type": "object",
        "description": format!("Resource number {index}."),
        "required": required,
        "properties": properties
    });
    if extends {
        json!({"allOf": [reference(&schema_name(index - 6)), own]})
    } else {
        own
    }
}

/// The responses every operation documents besides its success: a 404 and a `default` error.
fn error_responses(responses: &mut Map<String, Value>) {
    let problem = json!({
        "description": "The request failed.",
        "content": {"application/json": {"schema": reference("Problem")}}
    });
    responses.insert("404".to_owned(), problem.clone());
    responses.insert("default".to_owned(), problem);
}

fn operation(id: String, tag: &str, summary: String, success: (&str, Value)) -> Map<String, Value> {
    let mut responses = Map::new();
    responses.insert(success.0.to_owned(), success.1);
    error_responses(&mut responses);
    let mut operation = Map::new();
    operation.insert("operationId".to_owned(), Value::String(id));
    operation.insert("tags".to_owned(), json!([tag]));
    operation.insert("summary".to_owned(), Value::String(summary));
    operation.insert("responses".to_owned(), Value::Object(responses));
    operation
}

fn json_response(description: &str, schema: Value) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": schema}}
    })
}

fn list_operation(resource: usize, tag: &str, schema: &str) -> Value {
    let mut operation = operation(
        format!("listResources{resource}"),
        tag,
        format!("Lists the resources of kind {resource}."),
        (
            "200",
            json_response(
                "A page of resources.",
                json!({"type": "array", "items": reference(schema)}),
            ),
        ),
    );
    operation.insert(
        "parameters".to_owned(),
        json!([
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
            {"name": "per_page", "in": "query", "schema": {"type": "integer", "maximum": 100}},
            {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["active", "paused"]}}
        ]),
    );
    Value::Object(operation)
}

fn create_operation(resource: usize, tag: &str, schema: &str) -> Value {
    let mut operation = operation(
        format!("createResource{resource}"),
        tag,
        format!("Creates a resource of kind {resource}."),
        (
            "201",
            json_response("The created resource.", reference(schema)),
        ),
    );
    operation.insert(
        "requestBody".to_owned(),
        json!({"required": true, "content": {"application/json": {"schema": reference(schema)}}}),
    );
    Value::Object(operation)
}

fn item_operation(
    resource: usize,
    verb: &str,
    tag: &str,
    schema: &str,
    body: Option<&String>,
) -> Value {
    let success = if verb == "delete" {
        ("204", json!({"description": "Deleted."}))
    } else {
        ("200", json_response("The resource.", reference(schema)))
    };
    let mut operation = operation(
        format!("{verb}Resource{resource}"),
        tag,
        format!("The resource of kind {resource} with this id: {verb}."),
        success,
    );
    if let Some(body) = body {
        operation.insert(
            "requestBody".to_owned(),
            json!({"required": true, "content": {"application/json": {"schema": reference(body)}}}),
        );
    }
    Value::Object(operation)
}

#[cfg(test)]
mod tests {
    use super::spec;

    #[test]
    fn the_spec_has_the_sizes_asked_for_and_generates_cleanly() {
        for (operations, schemas) in [(1, 1), (7, 3), (100, 40)] {
            let text = spec(operations, schemas);
            assert_eq!(text, spec(operations, schemas), "deterministic");
            let options = generator::Options::new("synthetic-client").strict(true);
            let generated = generator::generate(&text, &options)
                .unwrap_or_else(|errors| panic!("{operations}/{schemas}: {errors}"));
            assert_eq!(generated.operations, operations);
            // The component schemas, `Problem`, and the inline enums of `field5` and `status`.
            assert!(
                generated.types > schemas,
                "{operations}/{schemas}: {} types",
                generated.types
            );
        }
    }
}
