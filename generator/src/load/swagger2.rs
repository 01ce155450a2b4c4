//! Swagger 2.0 to OpenAPI 3.0, as a rewrite of the JSON value before the rest of the loader
//! reads it.
//!
//! - `definitions`, `parameters`, `responses` and `securityDefinitions` are the `components`
//!   sections `schemas`, `parameters`, `responses` and `securitySchemes`, and every reference
//!   into them follows ([`super::moves`]).
//! - A `body` parameter is the request body, with one media type per entry of `consumes` (the
//!   operation's, else the document's, else `application/json`; `*/*` is JSON). `formData`
//!   parameters are the properties of an object sent as `application/x-www-form-urlencoded`,
//!   or as `multipart/form-data` when one of them is a `type: file` (which is a binary string)
//!   or `consumes` says so; their `collectionFormat` is the property's encoding.
//! - A response's `schema` is its content, one media type per entry of `produces` (a
//!   `type: file` response is bytes, sent as the non-JSON types `produces` lists, else
//!   `application/octet-stream`); its `examples` are the media types' examples, its headers
//!   get schemas. A referenced response is copied in place where the operation's `produces`
//!   differs from the document's.
//! - Other parameters and headers get a `schema` of their `type`, `format`, `items`, `enum`,
//!   … and `collectionFormat` is `style` and `explode`. `tsv`, and formats other than `csv`
//!   outside the query string, have no OpenAPI 3.0 form: a warning, and the closest form.
//! - `host`, `basePath` and `schemes` are the servers (`https` first); `securityDefinitions`
//!   are `basic` (HTTP basic), `apiKey` and `oauth2` (its one flow).
//! - In schemas, `x-nullable: true` is `nullable: true`, `discriminator: kind` is
//!   `discriminator: {propertyName: kind}`, `type: file` is a binary string.
//!
//! The operation-level `schemes` and schema keywords that Swagger 2.0 does not have but some
//! specs write (`additionalItems`) are left out with a warning.

use serde_json::{Map, Value};

use super::normalize::{SWAGGER_SCHEMA_FIELDS, type_alias};
use super::pointer;
use super::version::Conversion;

/// The OpenAPI version converted documents say they are.
const CONVERTED_VERSION: &str = "3.0.3";

/// The media type of bodies when `consumes` or `produces` says none.
const DEFAULT_MEDIA: &str = "application/json";

/// The form media types.
const URLENCODED: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The media type of a file response when `produces` lists no other.
const BINARY_MEDIA: &str = "application/octet-stream";

/// The document sections that are `components` sections in OpenAPI 3.0.
const SECTIONS: &[(&str, &str)] = &[
    ("definitions", "schemas"),
    ("parameters", "parameters"),
    ("responses", "responses"),
    ("securityDefinitions", "securitySchemes"),
];

/// Top-level fields that the conversion reads and does not copy.
const CONVERTED_FIELDS: &[&str] = &[
    "swagger",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
];

/// Operation fields that the conversion reads and does not copy.
const OPERATION_FIELDS: &[&str] = &["consumes", "produces", "parameters", "responses", "schemes"];

