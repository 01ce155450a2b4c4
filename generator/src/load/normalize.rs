//! Faithful rewrites of what real specs commonly write other than OpenAPI 3.0 says, where the
//! meaning is clear: `type: [string, "null"]`, `exclusiveMinimum: 5`, `required: true` on a
//! property, `minLength: "3"`, `enum: [1, "a"]` under `type: string`, a Swagger-style parameter
//! without a schema, a response without a description. Each rewrite is a warning with its JSON
//! pointer, except those that change only how a value is written (`5.0` for `5`), the
//! `nullable` beside a `$ref` that OpenAPI 3.0 would ignore (see [`nullable_reference`]) and an
//! encoding's default `explode` written out (see [`explicit_explode`]).

use serde_json::{Map, Number, Value};

use super::grammar::{self, Kind, Place};
use super::pointer;
use crate::diagnostics::{Diagnostic, Diagnostics, pointer_push};

/// Schema keywords whose value is a boolean.
const BOOLEAN_KEYWORDS: &[&str] = &[
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
];

/// Schema keywords whose value is a number.
const NUMBER_KEYWORDS: &[&str] = &["minimum", "maximum", "multipleOf"];

/// Schema keywords whose value is a count.
const COUNT_KEYWORDS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// Schema keywords whose value is text.
const TEXT_KEYWORDS: &[&str] = &["title", "description", "pattern", "format"];

/// The names of the JSON Schema types.
const TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

/// Swagger 2.0 parameter fields that OpenAPI 3.0 puts in the parameter's `schema`.
pub(super) const SWAGGER_SCHEMA_FIELDS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
];

/// Rewrites every object of `document`, read from `file`, that needs it.
pub(super) fn normalize(file: &str, document: &mut Value, warnings: &mut Diagnostics) {
    let mut found: Vec<(Vec<String>, Kind)> = Vec::new();
    grammar::walk(
        document,
        Place::Object(Kind::Document),
        &mut |path, kind, object| {
            if needs_rewrite(kind, object) {
                found.push((grammar::segments(path), kind));
            }
            !object.contains_key("$ref")
        },
    );
    let mut rewriter = Rewriter { file, warnings };
    for (segments, kind) in found {
        rewriter.rewrite(document, &segments, kind);
    }
}

/// Whether an object of `kind` has anything [`Rewriter`] rewrites.
fn needs_rewrite(kind: Kind, object: &Map<String, Value>) -> bool {
    if object
        .get("$ref")
        .is_some_and(|reference| !reference.is_string())
    {
        return true;
    }
    match kind {
        Kind::Schema => schema_needs_rewrite(object),
        Kind::Parameter | Kind::Header => {
            !object.contains_key("$ref")
                && (object.get("required").is_some_and(Value::is_string)
                    || (!object.contains_key("schema")
                        && !object.contains_key("content")
                        && object.contains_key("type")))
        }
        Kind::Response => {
            !object.contains_key("$ref") && !object.get("description").is_some_and(Value::is_string)
        }
        Kind::Operation => !object.contains_key("responses"),
        Kind::Encoding => !object.contains_key("explode"),
        _ => false,
    }
}

fn schema_needs_rewrite(object: &Map<String, Value>) -> bool {
    if object.contains_key("$ref") {
        return object.get("nullable") == Some(&Value::Bool(true));
    }
    let ty = object.get("type").and_then(Value::as_str);
    object
        .iter()
        .any(|(keyword, value)| match keyword.as_str() {
            "type" => !ty.is_some_and(|name| TYPES.contains(&name)),
            "required" => !value.is_array(),
            "items" => value.is_array(),
            "enum" => match value {
                Value::Array(values) => values
                    .iter()
                    .any(|value| enum_value_as(ty, value).is_some()),
                _ => true,
            },
            keyword if BOOLEAN_KEYWORDS.contains(&keyword) => !value.is_boolean(),
            keyword if NUMBER_KEYWORDS.contains(&keyword) => {
                value.is_string() || (ty == Some("integer") && is_whole_float(value))
            }
            keyword if TEXT_KEYWORDS.contains(&keyword) => !value.is_string(),
            keyword if COUNT_KEYWORDS.contains(&keyword) => !value.is_u64(),
            _ => false,
        })
}

fn is_whole_float(value: &Value) -> bool {
    value.is_f64() && value.as_f64().is_some_and(|number| number.fract() == 0.0)
}

