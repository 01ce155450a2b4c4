//! OpenAPI 3.1 to OpenAPI 3.0, as a rewrite of the JSON value before the rest of the loader
//! reads it.
//!
//! OpenAPI 3.1 differs from 3.0 mostly in its schemas, which are JSON Schema 2020-12. Each is
//! rewritten in the 3.0 forms that `lower` understands:
//!
//! - `type: [T, "null"]` is `type: T, nullable: true`; several other types are a `oneOf` with
//!   one member per type (the keywords of each type go to its member); `type: "null"` alone is
//!   `enum: [null]`, which as a union member makes the union nullable;
//! - `const: v` is `enum: [v]` (a discriminator tag fixed by `const` still selects its member);
//! - `examples: [a, …]` is `example: a`; a numeric `exclusiveMinimum: 5` is
//!   `minimum: 5, exclusiveMinimum: true` (and the same for the maximum);
//! - the boolean schemas `true` and `false` are `{}` and `{not: {}}`, and a property that is
//!   `false` (it must be absent) is left out of its object;
//! - a `$ref` with siblings that say something (`nullable`-like `type` unions, `readOnly`,
//!   a property's `description`, …) is `allOf: [{$ref}]` beside them, as OpenAPI 3.0 keeps them;
//! - `contentEncoding: base64` is `format: byte`; a string with a `contentMediaType` is
//!   `format: binary` where bytes travel as they are (a body of a media type that is not JSON,
//!   a part of a form or multipart body);
//! - `$defs` (and draft-style `definitions`) anywhere are moved into `components/schemas`, and
//!   references to them follow, also `#/$defs/X` written relative to the enclosing schema;
//!   references by `$id` (`https://example.com/pet.json#/properties/name`) and by `$anchor`
//!   (`#name`) point at the schema that says it.
//!
//! What OpenAPI 3.0 cannot say is approximated or left out, each with a warning at its pointer:
//! `prefixItems` (a list of any JSON value, or of the one schema every item has),
//! `patternProperties` (a map), `if`/`then`/`else`, `dependentSchemas`, `dependentRequired`,
//! `contains`, `propertyNames`, `unevaluatedItems`, `unevaluatedProperties` beside
//! `additionalProperties`, `$dynamicRef`. Documentation that has no place in OpenAPI 3.0 (the
//! second and later `examples`, the `description` beside a `$ref` inside a list or a union) is
//! dropped without one, as OpenAPI 3.0 documents drop it too.
//!
//! Outside schemas: `webhooks` move to the `x-webhooks` extension ([`grammar::WEBHOOKS`]),
//! `components/pathItems` stay (references to them are copied in place), an operation without
//! `responses` documents none, `info.summary` is the description when there is none,
//! `jsonSchemaDialect` and `license.identifier` are accepted, and a `mutualTLS` security scheme
//! is left out with a warning.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::grammar::{self, Kind, Place, Step};
use super::keys::Keys;
use super::normalize::numeric_exclusive_bound;
use super::pointer;
use super::refs::insert_component;
use super::version::Conversion;
use crate::diagnostics::pointer_push;

/// The OpenAPI version converted documents say they are.
const CONVERTED_VERSION: &str = "3.0.3";

/// Schema keywords whose value is one schema.
const SCHEMA_KEYWORDS: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
    "additionalItems",
];

/// Schema keywords whose value is a list of schemas.
const SCHEMA_LIST_KEYWORDS: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];

/// Schema keywords whose value is a map of schemas.
const SCHEMA_MAP_KEYWORDS: &[&str] = &[
    "properties",
    "$defs",
    "definitions",
    "patternProperties",
    "dependentSchemas",
];

/// Keywords of schemas that hold schemas to move into `components/schemas`.
const DEFINITIONS_KEYWORDS: &[&str] = &["$defs", "definitions"];

/// Keywords that identify or comment a schema and mean nothing for a client.
const IDENTIFIER_KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$vocabulary",
    "$dynamicAnchor",
    "$recursiveAnchor",
];

/// Keywords that only document a schema.
const ANNOTATION_KEYWORDS: &[&str] = &["title", "description", "example", "examples"];

/// Validation keywords OpenAPI 3.0 has no form for, and what leaving them out means.
const DROPPED_KEYWORDS: &[(&str, &str)] = &[
    (
        "dependentSchemas",
        "schemas that apply when a property is present",
    ),
    (
        "dependentRequired",
        "properties required when another is present",
    ),
    (
        "dependencies",
        "properties or schemas that apply when another property is present",
    ),
    ("contains", "a schema some item must match"),
    ("minContains", "how many items must match `contains`"),
    ("maxContains", "how many items may match `contains`"),
    ("propertyNames", "a schema for the property names"),
    ("contentSchema", "the schema of the decoded content"),
    ("additionalItems", "a schema for items past the listed ones"),
];

/// Keywords of each JSON type, which go to that type's member when `type` lists several.
const TYPE_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "string",
        &[
            "minLength",
            "maxLength",
            "pattern",
            "format",
            "contentEncoding",
            "contentMediaType",
        ],
    ),
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "format",
        ],
    ),
    (
        "integer",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "format",
        ],
    ),
    (
        "array",
        &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
            "unevaluatedItems",
        ],
    ),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "minProperties",
            "maxProperties",
            "propertyNames",
            "unevaluatedProperties",
            "dependentRequired",
            "dependentSchemas",
        ],
    ),
];

