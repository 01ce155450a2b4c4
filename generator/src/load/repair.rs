//! The typed parse into `openapiv3`, piece by piece, so that a piece that does not fit costs
//! only itself ("skip, don't stop").
//!
//! The document is read without `paths` and `components` first, then each path item and each
//! component entry on its own, and assembled. When a piece does not read, the grammar finds the
//! innermost object in it that does not read as its own type (each member that is an OpenAPI
//! object is tried alone, and the search goes into the first that fails), and that object is
//! repaired: a schema becomes `{}` (any JSON value), a member of the wrong JSON type is left out,
//! and any other object (an operation, a parameter, a response, …) is left out of its parent,
//! each with a warning naming its pointer and what serde said. Then the piece is read again.

use indexmap::IndexMap;
use openapiv3::{
    AuthorizationCodeOAuth2Flow, Callback, ClientCredentialsOAuth2Flow, Components, Contact,
    Discriminator, Encoding, Example, ExternalDocumentation, Header, ImplicitOAuth2Flow, Info,
    License, Link, MediaType, OAuth2Flows, OpenAPI, Operation, Parameter, PasswordOAuth2Flow,
    PathItem, Paths, ReferenceOr, RequestBody, Response, Responses, Schema, SecurityRequirement,
    SecurityScheme, Server, ServerVariable, Tag,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::grammar::{self, Kind, Place};
use super::{left_out, pointer};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// How many repairs one piece may need before it is left out whole.
const MAX_REPAIRS: usize = 256;

/// Reads `document` (OpenAPI 3.0, references resolved) as an `openapiv3` document. Fails only
/// when the document's own top level cannot be read even after repairs.
pub(super) fn read_document(
    file: &str,
    document: Value,
    warnings: &mut Diagnostics,
) -> Result<OpenAPI, Diagnostics> {
    let mut reader = Reader { file, warnings };
    let Value::Object(mut root) = document else {
        return Err(Diagnostic::error_at(file, "#", "the document is not a JSON object").into());
    };
    let paths = root.shift_remove("paths");
    let components = root.shift_remove("components");
    let webhooks = root.shift_remove(grammar::WEBHOOKS);
    root.insert("paths".to_owned(), Value::Object(Map::new()));
    let mut root = Value::Object(root);
    let mut document: OpenAPI =
        reader
            .fit(&mut root, &[], Kind::Document, false)
            .map_err(|message| {
                Diagnostic::error_at(
                    file,
                    "#",
                    format!("the document is not a valid OpenAPI 3.0 document: {message}"),
                )
            })?;
    document.paths = reader.paths(paths);
    document.components = components.map(|components| reader.components(components));
    if let Some(webhooks) = webhooks {
        document
            .extensions
            .insert(grammar::WEBHOOKS.to_owned(), reader.webhooks(webhooks));
    }
    Ok(document)
}

/// Whether an object of kind `child` may be a Reference Object where a `parent` holds it, as
/// `openapiv3` reads it: path items only under `paths`, callbacks only in `components`.
fn accepts_reference(parent: Kind, child: Kind) -> bool {
    match child {
        Kind::PathItem => parent == Kind::Paths,
        Kind::Callback => parent == Kind::Components,
        _ => true,
    }
}

/// Reads `value` as the `openapiv3` type of an object of `kind`; the error says why not.
fn read_as(kind: Kind, reference: bool, value: &Value) -> Result<(), String> {
    fn typed<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
        T::deserialize(value)
            .map(drop)
            .map_err(|error| error.to_string())
    }
    match kind {
        Kind::Document => typed::<OpenAPI>(value),
        Kind::Info => typed::<Info>(value),
        Kind::Contact => typed::<Contact>(value),
        Kind::License => typed::<License>(value),
        Kind::Server => typed::<Server>(value),
        Kind::ServerVariable => typed::<ServerVariable>(value),
        Kind::Components => typed::<Components>(value),
        Kind::Paths => typed::<Paths>(value),
        Kind::PathItem if reference => typed::<ReferenceOr<PathItem>>(value),
        Kind::PathItem => typed::<PathItem>(value),
        Kind::Operation => typed::<Operation>(value),
        Kind::ExternalDocs => typed::<ExternalDocumentation>(value),
        Kind::Parameter => typed::<ReferenceOr<Parameter>>(value),
        Kind::RequestBody => typed::<ReferenceOr<RequestBody>>(value),
        Kind::MediaType => typed::<MediaType>(value),
        Kind::Encoding => typed::<Encoding>(value),
        Kind::Responses => typed::<Responses>(value),
        Kind::Response => typed::<ReferenceOr<Response>>(value),
        Kind::Callback if reference => typed::<ReferenceOr<Callback>>(value),
        Kind::Callback => typed::<Callback>(value),
        Kind::Example => typed::<ReferenceOr<Example>>(value),
        Kind::Link => typed::<ReferenceOr<Link>>(value),
        Kind::Header => typed::<ReferenceOr<Header>>(value),
        Kind::Tag => typed::<Tag>(value),
        Kind::Schema => typed::<ReferenceOr<Schema>>(value),
        Kind::Discriminator => typed::<Discriminator>(value),
        Kind::Xml => Ok(()),
        Kind::SecurityScheme => typed::<ReferenceOr<SecurityScheme>>(value),
        Kind::OAuthFlows => typed::<OAuth2Flows>(value),
        Kind::OAuthFlow => typed::<ImplicitOAuth2Flow>(value)
            .or_else(|_| typed::<PasswordOAuth2Flow>(value))
            .or_else(|_| typed::<ClientCredentialsOAuth2Flow>(value))
            .or_else(|_| typed::<AuthorizationCodeOAuth2Flow>(value)),
        Kind::SecurityRequirement => typed::<SecurityRequirement>(value),
    }
}

