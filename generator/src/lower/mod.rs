//! Stage 2: lowers an `openapiv3` document into the [model](crate::model).
//!
//! Every `$ref` is resolved here, allOf is merged, inline schemas get names, and whatever cannot be
//! expressed exactly becomes a warning with the JSON pointer of the schema.

mod features;
mod operations;
mod pagination;
mod passes;
mod refs;
mod schemas;
mod security;
mod select;
mod shared_errors;
mod webhooks;

use std::collections::HashMap;

use openapiv3::OpenAPI;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Api, TypeDef, TypeKind, TypeRef, Usage};
use crate::naming::{self, Scope};
use schemas::SchemaRef;

/// Lowers `document`, read from `file`, as `config` asks: the model, and warnings for what it
/// approximates or leaves out. Lowering never fails: what cannot be expressed costs only itself.
/// With an `include` or `exclude` selection, webhook payloads are kept where a selected operation
/// reaches them.
pub fn lower(file: &str, document: &OpenAPI, config: &Config) -> (Api, Diagnostics) {
    let webhooks = webhooks::Webhooks::read(document);
    let mut lowerer = Lowerer::new(file, document, config);
    lowerer.lower_components();
    let security_schemes = security::lower_schemes(&mut lowerer);
    let mut operations = operations::lower_operations(&mut lowerer);
    let webhook_payloads = webhooks.lower(&mut lowerer);
    lowerer.report_unused_renames(&operations);
    let Lowerer {
        mut types,
        mut type_scope,
        mut diagnostics,
        ..
    } = lowerer;
    let mut index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(position, definition)| (definition.name.clone(), position))
        .collect();
    for origin in passes::break_alias_cycles(&mut types, &index) {
        diagnostics.push(Diagnostic::warning_at(
            file,
            origin,
            "this schema is only a `$ref` to itself, through a cycle of `$ref`s; it is kept as \
             any JSON value",
        ));
    }
    if select::keep_selected(&mut operations, &mut types, config) {
        index = types
            .iter()
            .enumerate()
            .map(|(position, definition)| (definition.name.clone(), position))
            .collect();
    }
    passes::relax_for_direction(&mut types, &index, &operations, &webhook_payloads);
    passes::simplify_unions(&mut types, &index);
    passes::order_union_variants(&mut types, &index);
    passes::box_cycles(&mut types, &index);
    passes::name_setters(&mut types);
    passes::serde_directions(&mut types, &index, &operations);
    let features = features::tag_features(&mut types, &index, &operations);
    let shared_errors =
        shared_errors::share_error_enums(&mut operations, &features, &mut type_scope);
    let api = Api {
        title: document.info.title.clone(),
        version: document.info.version.clone(),
        description: document.info.description.clone(),
        base_url: config
            .client
            .base_url
            .clone()
            .or_else(|| document.servers.first().map(|server| server.url.clone())),
        servers: document
            .servers
            .iter()
            .map(|server| server.url.clone())
            .collect(),
        license: document
            .info
            .license
            .as_ref()
            .map(|license| license.name.clone()),
        homepage: document
            .info
            .contact
            .as_ref()
            .and_then(|contact| contact.url.clone())
            .or_else(|| document.external_docs.as_ref().map(|docs| docs.url.clone())),
        security_schemes,
        types,
        operations,
        features,
        shared_errors,
    };
    (api, diagnostics)
}

/// The state of one lowering: the document, the types made so far and the diagnostics.
struct Lowerer<'a> {
    file: &'a str,
    document: &'a OpenAPI,
    config: &'a Config,
    types: Vec<TypeDef>,
    type_scope: Scope,
    /// Rust names of component schemas, by component key.
    component_names: HashMap<String, String>,
    /// Existing Rust types used for component schemas instead of generated ones, by key: from
    /// the configuration or the schema's `x-rust-type`.
    mapped_components: HashMap<String, String>,
    /// Types already made for inline schemas, by the schema's JSON pointer.
    inline_types: HashMap<String, TypeRef>,
    diagnostics: Diagnostics,
}

