//! The OpenAPI 3.0 grammar as a classifier: what kind of object stands at a JSON pointer.
//!
//! [`classify`] walks a pointer from the document root, one [`Place::child`] step a segment, so
//! `#/paths/~1pets/get/responses/200/content/application~1json/schema/items` is a schema and
//! `#/components/examples/Pet/value` is example data, not OpenAPI structure. [`walk`] visits
//! every object of a document with its kind. Reference resolution, normalisation and the
//! tolerant typed parse all use these, and so can converters from other versions.
//!
//! Three places beyond OpenAPI 3.0 are part of it, for converters and because converted
//! documents keep them: `components/pathItems` (OpenAPI 3.1; references to its entries are
//! copied in place), OpenAPI 3.1's `webhooks`, and the document's `x-webhooks`, where the
//! converted document keeps them (see [`WEBHOOKS`]).

use serde_json::{Map, Value};

/// A kind of OpenAPI 3.0 object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The document root.
    Document,
    /// `info`.
    Info,
    /// `info.contact`.
    Contact,
    /// `info.license`.
    License,
    /// A server.
    Server,
    /// A server variable.
    ServerVariable,
    /// `components`.
    Components,
    /// `paths`.
    Paths,
    /// A path item.
    PathItem,
    /// An operation.
    Operation,
    /// External documentation.
    ExternalDocs,
    /// A parameter.
    Parameter,
    /// A request body.
    RequestBody,
    /// A media type (an entry of `content`).
    MediaType,
    /// An encoding (an entry of a media type's `encoding`).
    Encoding,
    /// An operation's `responses`.
    Responses,
    /// A response.
    Response,
    /// A callback: expressions to path items.
    Callback,
    /// An example object.
    Example,
    /// A link.
    Link,
    /// A header.
    Header,
    /// A tag.
    Tag,
    /// A schema.
    Schema,
    /// A schema's `discriminator`.
    Discriminator,
    /// A schema's `xml`.
    Xml,
    /// A security scheme.
    SecurityScheme,
    /// A security scheme's `flows`.
    OAuthFlows,
    /// One OAuth flow.
    OAuthFlow,
    /// A security requirement (scheme names to scopes).
    SecurityRequirement,
}

/// What stands at a place in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// An object of this kind, or a Reference Object standing for one.
    Object(Kind),
    /// A map from names to objects of this kind (`components/schemas`, `properties`, `content`).
    Map(Kind),
    /// A list of objects of this kind (`parameters`, `allOf`, `servers`).
    List(Kind),
    /// A discriminator's `mapping`: names to schema references.
    Mapping,
    /// JSON that is not OpenAPI structure: a plain field, an example, a default, an extension.
    Value,
    /// Not part of the OpenAPI 3.0 grammar.
    Unknown,
}

/// The components sections, with the kind of their entries.
const SECTIONS: [(&str, Kind); 9] = [
    ("schemas", Kind::Schema),
    ("responses", Kind::Response),
    ("parameters", Kind::Parameter),
    ("examples", Kind::Example),
    ("requestBodies", Kind::RequestBody),
    ("headers", Kind::Header),
    ("securitySchemes", Kind::SecurityScheme),
    ("links", Kind::Link),
    ("callbacks", Kind::Callback),
];

/// The document extension that holds webhooks (path items whose operations the API calls on
/// its users), in the OpenAPI 3.0 shape: OpenAPI 3.1's `webhooks`, and Redoc's convention for
/// OpenAPI 3.0.
pub const WEBHOOKS: &str = "x-webhooks";

/// The `components` section of OpenAPI 3.1 that holds path items. `openapiv3` has no place for
/// it: references to its entries are copied in place, and the section itself is not read.
pub const PATH_ITEMS: &str = "pathItems";