/// Converts an OpenAPI 3.1 document into an OpenAPI 3.0 one.
pub(super) fn convert(mut document: Value, conversion: &mut Conversion) -> Value {
    for operation in operations_without_responses(&document) {
        if let Some(Value::Object(operation)) = pointer::get_mut(&mut document, &operation) {
            operation.insert("responses".to_owned(), Value::Object(Map::new()));
        }
    }
    let roots = schema_roots(&document);
    let form_components = form_components(&document, &roots);
    let mut schemas = Schemas {
        conversion,
        hoisted: Vec::new(),
        scopes: Vec::new(),
        identified: Vec::new(),
        root_definitions: document.get("$defs").is_some(),
    };
    for root in &roots {
        let form = root.media.as_deref().is_some_and(is_form_media)
            || matches!(root.segments.as_slice(),
                [components, section, key] if components == "components"
                    && section == "schemas" && form_components.contains(key));
        let context = Context {
            position: Position::Root,
            binary: root.media.as_deref().is_some_and(is_binary_media),
            form,
        };
        if let Some(slot) = pointer::get_mut(&mut document, &root.segments) {
            schemas.schema(slot, &root.segments, context);
        }
    }
    let hoisted = std::mem::take(&mut schemas.hoisted);
    let identified = std::mem::take(&mut schemas.identified);
    hoist_definitions(&mut document, hoisted, conversion);
    resolve_identifiers(&mut document, &identified);
    convert_document(&mut document, conversion);
    conversion.moves.rewrite_references(&mut document);
    document
}

/// The document-level rewrites: the version, webhooks, `info.summary`, `jsonSchemaDialect`,
/// security schemes.
fn convert_document(document: &mut Value, conversion: &mut Conversion) {
    let Value::Object(root) = document else {
        return;
    };
    root.insert(
        "openapi".to_owned(),
        Value::String(CONVERTED_VERSION.to_owned()),
    );
    root.shift_remove("jsonSchemaDialect");
    if let Some(webhooks) = root.shift_remove("webhooks") {
        match (root.get_mut(grammar::WEBHOOKS), webhooks) {
            (Some(Value::Object(existing)), Value::Object(webhooks)) => existing.extend(webhooks),
            (_, webhooks) => {
                root.insert(grammar::WEBHOOKS.to_owned(), webhooks);
            }
        }
        conversion.moves.record(
            vec!["webhooks".to_owned()],
            vec![grammar::WEBHOOKS.to_owned()],
        );
    }
    if !root.contains_key("paths") {
        root.insert("paths".to_owned(), Value::Object(Map::new()));
    }
    if let Some(Value::Object(info)) = root.get_mut("info")
        && !info.contains_key("description")
        && let Some(summary) = info.get("summary").cloned()
    {
        info.insert("description".to_owned(), summary);
    }
    let Some(Value::Object(schemes)) = root
        .get_mut("components")
        .and_then(|components| components.get_mut("securitySchemes"))
    else {
        return;
    };
    let mutual_tls: Vec<String> = schemes
        .iter()
        .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(key, _)| key.clone())
        .collect();
    for key in mutual_tls {
        schemes.shift_remove(&key);
        conversion.skip(
            pointer::format(&["components", "securitySchemes", key.as_str()]),
            "a `mutualTLS` security scheme has no OpenAPI 3.0 form: client certificates are set \
             on the HTTP client the generated client is built with; it is left out",
        );
    }
}

/// The operations without `responses`, which OpenAPI 3.1 allows (they document none).
fn operations_without_responses(document: &Value) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    grammar::walk(
        document,
        Place::Object(Kind::Document),
        &mut |path, kind, object| {
            if kind == Kind::Operation && !object.contains_key("responses") {
                found.push(grammar::segments(path));
            }
            kind != Kind::Schema
        },
    );
    found
}

/// A place where a schema stands outside other schemas: a component, a parameter's or a media
/// type's schema, ….
struct Root {
    segments: Vec<String>,
    /// The media type, for the schema of a media type.
    media: Option<String>,
}

/// Every place of the document where a schema stands outside other schemas, in document order.
fn schema_roots(document: &Value) -> Vec<Root> {
    let mut roots = Vec::new();
    grammar::walk(
        document,
        Place::Object(Kind::Document),
        &mut |path, kind, object| {
            if kind == Kind::Schema {
                return false;
            }
            let media = match (kind, path.last()) {
                (Kind::MediaType, Some(Step::Key(media))) => Some((*media).to_owned()),
                _ => None,
            };
            for (key, member) in object {
                let mut at = grammar::segments(path);
                at.push(key.clone());
                match kind.child(key) {
                    Place::Object(Kind::Schema) => roots.push(Root {
                        segments: at,
                        media: media.clone(),
                    }),
                    Place::Map(Kind::Schema) => {
                        for name in member.as_object().into_iter().flat_map(Map::keys) {
                            let mut entry = at.clone();
                            entry.push(name.clone());
                            roots.push(Root {
                                segments: entry,
                                media: None,
                            });
                        }
                    }
                    Place::List(Kind::Schema) => {
                        for index in 0..member.as_array().map_or(0, Vec::len) {
                            let mut entry = at.clone();
                            entry.push(index.to_string());
                            roots.push(Root {
                                segments: entry,
                                media: None,
                            });
                        }
                    }
                    _ => {}
                }
            }
            true
        },
    );
    roots
}