/// Applies the rewrites and records their warnings.
struct Rewriter<'a> {
    file: &'a str,
    warnings: &'a mut Diagnostics,
}

impl Rewriter<'_> {
    fn warn(&mut self, pointer: String, message: String) {
        self.warnings
            .push(Diagnostic::warning_at(self.file, pointer, message));
    }

    fn rewrite(&mut self, document: &mut Value, segments: &[String], kind: Kind) {
        let pointer = pointer::format(segments);
        let property = segments
            .iter()
            .rev()
            .nth(1)
            .is_some_and(|owner| owner == "properties");
        if let Some(Value::Object(object)) = pointer::get_mut(document, segments)
            && let Some(reference) = object
                .get("$ref")
                .filter(|reference| !reference.is_string())
                .map(Value::to_string)
        {
            object.shift_remove("$ref");
            self.warn(
                pointer_push(&pointer, "$ref"),
                format!("`$ref: {reference}` is not text, so it refers to nothing; it is left out"),
            );
        }
        let required_property = match pointer::get_mut(document, segments) {
            Some(Value::Object(object)) => match kind {
                Kind::Schema => self.schema(object, &pointer, property),
                Kind::Parameter | Kind::Header => {
                    self.parameter(object, &pointer, kind);
                    None
                }
                Kind::Response => {
                    self.response(object, &pointer);
                    None
                }
                Kind::Encoding => {
                    explicit_explode(object);
                    None
                }
                Kind::Operation => {
                    object.insert("responses".to_owned(), Value::Object(Map::new()));
                    self.warn(
                        pointer.clone(),
                        "an operation needs `responses`; read as one that documents none"
                            .to_owned(),
                    );
                    None
                }
                _ => None,
            },
            _ => None,
        };
        if required_property == Some(true)
            && let [owner @ .., properties, name] = segments
            && properties == "properties"
            && let Some(Value::Object(owner)) = pointer::get_mut(document, owner)
        {
            let required = owner
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(names) = required
                && !names.iter().any(|listed| listed.as_str() == Some(name))
            {
                names.push(Value::String(name.clone()));
            }
        }
    }

    /// Rewrites a schema. Returns what a `required: <boolean>` on it said, for the caller to
    /// record in the owning schema's `required` list.
    fn schema(
        &mut self,
        object: &mut Map<String, Value>,
        pointer: &str,
        property: bool,
    ) -> Option<bool> {
        if object.contains_key("$ref") {
            nullable_reference(object);
            return None;
        }
        self.schema_type(object, pointer);
        for keyword in BOOLEAN_KEYWORDS {
            self.boolean_keyword(object, pointer, keyword);
        }
        self.exclusive_bound(object, pointer, "exclusiveMinimum", "minimum");
        self.exclusive_bound(object, pointer, "exclusiveMaximum", "maximum");
        let integer = object.get("type").and_then(Value::as_str) == Some("integer");
        for keyword in NUMBER_KEYWORDS {
            self.number_keyword(object, pointer, keyword, integer);
        }
        for keyword in COUNT_KEYWORDS {
            self.count_keyword(object, pointer, keyword);
        }
        for keyword in TEXT_KEYWORDS {
            self.text_keyword(object, pointer, keyword);
        }
        self.items(object, pointer);
        self.enumeration(object, pointer);
        self.required(object, pointer, property)
    }

    /// `type: [T, "null"]` (OpenAPI 3.1) is `type: T, nullable: true`; `type: "null"` is
    /// `nullable: true`; `Integer` and `int` are `integer`. Anything else names no type this
    /// generator can use, and is dropped.
    fn schema_type(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        let Some(ty) = object.get("type") else {
            return;
        };
        if ty.as_str().is_some_and(|name| TYPES.contains(&name)) {
            return;
        }
        let at = pointer_push(pointer, "type");
        let written = ty.to_string();
        let listed: Vec<String> = match ty {
            Value::String(name) => vec![name.clone()],
            Value::Array(names) => names
                .iter()
                .filter_map(|name| name.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        let nullable = listed.iter().any(|name| name == "null");
        let names: Vec<String> = listed.into_iter().filter(|name| name != "null").collect();
        let read = match names.as_slice() {
            [name] => type_alias(name),
            _ => None,
        };
        if nullable {
            object.insert("nullable".to_owned(), Value::Bool(true));
        }
        let null_note = if nullable { ", nullable: true" } else { "" };
        let message = match read {
            Some((name, format)) => {
                object.insert("type".to_owned(), Value::String(name.to_owned()));
                let format_note = match format {
                    Some(format) if !object.contains_key("format") => {
                        object.insert("format".to_owned(), Value::String(format.to_owned()));
                        format!(", format: {format}")
                    }
                    _ => String::new(),
                };
                format!("`type: {written}` is read as `type: {name}{format_note}{null_note}`")
            }
            None => {
                object.shift_remove("type");
                if names.is_empty() && nullable {
                    format!("`type: {written}` is read as `nullable: true`")
                } else {
                    format!(
                        "`type: {written}` is not one OpenAPI 3.0 type; the schema is read \
                         without a type{null_note}"
                    )
                }
            }
        };
        self.warn(at, message);
    }

    /// `nullable: "true"` is `nullable: true`.
    fn boolean_keyword(&mut self, object: &mut Map<String, Value>, pointer: &str, keyword: &str) {
        let Some(value) = object.get(keyword) else {
            return;
        };
        if value.is_boolean() || (keyword.starts_with("exclusive") && value.is_number()) {
            return;
        }
        let at = pointer_push(pointer, keyword);
        let written = value.to_string();
        match value.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some(text @ ("true" | "false")) => {
                let flag = text == "true";
                object.insert(keyword.to_owned(), Value::Bool(flag));
                self.warn(
                    at,
                    format!("`{keyword}: {written}` is read as `{keyword}: {flag}`"),
                );
            }
            _ => {
                object.shift_remove(keyword);
                self.warn(
                    at,
                    format!("`{keyword}: {written}` is not a boolean; it is left out"),
                );
            }
        }
    }

    /// `exclusiveMinimum: 5` (OpenAPI 3.1, JSON Schema 2019) is
    /// `minimum: 5, exclusiveMinimum: true`: see [`numeric_exclusive_bound`].
    fn exclusive_bound(
        &mut self,
        object: &mut Map<String, Value>,
        pointer: &str,
        keyword: &str,
        bound: &str,
    ) {
        if let Some(reading) = numeric_exclusive_bound(object, keyword, bound) {
            self.warn(pointer_push(pointer, keyword), reading);
        }
    }

    /// `minimum: "5"` is `minimum: 5`; under `type: integer`, `minimum: 5.0` is `minimum: 5`.
    fn number_keyword(
        &mut self,
        object: &mut Map<String, Value>,
        pointer: &str,
        keyword: &str,
        integer: bool,
    ) {
        let Some(value) = object.get(keyword) else {
            return;
        };
        if integer
            && is_whole_float(value)
            && let Some(whole) = value.as_f64().and_then(whole_number)
        {
            object.insert(keyword.to_owned(), whole);
            return;
        }
        let Value::String(text) = value else {
            return;
        };
        let at = pointer_push(pointer, keyword);
        let written = value.to_string();
        match number_from_text(text, integer) {
            Some(number) => {
                let shown = number.to_string();
                object.insert(keyword.to_owned(), number);
                self.warn(
                    at,
                    format!("`{keyword}: {written}` is read as `{keyword}: {shown}`"),
                );
            }
            None => {
                object.shift_remove(keyword);
                self.warn(
                    at,
                    format!("`{keyword}: {written}` is not a number; it is left out"),
                );
            }
        }
    }

    /// `minLength: "3"` and `minLength: 3.0` are `minLength: 3`.
    fn count_keyword(&mut self, object: &mut Map<String, Value>, pointer: &str, keyword: &str) {
        let Some(value) = object.get(keyword) else {
            return;
        };
        if value.is_u64() {
            return;
        }
        let count = match value {
            Value::String(text) => text.trim().parse::<u64>().ok(),
            Value::Number(number) => number
                .as_f64()
                .filter(|count| count.fract() == 0.0 && *count >= 0.0 && *count < 9.0e15)
                .map(|count| count as u64),
            _ => None,
        };
        let at = pointer_push(pointer, keyword);
        let written = value.to_string();
        let string = value.is_string();
        match count {
            Some(count) => {
                object.insert(keyword.to_owned(), Value::from(count));
                if string {
                    self.warn(
                        at,
                        format!("`{keyword}: {written}` is read as `{keyword}: {count}`"),
                    );
                }
            }
            None => {
                object.shift_remove(keyword);
                self.warn(
                    at,
                    format!("`{keyword}: {written}` is not a count; it is left out"),
                );
            }
        }
    }

    /// `pattern: 5` is `pattern: "5"`; a list or map where text belongs is left out.
    fn text_keyword(&mut self, object: &mut Map<String, Value>, pointer: &str, keyword: &str) {
        let Some(value) = object.get(keyword).filter(|value| !value.is_string()) else {
            return;
        };
        let at = pointer_push(pointer, keyword);
        let written = value.to_string();
        if matches!(value, Value::Number(_) | Value::Bool(_)) {
            object.insert(keyword.to_owned(), Value::String(written.clone()));
            self.warn(
                at,
                format!("`{keyword}: {written}` is read as the text \"{written}\""),
            );
        } else {
            object.shift_remove(keyword);
            self.warn(
                at,
                format!("`{keyword}: {written}` is not text; it is left out"),
            );
        }
    }

    /// `items: [schema]` (a tuple of one, from JSON Schema drafts) is `items: schema`.
    fn items(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Array(members)) = object.get_mut("items") else {
            return;
        };
        let at = pointer_push(pointer, "items");
        if members.len() == 1 {
            let member = members.remove(0);
            object.insert("items".to_owned(), member);
            self.warn(
                at,
                "`items` is a list of one schema; read as that schema".to_owned(),
            );
        } else {
            object.insert("items".to_owned(), Value::Object(Map::new()));
            self.warn(
                at,
                "`items` is a list of schemas (a tuple), which OpenAPI 3.0 cannot say; the \
                 items are read as any JSON value"
                    .to_owned(),
            );
        }
    }

    /// `enum: "a"` is `enum: ["a"]`; values of another JSON type than the schema's `type`
    /// (`1` under `type: string`, `"1"` under `type: integer`) are read as that type.
    fn enumeration(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        let wanted = object
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let Some(values) = object.get_mut("enum") else {
            return;
        };
        let at = pointer_push(pointer, "enum");
        if !values.is_array() {
            let single = std::mem::take(values);
            *values = Value::Array(vec![single]);
            self.warn(
                at.clone(),
                "`enum` is not a list; read as a list of that one value".to_owned(),
            );
        }
        let Value::Array(values) = values else {
            return;
        };
        let mut changed = Vec::new();
        for value in values.iter_mut() {
            if let Some(read) = enum_value_as(wanted.as_deref(), value) {
                if json_kind(value) != json_kind(&read) {
                    changed.push(value.to_string());
                }
                *value = read;
            }
        }
        if !changed.is_empty()
            && let Some(wanted) = wanted
        {
            self.warn(
                at,
                format!(
                    "`enum` values that are not of `type: {wanted}` are read as that type: {}",
                    changed.join(", ")
                ),
            );
        }
    }

    /// `required: true` on a property schema (Swagger style) is the property's name in the
    /// owner's `required` list; `required: "name"` is `required: ["name"]`.
    fn required(
        &mut self,
        object: &mut Map<String, Value>,
        pointer: &str,
        property: bool,
    ) -> Option<bool> {
        let required = object.get("required")?;
        if required.is_array() {
            return None;
        }
        let at = pointer_push(pointer, "required");
        let written = required.to_string();
        match required.clone() {
            Value::String(name) => {
                object.insert(
                    "required".to_owned(),
                    Value::Array(vec![Value::String(name)]),
                );
                self.warn(
                    at,
                    format!("`required: {written}` is read as `required: [{written}]`"),
                );
                None
            }
            Value::Bool(flag) => {
                object.shift_remove("required");
                let reading = if !property {
                    "it is left out"
                } else if flag {
                    "read as the property's name in its owner's `required` list"
                } else {
                    "read as an optional property"
                };
                self.warn(
                    at,
                    format!("`required: {written}` belongs in the owning schema; {reading}"),
                );
                property.then_some(flag)
            }
            _ => {
                object.shift_remove("required");
                self.warn(
                    at,
                    format!("`required: {written}` is not a list of names; it is left out"),
                );
                None
            }
        }
    }

    /// `required: "true"` is `required: true`; a Swagger 2.0-style parameter with `type` (and
    /// friends) beside it rather than a `schema` gets them as its schema.
    fn parameter(&mut self, object: &mut Map<String, Value>, pointer: &str, kind: Kind) {
        if let Some(Value::String(text)) = object.get("required") {
            let flag = text.eq_ignore_ascii_case("true");
            let written = format!("\"{text}\"");
            object.insert("required".to_owned(), Value::Bool(flag));
            self.warn(
                pointer_push(pointer, "required"),
                format!("`required: {written}` is read as `required: {flag}`"),
            );
        }
        if !object.contains_key("schema")
            && !object.contains_key("content")
            && object.contains_key("type")
        {
            let mut schema = Map::new();
            for field in SWAGGER_SCHEMA_FIELDS {
                if let Some(value) = object.shift_remove(*field) {
                    schema.insert((*field).to_owned(), value);
                }
            }
            object.shift_remove("collectionFormat");
            object.insert("schema".to_owned(), Value::Object(schema));
            self.warn(
                pointer.to_owned(),
                format!(
                    "this {} has `type` beside it (Swagger 2.0 style) rather than a `schema`; \
                     read as its schema",
                    kind.name()
                ),
            );
        }
    }

    /// A response without a `description` (which OpenAPI 3.0 requires) gets an empty one.
    fn response(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        let message = match object.get("description") {
            None => "a response needs a `description`; read as an empty one".to_owned(),
            Some(Value::Number(_) | Value::Bool(_)) => {
                let written = object.get("description").map(Value::to_string);
                let text = written.unwrap_or_default();
                object.insert("description".to_owned(), Value::String(text.clone()));
                self.warn(
                    pointer_push(pointer, "description"),
                    format!("`description: {text}` is read as the text \"{text}\""),
                );
                return;
            }
            Some(_) => "`description` is not text; read as an empty one".to_owned(),
        };
        object.insert("description".to_owned(), Value::String(String::new()));
        self.warn(pointer.to_owned(), message);
    }
}