/// The methods a path item has operations for.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Kind {
    /// The `components` section that holds objects of this kind, if there is one.
    pub fn section(self) -> Option<&'static str> {
        SECTIONS
            .iter()
            .find(|(_, kind)| *kind == self)
            .map(|(section, _)| *section)
    }

    /// The kind of the entries of a `components` section.
    pub fn of_section(section: &str) -> Option<Kind> {
        SECTIONS
            .iter()
            .find(|(name, _)| *name == section)
            .map(|(_, kind)| *kind)
    }

    /// The name of this kind in messages: "schema", "request body".
    pub fn name(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Info => "info object",
            Kind::Contact => "contact",
            Kind::License => "license",
            Kind::Server => "server",
            Kind::ServerVariable => "server variable",
            Kind::Components => "components object",
            Kind::Paths => "paths object",
            Kind::PathItem => "path item",
            Kind::Operation => "operation",
            Kind::ExternalDocs => "external documentation object",
            Kind::Parameter => "parameter",
            Kind::RequestBody => "request body",
            Kind::MediaType => "media type",
            Kind::Encoding => "encoding",
            Kind::Responses => "responses object",
            Kind::Response => "response",
            Kind::Callback => "callback",
            Kind::Example => "example",
            Kind::Link => "link",
            Kind::Header => "header",
            Kind::Tag => "tag",
            Kind::Schema => "schema",
            Kind::Discriminator => "discriminator",
            Kind::Xml => "xml object",
            Kind::SecurityScheme => "security scheme",
            Kind::OAuthFlows => "OAuth flows object",
            Kind::OAuthFlow => "OAuth flow",
            Kind::SecurityRequirement => "security requirement",
        }
    }

    /// The name with its indefinite article: "a schema", "an operation".
    pub fn with_article(self) -> String {
        let name = self.name();
        let article = if name.starts_with(['a', 'e', 'i', 'o', 'u', 'O']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {name}")
    }

    /// What stands at member `key` of an object of this kind.
    pub fn child(self, key: &str) -> Place {
        use Kind as K;
        use Place::{List, Map, Object};
        match (self, key) {
            (K::Document, WEBHOOKS | "webhooks") | (K::Components, PATH_ITEMS) => {
                return Map(K::PathItem);
            }
            _ => {}
        }
        if key.starts_with("x-") {
            return Place::Value;
        }
        match (self, key) {
            (K::Document, "info") => Object(K::Info),
            (K::Document, "servers") | (K::PathItem | K::Operation, "servers") => List(K::Server),
            (K::Document, "paths") => Object(K::Paths),
            (K::Document, "components") => Object(K::Components),
            (K::Document | K::Operation, "security") => List(K::SecurityRequirement),
            (K::Document, "tags") => List(K::Tag),
            (K::Document | K::Operation | K::Tag | K::Schema, "externalDocs") => {
                Object(K::ExternalDocs)
            }
            (K::Document, "openapi") => Place::Value,
            (K::Info, "contact") => Object(K::Contact),
            (K::Info, "license") => Object(K::License),
            (K::Info, "title" | "description" | "termsOfService" | "version") => Place::Value,
            (K::Contact, "name" | "url" | "email") | (K::License, "name" | "url") => Place::Value,
            (K::Server, "variables") => Map(K::ServerVariable),
            (K::Server, "url" | "description") => Place::Value,
            (K::ServerVariable, "enum" | "default" | "description") => Place::Value,
            (K::Components, section) => Kind::of_section(section).map_or(Place::Unknown, Map),
            (K::Paths, path) if path.starts_with('/') => Object(K::PathItem),
            (K::PathItem, method) if METHODS.contains(&method) => Object(K::Operation),
            (K::PathItem | K::Operation, "parameters") => List(K::Parameter),
            (K::PathItem, "$ref" | "summary" | "description") => Place::Value,
            (K::Operation, "requestBody") => Object(K::RequestBody),
            (K::Operation, "responses") => Object(K::Responses),
            (K::Operation, "callbacks") => Map(K::Callback),
            (K::Operation, "tags" | "summary" | "description" | "operationId" | "deprecated") => {
                Place::Value
            }
            (K::ExternalDocs, "description" | "url") => Place::Value,
            (K::Parameter | K::Header | K::MediaType, "schema") => Object(K::Schema),
            (K::Parameter | K::Header | K::MediaType, "examples") => Map(K::Example),
            (K::Parameter | K::Header | K::RequestBody | K::Response, "content") => {
                Map(K::MediaType)
            }
            (K::Parameter | K::Header | K::MediaType, "example") => Place::Value,
            (K::Parameter, "name" | "in") => Place::Value,
            (
                K::Parameter | K::Header,
                "description" | "required" | "deprecated" | "allowEmptyValue" | "style" | "explode"
                | "allowReserved",
            ) => Place::Value,
            (K::RequestBody, "description" | "required") => Place::Value,
            (K::MediaType, "encoding") => Map(K::Encoding),
            (K::Encoding | K::Response, "headers") => Map(K::Header),
            (K::Encoding, "contentType" | "style" | "explode" | "allowReserved") => Place::Value,
            (K::Responses, _) => Object(K::Response),
            (K::Response, "links") => Map(K::Link),
            (K::Response, "description") => Place::Value,
            (K::Callback, _) => Object(K::PathItem),
            (K::Example, "summary" | "description" | "value" | "externalValue") => Place::Value,
            (K::Link, "server") => Object(K::Server),
            (
                K::Link,
                "operationRef" | "operationId" | "parameters" | "requestBody" | "description",
            ) => Place::Value,
            (K::Tag, "name" | "description") => Place::Value,
            (K::Schema, "allOf" | "oneOf" | "anyOf") => List(K::Schema),
            (K::Schema, "not" | "items" | "additionalProperties") => Object(K::Schema),
            (K::Schema, "properties") => Map(K::Schema),
            (K::Schema, "discriminator") => Object(K::Discriminator),
            (K::Schema, "xml") => Object(K::Xml),
            (K::Schema, keyword) if SCHEMA_VALUE_KEYWORDS.contains(&keyword) => Place::Value,
            (K::Discriminator, "mapping") => Place::Mapping,
            (K::Discriminator, "propertyName") => Place::Value,
            (K::Xml, "name" | "namespace" | "prefix" | "attribute" | "wrapped") => Place::Value,
            (K::SecurityScheme, "flows") => Object(K::OAuthFlows),
            (
                K::SecurityScheme,
                "type" | "description" | "name" | "in" | "scheme" | "bearerFormat"
                | "openIdConnectUrl",
            ) => Place::Value,
            (
                K::OAuthFlows,
                "implicit" | "password" | "clientCredentials" | "authorizationCode",
            ) => Object(K::OAuthFlow),
            (K::OAuthFlow, "authorizationUrl" | "tokenUrl" | "refreshUrl" | "scopes") => {
                Place::Value
            }
            (K::SecurityRequirement, _) => Place::Value,
            _ => Place::Unknown,
        }
    }
}