/// What does not read, inside a piece.
#[derive(Debug, PartialEq, Eq)]
enum Culprit {
    /// An object of this kind, whose own members are wrong.
    Object(Kind),
    /// A member that should be a map (`true`) or a list (`false`) and is not.
    Member { map: bool },
}

/// The innermost part of `value`, an object of `kind`, that does not read as its type, and its
/// pointer from `value`.
fn find_culprit(value: &Value, kind: Kind, reference: bool) -> (Vec<String>, Culprit) {
    let mut path = Vec::new();
    let (mut current, mut kind, mut reference) = (value, kind, reference);
    'descend: loop {
        let Some(members) = current.as_object() else {
            return (path, Culprit::Object(kind));
        };
        if reference && members.get("$ref").is_some_and(Value::is_string) {
            return (path, Culprit::Object(kind));
        }
        for (key, member) in members {
            match kind.child(key) {
                Place::Object(child) => {
                    let boolean_schema = child == Kind::Schema
                        && key == "additionalProperties"
                        && member.is_boolean();
                    let child_reference = accepts_reference(kind, child);
                    if !boolean_schema && read_as(child, child_reference, member).is_err() {
                        path.push(key.clone());
                        (current, kind, reference) = (member, child, child_reference);
                        continue 'descend;
                    }
                }
                Place::Map(child) => {
                    let Some(entries) = member.as_object() else {
                        path.push(key.clone());
                        return (path, Culprit::Member { map: true });
                    };
                    let child_reference = accepts_reference(kind, child);
                    if let Some((name, entry)) = entries
                        .iter()
                        .find(|(_, entry)| read_as(child, child_reference, entry).is_err())
                    {
                        path.extend([key.clone(), name.clone()]);
                        (current, kind, reference) = (entry, child, child_reference);
                        continue 'descend;
                    }
                }
                Place::List(child) => {
                    let Some(items) = member.as_array() else {
                        path.push(key.clone());
                        return (path, Culprit::Member { map: false });
                    };
                    let child_reference = accepts_reference(kind, child);
                    if let Some((index, item)) = items
                        .iter()
                        .enumerate()
                        .find(|(_, item)| read_as(child, child_reference, item).is_err())
                    {
                        path.extend([key.clone(), index.to_string()]);
                        (current, kind, reference) = (item, child, child_reference);
                        continue 'descend;
                    }
                }
                Place::Mapping | Place::Value | Place::Unknown => {}
            }
        }
        return (path, Culprit::Object(kind));
    }
}

