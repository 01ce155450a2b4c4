//! The conformance and round-trip harness: a binary crate that drives a generated client.
//!
//! [`harness`] emits, from the [model](crate::model), a crate with:
//! - `src/main.rs`: the hand-written runner (`generator/harness/runner.rs`): it loads the call
//!   plan and the schema instances, talks to the mock server through a relay that records the
//!   `sl-violations` header of every response, and prints the results;
//! - `src/calls.rs`: one function per operation that converts the sampled argument values with
//!   `serde_json::from_value` into the typed arguments and calls the typed client method;
//! - `src/schemas.rs`: every component schema's JSON pointer, with a function that decodes an
//!   instance into the schema's Rust type and encodes it back.
//!
//! The harness depends on the client crate under the fixed name `client`.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::emit::{Passing, ident, rust_type};
use crate::model::{
    Api, Argument, BodyEncoding, Operation, ParameterLocation, TypeDef, TypeRef, resolve_aliases,
};

/// The runner, copied into the harness as `src/main.rs`.
const RUNNER: &str = include_str!("../harness/runner.rs");

/// The prefix of the JSON pointers of component schemas.
const COMPONENT_SCHEMAS: &str = "#/components/schemas/";

/// What the harness crate is called and where its client is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HarnessOptions {
    /// The harness's package name.
    pub crate_name: String,
    /// The client's package name, as in its `Cargo.toml`.
    pub client_package: String,
    /// The client crate's directory, as written in the harness's `Cargo.toml` (relative to the
    /// harness's directory, or absolute).
    pub client_path: String,
}

/// Every file of the harness crate for `api`, by path relative to the crate root.
pub fn harness(
    api: &Api,
    options: &HarnessOptions,
) -> Result<BTreeMap<PathBuf, String>, Diagnostics> {
    let types: HashMap<&str, &TypeDef> = api
        .types
        .iter()
        .map(|definition| (definition.name.as_str(), definition))
        .collect();
    let mut files = BTreeMap::new();
    files.insert(PathBuf::from("Cargo.toml"), cargo_toml(options));
    files.insert(PathBuf::from("src/main.rs"), RUNNER.to_owned());
    files.insert(
        PathBuf::from("src/calls.rs"),
        format("src/calls.rs", calls_rs(api, &types))?,
    );
    files.insert(
        PathBuf::from("src/schemas.rs"),
        format("src/schemas.rs", schemas_rs(api))?,
    );
    Ok(files)
}