/// The methods of a Swagger 2.0 path item.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Converts a Swagger 2.0 document into an OpenAPI 3.0 one.
pub(super) fn convert(document: Value, conversion: &mut Conversion) -> Value {
    let Value::Object(source) = document else {
        return document;
    };
    let mut swagger = Swagger {
        conversion,
        consumes: media_list(source.get("consumes")),
        produces: media_list(source.get("produces")),
        parameters: source
            .get("parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
        responses: source
            .get("responses")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
    };
    let mut root = Map::new();
    root.insert(
        "openapi".to_owned(),
        Value::String(CONVERTED_VERSION.to_owned()),
    );
    for (key, value) in &source {
        if !CONVERTED_FIELDS.contains(&key.as_str()) {
            root.insert(key.clone(), value.clone());
        }
    }
    let servers = servers(&source);
    if !servers.is_empty() {
        root.insert("servers".to_owned(), Value::Array(servers));
    }
    let paths = match source.get("paths") {
        Some(Value::Object(paths)) => Value::Object(swagger.paths(paths)),
        Some(other) => other.clone(),
        None => Value::Object(Map::new()),
    };
    root.insert("paths".to_owned(), paths);
    let components = swagger.components(&source);
    if !components.is_empty() {
        root.insert("components".to_owned(), Value::Object(components));
    }
    for (from, to) in SECTIONS {
        swagger.conversion.moves.record(
            vec![(*from).to_owned()],
            vec!["components".to_owned(), (*to).to_owned()],
        );
    }
    let mut document = Value::Object(root);
    swagger.conversion.moves.rewrite_references(&mut document);
    document
}

/// The media types of a `consumes` or `produces` list.
fn media_list(value: Option<&Value>) -> Option<Vec<String>> {
    let list = value?.as_array()?;
    let media: Vec<String> = list
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    Some(media)
}

/// The servers from `host`, `basePath` and `schemes`: one per HTTP scheme, `https` first, or
/// the base path alone when there is no host.
fn servers(source: &Map<String, Value>) -> Vec<Value> {
    let host = source.get("host").and_then(Value::as_str);
    let base_path = source
        .get("basePath")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim_end_matches('/');
    let server = |url: String| {
        let mut server = Map::new();
        server.insert("url".to_owned(), Value::String(url));
        Value::Object(server)
    };
    let Some(host) = host.filter(|host| !host.is_empty()) else {
        return if base_path.is_empty() {
            Vec::new()
        } else {
            vec![server(base_path.to_owned())]
        };
    };
    let listed = media_list(source.get("schemes")).unwrap_or_default();
    let mut schemes: Vec<&str> = ["https", "http"]
        .into_iter()
        .filter(|scheme| {
            listed
                .iter()
                .any(|listed| listed.eq_ignore_ascii_case(scheme))
        })
        .collect();
    if schemes.is_empty() {
        schemes.push("https");
    }
    schemes
        .into_iter()
        .map(|scheme| server(format!("{scheme}://{host}{base_path}")))
        .collect()
}

/// The state of one conversion.
struct Swagger<'c, 'f> {
    conversion: &'c mut Conversion<'f>,
    /// The document's `consumes` and `produces`.
    consumes: Option<Vec<String>>,
    produces: Option<Vec<String>>,
    /// The document's `parameters` and `responses`, which references name.
    parameters: Map<String, Value>,
    responses: Map<String, Value>,
}

/// Where a value stands: a pointer as segments.
type At = Vec<String>;

fn at(base: &[String], more: &[&str]) -> At {
    base.iter()
        .cloned()
        .chain(more.iter().map(|segment| (*segment).to_owned()))
        .collect()
}

/// A parameter of an operation, its reference resolved, with where it stands.
struct Resolved {
    value: Map<String, Value>,
    /// Where it is written: in the operation, the path item or `#/parameters`.
    at: At,
    /// The `#/parameters` key it was referenced by, if it was.
    reference: Option<String>,
}

impl Swagger<'_, '_> {
    fn warn(&mut self, at: &[String], message: impl Into<String>) {
        self.conversion.warn(pointer::format(at), message);
    }

    /// The `components` of the converted document.
    fn components(&mut self, source: &Map<String, Value>) -> Map<String, Value> {
        let mut components = Map::new();
        if let Some(Value::Object(definitions)) = source.get("definitions") {
            let schemas: Map<String, Value> = definitions
                .iter()
                .map(|(key, schema)| {
                    let mut schema = schema.clone();
                    self.schema(&mut schema, &at(&[], &["definitions", key]));
                    (key.clone(), schema)
                })
                .collect();
            components.insert("schemas".to_owned(), Value::Object(schemas));
        }
        let parameters: Map<String, Value> = self
            .parameters
            .clone()
            .into_iter()
            .filter(|(_, parameter)| !is_body_or_form(parameter))
            .map(|(key, parameter)| {
                let Value::Object(parameter) = parameter else {
                    return (key, parameter);
                };
                let place = at(&[], &["parameters", &key]);
                let converted = self.parameter(parameter, &place);
                (key, Value::Object(converted))
            })
            .collect();
        if !parameters.is_empty() {
            components.insert("parameters".to_owned(), Value::Object(parameters));
        }
        if !self.responses.is_empty() {
            let produces = self.produces.clone();
            let responses: Map<String, Value> = self
                .responses
                .clone()
                .into_iter()
                .map(|(key, response)| {
                    let place = at(&[], &["responses", &key]);
                    let target = at(&[], &["components", "responses", &key]);
                    let converted = self.response(response, &place, &target, produces.as_deref());
                    (key, converted)
                })
                .collect();
            components.insert("responses".to_owned(), Value::Object(responses));
        }
        if let Some(Value::Object(schemes)) = source.get("securityDefinitions") {
            let schemes: Map<String, Value> = schemes
                .iter()
                .map(|(key, scheme)| {
                    let place = at(&[], &["securityDefinitions", key]);
                    (key.clone(), self.security_scheme(scheme, &place))
                })
                .collect();
            components.insert("securitySchemes".to_owned(), Value::Object(schemes));
        }
        components
    }

    /// The path items.
    fn paths(&mut self, paths: &Map<String, Value>) -> Map<String, Value> {
        let mut converted = Map::new();
        for (path, item) in paths {
            let Value::Object(item) = item else {
                converted.insert(path.clone(), item.clone());
                continue;
            };
            if path.starts_with("x-") {
                converted.insert(path.clone(), Value::Object(item.clone()));
                continue;
            }
            let place = at(&[], &["paths", path]);
            converted.insert(path.clone(), Value::Object(self.path_item(item, &place)));
        }
        converted
    }

    fn path_item(&mut self, item: &Map<String, Value>, place: &[String]) -> Map<String, Value> {
        let shared = self.resolve_parameters(item.get("parameters"), place);
        let mut converted = Map::new();
        for (key, value) in item {
            match key.as_str() {
                "parameters" => {
                    let plain: Vec<Value> = shared
                        .iter()
                        .filter(|parameter| {
                            !is_body_or_form(&Value::Object(parameter.value.clone()))
                        })
                        .map(|parameter| self.parameter_or_reference(parameter))
                        .collect();
                    if !plain.is_empty() {
                        converted.insert(key.clone(), Value::Array(plain));
                    }
                }
                method if METHODS.contains(&method) => {
                    let operation_place = at(place, &[method]);
                    let operation = match value {
                        Value::Object(operation) => {
                            Value::Object(self.operation(operation, &operation_place, &shared))
                        }
                        other => other.clone(),
                    };
                    converted.insert(key.clone(), operation);
                }
                _ => {
                    converted.insert(key.clone(), value.clone());
                }
            }
        }
        converted
    }

    /// The parameters of a `parameters` list, references into `#/parameters` resolved.
    fn resolve_parameters(&mut self, list: Option<&Value>, place: &[String]) -> Vec<Resolved> {
        let Some(Value::Array(list)) = list else {
            return Vec::new();
        };
        let mut resolved = Vec::new();
        for (index, parameter) in list.iter().enumerate() {
            let written = at(place, &["parameters", &index.to_string()]);
            let Value::Object(parameter) = parameter else {
                self.conversion.skip(
                    pointer::format(&written),
                    "a parameter must be an object; it is left out",
                );
                continue;
            };
            let Some(reference) = parameter.get("$ref").and_then(Value::as_str) else {
                resolved.push(Resolved {
                    value: parameter.clone(),
                    at: written,
                    reference: None,
                });
                continue;
            };
            let key = pointer::parse(reference).and_then(|segments| match segments.as_slice() {
                [section, key] if section == "parameters" => Some(key.clone()),
                _ => None,
            });
            match key.and_then(|key| Some((self.parameters.get(&key)?.as_object()?.clone(), key))) {
                Some((value, key)) => resolved.push(Resolved {
                    value,
                    at: at(&[], &["parameters", &key]),
                    reference: Some(key),
                }),
                None => resolved.push(Resolved {
                    value: parameter.clone(),
                    at: written,
                    reference: None,
                }),
            }
        }
        resolved
    }

    /// A parameter that is not a body: a reference to its component, or converted in place.
    fn parameter_or_reference(&mut self, parameter: &Resolved) -> Value {
        match &parameter.reference {
            Some(key) => {
                let mut reference = Map::new();
                reference.insert(
                    "$ref".to_owned(),
                    Value::String(pointer::format(&["parameters", key.as_str()])),
                );
                Value::Object(reference)
            }
            None => Value::Object(self.parameter(parameter.value.clone(), &parameter.at)),
        }
    }

    fn operation(
        &mut self,
        operation: &Map<String, Value>,
        place: &[String],
        shared: &[Resolved],
    ) -> Map<String, Value> {
        let mut converted = Map::new();
        for (key, value) in operation {
            if !OPERATION_FIELDS.contains(&key.as_str()) {
                converted.insert(key.clone(), value.clone());
            }
        }
        if operation.contains_key("schemes") {
            self.warn(
                &at(place, &["schemes"]),
                "an operation's own `schemes` have no OpenAPI 3.0 form in this generator; the \
                 operation uses the document's servers",
            );
        }
        let consumes = media_list(operation.get("consumes")).or_else(|| self.consumes.clone());
        let produces = media_list(operation.get("produces")).or_else(|| self.produces.clone());
        let own = self.resolve_parameters(operation.get("parameters"), place);
        let mut parameters: Vec<&Resolved> = Vec::new();
        for parameter in shared.iter().chain(&own) {
            let identity =
                |value: &Map<String, Value>| (value.get("name").cloned(), value.get("in").cloned());
            parameters.retain(|known| identity(&known.value) != identity(&parameter.value));
            parameters.push(parameter);
        }
        let (bodies, plain): (Vec<&Resolved>, Vec<&Resolved>) = parameters
            .into_iter()
            .partition(|parameter| is_body_or_form(&Value::Object(parameter.value.clone())));
        let own_plain: Vec<Value> = plain
            .iter()
            .filter(|parameter| {
                !shared
                    .iter()
                    .any(|path_level| std::ptr::eq(path_level, **parameter))
            })
            .map(|parameter| self.parameter_or_reference(parameter))
            .collect();
        if !own_plain.is_empty() {
            converted.insert("parameters".to_owned(), Value::Array(own_plain));
        }
        if let Some(body) = self.request_body(&bodies, place, consumes.as_deref()) {
            converted.insert("requestBody".to_owned(), body);
        }
        let responses = match operation.get("responses") {
            Some(Value::Object(responses)) => {
                let mut converted_responses = Map::new();
                for (status, response) in responses {
                    let response_place = at(place, &["responses", status]);
                    let value = if status.starts_with("x-") {
                        response.clone()
                    } else {
                        self.operation_response(response, &response_place, produces.as_deref())
                    };
                    converted_responses.insert(status.clone(), value);
                }
                Some(Value::Object(converted_responses))
            }
            Some(other) => Some(other.clone()),
            None => None,
        };
        if let Some(responses) = responses {
            converted.insert("responses".to_owned(), responses);
        }
        converted
    }

    /// A response of an operation: a reference to the component when the operation produces
    /// what the document does, else the referenced response converted in place.
    fn operation_response(
        &mut self,
        response: &Value,
        place: &[String],
        produces: Option<&[String]>,
    ) -> Value {
        let referenced = pointer::reference_of(response)
            .and_then(pointer::parse)
            .and_then(|segments| match segments.as_slice() {
                [section, key] if section == "responses" => Some(key.clone()),
                _ => None,
            });
        match referenced {
            Some(key) if produces != self.produces.as_deref() => {
                match self.responses.get(&key).cloned() {
                    Some(shared) => {
                        self.response(shared, &at(&[], &["responses", &key]), place, produces)
                    }
                    None => response.clone(),
                }
            }
            Some(_) => response.clone(),
            None => self.response(response.clone(), place, place, produces),
        }
    }

    /// The request body of an operation, from its `body` or `formData` parameters.
    fn request_body(
        &mut self,
        bodies: &[&Resolved],
        place: &[String],
        consumes: Option<&[String]>,
    ) -> Option<Value> {
        let body_target = at(place, &["requestBody"]);
        let (body, form): (Vec<&Resolved>, Vec<&Resolved>) = bodies.iter().partition(|parameter| {
            parameter.value.get("in").and_then(Value::as_str) == Some("body")
        });
        if let Some(first) = body.first() {
            for extra in body.iter().skip(1).chain(&form) {
                self.conversion.skip(
                    pointer::format(&extra.at),
                    "an operation has one body: this parameter beside the `body` parameter is left \
                     out",
                );
            }
            return Some(self.body(first, &body_target, consumes));
        }
        if form.is_empty() {
            return None;
        }
        Some(self.form(&form, &body_target, consumes))
    }

    /// A `body` parameter as a request body.
    fn body(&mut self, body: &Resolved, target: &[String], consumes: Option<&[String]>) -> Value {
        let mut schema = body
            .value
            .get("schema")
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new()));
        self.schema(&mut schema, &at(&body.at, &["schema"]));
        let media = body_media(consumes.unwrap_or_default(), is_binary(&schema));
        let mut request_body = Map::new();
        if let Some(description) = body.value.get("description") {
            request_body.insert("description".to_owned(), description.clone());
        }
        if let Some(required) = body.value.get("required") {
            request_body.insert("required".to_owned(), required.clone());
        }
        let mut content = Map::new();
        for media in &media {
            let mut media_type = Map::new();
            media_type.insert("schema".to_owned(), schema.clone());
            content.insert(media.clone(), Value::Object(media_type));
        }
        request_body.insert("content".to_owned(), Value::Object(content));
        copy_extensions(&body.value, &mut request_body);
        let first = media.first().map_or(DEFAULT_MEDIA, String::as_str);
        self.conversion
            .moves
            .record(body.at.clone(), target.to_vec());
        self.conversion.moves.record(
            at(&body.at, &["schema"]),
            at(target, &["content", first, "schema"]),
        );
        Value::Object(request_body)
    }

    /// `formData` parameters as an object body.
    fn form(
        &mut self,
        form: &[&Resolved],
        target: &[String],
        consumes: Option<&[String]>,
    ) -> Value {
        let has_file = form.iter().any(|parameter| {
            parameter
                .value
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|ty| ty.eq_ignore_ascii_case("file"))
        });
        let listed: Vec<String> = consumes
            .unwrap_or_default()
            .iter()
            .filter(|media| {
                let media = media.to_ascii_lowercase();
                media.starts_with(URLENCODED) || media.starts_with(MULTIPART)
            })
            .cloned()
            .collect();
        let media: Vec<String> = if has_file {
            vec![MULTIPART.to_owned()]
        } else if listed.is_empty() {
            vec![URLENCODED.to_owned()]
        } else {
            listed
        };
        let first = media.first().map_or(URLENCODED, String::as_str).to_owned();
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for parameter in form {
            let Some(name) = parameter.value.get("name").and_then(Value::as_str) else {
                self.conversion.skip(
                    pointer::format(&parameter.at),
                    "a form parameter without a `name` is left out",
                );
                continue;
            };
            let schema_place = at(target, &["content", &first, "schema", "properties", name]);
            let (schema, style) = self.simple_schema(&parameter.value, &parameter.at, true);
            properties.insert(name.to_owned(), Value::Object(schema));
            if parameter.value.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::String(name.to_owned()));
            }
            if let Some(style) = style {
                encoding.insert(name.to_owned(), Value::Object(style));
            }
            self.conversion
                .moves
                .record(parameter.at.clone(), schema_place);
        }
        let mut schema = Map::new();
        schema.insert("type".to_owned(), Value::String("object".to_owned()));
        schema.insert("properties".to_owned(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".to_owned(), Value::Array(required.clone()));
        }
        let mut content = Map::new();
        for media in &media {
            let mut media_type = Map::new();
            media_type.insert("schema".to_owned(), Value::Object(schema.clone()));
            if !encoding.is_empty() {
                media_type.insert("encoding".to_owned(), Value::Object(encoding.clone()));
            }
            content.insert(media.clone(), Value::Object(media_type));
        }
        let mut request_body = Map::new();
        request_body.insert("content".to_owned(), Value::Object(content));
        if !required.is_empty() {
            request_body.insert("required".to_owned(), Value::Bool(true));
        }
        Value::Object(request_body)
    }

    /// A parameter that is not a body: its `type`, `format`, … as its `schema`, and its
    /// `collectionFormat` as `style` and `explode`.
    fn parameter(&mut self, parameter: Map<String, Value>, place: &[String]) -> Map<String, Value> {
        if parameter.contains_key("$ref") {
            return parameter;
        }
        let (schema, style) = self.simple_schema(&parameter, place, false);
        let mut converted = Map::new();
        for (key, value) in &parameter {
            let moved = SWAGGER_SCHEMA_FIELDS.contains(&key.as_str())
                || matches!(key.as_str(), "collectionFormat" | "x-nullable");
            if !moved {
                converted.insert(key.clone(), value.clone());
            }
        }
        if let Some(style) = style {
            converted.extend(style);
        }
        converted.insert("schema".to_owned(), Value::Object(schema));
        converted
    }

    /// The schema of a parameter, header or `items` written with `type` and friends beside it,
    /// and the `style`/`explode` its `collectionFormat` means where it stands (`form`: a form
    /// field).
    fn simple_schema(
        &mut self,
        fields: &Map<String, Value>,
        place: &[String],
        form: bool,
    ) -> (Map<String, Value>, Option<Map<String, Value>>) {
        let mut schema = Map::new();
        for field in SWAGGER_SCHEMA_FIELDS {
            if let Some(value) = fields.get(*field) {
                schema.insert((*field).to_owned(), value.clone());
            }
        }
        if form && let Some(description) = fields.get("description") {
            schema.insert("description".to_owned(), description.clone());
        }
        if fields.get("x-nullable") == Some(&Value::Bool(true)) {
            schema.insert("nullable".to_owned(), Value::Bool(true));
        }
        file_type(&mut schema);
        if let Some(Value::Object(items)) = fields.get("items") {
            let items_place = at(place, &["items"]);
            let (items_schema, nested) = self.simple_schema(items, &items_place, false);
            if nested.is_some() || items.contains_key("collectionFormat") {
                self.warn(
                    &at(&items_place, &["collectionFormat"]),
                    "a `collectionFormat` of nested lists has no OpenAPI 3.0 form; the inner \
                     lists are sent as OpenAPI 3.0 sends them",
                );
            }
            schema.insert("items".to_owned(), Value::Object(items_schema));
        }
        let array = fields.get("type").and_then(Value::as_str) == Some("array");
        if !array {
            return (schema, None);
        }
        let location = if form {
            "formData"
        } else {
            fields.get("in").and_then(Value::as_str).unwrap_or("")
        };
        let format = fields
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let style = self.collection_style(format, location, place);
        (schema, style)
    }

    /// The `style` and `explode` of a `collectionFormat` in `location`; `None` for the
    /// location's default.
    fn collection_style(
        &mut self,
        format: &str,
        location: &str,
        place: &[String],
    ) -> Option<Map<String, Value>> {
        let style = |style: &str, explode: bool| {
            let mut fields = Map::new();
            fields.insert("style".to_owned(), Value::String(style.to_owned()));
            fields.insert("explode".to_owned(), Value::Bool(explode));
            Some(fields)
        };
        let format_place = at(place, &["collectionFormat"]);
        match (location, format) {
            ("query" | "formData", "csv") => style("form", false),
            ("query" | "formData", "multi") => style("form", true),
            ("query" | "formData", "ssv") => style("spaceDelimited", false),
            ("query" | "formData", "pipes") => style("pipeDelimited", false),
            ("query" | "formData", "tsv") => {
                self.warn(
                    &format_place,
                    "`collectionFormat: tsv` (tab-separated) has no OpenAPI 3.0 form; the items \
                     are sent separated by spaces (`spaceDelimited`), the closest form",
                );
                style("spaceDelimited", false)
            }
            (_, "csv") => None,
            (_, other) => {
                self.warn(
                    &format_place,
                    format!(
                        "`collectionFormat: {other}` has no OpenAPI 3.0 form in a {location} \
                         parameter; the items are sent separated by commas (`simple`), the \
                         closest form"
                    ),
                );
                None
            }
        }
    }

    /// A response, written at `place` and put at `target`: its schema as content of the media
    /// types it is produced as.
    fn response(
        &mut self,
        response: Value,
        place: &[String],
        target: &[String],
        produces: Option<&[String]>,
    ) -> Value {
        let Value::Object(response) = response else {
            return response;
        };
        if response.contains_key("$ref") {
            return Value::Object(response);
        }
        let mut converted = Map::new();
        for (key, value) in &response {
            if !matches!(key.as_str(), "schema" | "headers" | "examples") {
                converted.insert(key.clone(), value.clone());
            }
        }
        if let Some(schema) = response.get("schema") {
            let mut schema = schema.clone();
            self.schema(&mut schema, &at(place, &["schema"]));
            let media = body_media(produces.unwrap_or_default(), is_binary(&schema));
            let examples = response.get("examples").and_then(Value::as_object);
            let mut content = Map::new();
            for media in &media {
                let mut media_type = Map::new();
                media_type.insert("schema".to_owned(), schema.clone());
                if let Some(example) = examples.and_then(|examples| examples.get(media)) {
                    media_type.insert("example".to_owned(), example.clone());
                }
                content.insert(media.clone(), Value::Object(media_type));
            }
            converted.insert("content".to_owned(), Value::Object(content));
            if let Some(first) = media.first() {
                self.conversion.moves.record(
                    at(place, &["schema"]),
                    at(target, &["content", first, "schema"]),
                );
            }
        }
        if let Some(Value::Object(headers)) = response.get("headers") {
            let headers: Map<String, Value> = headers
                .iter()
                .map(|(name, header)| {
                    let header_place = at(place, &["headers", name]);
                    let converted = match header {
                        Value::Object(header) => Value::Object(self.header(header, &header_place)),
                        other => other.clone(),
                    };
                    (name.clone(), converted)
                })
                .collect();
            converted.insert("headers".to_owned(), Value::Object(headers));
        }
        Value::Object(converted)
    }

    /// A response header: its `type` and friends as its schema.
    fn header(&mut self, header: &Map<String, Value>, place: &[String]) -> Map<String, Value> {
        let (schema, _) = self.simple_schema(header, place, false);
        let mut converted = Map::new();
        for (key, value) in header {
            let moved = SWAGGER_SCHEMA_FIELDS.contains(&key.as_str())
                || matches!(key.as_str(), "collectionFormat" | "x-nullable");
            if !moved {
                converted.insert(key.clone(), value.clone());
            }
        }
        converted.insert("schema".to_owned(), Value::Object(schema));
        converted
    }

    /// A security definition as an OpenAPI 3.0 security scheme.
    fn security_scheme(&mut self, scheme: &Value, place: &[String]) -> Value {
        let Value::Object(scheme) = scheme else {
            return scheme.clone();
        };
        let mut converted = Map::new();
        let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("");
        for (key, value) in scheme {
            let oauth2_field = matches!(
                key.as_str(),
                "flow" | "authorizationUrl" | "tokenUrl" | "scopes"
            );
            if !(kind == "oauth2" && oauth2_field) {
                converted.insert(key.clone(), value.clone());
            }
        }
        match kind {
            "basic" => {
                converted.insert("type".to_owned(), Value::String("http".to_owned()));
                converted.insert("scheme".to_owned(), Value::String("basic".to_owned()));
            }
            "oauth2" => {
                let flow = scheme.get("flow").and_then(Value::as_str).unwrap_or("");
                let (name, urls): (&str, &[&str]) = match flow {
                    "implicit" => ("implicit", &["authorizationUrl"]),
                    "password" => ("password", &["tokenUrl"]),
                    "application" => ("clientCredentials", &["tokenUrl"]),
                    "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                    other => {
                        self.warn(
                            &at(place, &["flow"]),
                            format!(
                                "`flow: {other}` is not a Swagger 2.0 OAuth2 flow; read as the \
                                 implicit flow"
                            ),
                        );
                        ("implicit", &["authorizationUrl"])
                    }
                };
                let mut flow_object = Map::new();
                for url in urls {
                    let value = scheme
                        .get(*url)
                        .cloned()
                        .unwrap_or_else(|| Value::String(String::new()));
                    flow_object.insert((*url).to_owned(), value);
                }
                let scopes = scheme
                    .get("scopes")
                    .filter(|scopes| scopes.is_object())
                    .cloned()
                    .unwrap_or_else(|| Value::Object(Map::new()));
                flow_object.insert("scopes".to_owned(), scopes);
                let mut flows = Map::new();
                flows.insert(name.to_owned(), Value::Object(flow_object));
                converted.insert("flows".to_owned(), Value::Object(flows));
            }
            _ => {}
        }
        Value::Object(converted)
    }

    /// Converts a schema in place: `x-nullable`, the string `discriminator`, `type: file`, and
    /// the same in every schema inside it.
    fn schema(&mut self, value: &mut Value, place: &[String]) {
        let Value::Object(object) = value else {
            return;
        };
        if object.contains_key("$ref") {
            if object.shift_remove("x-nullable") == Some(Value::Bool(true)) {
                object.insert("nullable".to_owned(), Value::Bool(true));
            }
            return;
        }
        if let Some(nullable) = object.shift_remove("x-nullable") {
            object.insert("nullable".to_owned(), nullable);
        }
        if let Some(Value::String(property)) = object.get("discriminator").cloned() {
            let mut discriminator = Map::new();
            discriminator.insert("propertyName".to_owned(), Value::String(property));
            object.insert("discriminator".to_owned(), Value::Object(discriminator));
        }
        file_type(object);
        if object.shift_remove("additionalItems").is_some() {
            self.warn(
                &at(place, &["additionalItems"]),
                "`additionalItems` is not a Swagger 2.0 keyword and has no OpenAPI 3.0 form; it \
                 is left out",
            );
        }
        for keyword in ["items", "additionalProperties", "not"] {
            if let Some(member) = object.get_mut(keyword) {
                self.schema(member, &at(place, &[keyword]));
            }
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = object.get_mut(keyword) {
                for (index, member) in members.iter_mut().enumerate() {
                    self.schema(member, &at(place, &[keyword, &index.to_string()]));
                }
            }
        }
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            for (name, member) in properties.iter_mut() {
                self.schema(member, &at(place, &["properties", name]));
            }
        }
    }
}