/// Rewrites a numeric `exclusiveMinimum: 5` (OpenAPI 3.1, JSON Schema 2019) as
/// `minimum: 5, exclusiveMinimum: true` (OpenAPI 3.0), keeping the stricter of two bounds, and
/// the same for `exclusiveMaximum` (`keyword`) and `maximum` (`bound`). Returns what it read, for
/// a message about an OpenAPI 3.0 document, or `None` when the keyword is not a number.
pub(super) fn numeric_exclusive_bound(
    object: &mut Map<String, Value>,
    keyword: &str,
    bound: &str,
) -> Option<String> {
    let limit = object
        .get(keyword)
        .filter(|value| value.is_number())
        .cloned()?;
    let stricter = match (limit.as_f64(), object.get(bound).and_then(Value::as_f64)) {
        (Some(exclusive), Some(inclusive)) if keyword == "exclusiveMinimum" => {
            exclusive >= inclusive
        }
        (Some(exclusive), Some(inclusive)) => exclusive <= inclusive,
        _ => true,
    };
    if stricter {
        object.insert(bound.to_owned(), limit.clone());
        object.insert(keyword.to_owned(), Value::Bool(true));
    } else {
        object.shift_remove(keyword);
    }
    Some(format!(
        "`{keyword}: {limit}` is the OpenAPI 3.1 form; read as `{bound}: {}, {keyword}: \
         {stricter}`",
        object.get(bound).map_or_else(String::new, Value::to_string)
    ))
}