/// Reads pieces and repairs them, recording warnings.
struct Reader<'a> {
    file: &'a str,
    warnings: &'a mut Diagnostics,
}

impl Reader<'_> {
    /// Reads `value`, an object of `kind` standing at `at`, as `T`, repairing it until it
    /// reads. Fails, with a warning already recorded for a piece, when the piece itself must go;
    /// the error is serde's message.
    fn fit<T: DeserializeOwned>(
        &mut self,
        value: &mut Value,
        at: &[String],
        kind: Kind,
        reference: bool,
    ) -> Result<T, String> {
        let mut last_error = String::new();
        for _ in 0..MAX_REPAIRS {
            match T::deserialize(&*value) {
                Ok(typed) => return Ok(typed),
                Err(error) => last_error = error.to_string(),
            }
            if !self.repair(value, at, kind, reference) {
                return Err(last_error);
            }
        }
        let pointer = pointer::format(at);
        let message = format!(
            "this {} still does not fit OpenAPI 3.0 after {MAX_REPAIRS} repairs ({last_error}); \
             it is left out",
            kind.name()
        );
        self.warnings
            .push(left_out(self.file, pointer, kind, message));
        Err(last_error)
    }

    /// Repairs the innermost part of `value` that does not read. Returns whether the piece is
    /// still there.
    fn repair(&mut self, value: &mut Value, at: &[String], kind: Kind, reference: bool) -> bool {
        let (inner, culprit) = find_culprit(value, kind, reference);
        let full: Vec<String> = at.iter().chain(&inner).cloned().collect();
        let pointer = pointer::format(&full);
        let Some(part) = pointer::get_mut(value, &inner) else {
            return false;
        };
        match culprit {
            Culprit::Member { map } => {
                let shape = if map { "a map" } else { "a list" };
                let message = format!("this is not {shape}; it is left out");
                pointer::remove(value, &inner);
                self.warnings
                    .push(Diagnostic::warning_at(self.file, pointer, message));
                true
            }
            Culprit::Object(Kind::Schema) => {
                let why = read_as(Kind::Schema, true, part).err().unwrap_or_default();
                *part = Value::Object(Map::new());
                self.warnings.push(Diagnostic::warning_at(
                    self.file,
                    pointer,
                    format!(
                        "this schema does not fit OpenAPI 3.0 ({why}); it is read as any JSON \
                         value"
                    ),
                ));
                true
            }
            Culprit::Object(Kind::Document) => self.complete_document(part),
            Culprit::Object(Kind::Info) => {
                complete_info(part);
                self.warnings.push(Diagnostic::warning_at(
                    self.file,
                    pointer,
                    "the info object needs a text `title` and `version`; the missing ones are \
                     read as empty",
                ));
                true
            }
            Culprit::Object(found) => {
                let why = read_as(found, inner.is_empty() && reference, part)
                    .err()
                    .unwrap_or_default();
                let message = format!(
                    "this {} does not fit OpenAPI 3.0 ({why}); it is left out",
                    found.name()
                );
                self.warnings
                    .push(left_out(self.file, pointer, found, message));
                !inner.is_empty() && pointer::remove(value, &inner).is_some()
            }
        }
    }

    /// Gives a document without a usable `info` an empty one. Returns whether it changed.
    fn complete_document(&mut self, document: &mut Value) -> bool {
        let Value::Object(members) = document else {
            return false;
        };
        if members.get("info").is_some_and(Value::is_object) {
            return false;
        }
        members.insert("info".to_owned(), Value::Object(Map::new()));
        if let Some(info) = members.get_mut("info") {
            complete_info(info);
        }
        self.warnings.push(Diagnostic::warning_at(
            self.file,
            "#/info",
            "the document has no `info` object; read with an empty title and version",
        ));
        true
    }

    /// The path items, each read alone.
    fn paths(&mut self, paths: Option<Value>) -> Paths {
        let mut read = Paths::default();
        let entries = match paths {
            Some(Value::Object(entries)) => entries,
            None => {
                self.warnings.push(Diagnostic::warning_at(
                    self.file,
                    "#/paths",
                    "the document has no `paths`; it has no operations",
                ));
                return read;
            }
            Some(_) => {
                self.warnings.push(Diagnostic::skipped_at(
                    self.file,
                    "#/paths",
                    "`paths` is not a map; no operation is read",
                ));
                return read;
            }
        };
        for (path, mut item) in entries {
            if path.starts_with("x-") {
                read.extensions.insert(path, item);
                continue;
            }
            let at = ["paths".to_owned(), path];
            if !at[1].starts_with('/') {
                self.warnings.push(Diagnostic::skipped_at(
                    self.file,
                    pointer::format(&at),
                    "a path must start with `/`; it is left out",
                ));
                continue;
            }
            if let Ok(typed) = self.fit(&mut item, &at, Kind::PathItem, true) {
                let [_, path] = at;
                read.paths.insert(path, typed);
            }
        }
        read
    }

    /// The webhooks ([`grammar::WEBHOOKS`]), each path item read alone and kept in the 3.0
    /// shape `openapiv3` writes.
    fn webhooks(&mut self, webhooks: Value) -> Value {
        let Value::Object(entries) = webhooks else {
            self.warnings.push(Diagnostic::skipped_at(
                self.file,
                pointer::format(&[grammar::WEBHOOKS]),
                "the webhooks are not a map; no webhook is read",
            ));
            return Value::Object(Map::new());
        };
        let mut read = Map::new();
        for (name, mut item) in entries {
            let at = [grammar::WEBHOOKS.to_owned(), name];
            if let Ok(typed) = self.fit::<PathItem>(&mut item, &at, Kind::PathItem, false)
                && let Ok(written) = serde_json::to_value(typed)
            {
                let [_, name] = at;
                read.insert(name, written);
            }
        }
        Value::Object(read)
    }

    /// The components, each entry read alone.
    fn components(&mut self, components: Value) -> Components {
        let mut read = Components::default();
        let Value::Object(sections) = components else {
            self.warnings.push(Diagnostic::warning_at(
                self.file,
                "#/components",
                "`components` is not a map; it is ignored",
            ));
            return read;
        };
        for (section, entries) in sections {
            if section.starts_with("x-") {
                read.extensions.insert(section, entries);
                continue;
            }
            if section == grammar::PATH_ITEMS {
                // The loader copied every path item they hold to where it is used.
                continue;
            }
            let at = pointer::format(&["components", section.as_str()]);
            let (Some(kind), Value::Object(entries)) = (Kind::of_section(&section), entries) else {
                self.warnings.push(Diagnostic::warning_at(
                    self.file,
                    at,
                    "this is not a map of an OpenAPI 3.0 components section; it is ignored",
                ));
                continue;
            };
            match kind {
                Kind::Schema => read.schemas = self.section(&section, entries, kind),
                Kind::Response => read.responses = self.section(&section, entries, kind),
                Kind::Parameter => read.parameters = self.section(&section, entries, kind),
                Kind::Example => read.examples = self.section(&section, entries, kind),
                Kind::RequestBody => read.request_bodies = self.section(&section, entries, kind),
                Kind::Header => read.headers = self.section(&section, entries, kind),
                Kind::SecurityScheme => {
                    read.security_schemes = self.section(&section, entries, kind);
                }
                Kind::Link => read.links = self.section(&section, entries, kind),
                Kind::Callback => read.callbacks = self.section(&section, entries, kind),
                _ => {}
            }
        }
        read
    }

    fn section<T: DeserializeOwned>(
        &mut self,
        section: &str,
        entries: Map<String, Value>,
        kind: Kind,
    ) -> IndexMap<String, ReferenceOr<T>> {
        let mut read = IndexMap::with_capacity(entries.len());
        for (key, mut entry) in entries {
            let at = ["components".to_owned(), section.to_owned(), key];
            if let Ok(typed) = self.fit(&mut entry, &at, kind, true) {
                let [_, _, key] = at;
                read.insert(key, typed);
            }
        }
        read
    }
}