fn cargo_toml(options: &HarnessOptions) -> String {
    let escape = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n\
         client = {{ package = \"{client}\", path = \"{path}\", features = [\"serde-both-ways\"] }}\n\
         chrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\n\
         reqwest = \"0.13\"\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n\
         serde_path_to_error = \"0.1\"\n\
         tokio = {{ version = \"1\", features = [\"io-util\", \"macros\", \"net\", \"rt\", \"time\"] }}\n\
         uuid = {{ version = \"1\", features = [\"serde\"] }}\n",
        name = escape(&options.crate_name),
        client = escape(&options.client_package),
        path = escape(&options.client_path),
    )
}

/// Prints generated tokens as a Rust file.
fn format(path: &str, tokens: TokenStream) -> Result<String, Diagnostics> {
    let file: syn::File = syn::parse2(tokens).map_err(|error| {
        Diagnostics(vec![Diagnostic::error_at(
            "harness",
            "#",
            format!("internal error: generated {path} does not parse ({error}); please report it"),
        )])
    })?;
    Ok(prettyplease::unparse(&file))
}

/// `src/calls.rs`: one function per operation, a table of them, and how to authenticate.
fn calls_rs(api: &Api, types: &HashMap<&str, &TypeDef>) -> TokenStream {
    let functions = api.operations.iter().enumerate().map(|(index, operation)| {
        let function = format_ident!("call_{index}");
        let method = ident(&operation.method_name);
        let (bindings, arguments) = call_arguments(types, operation);
        let call = if bindings.is_empty() {
            format_ident!("_call")
        } else {
            format_ident!("call")
        };
        quote! {
            fn #function<'a>(client: &'a Client, #call: &'a crate::Call) -> crate::CallFuture<'a> {
                Box::pin(async move {
                    #(#bindings)*
                    Ok(crate::outcome(client.#method(#(#arguments),*).await))
                })
            }
        }
    });
    let entries = api.operations.iter().enumerate().map(|(index, operation)| {
        let function = format_ident!("call_{index}");
        let key = format!("{} {}", operation.http_method, operation.path);
        let id = &operation.id;
        quote!(crate::Operation { key: #key, id: #id, call: #function },)
    });
    let authenticate = match api.security_schemes.first() {
        Some(scheme) => {
            let method = ident(&scheme.method_name);
            match scheme.kind {
                crate::model::SecurityKind::Basic => {
                    quote!(builder.#method("conformance", "conformance"))
                }
                _ => quote!(builder.#method("conformance-token")),
            }
        }
        None => quote!(builder),
    };
    quote! {
        //! One function per operation: it converts the sampled values into the typed arguments
        //! and calls the client method.
        #![allow(deprecated, reason = "deprecated operations are checked too")]

        use client::*;

        /// Every operation of the client, in the client's order.
        pub(crate) const OPERATIONS: &[crate::Operation] = &[#(#entries)*];

        /// Sets the first credential the spec defines; the mock server only checks its presence.
        pub(crate) fn authenticate(builder: ClientBuilder) -> ClientBuilder {
            #authenticate
        }

        #(#functions)*
    }
}

/// The statements that make each argument from the call plan, and the arguments as passed, in
/// the method's parameter order.
///
/// This is the one place that knows the operation methods' signatures: path parameters in path
/// order, the body, required query and header parameters, then optional ones (left `None`).
fn call_arguments(
    types: &HashMap<&str, &TypeDef>,
    operation: &Operation,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut bindings = Vec::new();
    let mut arguments = Vec::new();
    let mut bind = |ty: TokenStream, source: TokenStream, by_value: bool| {
        let name = format_ident!("argument_{}", bindings.len());
        bindings.push(quote!(let #name: #ty = #source?;));
        if by_value {
            quote!(#name)
        } else {
            quote!(&#name)
        }
    };
    let parameter_source = |parameter: &crate::model::Parameter| {
        let wire = &parameter.wire_name;
        match parameter.location {
            ParameterLocation::Path => quote!(call.path(#wire)),
            ParameterLocation::Query => quote!(call.query(#wire)),
            ParameterLocation::Header => quote!(call.header(#wire)),
        }
    };
    for argument in &operation.arguments {
        let passed = match argument {
            Argument::Parameter(rust_name) => {
                let Some(parameter) = operation
                    .parameters
                    .iter()
                    .find(|parameter| &parameter.rust_name == rust_name)
                else {
                    continue;
                };
                if !parameter.required {
                    // Optional parameters are left out, as with default options.
                    arguments.push(quote!(None));
                    continue;
                }
                bind(
                    rust_type(&parameter.ty),
                    parameter_source(parameter),
                    by_value(types, &parameter.ty),
                )
            }
            Argument::Body => {
                let Some(body) = &operation.body else {
                    continue;
                };
                match body.encoding {
                    BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => bind(
                        rust_type(&body.ty),
                        quote!(call.body()),
                        by_value(types, &body.ty),
                    ),
                    BodyEncoding::Text => bind(quote!(String), quote!(call.text_body()), false),
                    BodyEncoding::Bytes => bind(quote!(Vec<u8>), quote!(call.bytes_body()), true),
                }
            }
            Argument::Options => quote!(Default::default()),
        };
        arguments.push(passed);
    }
    (bindings, arguments)
}

/// Whether the client method takes a value of `ty` by value (small `Copy` types and byte
/// buffers) rather than by reference (`&str`, `&[T]`, `&T`): the rule the method's signature
/// follows.
fn by_value(types: &HashMap<&str, &TypeDef>, ty: &TypeRef) -> bool {
    let resolved = resolve_aliases(ty, |name| {
        types.get(name).map(|definition| &definition.kind)
    });
    Passing::of(resolved) == Passing::Value
}

/// `src/schemas.rs`: each component schema's pointer and its Rust type's round trip.
fn schemas_rs(api: &Api) -> TokenStream {
    let entries = api
        .types
        .iter()
        .filter(|definition| {
            definition
                .origin
                .strip_prefix(COMPONENT_SCHEMAS)
                .is_some_and(|key| !key.contains('/'))
        })
        .map(|definition| {
            let pointer = &definition.origin;
            let name = ident(&definition.name);
            quote!(crate::Schema { pointer: #pointer, round_trip: crate::round_trip::<#name> },)
        })
        .collect::<Vec<_>>();
    let import = (!entries.is_empty()).then(|| {
        quote!(
            use client::*;
        )
    });
    quote! {
        //! Every component schema's JSON pointer and the round trip through its Rust type.

        #import

        /// The component schemas, in spec order.
        pub(crate) const SCHEMAS: &[crate::Schema] = &[#(#entries)*];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_spec_gives_a_harness_that_parses() {
        let text = include_str!("../../spec/openapi.yaml");
        let options = crate::Options::new("qovery-client").spec_file("spec/openapi.yaml");
        let (api, _) = crate::lower_spec(text, &options).expect("the default spec lowers");
        let files = harness(
            &api,
            &HarnessOptions {
                crate_name: "harness".to_owned(),
                client_package: "qovery-client".to_owned(),
                client_path: "../client".to_owned(),
            },
        )
        .expect("the harness is generated");
        let calls = &files[&PathBuf::from("src/calls.rs")];
        assert!(
            calls.contains("client.create_organization(&argument_0)"),
            "{calls}"
        );
        assert!(calls.contains("key: \"POST /organization\""), "{calls}");
        let schemas = &files[&PathBuf::from("src/schemas.rs")];
        assert!(
            schemas.contains("pointer: \"#/components/schemas/Organization\""),
            "{schemas}"
        );
        assert!(
            schemas.contains("round_trip: crate::round_trip::<Organization>"),
            "{schemas}"
        );
        assert!(files[&PathBuf::from("Cargo.toml")].contains("package = \"qovery-client\""));
    }

    const PARAMETERS_SPEC: &str = r#"
openapi: 3.0.0
info: {title: Things, version: 1.0.0}
paths:
  /things/{thingId}:
    put:
      operationId: putThing
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string, format: uuid}}
        - {name: mode, in: query, required: true, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
      requestBody:
        content:
          text/plain:
            schema: {type: string}
      responses:
        '204': {description: done}
"#;

    #[test]
    fn arguments_follow_the_method_signature() {
        let options = crate::Options::new("things").spec_file("things.yaml");
        let (api, _) = crate::lower_spec(PARAMETERS_SPEC, &options).expect("the spec lowers");
        let files = harness(
            &api,
            &HarnessOptions {
                crate_name: "harness".to_owned(),
                client_package: "things".to_owned(),
                client_path: "../things".to_owned(),
            },
        )
        .expect("the harness is generated");
        let calls = &files[&PathBuf::from("src/calls.rs")];
        for expected in [
            "let argument_0: uuid::Uuid = call.path(\"thingId\")?;",
            "let argument_1: String = call.query(\"mode\")?;",
            "let argument_2: String = call.header(\"X-Trace\")?;",
            "let argument_3: String = call.text_body()?;",
            "key: \"PUT /things/{thingId}\"",
        ] {
            assert!(calls.contains(expected), "missing `{expected}` in\n{calls}");
        }
        let compact: String = calls.split_whitespace().collect();
        assert!(
            compact.contains(
                ".put_thing(argument_0,&argument_1,&argument_2,&argument_3,Default::default(),)"
            ),
            "the call passes path, query, header, body, options in order:\n{calls}"
        );
        assert!(!files[&PathBuf::from("src/schemas.rs")].contains("use client"));
    }
}
