//! Stage 2: lowers an `openapiv3` document into the [model](crate::model).
//!
//! Every `$ref` is resolved here, allOf is merged, inline schemas get names, and whatever cannot be
//! expressed exactly becomes a warning with the JSON pointer of the schema.

mod operations;
mod refs;
mod schemas;
mod security;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use openapiv3::OpenAPI;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Api, Presence, TypeDef, TypeKind, TypeRef};
use crate::naming::{self, Scope};
use schemas::SchemaRef;

/// Lowers `document`, read from `file`: the model, and warnings for what it approximates or
/// leaves out. Lowering never fails: what cannot be expressed costs only itself.
pub fn lower(file: &str, document: &OpenAPI) -> (Api, Diagnostics) {
    let mut lowerer = Lowerer::new(file, document);
    lowerer.lower_components();
    let security_schemes = security::lower_schemes(&mut lowerer);
    let operations = operations::lower_operations(&mut lowerer);
    let Lowerer {
        mut types,
        diagnostics,
        ..
    } = lowerer;
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(position, definition)| (definition.name.clone(), position))
        .collect();
    relax_for_direction(&mut types, &index, &operations);
    order_union_variants(&mut types, &index);
    box_cycles(&mut types);
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
            kind: TypeKind::Alias(TypeRef::Json),
        });
        let (kind, docs, deprecated) = self.lower_type_body(&name, schema, pointer);
        let definition = &mut self.types[slot];
        definition.kind = kind;
        definition.docs = docs;
        definition.deprecated = deprecated;
    }
}

/// Makes read-only properties optional in types that callers build (request bodies), and
/// write-only properties optional in types that servers send (responses). Optional nullable
/// properties keep their two states (absent, `null`) only in types that callers send; elsewhere
/// they are a plain `Option`.
fn relax_for_direction(
    types: &mut [TypeDef],
    index: &HashMap<String, usize>,
    operations: &[crate::model::Operation],
) {
    let request_roots = operations
        .iter()
        .filter_map(|operation| operation.body.as_ref().map(|body| &body.ty))
        .chain(
            operations
                .iter()
                .flat_map(|operation| operation.parameters.iter().map(|parameter| &parameter.ty)),
        );
    let in_requests = reachable(types, index, request_roots);
    let response_roots = operations.iter().flat_map(|operation| {
        operation
            .success
            .iter()
            .chain(&operation.errors)
            .filter_map(|response| response.body.as_ref().map(|body| &body.ty))
    });
    let in_responses = reachable(types, index, response_roots);
    for (position, definition) in types.iter_mut().enumerate() {
        let TypeKind::Struct(structure) = &mut definition.kind else {
            continue;
        };
        let sent_by_callers = in_requests.contains(&position);
        for field in &mut structure.fields {
            let relax = (field.read_only && sent_by_callers)
                || (field.write_only && in_responses.contains(&position));
            let nullable = matches!(
                field.presence,
                Presence::RequiredNullable | Presence::OptionalNullable
            );
            if relax || field.presence == Presence::OptionalNullable {
                field.presence = if nullable && sent_by_callers {
                    Presence::OptionalNullable
                } else {
                    Presence::Optional
                };
            }
        }
    }
}

/// The positions of every type reachable from `roots`.
fn reachable<'t>(
    types: &'t [TypeDef],
    index: &HashMap<String, usize>,
    roots: impl Iterator<Item = &'t TypeRef>,
) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&TypeRef> = roots.collect();
    while let Some(type_ref) = stack.pop() {
        let Some(position) = named_target(type_ref).and_then(|name| index.get(name)) else {
            stack.extend(type_ref.wrapped());
            continue;
        };
        if seen.insert(*position) {
            stack.extend(types[*position].kind.referenced_types());
        }
    }
    seen
}

fn named_target(type_ref: &TypeRef) -> Option<&str> {
    match type_ref {
        TypeRef::Named(name) | TypeRef::Boxed(name) => Some(name),
        _ => None,
    }
}