/// The schema keywords whose values are plain JSON.
const SCHEMA_VALUE_KEYWORDS: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "format",
    "description",
    "default",
    "nullable",
    "readOnly",
    "writeOnly",
    "example",
    "deprecated",
];

impl Place {
    /// What stands at member (or index) `segment` of what stands here.
    pub fn child(self, segment: &str) -> Place {
        match self {
            Place::Object(kind) => kind.child(segment),
            Place::Map(kind) => Place::Object(kind),
            Place::List(kind) if segment.parse::<usize>().is_ok() => Place::Object(kind),
            Place::List(_) | Place::Unknown => Place::Unknown,
            Place::Mapping | Place::Value => Place::Value,
        }
    }

    /// The kind of object standing here, if an object stands here.
    pub fn kind(self) -> Option<Kind> {
        match self {
            Place::Object(kind) => Some(kind),
            _ => None,
        }
    }
}

/// What stands at `segments` (unescaped, from the document root) in an OpenAPI 3.0 document.
pub fn classify<S: AsRef<str>>(segments: &[S]) -> Place {
    segments
        .iter()
        .fold(Place::Object(Kind::Document), |place, segment| {
            place.child(segment.as_ref())
        })
}

/// What stands at a pointer written `#/a/b~1c`; [`Place::Unknown`] when it is not a pointer.
pub fn classify_pointer(pointer: &str) -> Place {
    super::pointer::parse(pointer).map_or(Place::Unknown, |segments| classify(&segments))
}

/// One step of the path to a value met in a [`walk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'v> {
    /// An object member.
    Key(&'v str),
    /// A list element.
    Index(usize),
}

/// What [`walk`] calls for each object: its path, its kind and its members; it returns whether
/// to go on into the members.
pub type Visitor<'a, 'v> = dyn FnMut(&[Step<'v>], Kind, &'v Map<String, Value>) -> bool + 'a;

/// The segments of a walk's path.
pub fn segments(path: &[Step<'_>]) -> Vec<String> {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => (*key).to_owned(),
            Step::Index(index) => index.to_string(),
        })
        .collect()
}

