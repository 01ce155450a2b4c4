//! What the fuzz targets share: the generator call, and the structure-aware mutator.

use arbitrary::Unstructured;
use serde_json::Value;

/// Small real specs the mutator starts from: the repository's fixtures and the small corpus
/// specs, so that each run stays fast.
const SEEDS: &[&str] = &[
    include_str!("../../spec/openapi.yaml"),
    include_str!("../../tests/wire-spec.yaml"),
    include_str!("../../generator/tests/fixtures/hostile_names.yaml"),
    include_str!("../../generator/tests/fixtures/skip_dont_stop.yaml"),
    include_str!("../../generator/tests/fixtures/union_shapes.yaml"),
    include_str!("../../generator/tests/fixtures/oneof_discriminator.yaml"),
    include_str!("../../generator/tests/fixtures/oneof_untagged.yaml"),
    include_str!("../../generator/tests/fixtures/allof_ref_chain.yaml"),
    include_str!("../../generator/tests/fixtures/nullable_patch.yaml"),
    include_str!("../../generator/tests/fixtures/options_grouped.yaml"),
    include_str!("../../tests/corpus/oas31__oas-examples__petstore.yaml"),
    include_str!("../../tests/corpus/oas31__oas-examples__webhooks.yaml"),
    include_str!("../../tests/corpus/swagger20__go-swagger__todolist.discriminators.yml"),
    include_str!("../../tests/corpus/swagger20__go-swagger__todolist.allparams.yml"),
];

/// Runs the whole pipeline on `text`, reading no other file. Errors are fine; panics are not.
pub fn generate(text: &str) {
    let options = generator::Options::new("fuzzed-client").spec_file("fuzzed.yaml");
    let _ = generator::generate(text, &options);
}

/// A seed spec, mutated by the choices `input` makes, as JSON text; `None` when a seed does not
/// parse (it always does) or the input runs out before the first choice.
pub fn mutated_spec(input: &mut Unstructured<'_>) -> Option<String> {
    let seed = SEEDS[input.choose_index(SEEDS.len()).ok()?];
    let mut value = generator::load::parse_value("seed.yaml", seed).ok()?;
    let mut pointers = Vec::new();
    collect_pointers(&value, String::from("#"), &mut pointers);
    let mutations = input.int_in_range(1..=8u8).ok()?;
    for _ in 0..mutations {
        if input.is_empty() || pointers.is_empty() {
            break;
        }
        let target = pointers[input.choose_index(pointers.len()).ok()?].clone();
        let reference = pointers[input.choose_index(pointers.len()).ok()?].clone();
        let Some(slot) = pointer_mut(&mut value, &target) else {
            continue;
        };
        let choice = input.int_in_range(0..=6u8).ok()?;
        mutate(slot, choice, &reference, input);
    }
    serde_json::to_string(&value).ok()
}

/// One mutation of `slot`, picked by `choice`.
fn mutate(slot: &mut Value, choice: u8, reference: &str, input: &mut Unstructured<'_>) {
    match choice {
        // Drop a key of an object.
        0 => {
            if let Value::Object(object) = slot
                && !object.is_empty()
                && let Ok(index) = input.choose_index(object.len())
                && let Some(key) = object.keys().nth(index).cloned()
            {
                object.remove(&key);
            }
        }
        // A value of another JSON type.
        1 => {
            *slot = match slot {
                Value::Object(_) => Value::Array(Vec::new()),
                Value::Array(_) => Value::String("x".to_owned()),
                Value::String(_) => Value::Number(7.into()),
                Value::Number(_) => Value::Bool(true),
                Value::Bool(_) => Value::Null,
                Value::Null => Value::Object(serde_json::Map::new()),
            }
        }
        // A `$ref` to anywhere in the document, itself included.
        2 => *slot = serde_json::json!({ "$ref": reference }),
        // A `$ref` beside what is there.
        3 => {
            if let Value::Object(object) = slot {
                object.insert("$ref".to_owned(), Value::String(reference.to_owned()));
            }
        }
        // A dangling or foreign `$ref`.
        4 => {
            let target = ["#/nowhere", "other.yaml#/x", "https://example.com/s.json", "#/"]
                [input.choose_index(4).unwrap_or(0)];
            *slot = serde_json::json!({ "$ref": target });
        }
        // Nesting: the value wrapped in the keywords that recurse.
        5 => {
            let inner = slot.take();
            let keyword = ["allOf", "oneOf", "anyOf", "items", "not", "properties"]
                [input.choose_index(6).unwrap_or(0)];
            *slot = match keyword {
                "items" | "not" => serde_json::json!({ keyword: inner }),
                "properties" => serde_json::json!({ "type": "object", keyword: { "p": inner } }),
                _ => serde_json::json!({ keyword: [inner, inner.clone()] }),
            };
        }
        // A keyword from another OpenAPI version or a wrong shape.
        _ => {
            if let Value::Object(object) = slot {
                let (key, value) = [
                    ("type", serde_json::json!(["string", "null"])),
                    ("nullable", serde_json::json!("yes")),
                    ("enum", serde_json::json!([1, "a", null, {}])),
                    ("required", serde_json::json!(true)),
                    ("discriminator", serde_json::json!("kind")),
                    ("additionalProperties", serde_json::json!({"$ref": "#"})),
                    ("exclusiveMinimum", serde_json::json!(3)),
                ][input.choose_index(7).unwrap_or(0)]
                .clone();
                object.insert(key.to_owned(), value);
            }
        }
    }
}

/// Every JSON pointer of `value` and of the values inside it.
fn collect_pointers(value: &Value, pointer: String, pointers: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                collect_pointers(inner, format!("{pointer}/{escaped}"), pointers);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                collect_pointers(inner, format!("{pointer}/{index}"), pointers);
            }
        }
        _ => {}
    }
    pointers.push(pointer);
}

/// The value at a `#/a/b` pointer, for changing it.
fn pointer_mut<'v>(value: &'v mut Value, pointer: &str) -> Option<&'v mut Value> {
    value.pointer_mut(pointer.strip_prefix('#')?)
}
