//! Pagination: which operations page, and how one page leads to the next.
//!
//! The rule, tried in this order on a `GET` operation whose success response is a JSON list, or
//! a JSON object with a list of items (its only list property, or else one named `items`,
//! `results`, `data`, `values`, `records`, `entries`, `elements` or `events`):
//!
//! 1. `x-pagination: false` on the operation: it does not page (the opt-out, without warning).
//! 2. A cursor query parameter (`cursor`, `continueToken`, `pageToken`, `nextToken`,
//!    `continuationToken`, `after`, `marker`, `startingAfter`, `nextCursor`, any case or
//!    separator) and, in the response or in its `links`, `_links`, `meta`, `pagination`,
//!    `paging` or `page_info` object, a next-page field: a link named `next`, `nextLink`,
//!    `nextUrl` or `nextPageUrl` is followed as it is; a cursor named `nextCursor`,
//!    `nextPageToken`, `nextToken`, `continueToken`, `continuationToken`, `nextMarker`,
//!    `endCursor` or `cursor` is sent back in the parameter. Paging stops when it is absent.
//! 3. A keyset parameter (`startId`, `startingAfter`, `afterId`, `sinceId`, `lastId`, `after`)
//!    and items with an `id`: the next page starts after the last item's id.
//! 4. An integer `page` (`pageNumber`, `page_number`) parameter: pages are counted up from 1.
//! 5. An integer `offset` (or `skip`) parameter: it moves past each page's items.
//!
//! Paging also stops on an empty page, and when the next page would be the one just read.

use openapiv3::Operation as SpecOperation;

use super::Lowerer;
use crate::model::{
    Field, Operation, PageAdvance, Pagination, ParameterLocation, SuccessType, TypeDef, TypeKind,
    TypeRef, resolve_aliases,
};
use crate::naming::Scope;

/// Names of the response property that holds the items, when it has several lists.
const ITEMS_FIELDS: &[&str] = &[
    "items", "results", "data", "values", "records", "entries", "elements", "events",
];

/// Query parameters that take a cursor from the previous page.
const CURSOR_PARAMETERS: &[&str] = &[
    "cursor",
    "continuetoken",
    "pagetoken",
    "nexttoken",
    "continuationtoken",
    "after",
    "marker",
    "startingafter",
    "nextcursor",
];

/// Objects of the response that hold the next-page field.
const NEXT_CONTAINERS: &[&str] = &[
    "links",
    "_links",
    "meta",
    "pagination",
    "paging",
    "pageinfo",
];

/// Response fields that hold a link to the next page.
const NEXT_LINKS: &[&str] = &["next", "nextlink", "nexturl", "nextpageurl"];

/// Response fields that hold the next cursor.
const NEXT_CURSORS: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "continuetoken",
    "continuationtoken",
    "nextmarker",
    "endcursor",
    "cursor",
];

/// Query parameters that take the last item's id.
const KEYSET_PARAMETERS: &[&str] = &[
    "startid",
    "startingafter",
    "afterid",
    "sinceid",
    "lastid",
    "after",
];

/// Query parameters that take a page number.
const PAGE_PARAMETERS: &[&str] = &["page", "pagenumber"];

/// Query parameters that take an offset.
const OFFSET_PARAMETERS: &[&str] = &["offset", "skip"];

/// A wire name compared without case or separators: `continue_token` is `continuetoken`.
fn folded(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The kind of the type named `name`.
fn kind_of<'t>(types: &'t [TypeDef], name: &str) -> Option<&'t TypeKind> {
    types
        .iter()
        .find(|definition| definition.name == name)
        .map(|definition| &definition.kind)
}

/// The fields of `ty`, when it is (an alias of) a struct.
fn struct_fields<'t>(types: &'t [TypeDef], ty: &'t TypeRef) -> Option<&'t [Field]> {
    match resolve_aliases(ty, |name| kind_of(types, name)) {
        TypeRef::Named(name) | TypeRef::Boxed(name) => match kind_of(types, name) {
            Some(TypeKind::Struct(structure)) => Some(&structure.fields),
            _ => None,
        },
        _ => None,
    }
}