impl<'a> Lowerer<'a> {
    fn new(file: &'a str, document: &'a OpenAPI, config: &'a Config) -> Self {
        Self {
            file,
            document,
            config,
            mapped_components: HashMap::new(),
            types: Vec::new(),
            type_scope: Scope::with_reserved_names(&naming::runtime_names().items),
            component_names: HashMap::new(),
            inline_types: HashMap::new(),
            diagnostics: Diagnostics::default(),
        }
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning_at(self.file, pointer, message));
    }

    /// Reports that something at `pointer` is left out of the client.
    fn skip(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::skipped_at(self.file, pointer, message));
    }

    /// Claims a unique type name made from `wanted`.
    fn claim_type_name(&mut self, wanted: &str) -> String {
        self.type_scope.claim(&naming::type_ident(wanted))
    }

    /// Names every component schema first, so that they keep their plain names, then lowers them.
    fn lower_components(&mut self) {
        let Some(components) = &self.document.components else {
            return;
        };
        for (key, schema) in &components.schemas {
            let pointer = crate::diagnostics::pointer_push("#/components/schemas", key);
            let mapped = match self.config.types.schemas.get(key) {
                Some(path) => Some(path.clone()),
                None => match schema {
                    openapiv3::ReferenceOr::Item(schema) => {
                        self.rust_type_extension(schema, &pointer)
                    }
                    openapiv3::ReferenceOr::Reference { .. } => None,
                },
            };
            if let Some(path) = mapped {
                self.mapped_components.insert(key.clone(), path);
                continue;
            }
            let wanted = self.config.rename.types.get(key).unwrap_or(key);
            let name = self.claim_type_name(wanted);
            self.component_names.insert(key.clone(), name);
        }
        for (key, schema) in &components.schemas {
            let Some(name) = self.component_names.get(key).cloned() else {
                continue;
            };
            let pointer = crate::diagnostics::pointer_push("#/components/schemas", key);
            self.define_type(name, SchemaRef::from(schema), &pointer);
        }
    }

    /// The Rust type a schema's `x-rust-type` names, when it has a valid one.
    fn rust_type_extension(&mut self, schema: &openapiv3::Schema, pointer: &str) -> Option<String> {
        let value = schema.schema_data.extensions.get("x-rust-type")?;
        match value.as_str() {
            Some(path) if syn::parse_str::<syn::Type>(path).is_ok() => Some(path.to_owned()),
            _ => {
                self.warn(
                    pointer,
                    format!("`x-rust-type: {value}` does not name a Rust type; it is ignored"),
                );
                None
            }
        }
    }

    /// Warns about renames in the configuration that name nothing in the spec.
    fn report_unused_renames(&mut self, operations: &[crate::model::Operation]) {
        let schemas = self
            .document
            .components
            .as_ref()
            .map(|components| &components.schemas);
        let has_schema = |key: &str| schemas.is_some_and(|schemas| schemas.contains_key(key));
        let mut unused: Vec<String> = Vec::new();
        for key in self.config.rename.types.keys() {
            if !has_schema(key) {
                unused.push(format!("the type rename `{key}` names no component schema"));
            }
        }
        for key in self.config.rename.properties.keys() {
            if !key
                .split_once('.')
                .is_some_and(|(schema, _)| has_schema(schema))
            {
                unused.push(format!(
                    "the property rename `{key}` names no `Schema.property` of a component schema"
                ));
            }
        }
        for key in self.config.rename.operations.keys() {
            if !operations.iter().any(|operation| &operation.id == key) {
                unused.push(format!("the operation rename `{key}` names no operationId"));
            }
        }
        for message in unused {
            self.warn("#", message);
        }
    }

    /// Adds a named type for `schema`, reserving its place first so that types it contains come
    /// after it.
    fn define_type(&mut self, name: String, schema: SchemaRef<'a>, pointer: &str) {
        let slot = self.types.len();
        self.types.push(TypeDef {
            name: name.clone(),
            origin: pointer.to_owned(),
            docs: None,
            deprecated: false,
            usage: Usage::default(),
            features: Vec::new(),
            kind: TypeKind::Alias(TypeRef::Json),
        });
        let (kind, docs, deprecated) = self.lower_type_body(&name, schema, pointer);
        let definition = &mut self.types[slot];
        definition.kind = kind;
        definition.docs = docs;
        definition.deprecated = deprecated;
    }
}