/// Puts the variants of unions without a discriminator in the order they are tried, most
/// specific first, and records the properties each object variant knows (a union with a
/// discriminator uses them when a value's tag names a variant whose type rejects it).
fn order_union_variants(types: &mut [TypeDef], index: &HashMap<String, usize>) {
    for position in 0..types.len() {
        let TypeKind::Union(union) = &types[position].kind else {
            continue;
        };
        let tagged = union.discriminator.is_some();
        let mut variants = union.variants.clone();
        for variant in &mut variants {
            variant.known_properties = match resolve(types, index, &variant.ty) {
                Some(TypeKind::Struct(structure))
                    if structure.additional_properties.is_none()
                        && structure.flattened.is_empty() =>
                {
                    Some(
                        structure
                            .fields
                            .iter()
                            .map(|field| field.wire_name.clone())
                            .collect(),
                    )
                }
                _ => None,
            };
        }
        if !tagged {
            variants.sort_by_key(|variant| specificity(types, index, &variant.ty));
        }
        if let TypeKind::Union(union) = &mut types[position].kind {
            union.variants = variants;
        }
    }
}

/// The reference an alias chain finally means.
fn resolve_aliases<'t>(
    types: &'t [TypeDef],
    index: &HashMap<String, usize>,
    type_ref: &'t TypeRef,
) -> &'t TypeRef {
    crate::model::resolve_aliases(type_ref, |name| {
        index.get(name).map(|position| &types[*position].kind)
    })
}

/// The kind of the named type a reference finally means, through aliases.
fn resolve<'t>(
    types: &'t [TypeDef],
    index: &HashMap<String, usize>,
    type_ref: &'t TypeRef,
) -> Option<&'t TypeKind> {
    let name = named_target(resolve_aliases(types, index, type_ref))?;
    index.get(name).map(|position| &types[*position].kind)
}

/// A sort key that puts the variants that accept fewer values first: objects with more required
/// properties, then more properties; formatted strings before enums before plain strings;
/// integers before numbers; maps and untyped JSON last.
fn specificity(
    types: &[TypeDef],
    index: &HashMap<String, usize>,
    type_ref: &TypeRef,
) -> (u8, std::cmp::Reverse<usize>, std::cmp::Reverse<usize>) {
    use std::cmp::Reverse;
    let plain = |rank| (rank, Reverse(0), Reverse(0));
    match resolve(types, index, type_ref) {
        Some(TypeKind::Struct(structure)) => {
            let required = structure
                .fields
                .iter()
                .filter(|field| field.presence == Presence::Required)
                .count();
            (0, Reverse(required), Reverse(structure.fields.len()))
        }
        Some(TypeKind::Union(_)) => plain(1),
        Some(TypeKind::StringEnum(_) | TypeKind::IntEnum(_)) => plain(3),
        _ => plain(match resolve_aliases(types, index, type_ref) {
            TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date => 2,
            TypeRef::I32 | TypeRef::I64 => 4,
            TypeRef::Map(_) => 6,
            TypeRef::Json => 7,
            _ => 5,
        }),
    }
}

/// Puts a `Box` on every field that leads back to its own struct without passing through a
/// `Vec` or a map, so that recursive types have a finite size.
fn box_cycles(types: &mut [TypeDef]) {
    let direct: BTreeMap<&str, Vec<&str>> = types
        .iter()
        .map(|definition| {
            let targets = definition
                .kind
                .referenced_types()
                .into_iter()
                .filter_map(named_target)
                .collect();
            (definition.name.as_str(), targets)
        })
        .collect();
    let mut to_box: BTreeSet<(String, String)> = BTreeSet::new();
    for (&from, targets) in &direct {
        for &target in targets {
            if leads_to(&direct, target, from) {
                to_box.insert((from.to_owned(), target.to_owned()));
            }
        }
    }
    for definition in types.iter_mut() {
        let owner = definition.name.clone();
        if let TypeKind::Struct(structure) = &mut definition.kind {
            for field in &mut structure.fields {
                if let TypeRef::Named(target) = &field.ty
                    && to_box.contains(&(owner.clone(), target.clone()))
                {
                    field.ty = TypeRef::Boxed(target.clone());
                }
            }
        }
    }
}

fn leads_to(direct: &BTreeMap<&str, Vec<&str>>, start: &str, goal: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    while let Some(current) = stack.pop() {
        if current == goal {
            return true;
        }
        if seen.insert(current) {
            stack.extend(direct.get(current).into_iter().flatten());
        }
    }
    false
}