/// The keys of the component schemas that a form or multipart body names as its schema: their
/// properties are the body's fields.
fn form_components(document: &Value, roots: &[Root]) -> HashSet<String> {
    roots
        .iter()
        .filter(|root| root.media.as_deref().is_some_and(is_form_media))
        .filter_map(|root| pointer::get(document, &root.segments))
        .filter_map(pointer::reference_of)
        .filter_map(|reference| match pointer::parse(reference)?.as_slice() {
            [components, section, key] if components == "components" && section == "schemas" => {
                Some(key.clone())
            }
            _ => None,
        })
        .collect()
}

/// Whether a media type's fields are sent as parts (form and multipart bodies).
fn is_form_media(media: &str) -> bool {
    let media = media.to_ascii_lowercase();
    media.starts_with("multipart/") || media.starts_with("application/x-www-form-urlencoded")
}

/// Whether a body of this media type travels as bytes, not as JSON or text.
fn is_binary_media(media: &str) -> bool {
    let media = media.to_ascii_lowercase();
    !(media.contains("json")
        || media.starts_with("text/")
        || media.contains("yaml")
        || media.contains("xml")
        || is_form_media(&media))
}

/// Where a schema stands among other schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// Outside any schema: a component, a body, a parameter.
    Root,
    /// A property of an object.
    Property,
    /// A member of `allOf`, `oneOf` or `anyOf`.
    Member,
    /// Anywhere else: list items, map values, ….
    Nested,
}

/// What a schema's conversion depends on beyond the schema.
#[derive(Debug, Clone, Copy)]
struct Context {
    position: Position,
    /// Whether a string with a `contentMediaType` travels as bytes here.
    binary: bool,
    /// Whether this schema's properties are the fields of a form or multipart body.
    form: bool,
}

impl Context {
    fn nested(position: Position) -> Self {
        Self {
            position,
            binary: false,
            form: false,
        }
    }
}

/// The schema rewriter: warnings, and the `$defs` entries found on the way.
struct Schemas<'c, 'f> {
    conversion: &'c mut Conversion<'f>,
    /// The `$defs` entries met, converted: where each stood and its name.
    hoisted: Vec<(Vec<String>, String, Value)>,
    /// The schemas around the one being converted that have `$defs`: where each stands and the
    /// names it defines, innermost last.
    scopes: Vec<(Vec<String>, Vec<String>)>,
    /// The schemas that name themselves: `$id` (as written) or `#` and the `$anchor`, and where
    /// each stands.
    identified: Vec<(String, Vec<String>)>,
    /// Whether the document itself has `$defs` (then `#/$defs/X` means those).
    root_definitions: bool,
}

impl Schemas<'_, '_> {
    fn warn(&mut self, at: &[String], keyword: &str, message: String) {
        let pointer = pointer_push(&pointer::format(at), keyword);
        self.conversion.warn(pointer, message);
    }

    /// Converts the schema `value`, which stands at `at`.
    fn schema(&mut self, value: &mut Value, at: &[String], context: Context) {
        match value {
            Value::Bool(true) => *value = Value::Object(Map::new()),
            Value::Bool(false) => *value = never(),
            _ => {}
        }
        let Value::Object(object) = value else {
            return;
        };
        if let Some(Value::String(id)) = object.get("$id") {
            self.identified.push((id.clone(), at.to_vec()));
        }
        if let Some(Value::String(anchor)) = object.get("$anchor") {
            self.identified.push((format!("#{anchor}"), at.to_vec()));
        }
        let names: Vec<String> = DEFINITIONS_KEYWORDS
            .iter()
            .filter_map(|keyword| object.get(*keyword))
            .filter_map(Value::as_object)
            .flat_map(|definitions| definitions.keys().cloned())
            .collect();
        let scoped = !names.is_empty();
        if scoped {
            self.scopes.push((at.to_vec(), names));
        }
        self.members(object, at, context);
        if scoped {
            self.scopes.pop();
        }
        self.take_definitions(object, at);
        self.keywords(object, at, context);
    }

    /// Converts the schemas inside `object`, which stands at `at`.
    fn members(&mut self, object: &mut Map<String, Value>, at: &[String], context: Context) {
        for (keyword, member) in object.iter_mut() {
            let mut inner = at.to_vec();
            inner.push(keyword.clone());
            if SCHEMA_KEYWORDS.contains(&keyword.as_str()) {
                let keeps_booleans = keyword == "additionalProperties"
                    || keyword == "unevaluatedProperties"
                    || keyword == "unevaluatedItems"
                    || keyword == "items";
                if !(keeps_booleans && member.is_boolean()) {
                    self.schema(member, &inner, Context::nested(Position::Nested));
                }
            } else if SCHEMA_LIST_KEYWORDS.contains(&keyword.as_str()) {
                let position = if keyword == "prefixItems" {
                    Position::Nested
                } else {
                    Position::Member
                };
                for (index, item) in member.as_array_mut().into_iter().flatten().enumerate() {
                    let mut entry = inner.clone();
                    entry.push(index.to_string());
                    self.schema(item, &entry, Context::nested(position));
                }
            } else if SCHEMA_MAP_KEYWORDS.contains(&keyword.as_str()) {
                let property = keyword == "properties";
                for (name, entry_value) in member.as_object_mut().into_iter().flatten() {
                    let mut entry = inner.clone();
                    entry.push(name.clone());
                    let entry_context = if property {
                        Context {
                            position: Position::Property,
                            binary: context.form,
                            form: false,
                        }
                    } else if DEFINITIONS_KEYWORDS.contains(&keyword.as_str()) {
                        Context::nested(Position::Root)
                    } else {
                        Context::nested(Position::Nested)
                    };
                    if !(property && *entry_value == Value::Bool(false)) {
                        self.schema(entry_value, &entry, entry_context);
                    }
                }
            } else if keyword == "$ref"
                && let Value::String(reference) = member
                && let Some(rewritten) = self.scoped_reference(reference)
            {
                *reference = rewritten;
            }
        }
        self.impossible_properties(object, at);
    }