/// Writes out an encoding's `explode` where the spec leaves it to its default: `true` for the
/// `form` style (also when no style is given), `false` for the others. `openapiv3` reads a
/// missing `explode` as `false` whatever the style.
fn explicit_explode(object: &mut Map<String, Value>) {
    let form = object
        .get("style")
        .and_then(Value::as_str)
        .is_none_or(|style| style == "form");
    object.insert("explode".to_owned(), Value::Bool(form));
}

/// Rewrites `{$ref: X, nullable: true, …}` as `{allOf: [{$ref: X}], nullable: true, …}`.
///
/// OpenAPI 3.0 ignores the siblings of `$ref`, but specs write `nullable` beside it to say that
/// this use of the schema may be `null` (a PATCH map whose `null` values remove entries, say);
/// the allOf form says the same thing in a way 3.0 keeps.
pub(super) fn nullable_reference(object: &mut Map<String, Value>) {
    if let Some(reference) = object.shift_remove("$ref") {
        let mut member = Map::new();
        member.insert("$ref".to_owned(), reference);
        object.insert(
            "allOf".to_owned(),
            Value::Array(vec![Value::Object(member)]),
        );
    }
}

/// The JSON type name and OpenAPI format a `type` value stands for: `integer`, `int` and
/// `Integer` are `integer`, `long` is `integer` with `int64`, `double` is `number` with
/// `double`, and Swagger 2.0's `file` is `string` with `binary`.
pub(super) fn type_alias(name: &str) -> Option<(&'static str, Option<&'static str>)> {
    let lower = name.trim().to_ascii_lowercase();
    let read = match lower.as_str() {
        "string" | "str" => ("string", None),
        "integer" | "int" => ("integer", None),
        "int32" => ("integer", Some("int32")),
        "long" | "int64" => ("integer", Some("int64")),
        "number" => ("number", None),
        "float" => ("number", Some("float")),
        "double" => ("number", Some("double")),
        "boolean" | "bool" => ("boolean", None),
        "file" => ("string", Some("binary")),
        "array" => ("array", None),
        "object" => ("object", None),
        _ => return None,
    };
    Some(read)
}

