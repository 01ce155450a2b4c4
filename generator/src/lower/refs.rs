//! Resolution of `$ref`s to components: the loader has made every `$ref` point at one.

use openapiv3::{Parameter, ReferenceOr, RequestBody, Response, Schema};

use super::Lowerer;

/// The component key named by a reference of the form `#/components/<section>/<key>`.
pub(super) fn component_key(reference: &str, section: &str) -> Option<String> {
    match crate::load::pointer::parse(reference)?.as_slice() {
        [components, found, key] if components == "components" && found == section => {
            Some(key.clone())
        }
        _ => None,
    }
}

impl<'a> Lowerer<'a> {
    /// Reports a reference that cannot be followed; `pointer` is where the `$ref` stands and
    /// `consequence` says what the generator does instead ("the value is kept as any JSON
    /// value"). `skipped` tells whether something is left out of the client.
    pub(super) fn dangling(
        &mut self,
        pointer: &str,
        reference: &str,
        consequence: &str,
        skipped: bool,
    ) {
        let problem = if reference.starts_with('#') {
            format!("`$ref: {reference}` points at nothing in this document")
        } else {
            format!("`$ref: {reference}` points outside this document and could not be read")
        };
        let message = format!("{problem}; {consequence}");
        if skipped {
            self.skip(pointer, message);
        } else {
            self.warn(pointer, message);
        }
    }

    /// Follows schema references until an inline schema, returning it with its own pointer.
    /// `consequence` says what happens when the chain points at nothing.
    pub(super) fn resolve_schema(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
        consequence: &str,
    ) -> Option<(&'a Schema, String)> {
        self.resolve_component(
            schema,
            pointer,
            "schemas",
            consequence,
            false,
            |components| &components.schemas,
        )
    }

    /// Resolves a parameter reference to `#/components/parameters/…` (the loader has moved every
    /// parameter a `$ref` points at there).
    pub(super) fn resolve_parameter(
        &mut self,
        parameter: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<&'a Parameter> {
        let mut current = parameter;
        for _ in 0..64 {
            let reference = match current {
                ReferenceOr::Item(item) => return Some(item),
                ReferenceOr::Reference { reference } => reference,
            };
            let target = component_key(reference, "parameters").and_then(|key| {
                self.document
                    .components
                    .as_ref()
                    .and_then(|components| components.parameters.get(&key))
            });
            match target {
                Some(next) => current = next,
                None => {
                    self.dangling(pointer, reference, "the parameter is left out", true);
                    return None;
                }
            }
        }
        self.skip(
            pointer,
            "the `$ref` chain does not end (a cycle of parameters); the parameter is left out",
        );
        None
    }

    /// Resolves a request body reference to `#/components/requestBodies/…`. An operation
    /// without its body cannot be called correctly, so a dangling one skips the operation.
    pub(super) fn resolve_request_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        pointer: &str,
    ) -> Option<(&'a RequestBody, String)> {
        let consequence = "the operation, which cannot be called without its body, is left out";
        self.resolve_component(
            body,
            pointer,
            "requestBodies",
            consequence,
            true,
            |components| &components.request_bodies,
        )
    }

    /// Resolves a response reference to `#/components/responses/…`.
    pub(super) fn resolve_response(
        &mut self,
        response: &'a ReferenceOr<Response>,
        pointer: &str,
    ) -> Option<(&'a Response, String)> {
        let consequence = "the response is left out, so its status is an unexpected one";
        self.resolve_component(
            response,
            pointer,
            "responses",
            consequence,
            false,
            |components| &components.responses,
        )
    }

    fn resolve_component<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        pointer: &str,
        section: &str,
        consequence: &str,
        skipped: bool,
        map: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'a T, String)> {
        let mut current = item;
        let mut current_pointer = pointer.to_owned();
        for _ in 0..64 {
            let reference = match current {
                ReferenceOr::Item(item) => return Some((item, current_pointer)),
                ReferenceOr::Reference { reference } => reference,
            };
            let target = component_key(reference, section).and_then(|key| {
                self.document
                    .components
                    .as_ref()
                    .and_then(|components| map(components).get(&key))
            });
            match target {
                Some(next) => {
                    current_pointer = format!("#{}", &reference[1..]);
                    current = next;
                }
                None => {
                    self.dangling(pointer, reference, consequence, skipped);
                    return None;
                }
            }
        }
        let message = format!("the `$ref` chain does not end (a cycle); {consequence}");
        if skipped {
            self.skip(pointer, message);
        } else {
            self.warn(pointer, message);
        }
        None
    }
}