    /// Leaves out the properties whose schema is `false`: they must be absent.
    fn impossible_properties(&mut self, object: &mut Map<String, Value>, at: &[String]) {
        let Some(Value::Object(properties)) = object.get_mut("properties") else {
            return;
        };
        let impossible: Vec<String> = properties
            .iter()
            .filter(|(_, schema)| **schema == Value::Bool(false))
            .map(|(name, _)| name.clone())
            .collect();
        for name in impossible {
            properties.shift_remove(&name);
            let mut property = at.to_vec();
            property.push("properties".to_owned());
            self.warn(
                &property,
                &name,
                "this property's schema is `false`: it must be absent, so it is left out of the \
                 type (nothing stops a caller from sending it)"
                    .to_owned(),
            );
        }
    }

    /// `#/$defs/X` (or `#/definitions/X`) written inside a schema that defines `X`, in a
    /// document that has no such member: the enclosing schema's `X`, as JSON Schema tools that
    /// write schemas on their own mean it.
    fn scoped_reference(&self, reference: &str) -> Option<String> {
        if self.root_definitions {
            return None;
        }
        let segments = pointer::parse(reference)?;
        let [keyword, name, rest @ ..] = segments.as_slice() else {
            return None;
        };
        if !DEFINITIONS_KEYWORDS.contains(&keyword.as_str()) {
            return None;
        }
        let (owner, _) = self
            .scopes
            .iter()
            .rev()
            .find(|(_, names)| names.contains(name))?;
        let full: Vec<String> = owner
            .iter()
            .chain([keyword, name])
            .chain(rest)
            .cloned()
            .collect();
        Some(pointer::format(&full))
    }

    /// Moves the `$defs` (and `definitions`) of `object` out, for [`hoist_definitions`].
    fn take_definitions(&mut self, object: &mut Map<String, Value>, at: &[String]) {
        for keyword in DEFINITIONS_KEYWORDS {
            let Some(definitions) = object.shift_remove(*keyword) else {
                continue;
            };
            let Value::Object(definitions) = definitions else {
                self.warn(
                    at,
                    keyword,
                    format!("`{keyword}` is not a map of schemas; it is left out"),
                );
                continue;
            };
            for (name, definition) in definitions {
                let from: Vec<String> = at
                    .iter()
                    .cloned()
                    .chain([(*keyword).to_owned(), name.clone()])
                    .collect();
                self.hoisted.push((from, name, definition));
            }
        }
    }

    /// Rewrites the keywords of `object` itself, whose member schemas are converted already.
    fn keywords(&mut self, object: &mut Map<String, Value>, at: &[String], context: Context) {
        for keyword in IDENTIFIER_KEYWORDS {
            object.shift_remove(*keyword);
        }
        if let Some(constant) = object.shift_remove("const") {
            object.insert("enum".to_owned(), Value::Array(vec![constant]));
        }
        if let Some(examples) = object.shift_remove("examples")
            && !object.contains_key("example")
            && let Some(first) = examples.as_array().and_then(|examples| examples.first())
        {
            object.insert("example".to_owned(), first.clone());
        }
        numeric_exclusive_bound(object, "exclusiveMinimum", "minimum");
        numeric_exclusive_bound(object, "exclusiveMaximum", "maximum");
        self.dynamic_reference(object, at);
        self.content(object, context);
        self.tuple(object, at);
        self.pattern_properties(object, at);
        self.unevaluated(object, at);
        self.conditional(object, at);
        for (keyword, meaning) in DROPPED_KEYWORDS {
            if object.shift_remove(*keyword).is_some() {
                self.warn(
                    at,
                    keyword,
                    format!("`{keyword}` ({meaning}) has no OpenAPI 3.0 form; it is left out"),
                );
            }
        }
        self.types(object, at);
        self.reference_siblings(object, context.position);
    }

    /// `$dynamicRef` and `$recursiveRef` (extensible recursive schemas) cannot be followed: the
    /// schema is any JSON value.
    fn dynamic_reference(&mut self, object: &mut Map<String, Value>, at: &[String]) {
        for keyword in ["$dynamicRef", "$recursiveRef"] {
            if let Some(reference) = object.shift_remove(keyword) {
                self.warn(
                    at,
                    keyword,
                    format!(
                        "`{keyword}: {reference}` cannot be followed without evaluating the \
                         schema; this part of the schema is read as any JSON value"
                    ),
                );
            }
        }
    }

