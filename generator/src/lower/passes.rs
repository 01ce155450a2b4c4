//! The passes that run once every type and operation is lowered: they see the whole model.

use std::collections::{BTreeSet, HashMap};

use crate::model::{Operation, Presence, TypeDef, TypeKind, TypeRef, Usage};
use crate::naming;

/// Records who sends each type ([`Usage`]), and makes read-only properties optional in types that callers build (request bodies), and
/// write-only properties optional in types that servers send (responses). Optional nullable
/// properties keep their two states (absent, `null`) only in types that callers send; elsewhere
/// they are a plain `Option`. Webhook payloads count as responses: receivers decode them.
pub(super) fn relax_for_direction(
    types: &mut [TypeDef],
    index: &HashMap<String, usize>,
    operations: &[Operation],
    webhook_payloads: &[TypeRef],
) {
    let request_roots = operations.iter().flat_map(Operation::request_type_refs);
    let in_requests = reachable(types, index, request_roots);
    let response_roots = operations
        .iter()
        .flat_map(Operation::response_type_refs)
        .chain(webhook_payloads);
    let in_responses = reachable(types, index, response_roots);
    for (position, definition) in types.iter_mut().enumerate() {
        definition.usage = Usage {
            in_requests: in_requests.contains(&position),
            in_responses: in_responses.contains(&position),
            ..Usage::default()
        };
        let TypeKind::Struct(structure) = &mut definition.kind else {
            continue;
        };
        let sent_by_callers = definition.usage.in_requests;
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

/// Records in [`Usage::encoded`] and [`Usage::decoded`] which serde impls the client needs,
/// once no pass changes the types any more: those of the directions that reach a type, and both
/// for the types no operation reaches and everything they hold.
pub(super) fn serde_directions(
    types: &mut [TypeDef],
    index: &HashMap<String, usize>,
    operations: &[Operation],
) {
    let encoded = reachable(
        types,
        index,
        operations.iter().flat_map(Operation::request_type_refs),
    );
    let decoded = reachable(
        types,
        index,
        operations.iter().flat_map(Operation::response_type_refs),
    );
    let unreached: Vec<TypeRef> = (0..types.len())
        .filter(|position| !encoded.contains(position) && !decoded.contains(position))
        .filter_map(|position| types.get(position))
        .map(|definition| TypeRef::Named(definition.name.clone()))
        .collect();
    let both = reachable(types, index, unreached.iter());
    for (position, definition) in types.iter_mut().enumerate() {
        let both = both.contains(&position);
        definition.usage.encoded = both || encoded.contains(&position);
        definition.usage.decoded = both || decoded.contains(&position);
    }
}

/// The positions of every type reachable from `roots`, through fields, union variants, aliases,
/// lists and maps. The per-tag features use it; so can any pass that prunes the model (only
/// what the kept operations reach is needed).
pub(super) fn reachable<'t>(
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
/// specific first, and records the properties each object variant knows (decoding prefers the
/// variant that knows every property of a value). Unions with a discriminator keep spec order:
/// their tag decides.
pub(super) fn order_union_variants(types: &mut [TypeDef], index: &HashMap<String, usize>) {
    for position in 0..types.len() {
        let TypeKind::Union(union) = &types[position].kind else {
            continue;
        };
        if union.discriminator.is_some() {
            continue;
        }
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
        variants.sort_by_key(|variant| specificity(types, index, &variant.ty));
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

/// The types a type holds by value, each with whether it is a struct's field (or flattened
/// member) rather than a union variant or an alias target. Lists and maps hold their values on
/// the heap, so they are not edges.
fn edges(kind: &TypeKind) -> Vec<(&str, bool)> {
    let refs: Vec<(&TypeRef, bool)> = match kind {
        TypeKind::Struct(structure) => structure
            .fields
            .iter()
            .map(|field| (&field.ty, true))
            .chain(
                structure
                    .flattened
                    .iter()
                    .map(|flattened| (&flattened.ty, true)),
            )
            .collect(),
        TypeKind::Union(union) => union
            .variants
            .iter()
            .map(|variant| (&variant.ty, false))
            .collect(),
        TypeKind::Alias(target) => vec![(target, false)],
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => Vec::new(),
    };
    refs.into_iter()
        .filter_map(|(ty, field)| named_target(ty).map(|name| (name, field)))
        .collect()
}

/// Puts a `Box` on the references that make a type contain itself by value, so that recursive
/// types have a finite size. A reference does so when both ends are in the same strongly
/// connected component of the by-value graph. Struct fields are boxed first; union variants
/// only where a cycle remains without struct fields on it.
pub(super) fn box_cycles(types: &mut [TypeDef], index: &HashMap<String, usize>) {
    let graph = |with_fields: bool, types: &[TypeDef]| -> Vec<Vec<usize>> {
        types
            .iter()
            .map(|definition| {
                edges(&definition.kind)
                    .into_iter()
                    .filter(|&(_, field)| with_fields || !field)
                    .filter_map(|(name, _)| index.get(name).copied())
                    .collect()
            })
            .collect()
    };
    let component = strongly_connected_components(&graph(true, types));
    let same_component = |component: &[usize], from: usize, name: &str| {
        index
            .get(name)
            .is_some_and(|&to| component[from] == component[to])
    };
    let boxed = |ty: &mut TypeRef, on_cycle: bool| {
        if let TypeRef::Named(target) = ty
            && on_cycle
        {
            *ty = TypeRef::Boxed(target.clone());
        }
    };
    for (position, definition) in types.iter_mut().enumerate() {
        if let TypeKind::Struct(structure) = &mut definition.kind {
            for field in &mut structure.fields {
                let on_cycle = named_target(&field.ty)
                    .is_some_and(|name| same_component(&component, position, name));
                boxed(&mut field.ty, on_cycle);
            }
            for flattened in &mut structure.flattened {
                let on_cycle = named_target(&flattened.ty)
                    .is_some_and(|name| same_component(&component, position, name));
                boxed(&mut flattened.ty, on_cycle);
            }
        }
    }
    let component = strongly_connected_components(&graph(false, types));
    for (position, definition) in types.iter_mut().enumerate() {
        if let TypeKind::Union(union) = &mut definition.kind {
            for variant in &mut union.variants {
                let on_cycle = named_target(&variant.ty)
                    .is_some_and(|name| same_component(&component, position, name));
                boxed(&mut variant.ty, on_cycle);
            }
        }
    }
}

/// The strongly connected component of every node of `graph` (Tarjan's algorithm, without
/// recursion so that a deep spec cannot overflow the stack).
fn strongly_connected_components(graph: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let mut order = vec![UNVISITED; graph.len()];
    let mut low = vec![0; graph.len()];
    let mut component = vec![UNVISITED; graph.len()];
    let mut on_stack = vec![false; graph.len()];
    let mut stack = Vec::new();
    let mut next_order = 0;
    let mut components = 0;
    for root in 0..graph.len() {
        if order[root] != UNVISITED {
            continue;
        }
        // Each frame is a node and how many of its edges have been followed.
        let mut frames = vec![(root, 0)];
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut followed)) = frames.last_mut() {
            if let Some(&next) = graph[node].get(*followed) {
                *followed += 1;
                if order[next] == UNVISITED {
                    order[next] = next_order;
                    low[next] = next_order;
                    next_order += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

/// Turns every alias on a cycle of aliases (`type A = B; type B = A;`, or a schema that is only
/// a `$ref` to itself) into any JSON value. Returns the origin of each, for a warning.
pub(super) fn break_alias_cycles(
    types: &mut [TypeDef],
    index: &HashMap<String, usize>,
) -> Vec<String> {
    let mut broken = Vec::new();
    for start in 0..types.len() {
        let mut walk = Vec::new();
        let mut current = start;
        while let TypeKind::Alias(target) = &types[current].kind {
            let Some(&next) = named_target(target).and_then(|name| index.get(name)) else {
                break;
            };
            walk.push(current);
            if let Some(cycle_start) = walk.iter().position(|&seen| seen == next) {
                for &member in &walk[cycle_start..] {
                    types[member].kind = TypeKind::Alias(TypeRef::Json);
                    broken.push(types[member].origin.clone());
                }
                break;
            }
            current = next;
        }
    }
    broken
}

/// Simplifies unions without a discriminator once every type is known: alternatives that are
/// the same Rust type (through aliases) are one alternative; alternatives that are all string
/// enums (or strings), or all integer enums (or integers), become one enum with every value,
/// since these enums already keep unknown values; a union left with one alternative is that
/// alternative.
pub(super) fn simplify_unions(types: &mut [TypeDef], index: &HashMap<String, usize>) {
    for position in 0..types.len() {
        let TypeKind::Union(union) = &types[position].kind else {
            continue;
        };
        if union.discriminator.is_some() {
            continue;
        }
        let mut seen: Vec<&TypeRef> = Vec::new();
        let mut variants = Vec::new();
        for variant in &union.variants {
            let resolved = resolve_aliases(types, index, &variant.ty);
            if !seen.contains(&resolved) {
                seen.push(resolved);
                variants.push(variant.clone());
            }
        }
        let simplified =
            merged_enum(types, index, &variants).or_else(|| match variants.as_slice() {
                [only] => Some(TypeKind::Alias(only.ty.clone())),
                _ => None,
            });
        match simplified {
            Some(kind) => types[position].kind = kind,
            None => {
                if let TypeKind::Union(union) = &mut types[position].kind {
                    union.variants = variants;
                }
            }
        }
    }
}

/// One enum holding the values of `variants`, when they are all string enums or strings (at
/// least one enum), or all integer enums or integers.
fn merged_enum(
    types: &[TypeDef],
    index: &HashMap<String, usize>,
    variants: &[crate::model::UnionVariant],
) -> Option<TypeKind> {
    let kinds: Vec<Option<&TypeKind>> = variants
        .iter()
        .map(|variant| resolve(types, index, &variant.ty))
        .collect();
    let is_plain = |variant: &crate::model::UnionVariant, wanted: &[TypeRef]| {
        wanted.contains(resolve_aliases(types, index, &variant.ty))
    };
    let strings = variants.iter().zip(&kinds).all(|(variant, kind)| {
        matches!(kind, Some(TypeKind::StringEnum(_))) || is_plain(variant, &[TypeRef::String])
    });
    let integers = variants.iter().zip(&kinds).all(|(variant, kind)| {
        matches!(kind, Some(TypeKind::IntEnum(_)))
            || is_plain(variant, &[TypeRef::I32, TypeRef::I64])
    });
    if strings {
        let values: Vec<String> = kinds
            .iter()
            .flatten()
            .filter_map(|kind| match kind {
                TypeKind::StringEnum(enumeration) => Some(&enumeration.variants),
                _ => None,
            })
            .flatten()
            .map(|variant| variant.wire_value.clone())
            .collect();
        return (!values.is_empty())
            .then(|| TypeKind::StringEnum(super::schemas::string_enum(&values)));
    }
    if integers {
        let mut names = Vec::new();
        let mut values = Vec::new();
        for kind in kinds.iter().flatten() {
            if let TypeKind::IntEnum(enumeration) = kind {
                for variant in &enumeration.variants {
                    values.push(variant.wire_value);
                    names.push(variant.rust_name.clone());
                }
            }
        }
        return (!values.is_empty())
            .then(|| TypeKind::IntEnum(super::schemas::named_integer_enum(&values, Some(&names))));
    }
    None
}

/// Names a chaining setter for every optional, writable field of the structs that callers build (every
/// struct but those only servers send), so that a value reads like the API's docs:
/// `OrganizationRequest::new("acme", plan).description("ours")`. Setters are named after their
/// fields, never after a method the struct already has.
pub(super) fn name_setters(types: &mut [TypeDef]) {
    for definition in types.iter_mut() {
        if definition.usage.response_only() {
            continue;
        }
        let TypeKind::Struct(structure) = &mut definition.kind else {
            continue;
        };
        let mut scope = naming::struct_method_scope();
        for field in &mut structure.fields {
            // A read-only field is the server's to set.
            if field.presence != Presence::Required && !field.read_only {
                field.setter = Some(scope.claim(&field.rust_name));
            }
        }
    }
}
