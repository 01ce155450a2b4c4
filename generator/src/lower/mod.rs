//! Stage 2: lowers an `openapiv3` document into the [model](crate::model).
//!
//! Every `$ref` is resolved here, allOf is merged, inline schemas get names, and whatever cannot be
//! expressed exactly becomes a warning with the JSON pointer of the schema.

mod operations;
mod passes;
mod refs;
mod schemas;
mod security;
mod webhooks;

use std::collections::HashMap;

use openapiv3::OpenAPI;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Api, TypeDef, TypeKind, TypeRef, Usage};
use crate::naming::{self, Scope};
use schemas::SchemaRef;

/// Lowers `document`, read from `file`: the model, and warnings for what it approximates or
/// leaves out. Lowering never fails: what cannot be expressed costs only itself.
pub fn lower(file: &str, document: &OpenAPI) -> (Api, Diagnostics) {
    let webhooks = webhooks::Webhooks::read(document);
    let mut lowerer = Lowerer::new(file, document);
    lowerer.lower_components();
    let security_schemes = security::lower_schemes(&mut lowerer);
    let operations = operations::lower_operations(&mut lowerer);
    let webhook_payloads = webhooks.lower(&mut lowerer);
    let Lowerer {
        mut types,
        mut diagnostics,
        ..
    } = lowerer;
    let index: HashMap<String, usize> = types
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
    passes::relax_for_direction(&mut types, &index, &operations, &webhook_payloads);
    passes::simplify_unions(&mut types, &index);
    passes::order_union_variants(&mut types, &index);
    passes::box_cycles(&mut types, &index);
    passes::name_setters(&mut types);
    let api = Api {
        title: document.info.title.clone(),
        version: document.info.version.clone(),
        description: document.info.description.clone(),
        base_url: document.servers.first().map(|server| server.url.clone()),
        security_schemes,
        types,
        operations,
    };
    (api, diagnostics)
}

/// The state of one lowering: the document, the types made so far and the diagnostics.
struct Lowerer<'a> {
    file: &'a str,
    document: &'a OpenAPI,
    types: Vec<TypeDef>,
    type_scope: Scope,
    /// Rust names of component schemas, by component key.
    component_names: HashMap<String, String>,
    /// Types already made for inline schemas, by the schema's JSON pointer.
    inline_types: HashMap<String, TypeRef>,
    diagnostics: Diagnostics,
}

impl<'a> Lowerer<'a> {
    fn new(file: &'a str, document: &'a OpenAPI) -> Self {
        Self {
            file,
            document,
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
        for key in components.schemas.keys() {
            let name = self.claim_type_name(key);
            self.component_names.insert(key.clone(), name);
        }
        for (key, schema) in &components.schemas {
            let pointer = crate::diagnostics::pointer_push("#/components/schemas", key);
            let name = self.component_names[key].clone();
            self.define_type(name, SchemaRef::from(schema), &pointer);
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
            kind: TypeKind::Alias(TypeRef::Json),
        });
        let (kind, docs, deprecated) = self.lower_type_body(&name, schema, pointer);
        let definition = &mut self.types[slot];
        definition.kind = kind;
        definition.docs = docs;
        definition.deprecated = deprecated;
    }
}