    /// `contentEncoding: base64` is `format: byte`; a string with a `contentMediaType` where
    /// bytes travel as they are is `format: binary`.
    fn content(&mut self, object: &mut Map<String, Value>, context: Context) {
        let encoding = object.shift_remove("contentEncoding");
        let media = object.shift_remove("contentMediaType");
        if object.contains_key("format") {
            return;
        }
        let base64 = encoding
            .as_ref()
            .and_then(Value::as_str)
            .is_some_and(|encoding| encoding.to_ascii_lowercase().starts_with("base64"));
        let string = object
            .get("type")
            .is_none_or(|ty| ty.as_str() == Some("string"));
        let format = if base64 {
            "byte"
        } else if media.is_some() && context.binary && string {
            "binary"
        } else {
            return;
        };
        object.insert("type".to_owned(), Value::String("string".to_owned()));
        object.insert("format".to_owned(), Value::String(format.to_owned()));
    }

    /// `prefixItems` (a tuple): a list of the one schema all items share, else of any JSON
    /// value.
    fn tuple(&mut self, object: &mut Map<String, Value>, at: &[String]) {
        let Some(prefix) = object.shift_remove("prefixItems") else {
            return;
        };
        let prefix = match prefix {
            Value::Array(prefix) => prefix,
            _ => Vec::new(),
        };
        let rest = object.get("items").filter(|items| !items.is_boolean());
        let mut schemas = prefix.iter().chain(rest);
        let first = schemas.next().cloned();
        let shared = first.filter(|first| schemas.all(|schema| schema == first));
        let message = match shared {
            Some(shared) => {
                object.insert("items".to_owned(), shared);
                "`prefixItems` (a tuple) has no OpenAPI 3.0 form; every item has the same \
                 schema, so it is read as a list of that schema"
            }
            None => {
                object.insert("items".to_owned(), Value::Object(Map::new()));
                "`prefixItems` (a tuple) has no OpenAPI 3.0 form; it is read as a list of any \
                 JSON values"
            }
        };
        object
            .entry("type")
            .or_insert_with(|| Value::String("array".to_owned()));
        self.warn(at, "prefixItems", message.to_owned());
    }

    /// `patternProperties`: a map whose values have the pattern's schema (the one all patterns
    /// share, else any JSON value); the patterns are not checked.
    fn pattern_properties(&mut self, object: &mut Map<String, Value>, at: &[String]) {
        let Some(patterns) = object.shift_remove("patternProperties") else {
            return;
        };
        let schemas: Vec<&Value> = patterns
            .as_object()
            .into_iter()
            .flat_map(Map::values)
            .collect();
        let shared = schemas
            .first()
            .filter(|first| schemas.iter().all(|schema| schema == *first))
            .map(|schema| (*schema).clone());
        let additional = object.get("additionalProperties");
        let value = match (additional, shared) {
            (None | Some(Value::Bool(_)), Some(shared)) => shared,
            (Some(additional), Some(shared)) if *additional == shared => shared,
            _ => Value::Object(Map::new()),
        };
        let shown = if value == Value::Object(Map::new()) {
            "any JSON value"
        } else {
            "the pattern's schema"
        };
        object.insert("additionalProperties".to_owned(), value);
        self.warn(
            at,
            "patternProperties",
            format!(
                "`patternProperties` has no OpenAPI 3.0 form; read as a map whose values are \
                 {shown} (the key patterns are not checked)"
            ),
        );
    }

    /// `unevaluatedProperties` is `additionalProperties` when the schema has none (`lower`
    /// merges allOf members into one object, so what they declare counts as evaluated), and
    /// `unevaluatedItems` is `items` when the schema has none.
    fn unevaluated(&mut self, object: &mut Map<String, Value>, at: &[String]) {
        for (keyword, plain) in [
            ("unevaluatedProperties", "additionalProperties"),
            ("unevaluatedItems", "items"),
        ] {
            let Some(value) = object.shift_remove(keyword) else {
                continue;
            };
            if value == Value::Bool(true) {
                continue;
            }
            let items_as_false = plain == "items" && value == Value::Bool(false);
            if !object.contains_key(plain) && !items_as_false {
                object.insert(plain.to_owned(), value);
            } else {
                self.warn(
                    at,
                    keyword,
                    format!("`{keyword}` beside `{plain}` has no OpenAPI 3.0 form; it is left out"),
                );
            }
        }
    }

    /// `if`/`then`/`else`: left out; the value is read by the schema's other keywords.
    fn conditional(&mut self, object: &mut Map<String, Value>, at: &[String]) {
        let found: Vec<&str> = ["if", "then", "else"]
            .into_iter()
            .filter(|keyword| object.shift_remove(*keyword).is_some())
            .collect();
        if let Some(first) = found.first() {
            self.warn(
                at,
                first,
                format!(
                    "a conditional schema (`{}`) has no OpenAPI 3.0 form; it is left out, and \
                     values are read by the schema's other keywords",
                    found.join("`/`")
                ),
            );
        }
    }