/// The media types a body with a schema is sent as, from `consumes` or `produces`: a file
/// (`binary`) as the types that are not JSON, else `application/octet-stream`; anything else as
/// the listed types, else `application/json`. A wildcard (`*/*`, `application/*`) is
/// `application/json` for a schema, `application/octet-stream` for a file.
fn body_media(listed: &[String], binary: bool) -> Vec<String> {
    let fallback = if binary { BINARY_MEDIA } else { DEFAULT_MEDIA };
    let mut media: Vec<String> = Vec::new();
    for listed in listed {
        let lower = listed.to_ascii_lowercase();
        let chosen = if lower == "*/*" || lower == "application/*" {
            fallback.to_owned()
        } else if binary && lower.contains("json") {
            continue;
        } else {
            listed.clone()
        };
        if !media.contains(&chosen) {
            media.push(chosen);
        }
    }
    if media.is_empty() {
        media.push(fallback.to_owned());
    }
    media
}

/// Whether a converted schema is a file: a binary string.
fn is_binary(schema: &Value) -> bool {
    schema.get("format").and_then(Value::as_str) == Some("binary")
        && schema.get("type").and_then(Value::as_str) == Some("string")
}

/// Whether a parameter is sent in the body (`in: body` or `in: formData`).
fn is_body_or_form(parameter: &Value) -> bool {
    matches!(
        parameter.get("in").and_then(Value::as_str),
        Some("body" | "formData")
    )
}