/// `value` read as an enum value of JSON type `wanted`, when it is written as another one that
/// means it (`1` or `true` for `type: string`, `"1"` for `type: integer`) or written in another
/// form (`1.0` for `type: integer`). `None` when it is fine as it is, or means no such value.
fn enum_value_as(wanted: Option<&str>, value: &Value) -> Option<Value> {
    match (wanted?, value) {
        ("string", Value::Number(_) | Value::Bool(_)) => Some(Value::String(value.to_string())),
        ("integer", Value::String(text)) => number_from_text(text, true),
        ("integer", Value::Number(_)) if is_whole_float(value) => {
            value.as_f64().and_then(whole_number)
        }
        ("number", Value::String(text)) => number_from_text(text, false),
        ("boolean", Value::String(text)) => match text.trim() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    }
}

/// A number written as text; with `integer`, only whole numbers.
fn number_from_text(text: &str, integer: bool) -> Option<Value> {
    let text = text.trim();
    if let Ok(whole) = text.parse::<i64>() {
        return Some(Value::from(whole));
    }
    let number = text
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())?;
    if integer {
        whole_number(number)
    } else {
        Number::from_f64(number).map(Value::Number)
    }
}

/// A whole `f64` as an integer value.
fn whole_number(number: f64) -> Option<Value> {
    (number.fract() == 0.0 && number.abs() < 9.0e15).then(|| Value::from(number as i64))
}