    /// `type` as OpenAPI 3.0 writes it: one type, `nullable: true` for `"null"` among others,
    /// `enum: [null]` for `"null"` alone, and a `oneOf` of one member per type for several.
    fn types(&mut self, object: &mut Map<String, Value>, at: &[String]) {
        let listed: Vec<String> = match object.get("type") {
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(name)) if name == "null" => vec![name.clone()],
            _ => return,
        };
        object.shift_remove("type");
        let nullable = listed.iter().any(|name| name == "null");
        let mut types: Vec<String> = Vec::new();
        for name in listed.into_iter().filter(|name| name != "null") {
            if !types.contains(&name) {
                types.push(name);
            }
        }
        match types.as_slice() {
            [] if nullable => {
                object.insert("enum".to_owned(), Value::Array(vec![Value::Null]));
            }
            [] => {}
            [only] => {
                object.insert("type".to_owned(), Value::String(only.clone()));
                if nullable {
                    object.insert("nullable".to_owned(), Value::Bool(true));
                }
            }
            several => {
                let members = type_members(object, several);
                if nullable {
                    object.insert("nullable".to_owned(), Value::Bool(true));
                }
                let keyword = if object.contains_key("oneOf") {
                    if object.contains_key("anyOf") {
                        self.warn(
                            at,
                            "type",
                            "a `type` list beside both `oneOf` and `anyOf` has no OpenAPI 3.0 \
                             form; the types are left out"
                                .to_owned(),
                        );
                        return;
                    }
                    "anyOf"
                } else {
                    "oneOf"
                };
                object.insert(keyword.to_owned(), Value::Array(members));
            }
        }
    }

    /// A `$ref` with siblings that say something is `allOf: [{$ref}]` beside them (OpenAPI 3.0
    /// ignores the siblings of a `$ref`). Documentation beside a `$ref` is kept only where it has
    /// a place: a component, a body or parameter, and a property.
    fn reference_siblings(&mut self, object: &mut Map<String, Value>, position: Position) {
        if !object.get("$ref").is_some_and(Value::is_string) {
            return;
        }
        if !matches!(position, Position::Root | Position::Property) {
            for keyword in ANNOTATION_KEYWORDS {
                object.shift_remove(*keyword);
            }
        }
        if object.get("nullable") == Some(&Value::Bool(true)) {
            object.shift_remove("type");
        } else if object.get("type").is_some_and(Value::is_string) {
            // The referenced schema says its type; beside a `$ref` it only restates it.
            object.shift_remove("type");
        }
        let says_something = object
            .keys()
            .any(|keyword| keyword != "$ref" && !keyword.starts_with("x-"));
        if !says_something {
            return;
        }
        let Some(reference) = object.shift_remove("$ref") else {
            return;
        };
        let mut member = Map::new();
        member.insert("$ref".to_owned(), reference);
        match object.get_mut("allOf") {
            Some(Value::Array(members)) => members.insert(0, Value::Object(member)),
            _ => {
                object.insert(
                    "allOf".to_owned(),
                    Value::Array(vec![Value::Object(member)]),
                );
            }
        }
    }
}

/// The members of a schema whose `type` lists `types`: each gets its type and the keywords of
/// that type, which leave `object`; `enum` values go to the member of their JSON type.
fn type_members(object: &mut Map<String, Value>, types: &[String]) -> Vec<Value> {
    let values = object.shift_remove("enum");
    let mut members: Vec<Map<String, Value>> = types
        .iter()
        .map(|name| {
            let mut member = Map::new();
            member.insert("type".to_owned(), Value::String(name.clone()));
            member
        })
        .collect();
    for (name, member) in types.iter().zip(&mut members) {
        let keywords = TYPE_KEYWORDS
            .iter()
            .find(|(ty, _)| ty == name)
            .map_or(&[][..], |(_, keywords)| *keywords);
        for keyword in keywords {
            if let Some(value) = object.get(*keyword) {
                member.insert((*keyword).to_owned(), value.clone());
            }
        }
    }
    for (_, keywords) in TYPE_KEYWORDS {
        for keyword in *keywords {
            object.shift_remove(*keyword);
        }
    }
    if let Some(Value::Array(values)) = values {
        for (name, member) in types.iter().zip(&mut members) {
            let own: Vec<Value> = values
                .iter()
                .filter(|value| is_of_type(value, name))
                .cloned()
                .collect();
            member.insert("enum".to_owned(), Value::Array(own));
        }
        members.retain(|member| {
            member
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|own| !own.is_empty())
        });
        if values.iter().any(Value::is_null) {
            object.insert("nullable".to_owned(), Value::Bool(true));
        }
    }
    members.into_iter().map(Value::Object).collect()
}

/// Whether a JSON value is of the JSON Schema type `name`.
fn is_of_type(value: &Value, name: &str) -> bool {
    match (name, value) {
        ("string", Value::String(_))
        | ("boolean", Value::Bool(_))
        | ("number", Value::Number(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_)) => true,
        ("integer", Value::Number(number)) => {
            number.is_i64() || number.is_u64() || number.as_f64().is_some_and(|n| n.fract() == 0.0)
        }
        _ => false,
    }
}

/// The schema no value matches (JSON Schema's `false`).
fn never() -> Value {
    let mut object = Map::new();
    object.insert("not".to_owned(), Value::Object(Map::new()));
    Value::Object(object)
}