/// `type: file` (a file upload or download) is a binary string.
fn file_type(schema: &mut Map<String, Value>) {
    let file = schema
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|ty| ty.eq_ignore_ascii_case("file"));
    if let (true, Some((ty, Some(format)))) = (file, type_alias("file")) {
        schema.insert("type".to_owned(), Value::String(ty.to_owned()));
        schema.insert("format".to_owned(), Value::String(format.to_owned()));
    }
}

/// Copies the `x-` extensions of `from` into `to`.
fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (key, value) in from {
        if key.starts_with("x-") {
            to.insert(key.clone(), value.clone());
        }
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

    #[test]
    fn sections_move_into_components_and_references_follow() {
        let (document, warnings) = converted(serde_json::json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "host": "api.example.com",
            "basePath": "/v1/",
            "schemes": ["http", "https"],
            "produces": ["application/json"],
            "paths": {"/pets/{id}": {
                "parameters": [{"$ref": "#/parameters/Id"}],
                "get": {"responses": {
                    "200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"},
                        "headers": {"X-Rate": {"type": "integer"}}},
                    "404": {"$ref": "#/responses/NotFound"}}},
                "put": {"produces": ["application/xml"], "responses": {
                    "404": {"$ref": "#/responses/NotFound"}}},
            }},
            "definitions": {"Pet": {"type": "object", "discriminator": "kind",
                "properties": {"kind": {"type": "string"},
                    "owner": {"$ref": "#/definitions/Owner", "x-nullable": true},
                    "name": {"type": "string", "x-nullable": true}}},
                "Owner": {"type": "object"}},
            "parameters": {"Id": {"name": "id", "in": "path", "required": true,
                "type": "integer", "format": "int64"}},
            "responses": {"NotFound": {"description": "gone",
                "schema": {"$ref": "#/definitions/Owner"}}},
            "securityDefinitions": {
                "basic": {"type": "basic"},
                "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
                "oauth": {"type": "oauth2", "flow": "accessCode",
                    "authorizationUrl": "https://a", "tokenUrl": "https://t",
                    "scopes": {"read": "read"}}},
        }));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(document["openapi"], "3.0.3");
        assert_eq!(
            document["servers"],
            serde_json::json!([{"url": "https://api.example.com/v1"},
                {"url": "http://api.example.com/v1"}])
        );
        let item = &document["paths"]["/pets/{id}"];
        assert_eq!(
            item["parameters"],
            serde_json::json!([{"$ref": "#/components/parameters/Id"}])
        );
        let get = &item["get"]["responses"];
        assert_eq!(
            get["200"]["content"],
            serde_json::json!({"application/json": {"schema": {
                "$ref": "#/components/schemas/Pet"}}})
        );
        assert_eq!(
            get["200"]["headers"]["X-Rate"],
            serde_json::json!({"schema": {"type": "integer"}})
        );
        assert_eq!(
            get["404"],
            serde_json::json!({"$ref": "#/components/responses/NotFound"})
        );
        assert_eq!(
            item["put"]["responses"]["404"]["content"],
            serde_json::json!({"application/xml": {"schema": {
                "$ref": "#/components/schemas/Owner"}}})
        );
        let components = &document["components"];
        let pet = &components["schemas"]["Pet"];
        assert_eq!(
            pet["discriminator"],
            serde_json::json!({"propertyName": "kind"})
        );
        assert_eq!(
            pet["properties"]["owner"],
            serde_json::json!({"$ref": "#/components/schemas/Owner", "nullable": true})
        );
        assert_eq!(
            pet["properties"]["name"],
            serde_json::json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            components["parameters"]["Id"],
            serde_json::json!({"name": "id", "in": "path", "required": true,
                "schema": {"type": "integer", "format": "int64"}})
        );
        let schemes = &components["securitySchemes"];
        assert_eq!(
            schemes["basic"],
            serde_json::json!({"type": "http", "scheme": "basic"})
        );
        assert_eq!(
            schemes["key"],
            serde_json::json!({"type": "apiKey", "name": "X-Key", "in": "header"})
        );
        assert_eq!(
            schemes["oauth"],
            serde_json::json!({"type": "oauth2", "flows": {"authorizationCode": {
                "authorizationUrl": "https://a", "tokenUrl": "https://t",
                "scopes": {"read": "read"}}}})
        );
    }

    #[test]
    fn bodies_forms_and_list_formats() {
        let (document, warnings) = converted(serde_json::json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "consumes": ["application/json", "text/plain"],
            "paths": {"/pets": {
                "post": {"parameters": [
                    {"name": "pet", "in": "body", "required": true, "description": "the pet",
                        "schema": {"$ref": "#/definitions/Pet"}},
                    {"name": "tags", "in": "query", "type": "array",
                        "items": {"type": "string"}},
                    {"name": "ids", "in": "query", "type": "array", "collectionFormat": "multi",
                        "items": {"type": "integer"}},
                    {"name": "tabs", "in": "query", "type": "array", "collectionFormat": "tsv",
                        "items": {"type": "string"}},
                    {"name": "X-Pipes", "in": "header", "type": "array",
                        "collectionFormat": "pipes", "items": {"type": "string"}},
                ], "responses": {"200": {"description": "file", "schema": {"type": "file"}}}},
                "put": {"consumes": ["application/x-www-form-urlencoded"], "parameters": [
                    {"name": "name", "in": "formData", "type": "string", "required": true},
                    {"name": "colors", "in": "formData", "type": "array",
                        "items": {"type": "string"}},
                ], "responses": {}},
                "patch": {"parameters": [
                    {"name": "photo", "in": "formData", "type": "file",
                        "description": "the photo"},
                ], "responses": {}},
                "delete": {"consumes": ["*/*"], "produces": ["*/*"], "parameters": [
                    {"name": "filter", "in": "body", "schema": {"type": "object"}},
                ], "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}},
            }},
            "definitions": {"Pet": {"type": "object"}},
        }));
        let post = &document["paths"]["/pets"]["post"];
        assert_eq!(
            post["requestBody"],
            serde_json::json!({"description": "the pet", "required": true, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
                "text/plain": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
        );
        let parameters = &post["parameters"];
        assert_eq!(parameters[0]["style"], "form");
        assert_eq!(parameters[0]["explode"], false);
        assert_eq!(parameters[1]["explode"], true);
        assert_eq!(parameters[2]["style"], "spaceDelimited");
        assert!(parameters[3].get("style").is_none());
        assert_eq!(
            post["responses"]["200"]["content"],
            serde_json::json!({"application/octet-stream": {"schema": {
                "type": "string", "format": "binary"}}})
        );
        let put = &document["paths"]["/pets"]["put"]["requestBody"];
        assert_eq!(
            put,
            &serde_json::json!({"content": {"application/x-www-form-urlencoded": {
                "schema": {"type": "object", "properties": {
                    "name": {"type": "string"},
                    "colors": {"type": "array", "items": {"type": "string"}}},
                    "required": ["name"]},
                "encoding": {"colors": {"style": "form", "explode": false}}}},
                "required": true})
        );
        let patch = &document["paths"]["/pets"]["patch"]["requestBody"];
        assert_eq!(
            patch["content"]["multipart/form-data"]["schema"]["properties"]["photo"],
            serde_json::json!({"type": "string", "format": "binary", "description": "the photo"})
        );
        let delete = &document["paths"]["/pets"]["delete"];
        let json = serde_json::json!({"application/json": {"schema": {"type": "object"}}});
        assert_eq!(delete["requestBody"]["content"], json);
        assert_eq!(delete["responses"]["200"]["content"], json);
        let pointers: Vec<&str> = warnings
            .iter()
            .map(|warning| warning.split(": ").next().unwrap_or(""))
            .collect();
        assert_eq!(
            pointers,
            [
                "#/paths/~1pets/post/parameters/3/collectionFormat",
                "#/paths/~1pets/post/parameters/4/collectionFormat",
            ]
        );
    }
}
