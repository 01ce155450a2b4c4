//! Webhooks: the requests an API sends to its users (OpenAPI 3.1's `webhooks`, which the loader
//! keeps under the document's `x-webhooks` extension in the 3.0 shape). The client never makes
//! these requests, so they get no method; but users receive, verify and decode them, so the
//! payload of each (its request body) is a named type, documented as that webhook's payload,
//! and used as servers send it.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem};

use super::Lowerer;
use super::operations::pick_media;
use crate::diagnostics::pointer_push;
use crate::load::grammar::WEBHOOKS;
use crate::model::{TypeDef, TypeKind, TypeRef, Usage};
use crate::naming;

/// The webhooks of a document, read from its extension.
pub(super) struct Webhooks {
    items: IndexMap<String, PathItem>,
    /// Webhooks that do not read as path items: name and why.
    unreadable: Vec<(String, String)>,
}

impl Webhooks {
    /// The webhooks of `document`.
    pub(super) fn read(document: &OpenAPI) -> Self {
        let mut webhooks = Self {
            items: IndexMap::new(),
            unreadable: Vec::new(),
        };
        let entries = document
            .extensions
            .get(WEBHOOKS)
            .and_then(serde_json::Value::as_object);
        for (name, item) in entries.into_iter().flatten() {
            match serde_json::from_value::<PathItem>(item.clone()) {
                Ok(item) => {
                    webhooks.items.insert(name.clone(), item);
                }
                Err(error) => webhooks.unreadable.push((name.clone(), error.to_string())),
            }
        }
        webhooks
    }

    /// Lowers every webhook's payload into a named type; returns the payload types.
    pub(super) fn lower<'a>(&'a self, lowerer: &mut Lowerer<'a>) -> Vec<TypeRef> {
        let root = pointer_push("#", WEBHOOKS);
        for (name, why) in &self.unreadable {
            lowerer.skip(
                &pointer_push(&root, name),
                format!("this webhook is not a path item ({why}); its payload type is left out"),
            );
        }
        let mut payloads = Vec::new();
        for (name, item) in &self.items {
            let several = item.iter().count() > 1;
            for (method, operation) in item.iter() {
                let Some(body) = &operation.request_body else {
                    continue;
                };
                let pointer = pointer_push(&pointer_push(&root, name), method);
                let body_pointer = pointer_push(&pointer, "requestBody");
                let Some((body, resolved_pointer)) =
                    lowerer.resolve_request_body(body, &body_pointer)
                else {
                    continue;
                };
                let Some((content_type, media, encoding)) = pick_media(&body.content) else {
                    continue;
                };
                let prefix = match &operation.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ if several => format!("{name} {method}"),
                    _ => name.clone(),
                };
                let hint = format!("{}Payload", naming::type_ident(&prefix));
                let schema_pointer = pointer_push(
                    &pointer_push(&pointer_push(&resolved_pointer, "content"), content_type),
                    "schema",
                );
                let ty = lowerer.body_type(media, encoding, &hint, &schema_pointer);
                let note = format!(
                    "The payload of the `{name}` webhook, which the API sends as a `{}` request \
                     to an address its users give.",
                    method.to_ascii_uppercase()
                );
                payloads.push(document_payload(lowerer, ty, &hint, &schema_pointer, &note));
            }
        }
        payloads
    }
}

/// Says in the docs of the payload type `ty` that it is a webhook's payload (`note`); a payload
/// that is not a named type gets one, called `hint`. Returns the named type.
fn document_payload(
    lowerer: &mut Lowerer<'_>,
    ty: TypeRef,
    hint: &str,
    pointer: &str,
    note: &str,
) -> TypeRef {
    if let TypeRef::Named(name) = &ty
        && let Some(definition) = lowerer.types.iter_mut().find(|d| &d.name == name)
    {
        definition.docs = Some(match definition.docs.take() {
            Some(docs) => format!("{docs}\n\n{note}"),
            None => note.to_owned(),
        });
        return ty;
    }
    let name = lowerer.claim_type_name(hint);
    lowerer.types.push(TypeDef {
        name: name.clone(),
        origin: pointer.to_owned(),
        docs: Some(note.to_owned()),
        deprecated: false,
        usage: Usage::default(),
        features: Vec::new(),
        kind: TypeKind::Alias(ty),
    });
    TypeRef::Named(name)
}