/// The JSON type of a value, to tell a rewrite that changes it from one that only rewrites it.
fn json_kind(value: &Value) -> u8 {
    match value {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(document: Value) -> (Value, Vec<String>) {
        let mut document = document;
        let mut warnings = Diagnostics::default();
        normalize("spec.yaml", &mut document, &mut warnings);
        let messages = super::super::pointer_messages(&warnings);
        (document, messages)
    }

    fn schemas(schemas: Value) -> Value {
        serde_json::json!({"openapi": "3.0.3", "components": {"schemas": schemas}})
    }

    #[test]
    fn openapi_31_forms_are_read_as_30() {
        let (document, warnings) = normalized(schemas(serde_json::json!({
            "A": {"type": ["string", "null"], "exclusiveMinimum": 5, "minimum": 1},
            "B": {"type": "null"},
            "C": {"type": ["string", "integer"]},
        })));
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["A"],
            serde_json::json!({"type": "string", "exclusiveMinimum": true, "minimum": 5,
                "nullable": true})
        );
        assert_eq!(schemas["B"], serde_json::json!({"nullable": true}));
        assert_eq!(schemas["C"], serde_json::json!({}));
        assert_eq!(warnings.len(), 4, "{warnings:#?}");
        assert!(warnings[0].starts_with("#/components/schemas/A/type: "));
        assert!(warnings[1].starts_with("#/components/schemas/A/exclusiveMinimum: "));
    }

    #[test]
    fn required_true_on_a_property_goes_to_the_owner() {
        let (document, warnings) = normalized(schemas(serde_json::json!({
            "Pet": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string", "required": true},
                "tag": {"type": "string", "required": false},
            }},
        })));
        let pet = &document["components"]["schemas"]["Pet"];
        assert_eq!(pet["required"], serde_json::json!(["id", "name"]));
        assert_eq!(
            pet["properties"]["name"],
            serde_json::json!({"type": "string"})
        );
        assert_eq!(
            pet["properties"]["tag"],
            serde_json::json!({"type": "string"})
        );
        assert_eq!(warnings.len(), 2, "{warnings:#?}");
        assert!(warnings[0].starts_with("#/components/schemas/Pet/properties/name/required: "));
    }

    #[test]
    fn values_written_as_text_are_read_as_numbers_and_booleans() {
        let (document, warnings) = normalized(schemas(serde_json::json!({
            "Code": {"type": "integer", "minimum": "1", "maximum": 10.0,
                "enum": ["1", 2, 3.0], "nullable": "false"},
            "Name": {"type": "string", "minLength": "2", "maxLength": 5.0,
                "enum": ["a", 1, true, null]},
            "Bad": {"type": "string", "minLength": "two"},
        })));
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Code"],
            serde_json::json!({"type": "integer", "minimum": 1, "maximum": 10,
                "enum": [1, 2, 3], "nullable": false})
        );
        assert_eq!(
            schemas["Name"],
            serde_json::json!({"type": "string", "minLength": 2, "maxLength": 5,
                "enum": ["a", "1", "true", null]})
        );
        assert_eq!(schemas["Bad"], serde_json::json!({"type": "string"}));
        let fields: Vec<&str> = warnings
            .iter()
            .map(|warning| warning.split(": ").next().unwrap_or(""))
            .collect();
        assert_eq!(
            fields,
            [
                "#/components/schemas/Code/nullable",
                "#/components/schemas/Code/minimum",
                "#/components/schemas/Code/enum",
                "#/components/schemas/Name/minLength",
                "#/components/schemas/Name/enum",
                "#/components/schemas/Bad/minLength",
            ]
        );
    }

    #[test]
    fn swagger_style_parameters_and_files_and_missing_descriptions_and_responses() {
        let (document, warnings) = normalized(serde_json::json!({
            "openapi": "3.0.0",
            "paths": {"/a": {"get": {
                "parameters": [{"name": "n", "in": "query", "type": "integer", "minimum": 1,
                    "required": "true"}],
                "responses": {"200": {"content": {}}},
            }, "put": {"requestBody": {"content": {"application/octet-stream": {
                "schema": {"type": "file"}}}}}}},
        }));
        let operation = &document["paths"]["/a"]["get"];
        assert_eq!(
            operation["parameters"][0],
            serde_json::json!({"name": "n", "in": "query", "required": true,
                "schema": {"type": "integer", "minimum": 1}})
        );
        assert_eq!(operation["responses"]["200"]["description"], "");
        let put = &document["paths"]["/a"]["put"];
        assert_eq!(put["responses"], serde_json::json!({}));
        assert_eq!(
            put["requestBody"]["content"]["application/octet-stream"]["schema"],
            serde_json::json!({"type": "string", "format": "binary"})
        );
        assert_eq!(warnings.len(), 5, "{warnings:#?}");
    }

    #[test]
    fn nullable_beside_a_reference_becomes_an_all_of() {
        let (document, warnings) = normalized(schemas(serde_json::json!({
            "A": {"$ref": "#/components/schemas/B", "nullable": true},
            "B": {"type": "string"},
        })));
        assert_eq!(
            document["components"]["schemas"]["A"],
            serde_json::json!({"nullable": true,
                "allOf": [{"$ref": "#/components/schemas/B"}]})
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn a_reference_that_is_not_text_is_left_out() {
        let (document, warnings) = normalized(schemas(
            serde_json::json!({"A": {"$ref": 5, "type": "string"}}),
        ));
        assert_eq!(
            document["components"]["schemas"]["A"],
            serde_json::json!({"type": "string"})
        );
        assert_eq!(
            warnings,
            [
                "#/components/schemas/A/$ref: `$ref: 5` is not text, so it refers to nothing; it \
              is left out"
            ]
        );
    }

    #[test]
    fn valid_schemas_are_left_alone() {
        let valid = schemas(serde_json::json!({
            "A": {"type": "object", "required": ["x"], "properties": {
                "x": {"type": "number", "minimum": 0.5, "exclusiveMinimum": true},
                "y": {"type": "string", "enum": ["a", null], "nullable": true},
            }},
        }));
        assert_eq!(normalized(valid.clone()), (valid, Vec::new()));
    }
}