/// Gives an info object a text `title` and `version`: numbers are written as text, anything
/// else missing or wrong is empty; other members that are not text are left out.
fn complete_info(info: &mut Value) {
    let Value::Object(members) = info else {
        *info = Value::Object(Map::new());
        return complete_info(info);
    };
    for field in ["title", "version"] {
        let text = match members.get(field) {
            Some(Value::String(text)) => text.clone(),
            Some(value @ (Value::Number(_) | Value::Bool(_))) => value.to_string(),
            _ => String::new(),
        };
        members.insert(field.to_owned(), Value::String(text));
    }
    for field in ["description", "termsOfService"] {
        if members.get(field).is_some_and(|value| !value.is_string()) {
            members.shift_remove(field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(document: Value) -> (OpenAPI, Vec<String>) {
        let mut warnings = Diagnostics::default();
        let document = read_document("spec.yaml", document, &mut warnings).expect("reads");
        let messages = warnings
            .0
            .iter()
            .map(|warning| {
                format!(
                    "{}{}: {}",
                    if warning.skipped { "skipped " } else { "" },
                    warning.location.pointer.as_deref().unwrap_or(""),
                    warning.message
                )
            })
            .collect();
        (document, messages)
    }

    #[test]
    fn a_bad_schema_deep_inside_becomes_any_json() {
        let (document, warnings) = read(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "Pet": {"type": "object", "properties": {
                    "tags": {"type": "array", "items": {"type": "string", "pattern": 5}},
                    "name": {"type": "string"}
                }},
                "Other": {"type": "string"}
            }}
        }));
        let components = document.components.expect("components");
        assert_eq!(components.schemas.len(), 2);
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert!(
            warnings[0].starts_with(
                "#/components/schemas/Pet/properties/tags/items: this schema does not fit"
            ),
            "{warnings:#?}"
        );
        let Some(ReferenceOr::Item(pet)) = components.schemas.get("Pet") else {
            panic!("Pet is a schema");
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &pet.schema_kind else {
            panic!("Pet is an object");
        };
        assert_eq!(object.properties.len(), 2);
    }

    #[test]
    fn a_bad_parameter_costs_itself_and_a_bad_operation_only_itself() {
        let (document, warnings) = read(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {
                "get": {"parameters": [
                    {"name": "ok", "in": "query", "schema": {"type": "string"}},
                    {"name": "bad", "in": "body", "schema": {"type": "string"}}
                ], "responses": {"200": {"description": "ok"}}},
                "post": {"responses": {"200": {"description": "ok"}}, "tags": "not a list"}
            }, "/b": {"get": {"responses": {}}}}
        }));
        assert_eq!(document.paths.paths.len(), 2);
        let item = document.paths.paths["/a"].as_item().expect("an item");
        assert_eq!(item.get.as_ref().expect("get").parameters.len(), 1);
        assert!(item.post.is_none());
        assert_eq!(warnings.len(), 2, "{warnings:#?}");
        assert!(
            warnings[0].starts_with("skipped #/paths/~1a/get/parameters/1: this parameter"),
            "{warnings:#?}"
        );
        assert!(
            warnings[1].starts_with("skipped #/paths/~1a/post: this operation"),
            "{warnings:#?}"
        );
    }

    #[test]
    fn members_of_the_wrong_shape_are_left_out() {
        let (document, warnings) = read(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t"}, "paths": {}, "servers": {"url": "x"},
            "components": {"schemas": {"A": {"type": "object", "properties": []}},
                "pathItems": {}, "unknownSection": {}}
        }));
        assert_eq!(document.info.version, "");
        assert!(document.servers.is_empty());
        assert_eq!(warnings.len(), 4, "{warnings:#?}");
        assert!(warnings[0].starts_with("#/info: "), "{warnings:#?}");
        assert!(
            warnings[1].starts_with("#/servers: this is not a list"),
            "{warnings:#?}"
        );
        assert!(
            warnings[2].starts_with("#/components/schemas/A/properties: this is not a map"),
            "{warnings:#?}"
        );
        assert!(
            warnings[3].starts_with("#/components/unknownSection: "),
            "{warnings:#?}"
        );
    }

    #[test]
    fn a_missing_info_is_completed() {
        let (document, warnings) = read(serde_json::json!({"openapi": "3.0.0", "paths": {}}));
        assert_eq!(document.info.title, "");
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
    }
}