/// Points the references that name a schema by its `$id` (`https://example.com/pet.json`,
/// with or without a fragment after it) or its `$anchor` (`#pet`) at where that schema stands.
/// Other references that are not pointers are left for the reference resolution to report.
fn resolve_identifiers(document: &mut Value, identified: &[(String, Vec<String>)]) {
    if identified.is_empty() {
        return;
    }
    let mut changes: Vec<(Vec<String>, String)> = Vec::new();
    super::refs::for_each_site(
        document,
        Place::Object(Kind::Document),
        &mut |path, _, reference, mapping| {
            let (resource, fragment) = reference.split_once('#').unwrap_or((reference, ""));
            let found = identified.iter().find_map(|(id, at)| {
                if id.starts_with('#') {
                    return (reference == id).then(|| at.clone());
                }
                if resource != id.trim_end_matches('#') {
                    return None;
                }
                let inner = pointer::parse_fragment(fragment)?;
                Some(at.iter().cloned().chain(inner).collect())
            });
            if let Some(target) = found {
                let mut site = grammar::segments(path);
                match mapping {
                    Some(name) => site.extend(["mapping".to_owned(), name.to_owned()]),
                    None => site.push("$ref".to_owned()),
                }
                changes.push((site, pointer::format(&target)));
            }
        },
    );
    for (site, reference) in changes {
        if let Some(slot) = pointer::get_mut(document, &site) {
            *slot = Value::String(reference);
        }
    }
}