/// Visits every JSON object under `value` (which stands at `place`) that stands where an
/// OpenAPI object does, parents first and in document order, with its path from `value` and its
/// kind. The visitor returns whether to go on into that object's members.
pub fn walk<'v>(value: &'v Value, place: Place, visit: &mut Visitor<'_, 'v>) {
    let mut path = Vec::new();
    walk_from(value, place, &mut path, visit);
}

fn walk_from<'v>(
    value: &'v Value,
    place: Place,
    path: &mut Vec<Step<'v>>,
    visit: &mut Visitor<'_, 'v>,
) {
    match (place, value) {
        (Place::Object(kind), Value::Object(map)) => {
            if !visit(path, kind, map) {
                return;
            }
            for (key, member) in map {
                let member_place = kind.child(key);
                if matches!(
                    member_place,
                    Place::Object(_) | Place::Map(_) | Place::List(_)
                ) {
                    path.push(Step::Key(key));
                    walk_from(member, member_place, path, visit);
                    path.pop();
                }
            }
        }
        (Place::Map(kind), Value::Object(map)) => {
            for (key, member) in map {
                path.push(Step::Key(key));
                walk_from(member, Place::Object(kind), path, visit);
                path.pop();
            }
        }
        (Place::List(kind), Value::Array(items)) => {
            for (index, member) in items.iter().enumerate() {
                path.push(Step::Index(index));
                walk_from(member, Place::Object(kind), path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(pointer: &str) -> Place {
        classify_pointer(pointer)
    }

    #[test]
    fn components_and_their_members() {
        assert_eq!(at("#"), Place::Object(Kind::Document));
        assert_eq!(at("#/components/schemas"), Place::Map(Kind::Schema));
        assert_eq!(at("#/components/schemas/Pet"), Place::Object(Kind::Schema));
        assert_eq!(
            at("#/components/requestBodies/New"),
            Place::Object(Kind::RequestBody)
        );
        assert_eq!(
            at("#/components/securitySchemes/token"),
            Place::Object(Kind::SecurityScheme)
        );
        assert_eq!(
            at("#/components/callbacks/hook/{$request.body#~1url}"),
            Place::Object(Kind::PathItem)
        );
        assert_eq!(
            at("#/components/pathItems/x"),
            Place::Object(Kind::PathItem)
        );
        assert_eq!(
            at("#/x-webhooks/newPet/post/requestBody"),
            Place::Object(Kind::RequestBody)
        );
        assert_eq!(at("#/components/x-internal/y"), Place::Value);
    }

    #[test]
    fn schemas_nest_through_every_keyword() {
        let base = "#/components/schemas/Pet";
        for tail in [
            "/properties/owner",
            "/properties/owner/items",
            "/additionalProperties",
            "/allOf/0",
            "/oneOf/2/not",
            "/anyOf/1/properties/properties",
            "/items/properties/$ref",
        ] {
            assert_eq!(
                at(&format!("{base}{tail}")),
                Place::Object(Kind::Schema),
                "{tail}"
            );
        }
        assert_eq!(at(&format!("{base}/allOf/first")), Place::Unknown);
        assert_eq!(
            at(&format!("{base}/discriminator")),
            Place::Object(Kind::Discriminator)
        );
        assert_eq!(at(&format!("{base}/discriminator/mapping")), Place::Mapping);
        assert_eq!(at(&format!("{base}/enum/0")), Place::Value);
        assert_eq!(at(&format!("{base}/example/properties")), Place::Value);
        assert_eq!(at(&format!("{base}/x-extra/items")), Place::Value);
        assert_eq!(at(&format!("{base}/unknownKeyword")), Place::Unknown);
    }

    #[test]
    fn operations_and_what_they_hold() {
        let operation = "#/paths/~1pets~1{id}/get";
        assert_eq!(at("#/paths/~1pets~1{id}"), Place::Object(Kind::PathItem));
        assert_eq!(at(operation), Place::Object(Kind::Operation));
        assert_eq!(at("#/paths/pets"), Place::Unknown);
        assert_eq!(
            at("#/paths/~1pets/parameters/0"),
            Place::Object(Kind::Parameter)
        );
        let cases = [
            ("/parameters/1", Place::Object(Kind::Parameter)),
            ("/parameters/1/schema", Place::Object(Kind::Schema)),
            (
                "/parameters/1/content/application~1json",
                Place::Object(Kind::MediaType),
            ),
            ("/requestBody", Place::Object(Kind::RequestBody)),
            (
                "/requestBody/content/application~1json/schema/properties/a",
                Place::Object(Kind::Schema),
            ),
            (
                "/requestBody/content/multipart~1form-data/encoding/file",
                Place::Object(Kind::Encoding),
            ),
            (
                "/requestBody/content/multipart~1form-data/encoding/file/headers/X-Rate",
                Place::Object(Kind::Header),
            ),
            ("/responses", Place::Object(Kind::Responses)),
            ("/responses/200", Place::Object(Kind::Response)),
            ("/responses/default", Place::Object(Kind::Response)),
            ("/responses/x-ext", Place::Value),
            ("/responses/200/headers/X-Next", Place::Object(Kind::Header)),
            (
                "/responses/200/headers/X-Next/schema",
                Place::Object(Kind::Schema),
            ),
            ("/responses/200/links/next", Place::Object(Kind::Link)),
            (
                "/responses/200/content/application~1json/examples/one",
                Place::Object(Kind::Example),
            ),
            (
                "/responses/200/content/application~1json/examples/one/value",
                Place::Value,
            ),
            ("/callbacks/onEvent", Place::Object(Kind::Callback)),
            (
                "/callbacks/onEvent/{$request.body#~1callbackUrl}/post",
                Place::Object(Kind::Operation),
            ),
            (
                "/callbacks/onEvent/{$request.body#~1callbackUrl}/post/requestBody",
                Place::Object(Kind::RequestBody),
            ),
            ("/security/0", Place::Object(Kind::SecurityRequirement)),
            (
                "/servers/0/variables/region",
                Place::Object(Kind::ServerVariable),
            ),
            ("/operationId", Place::Value),
        ];
        for (tail, expected) in cases {
            assert_eq!(at(&format!("{operation}{tail}")), expected, "{tail}");
        }
    }

    #[test]
    fn document_level_objects() {
        assert_eq!(at("#/info/contact"), Place::Object(Kind::Contact));
        assert_eq!(at("#/servers/0"), Place::Object(Kind::Server));
        assert_eq!(
            at("#/tags/3/externalDocs"),
            Place::Object(Kind::ExternalDocs)
        );
        assert_eq!(
            at("#/components/securitySchemes/oauth/flows/implicit"),
            Place::Object(Kind::OAuthFlow)
        );
        assert_eq!(at("#/definitions/Pet"), Place::Unknown);
        assert_eq!(at("Pet"), Place::Unknown);
    }

    #[test]
    fn sections_and_kinds_agree() {
        for (section, kind) in SECTIONS {
            assert_eq!(kind.section(), Some(section));
            assert_eq!(Kind::of_section(section), Some(kind));
        }
        assert_eq!(Kind::PathItem.section(), None);
    }

    #[test]
    fn walk_visits_objects_with_their_kinds_and_skips_data() {
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "query",
                "schema": {"type": "string"}}], "responses": {}}}},
            "components": {"examples": {"E": {"value": {"$ref": "#/not/a/reference"}}}}
        });
        let mut seen = Vec::new();
        walk(
            &document,
            Place::Object(Kind::Document),
            &mut |path, kind, _| {
                seen.push((crate::load::pointer::format(&segments(path)), kind));
                true
            },
        );
        let expected = [
            ("#", Kind::Document),
            ("#/paths", Kind::Paths),
            ("#/paths/~1a", Kind::PathItem),
            ("#/paths/~1a/get", Kind::Operation),
            ("#/paths/~1a/get/parameters/0", Kind::Parameter),
            ("#/paths/~1a/get/parameters/0/schema", Kind::Schema),
            ("#/paths/~1a/get/responses", Kind::Responses),
            ("#/components", Kind::Components),
            ("#/components/examples/E", Kind::Example),
        ];
        let expected: Vec<(String, Kind)> = expected
            .iter()
            .map(|(pointer, kind)| ((*pointer).to_owned(), *kind))
            .collect();
        assert_eq!(seen, expected);
    }
}