/// How `operation` pages, if it does, with the name of its stream method claimed in
/// `method_scope`.
pub(super) fn detect(
    lowerer: &Lowerer<'_>,
    operation: &Operation,
    spec: &SpecOperation,
    method_scope: &mut Scope,
) -> Option<Pagination> {
    if spec.extensions.get("x-pagination") == Some(&serde_json::Value::Bool(false))
        || operation.http_method != "GET"
    {
        return None;
    }
    let SuccessType::Single(Some(body)) = &operation.success_type else {
        return None;
    };
    let types = &lowerer.types;
    let kind_of = |name: &str| kind_of(types, name);
    let (items_field, item_type) = match resolve_aliases(body, |name| kind_of(name)) {
        TypeRef::List(item) => (None, (**item).clone()),
        _ => {
            let fields = struct_fields(types, body)?;
            let lists: Vec<_> = fields
                .iter()
                .filter_map(
                    |field| match resolve_aliases(&field.ty, |name| kind_of(name)) {
                        TypeRef::List(item) => Some((field, item)),
                        _ => None,
                    },
                )
                .collect();
            let (field, item) = match lists.as_slice() {
                [only] => *only,
                _ => *lists
                    .iter()
                    .find(|(field, _)| ITEMS_FIELDS.contains(&folded(&field.wire_name).as_str()))?,
            };
            (Some(field.rust_name.clone()), (**item).clone())
        }
    };
    let query: Vec<(String, &str, &TypeRef)> = operation
        .parameters
        .iter()
        .filter(|parameter| parameter.location == ParameterLocation::Query)
        .map(|parameter| {
            (
                folded(&parameter.wire_name),
                parameter.wire_name.as_str(),
                &parameter.ty,
            )
        })
        .collect();
    let find = |names: &[&str]| {
        query
            .iter()
            .find(|(folded, _, _)| names.contains(&folded.as_str()))
            .map(|(_, wire, ty)| ((*wire).to_owned(), *ty))
    };
    let is_number = |ty: &TypeRef| {
        matches!(
            resolve_aliases(ty, |name| kind_of(name)),
            TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::F32
        )
    };
    let next_field = |names: &[&str]| -> Option<Vec<String>> {
        let fields = struct_fields(types, body)?;
        let named = |fields: &[Field]| {
            fields
                .iter()
                .find(|field| names.contains(&folded(&field.wire_name).as_str()))
                .map(|field| field.rust_name.clone())
        };
        if let Some(field) = named(fields) {
            return Some(vec![field]);
        }
        fields
            .iter()
            .filter(|field| NEXT_CONTAINERS.contains(&folded(&field.wire_name).as_str()))
            .find_map(|container| {
                let inner = named(struct_fields(types, &container.ty)?)?;
                Some(vec![container.rust_name.clone(), inner])
            })
    };
    let next = if let Some((parameter, _)) = find(CURSOR_PARAMETERS)
        && let Some(advance) = next_field(NEXT_LINKS)
            .map(|field| PageAdvance::Link { field })
            .or_else(|| {
                next_field(NEXT_CURSORS).map(|field| PageAdvance::Cursor {
                    parameter: parameter.clone(),
                    field,
                })
            }) {
        advance
    } else if let Some((parameter, _)) = find(KEYSET_PARAMETERS)
        && let Some(field) = struct_fields(types, &item_type)
            .and_then(|fields| fields.iter().find(|field| field.wire_name == "id"))
    {
        PageAdvance::LastItem {
            parameter,
            field: field.rust_name.clone(),
        }
    } else if let Some((parameter, ty)) = find(PAGE_PARAMETERS)
        && is_number(ty)
    {
        PageAdvance::PageNumber { parameter }
    } else if let Some((parameter, ty)) = find(OFFSET_PARAMETERS)
        && is_number(ty)
    {
        PageAdvance::Offset { parameter }
    } else {
        return None;
    };
    Some(Pagination {
        method_name: method_scope.claim(&format!(
            "{}_stream",
            operation.method_name.trim_start_matches("r#")
        )),
        items_field,
        item_type,
        next,
    })
}