/// Moves the `$defs` entries into `components/schemas`, each under its own name (numbered when
/// taken), and records the moves.
fn hoist_definitions(
    document: &mut Value,
    hoisted: Vec<(Vec<String>, String, Value)>,
    conversion: &mut Conversion,
) {
    if hoisted.is_empty() {
        return;
    }
    let mut keys = Keys::of(document);
    for (from, name, definition) in hoisted {
        let key = keys.claim("schemas", &name);
        insert_component(document, "schemas", &key, definition);
        conversion.moves.record(
            from,
            vec!["components".to_owned(), "schemas".to_owned(), key],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(document: Value) -> (Value, Vec<String>) {
        let mut conversion = Conversion::new("spec.yaml");
        let document = convert(document, &mut conversion);
        let warnings = super::super::pointer_messages(&conversion.warnings);
        (document, warnings)
    }

    fn schemas(schemas: Value) -> Value {
        serde_json::json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": schemas}})
    }

    #[test]
    fn types_consts_and_booleans_take_their_30_forms() {
        let (document, warnings) = converted(schemas(serde_json::json!({
            "Name": {"type": ["string", "null"], "examples": ["a", "b"]},
            "Null": {"type": "null"},
            "Id": {"type": ["string", "integer"], "minLength": 1, "minimum": 0,
                "description": "an id"},
            "Kind": {"const": "dog"},
            "Count": {"type": "integer", "exclusiveMinimum": 0},
            "Any": true,
            "Shape": {"type": "object", "properties": {"gone": false, "kept": true}},
        })));
        let schemas = &document["components"]["schemas"];
        assert_eq!(document["openapi"], "3.0.3");
        assert_eq!(
            schemas["Name"],
            serde_json::json!({"type": "string", "nullable": true, "example": "a"})
        );
        assert_eq!(schemas["Null"], serde_json::json!({"enum": [null]}));
        assert_eq!(
            schemas["Id"],
            serde_json::json!({"description": "an id", "oneOf": [
                {"type": "string", "minLength": 1}, {"type": "integer", "minimum": 0}]})
        );
        assert_eq!(schemas["Kind"], serde_json::json!({"enum": ["dog"]}));
        assert_eq!(
            schemas["Count"],
            serde_json::json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0})
        );
        assert_eq!(schemas["Any"], serde_json::json!({}));
        assert_eq!(
            schemas["Shape"],
            serde_json::json!({"type": "object", "properties": {"kept": {}}})
        );
        assert_eq!(
            warnings,
            [
                "#/components/schemas/Shape/properties/gone: this property's schema is `false`: it \
              must be absent, so it is left out of the type (nothing stops a caller from sending \
              it)"
            ]
        );
    }

    #[test]
    fn references_keep_what_their_siblings_say() {
        let (document, warnings) = converted(schemas(serde_json::json!({
            "Pet": {"type": "object", "properties": {
                "owner": {"$ref": "#/components/schemas/Owner", "description": "who",
                    "type": ["object", "null"]},
                "tag": {"$ref": "#/components/schemas/Tag", "type": "object"},
                "friends": {"type": "array", "items": {"$ref": "#/components/schemas/Pet",
                    "description": "a friend"}},
                "either": {"anyOf": [{"$ref": "#/components/schemas/Tag"}, {"type": "null"}]},
            }},
        })));
        let pet = &document["components"]["schemas"]["Pet"]["properties"];
        assert_eq!(
            pet["owner"],
            serde_json::json!({"description": "who", "nullable": true,
                "allOf": [{"$ref": "#/components/schemas/Owner"}]})
        );
        assert_eq!(
            pet["tag"],
            serde_json::json!({"$ref": "#/components/schemas/Tag"})
        );
        assert_eq!(
            pet["friends"]["items"],
            serde_json::json!({"$ref": "#/components/schemas/Pet"})
        );
        assert_eq!(
            pet["either"]["anyOf"][1],
            serde_json::json!({"enum": [null]})
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn definitions_move_into_components_and_references_follow() {
        let (document, warnings) = converted(serde_json::json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {
                    "$defs": {"Item": {"type": "string"}},
                    "type": "array", "items": {"$ref": "#/$defs/Item"}}}}}}}}},
            "components": {"schemas": {
                "Item": {"type": "integer"},
                "Box": {"$defs": {"Inner": {"$defs": {"Deep": {"const": 1}},
                    "properties": {"deep": {"$ref": "#/components/schemas/Box/$defs/Inner/$defs/Deep"}}}},
                    "properties": {"inner": {"$ref": "#/components/schemas/Box/$defs/Inner"}}},
            }},
        }));
        let schemas = &document["components"]["schemas"];
        let response = &document["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"];
        assert_eq!(response["items"]["$ref"], "#/components/schemas/Item2");
        assert_eq!(schemas["Item2"], serde_json::json!({"type": "string"}));
        assert_eq!(
            schemas["Box"],
            serde_json::json!({"properties": {"inner": {"$ref": "#/components/schemas/Inner"}}})
        );
        assert_eq!(
            schemas["Inner"]["properties"]["deep"]["$ref"],
            "#/components/schemas/Deep"
        );
        assert_eq!(schemas["Deep"], serde_json::json!({"enum": [1]}));
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn references_by_id_and_anchor_find_their_schema() {
        let (document, warnings) = converted(schemas(serde_json::json!({
            "Pet": {"$id": "https://example.com/pet.json", "type": "object",
                "properties": {"name": {"$anchor": "name", "type": "string"}},
                "$defs": {"Tag": {"$id": "tag.json", "type": "string"}}},
            "Owner": {"properties": {
                "pet": {"$ref": "https://example.com/pet.json"},
                "name": {"$ref": "https://example.com/pet.json#/properties/name"},
                "alias": {"$ref": "#name"},
                "tag": {"$ref": "tag.json"},
                "other": {"$ref": "https://example.com/other.json"}}},
        })));
        let owner = &document["components"]["schemas"]["Owner"]["properties"];
        assert_eq!(owner["pet"]["$ref"], "#/components/schemas/Pet");
        assert_eq!(
            owner["name"]["$ref"],
            "#/components/schemas/Pet/properties/name"
        );
        assert_eq!(
            owner["alias"]["$ref"],
            "#/components/schemas/Pet/properties/name"
        );
        assert_eq!(owner["tag"]["$ref"], "#/components/schemas/Tag");
        assert_eq!(owner["other"]["$ref"], "https://example.com/other.json");
        assert!(
            document["components"]["schemas"]["Pet"]
                .get("$id")
                .is_none()
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn what_30_cannot_say_is_a_warning_at_its_pointer() {
        let (document, warnings) = converted(schemas(serde_json::json!({
            "Pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}],
                "items": false},
            "Same": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "string"}]},
            "Tags": {"type": "object", "patternProperties": {"^x-": {"type": "string"}},
                "additionalProperties": false},
            "Closed": {"allOf": [{"$ref": "#/components/schemas/Same"}],
                "unevaluatedProperties": false},
            "Conditional": {"type": "object", "if": {"required": ["a"]},
                "then": {"required": ["b"]}, "dependentRequired": {"a": ["b"]}},
        })));
        let schemas = &document["components"]["schemas"];
        assert_eq!(schemas["Pair"]["items"], serde_json::json!({}));
        assert_eq!(
            schemas["Same"]["items"],
            serde_json::json!({"type": "string"})
        );
        assert_eq!(
            schemas["Tags"]["additionalProperties"],
            serde_json::json!({"type": "string"})
        );
        assert_eq!(
            schemas["Closed"]["additionalProperties"],
            Value::Bool(false)
        );
        assert_eq!(
            schemas["Conditional"],
            serde_json::json!({"type": "object"})
        );
        let pointers: Vec<&str> = warnings
            .iter()
            .map(|warning| warning.split(": ").next().unwrap_or(""))
            .collect();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/Pair/prefixItems",
                "#/components/schemas/Same/prefixItems",
                "#/components/schemas/Tags/patternProperties",
                "#/components/schemas/Conditional/if",
                "#/components/schemas/Conditional/dependentRequired",
            ]
        );
    }

    #[test]
    fn webhooks_binary_bodies_and_the_document_level() {
        let (document, warnings) = converted(serde_json::json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {"title": "t", "version": "1", "summary": "short",
                "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {"newPet": {"post": {"requestBody": {"content": {
                "image/png": {"schema": {"type": "string", "contentMediaType": "image/png"}},
                "application/json": {"schema": {"type": "string",
                    "contentMediaType": "text/html"}},
                "multipart/form-data": {"schema": {"properties": {
                    "photo": {"contentMediaType": "image/png"},
                    "data": {"type": "string", "contentEncoding": "base64"}}}},
            }}}}},
            "components": {"securitySchemes": {"tls": {"type": "mutualTLS"}}},
        }));
        assert_eq!(document["paths"], serde_json::json!({}));
        assert_eq!(document["info"]["description"], "short");
        assert!(document.get("jsonSchemaDialect").is_none());
        assert!(document.get("webhooks").is_none());
        let content = &document["x-webhooks"]["newPet"]["post"]["requestBody"]["content"];
        assert_eq!(
            content["image/png"]["schema"],
            serde_json::json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            content["application/json"]["schema"],
            serde_json::json!({"type": "string"})
        );
        let parts = &content["multipart/form-data"]["schema"]["properties"];
        assert_eq!(
            parts["photo"],
            serde_json::json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            parts["data"],
            serde_json::json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            document["components"]["securitySchemes"],
            serde_json::json!({})
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("#/components/securitySchemes/tls: "));
    }
}
