//! `src/client.rs` (base URL and credentials) and `src/operations/` (one method per operation,
//! with its options, success and error types, in one module per tag).
//!
//! A method describes its request as data (a `Request` and a static `Endpoint`) and hands it to
//! the runtime's one pipeline; a plain function per operation decodes the response by status.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc_lines, inline_rustdoc, markdown_to_rustdoc};
use super::{Context, FileShare, chaining_setter, ident, rust_type};
use crate::naming;
use std::collections::BTreeMap;

use crate::model::{
    Argument, BodyEncoding, FormField, ListFormat, Operation, PageAdvance, Parameter,
    ParameterLocation, PathPart, Presence, RequestBody, Response, ResponseBody, SecurityKind,
    SharedError, StatusPattern, SuccessType, TypeKind, TypeRef,
};

/// How an argument of a given type is passed to an operation method.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Passing {
    /// `&str`.
    Str,
    /// `&[T]`.
    Slice,
    /// By value (small `Copy` types, and owned byte buffers).
    Value,
    /// `&T`.
    Reference,
}

impl Passing {
    /// How a value of `resolved`, a type with its aliases followed, is passed.
    pub(crate) fn of(resolved: &TypeRef) -> Self {
        match resolved {
            TypeRef::String => Self::Str,
            TypeRef::List(_) => Self::Slice,
            TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::Bytes => Self::Value,
            _ => Self::Reference,
        }
    }
}

pub(super) fn passing(context: &Context<'_>, ty: &TypeRef) -> Passing {
    Passing::of(context.resolve(ty))
}

/// The argument type for a value of `ty`.
pub(super) fn argument_type(context: &Context<'_>, ty: &TypeRef) -> TokenStream {
    let resolved = context.resolve(ty);
    match (passing(context, ty), resolved) {
        (Passing::Str, _) => quote!(&str),
        (Passing::Slice, TypeRef::List(item)) => {
            let item = rust_type(item);
            quote!(&[#item])
        }
        (Passing::Value, _) => rust_type(ty),
        _ => {
            let ty = rust_type(ty);
            quote!(&#ty)
        }
    }
}

/// An expression turning `value` (as passed) into the text sent in a path, query or header.
fn to_text(context: &Context<'_>, ty: &TypeRef, value: &TokenStream) -> TokenStream {
    match context.resolve(ty) {
        TypeRef::DateTime => quote!(#value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
        TypeRef::Named(_) | TypeRef::Boxed(_) | TypeRef::Map(_) | TypeRef::Nullable(_) => {
            quote!(crate::runtime::json_text(&#value))
        }
        _ => quote!(#value.to_string()),
    }
}

/// Whether a named type prints as its wire text (string enums do; structs are sent as JSON).
fn is_text_named(context: &Context<'_>, ty: &TypeRef) -> bool {
    match context.resolve(ty) {
        TypeRef::Named(name) => matches!(
            context
                .types
                .get(name.as_str())
                .map(|definition| &definition.kind),
            Some(crate::model::TypeKind::StringEnum(_) | crate::model::TypeKind::IntEnum(_))
        ),
        _ => false,
    }
}

fn text_of(context: &Context<'_>, ty: &TypeRef, value: &TokenStream) -> TokenStream {
    if is_text_named(context, ty) {
        quote!(#value.to_string())
    } else {
        to_text(context, ty, value)
    }
}

/// `src/client.rs`: the default base URL, the API's description for the runtime (its security
/// schemes and the environment variable a credential comes from), and one builder method per
/// security scheme.
pub(super) fn client_rs(context: &Context<'_>) -> TokenStream {
    let api = context.api;
    let base_url = api.base_url.clone().unwrap_or_default();
    let base_url_docs = if api.base_url.is_some() {
        " The server the spec names; change it with [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).".to_owned()
    } else {
        " The spec names no server: set one with [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).".to_owned()
    };
    let env_scheme = api
        .security_schemes
        .iter()
        .find_map(|scheme| Some((scheme, scheme.env_var.as_deref()?)));
    let methods = api.security_schemes.iter().map(|scheme| {
        let name = ident(&scheme.method_name);
        let key = &scheme.key;
        let (summary, arguments, body) = match &scheme.kind {
            SecurityKind::Bearer => (
                "`Authorization: Bearer <token>`".to_owned(),
                quote!(token: impl Into<crate::runtime::Credential>),
                quote!(self.credential(#key, None, token.into())),
            ),
            SecurityKind::Basic => (
                "`Authorization: Basic <base64(user:password)>`".to_owned(),
                quote!(user: impl Into<String>, password: impl Into<crate::runtime::Credential>),
                quote!(self.credential(#key, Some(user.into()), password.into())),
            ),
            SecurityKind::ApiKeyHeader { header, prefix } => {
                let prefix_text = prefix.as_ref().map(|p| format!("{p} ")).unwrap_or_default();
                (
                    format!("`{header}: {prefix_text}<key>`"),
                    quote!(key: impl Into<crate::runtime::Credential>),
                    quote!(self.credential(#key, None, key.into())),
                )
            }
            SecurityKind::ApiKeyQuery { parameter } => (
                format!("the query parameter `{parameter}=<key>`"),
                quote!(key: impl Into<crate::runtime::Credential>),
                quote!(self.credential(#key, None, key.into())),
            ),
        };
        let first = format!(
            " Authenticates with `{}`: sends {summary} with every request that needs it.",
            scheme.key
        );
        let mut lines = vec![first];
        if let Some(docs) = &scheme.docs {
            lines.push(String::new());
            lines.extend(markdown_to_rustdoc(docs).into_iter().map(|line| {
                if line.is_empty() {
                    line
                } else {
                    format!(" {line}")
                }
            }));
        }
        lines.push(String::new());
        lines.push(
            " The credential is fixed, a [`SharedToken`](crate::SharedToken) that can be \
             replaced while the client runs, or a [`CredentialProvider`](crate::CredentialProvider). \
             It replaces a credential set before for a scheme sent in the same place."
                .to_owned(),
        );
        if let Some(variable) = &scheme.env_var {
            lines.push(String::new());
            lines.push(format!(
                " Without a credential set in code, [`ClientBuilder::build`](crate::ClientBuilder::build) reads this one from \
                 `{variable}` ([`CREDENTIAL_ENV_VAR`])."
            ));
        }
        let docs = lines.iter().map(|line| quote!(#[doc = #line]));
        quote! {
            #(#docs)*
            pub fn #name(self, #arguments) -> Self {
                #body
            }
        }
    });
    let builder_impl = (!api.security_schemes.is_empty()).then(|| {
        quote! {
            impl crate::runtime::ClientBuilder {
                #(#methods)*
            }
        }
    });
    let schemes = api.security_schemes.iter().map(|scheme| {
        let key = &scheme.key;
        let kind = match &scheme.kind {
            SecurityKind::Bearer => quote!(crate::runtime::SchemeKind::Bearer),
            SecurityKind::Basic => quote!(crate::runtime::SchemeKind::Basic),
            SecurityKind::ApiKeyHeader { header, prefix } => {
                let prefix_text = prefix.as_ref().map(|p| format!("{p} ")).unwrap_or_default();
                quote!(crate::runtime::SchemeKind::Header { name: #header, prefix: #prefix_text })
            }
            SecurityKind::ApiKeyQuery { parameter } => {
                quote!(crate::runtime::SchemeKind::Query { name: #parameter })
            }
        };
        quote!(crate::runtime::Scheme { key: #key, kind: #kind })
    });
    let (env_const, env_credential) = match env_scheme {
        Some((scheme, variable)) => {
            let docs = format!(
                " The environment variable [`ClientBuilder::build`](crate::ClientBuilder::build) reads the `{}` credential from \
                 when none is set in code; [`ClientBuilder::credential_env_var`](crate::ClientBuilder::credential_env_var) names another.",
                scheme.key
            );
            let key = &scheme.key;
            (
                Some(quote! {
                    #[doc = #docs]
                    pub const CREDENTIAL_ENV_VAR: &str = #variable;
                }),
                quote!(Some(crate::runtime::EnvCredential { variable: CREDENTIAL_ENV_VAR, scheme: #key })),
            )
        }
        None => (None, quote!(None)),
    };
    quote! {
        //! Setting up a [`Client`](crate::Client): the server and the credentials.

        #[doc = #base_url_docs]
        pub const DEFAULT_BASE_URL: &str = #base_url;

        #env_const

        /// What the runtime needs to know about the API: its server, its security schemes and the
        /// environment variable a credential can come from.
        pub(crate) static API: crate::runtime::ApiDescription = crate::runtime::ApiDescription {
            base_url: DEFAULT_BASE_URL,
            schemes: &[#(#schemes),*],
            env_credential: #env_credential,
        };

        #builder_impl
    }
}

/// The files under `src/operations/`: `mod.rs`, which re-exports everything, and one module per
/// tag with its methods and their options, success and error types. Paths are relative to the
/// crate root. Only the files `share` takes are built.
pub(super) fn operations_files(
    context: &Context<'_>,
    share: &mut FileShare,
) -> Vec<(String, TokenStream)> {
    let mut modules: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for operation in &context.api.operations {
        modules
            .entry(operation.module.as_str())
            .or_default()
            .push(operation);
    }
    let names: Vec<Ident> = modules.keys().map(|module| ident(module)).collect();
    let gates: Vec<TokenStream> = modules
        .keys()
        .map(|module| {
            let feature = context
                .api
                .features
                .iter()
                .find(|feature| feature.module == *module)
                .map(|feature| std::collections::BTreeSet::from([feature.name.clone()]));
            context.cfg_features(feature.as_ref())
        })
        .collect();
    let module_docs = if modules.is_empty() {
        quote! {
            //! The spec defines no operations.
        }
    } else {
        quote! {
            //! One method per operation on [`Client`](crate::Client), with its options, success
            //! and error types. The operations are split into one module per tag, each compiled
            //! with its tag's cargo feature, and all re-exported here.
        }
    };
    let shared_module = shared_errors_module(context);
    let mut files = Vec::new();
    if share.takes_next() {
        files.push((
            "src/operations/mod.rs".to_owned(),
            quote! {
                #module_docs
                #(
                    #gates
                    #[rustfmt::skip]
                    mod #names;
                )*
                #shared_module
                #(
                    #gates
                    pub use self::#names::*;
                )*
            },
        ));
    }
    for (module, operations) in modules {
        if share.takes_next() {
            let file = format!("src/operations/{}.rs", module.trim_start_matches("r#"));
            files.push((file, module_rs(context, &operations)));
        }
    }
    if !context.api.shared_errors.is_empty() && share.takes_next() {
        files.push((
            format!("src/operations/{}.rs", naming::SHARED_ERRORS_MODULE),
            shared_errors_rs(context),
        ));
    }
    files
}

/// The declaration and re-export of the module of shared error enums, compiled with any of
/// their features (always, when one of them always is); nothing when no enum is shared.
fn shared_errors_module(context: &Context<'_>) -> Option<TokenStream> {
    let shared_errors = &context.api.shared_errors;
    if shared_errors.is_empty() {
        return None;
    }
    let always = shared_errors
        .iter()
        .any(|shared| shared.features.is_empty());
    let features: std::collections::BTreeSet<String> = shared_errors
        .iter()
        .flat_map(|shared| shared.features.iter().cloned())
        .collect();
    let gate = context.cfg_features((!always).then_some(&features));
    let name = ident(naming::SHARED_ERRORS_MODULE);
    Some(quote! {
        #gate
        #[rustfmt::skip]
        mod #name;
        #gate
        pub use self::#name::*;
    })
}

/// One tag's module: its operation methods and their types.
fn module_rs(context: &Context<'_>, operations: &[&Operation]) -> TokenStream {
    let module_doc = match operations
        .first()
        .and_then(|operation| operation.tag.as_deref())
    {
        Some(tag) => format!(" The operations tagged `{tag}`."),
        None => " The operations without a tag.".to_owned(),
    };
    let types_import = (!context.api.types.is_empty()).then(|| {
        quote!(
            #[allow(unused_imports)]
            use crate::types::*;
        )
    });
    let methods = operations
        .iter()
        .map(|operation| method(context, operation));
    let streams = operations
        .iter()
        .filter_map(|operation| stream_method(context, operation));
    let decoders = operations.iter().map(|operation| decode_fn(operation));
    let options = operations
        .iter()
        .filter_map(|operation| options_struct(context, operation));
    let success_types = operations
        .iter()
        .filter_map(|operation| success_enum(operation));
    let error_types = operations.iter().map(|operation| error_type(operation));
    quote! {
        #![doc = #module_doc]
        use crate::runtime::{Client, Error, RawResponse};
        #types_import

        impl Client {
            #(#methods)*
            #(#streams)*
        }

        #(#decoders)*
        #(#options)*
        #(#success_types)*
        #(#error_types)*
    }
}

fn operation_docs(operation: &Operation) -> TokenStream {
    let mut text = String::new();
    for part in [&operation.summary, &operation.description]
        .into_iter()
        .flatten()
    {
        if !part.trim().is_empty() {
            text.push_str(part.trim());
            text.push_str("\n\n");
        }
    }
    text.push_str(&format!(
        "`{} {}` (`{}`)",
        operation.http_method, operation.path, operation.id
    ));
    let mut lines = markdown_to_rustdoc(&text);
    let documented: Vec<&Parameter> = operation
        .parameters
        .iter()
        .filter(|parameter| {
            (parameter.required || operation.options_type.is_none()) && parameter.docs.is_some()
        })
        .collect();
    if !documented.is_empty() {
        lines.push(String::new());
        lines.push("Parameters:".to_owned());
        for parameter in documented {
            let docs = parameter.docs.as_deref().unwrap_or_default();
            let docs = inline_rustdoc(docs);
            lines.push(format!(
                "- `{}`: {docs}",
                parameter.rust_name.trim_start_matches("r#")
            ));
        }
    }
    if let Some(options) = &operation.options_type {
        lines.push(String::new());
        lines.push(format!(
            "The optional parameters go in `options`: see [`{options}`]."
        ));
    }
    doc_lines(&lines)
}

/// The method's arguments after `&self`, as declared, and their names.
fn method_arguments(context: &Context<'_>, operation: &Operation) -> Vec<(Ident, TokenStream)> {
    operation
        .arguments
        .iter()
        .filter_map(|argument| match argument {
            Argument::Parameter(rust_name) => {
                let parameter = find_parameter(operation, rust_name)?;
                let ty = argument_type(context, &parameter.ty);
                let ty = if parameter.required {
                    ty
                } else {
                    quote!(Option<#ty>)
                };
                Some((ident(rust_name), ty))
            }
            Argument::Body => {
                let body = operation.body.as_ref()?;
                let ty = match body.encoding {
                    BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
                        argument_type(context, &body.ty)
                    }
                    BodyEncoding::Text => argument_type(context, &TypeRef::String),
                    BodyEncoding::Bytes => quote!(impl Into<crate::runtime::Body>),
                };
                Some((ident("body"), ty))
            }
            Argument::Options => {
                let options = ident(operation.options_type.as_deref()?);
                Some((ident("options"), quote!(#options)))
            }
        })
        .collect()
}

/// The statements that encode a form or multipart body, field by field from the body struct's
/// fields, and set it on `request`.
fn form_body(context: &Context<'_>, body: &RequestBody) -> TokenStream {
    let content_type = &body.content_type;
    let multipart = body.encoding == BodyEncoding::Multipart;
    let new = if multipart {
        quote!(crate::runtime::Form::multipart(#content_type))
    } else {
        quote!(crate::runtime::Form::urlencoded(#content_type))
    };
    let fields: Vec<TokenStream> = body
        .fields
        .iter()
        .map(|field| form_field(context, field, multipart))
        .collect();
    let mutable = (!fields.is_empty()).then(|| quote!(mut));
    quote! {
        let #mutable form = #new;
        #(#fields)*
        let (content_type, encoded) = form.encode();
        request = request.body(content_type, encoded);
    }
}

/// The statements that add one field of a form body, when the struct field holds a value.
fn form_field(context: &Context<'_>, field: &FormField, multipart: bool) -> TokenStream {
    let member = ident(&field.rust_name);
    let add = form_value(context, field, &field.ty, &quote!(value), multipart);
    match field.presence {
        Presence::Required => quote! {{
            let value = &body.#member;
            #add
        }},
        Presence::RequiredNullable | Presence::Optional => quote! {
            if let Some(value) = &body.#member {
                #add
            }
        },
        Presence::OptionalNullable => quote! {
            if let crate::Nullable::Value(value) = &body.#member {
                #add
            }
        },
    }
}

/// The statement that adds `value`, of type `ty`, as the form field `field`: one field per
/// item of a list (or one field with the items joined, as the field's list format says), a file
/// as a file, an object as JSON text (a part of type `application/json` in a multipart body).
fn form_value(
    context: &Context<'_>,
    field: &FormField,
    ty: &TypeRef,
    value: &TokenStream,
    multipart: bool,
) -> TokenStream {
    let wire = &field.wire_name;
    let declared = field.content_type.as_deref();
    let resolved = context.resolve(ty).clone();
    match (&resolved, &field.list_format) {
        (TypeRef::File, _) => {
            let content_type = match declared {
                Some(content_type) => quote!(Some(#content_type)),
                None => quote!(None),
            };
            quote!(form.file(#wire, #value, #content_type);)
        }
        (TypeRef::List(item), ListFormat::Repeated) => {
            let add = form_value(context, field, item, &quote!(item), multipart);
            quote! {
                for item in #value.iter() {
                    #add
                }
            }
        }
        (TypeRef::Nullable(inner), _) => {
            let add = form_value(context, field, inner, &quote!(inner), multipart);
            quote! {
                if let Some(inner) = #value {
                    #add
                }
            }
        }
        (TypeRef::List(_), ListFormat::Delimited(separator)) => {
            let text = joined_or_text(context, ty, value, separator);
            quote!(form.text(#wire, #text);)
        }
        _ => {
            let text = text_of(context, ty, value);
            let object = matches!(resolved, TypeRef::Map(_) | TypeRef::Json)
                || (matches!(resolved, TypeRef::Named(_) | TypeRef::Boxed(_))
                    && !is_text_named(context, ty));
            let part_type = declared.or((multipart && object).then_some("application/json"));
            match part_type.filter(|_| multipart) {
                Some(content_type) => quote!(form.typed_text(#wire, #text, #content_type);),
                None => quote!(form.text(#wire, #text);),
            }
        }
    }
}

/// The name of the function that decodes an operation's responses.
fn decode_name(operation: &Operation) -> Ident {
    ident(&format!(
        "decode_{}",
        operation.method_name.trim_start_matches("r#")
    ))
}

/// Whether a header parameter is an idempotency key, which makes retrying the operation safe.
fn is_idempotency_key(parameter: &Parameter) -> bool {
    parameter.location == ParameterLocation::Header
        && matches!(
            parameter.wire_name.to_ascii_lowercase().as_str(),
            "idempotency-key" | "x-idempotency-key"
        )
}

fn method(context: &Context<'_>, operation: &Operation) -> TokenStream {
    let docs = operation_docs(operation);
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&operation.method_name);
    let error_type = ident(&operation.error_type);
    let return_type = success_return_type(operation);
    let arguments = method_arguments(context, operation)
        .into_iter()
        .map(|(name, ty)| quote!(#name: #ty));
    let allow_many =
        (operation.arguments.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));

    let (path, path_argument) = path_expression(context, operation);
    let others: Vec<&Parameter> = operation
        .parameters
        .iter()
        .filter(|parameter| parameter.location != ParameterLocation::Path)
        .collect();
    let optional_from = OptionalFrom::of(operation);
    let mut statements = query_statements(context, &others, optional_from);
    statements.extend(
        others
            .iter()
            .filter(|parameter| parameter.location == ParameterLocation::Header)
            .map(|parameter| header_statement(context, parameter, optional_from)),
    );
    if let Some(body) = &operation.body {
        let content_type = &body.content_type;
        // A body passed by value (`bool`, `f64`, …) is borrowed for encoding.
        let encoded = match passing(context, &body.ty) {
            Passing::Value => quote!(&body),
            _ => quote!(body),
        };
        statements.push(match body.encoding {
            BodyEncoding::Json if content_type == "application/json" => {
                quote!(request = request.json(#encoded);)
            }
            BodyEncoding::Json => {
                quote!(request = request.json(#encoded).content_type(#content_type);)
            }
            BodyEncoding::Text => quote!(request = request.body(#content_type, body.to_owned());),
            BodyEncoding::Bytes => quote!(request = request.body(#content_type, body);),
            BodyEncoding::Form | BodyEncoding::Multipart => form_body(context, body),
        });
    }
    let mutable = (!statements.is_empty()).then(|| quote!(mut));
    let http_method = ident(&operation.http_method);
    let operation_id = &operation.id;
    let path_template = &operation.path;
    let security = operation.security.iter().map(|requirement| {
        let schemes = &requirement.schemes;
        quote!(&[#(#schemes),*])
    });
    let idempotency_key = match operation
        .parameters
        .iter()
        .find(|parameter| is_idempotency_key(parameter))
    {
        Some(parameter) => {
            let wire = &parameter.wire_name;
            quote!(Some(#wire))
        }
        None => quote!(None),
    };
    let decode = decode_name(operation);
    // `#[inline]` here and on the decoder: like the async methods this crate had before, an
    // operation is compiled in the crate that calls it, so the generated crate does not
    // compile the decoding of all its responses up front (13 times the functions for Qovery).
    quote! {
        #docs
        #deprecated
        #allow_many
        #[inline]
        pub fn #name(&self, #(#arguments),*) -> crate::runtime::Call<'_, #return_type, #error_type> {
            static ENDPOINT: crate::runtime::Endpoint = crate::runtime::Endpoint {
                operation_id: #operation_id,
                path_template: #path_template,
                security: &[#(#security),*],
                idempotency_key: #idempotency_key,
            };
            #path
            let #mutable request = crate::runtime::Request::new(crate::runtime::Method::#http_method, #path_argument);
            #(#statements)*
            crate::runtime::Call::new(self, Some(&ENDPOINT), request, #decode)
        }
    }
}

/// The function that turns a response of the operation into its result, by status.
fn decode_fn(operation: &Operation) -> TokenStream {
    let name = decode_name(operation);
    let error_type = ident(&operation.error_type);
    let return_type = success_return_type(operation);
    let doc = format!(
        " Decodes a response of [`Client::{}`] by its status.",
        operation.method_name.trim_start_matches("r#")
    );
    let arms = response_arms(operation);
    quote! {
        #[doc = #doc]
        #[inline]
        fn #name(response: RawResponse) -> Result<#return_type, Error<#error_type>> {
            match response.status().as_u16() {
                #(#arms)*
            }
        }
    }
}

/// For a paginated operation, the method that returns a stream of the items of every page.
fn stream_method(context: &Context<'_>, operation: &Operation) -> Option<TokenStream> {
    let pagination = operation.pagination.as_ref()?;
    let SuccessType::Single(Some(page_type)) = &operation.success_type else {
        return None;
    };
    let name = ident(&pagination.method_name);
    let method = ident(&operation.method_name);
    let error_type = ident(&operation.error_type);
    let item_type = rust_type(&pagination.item_type);
    let page_rust_type = rust_type(page_type);
    let arguments = method_arguments(context, operation);
    let names = arguments.iter().map(|(name, _)| name);
    let declared = arguments.iter().map(|(name, ty)| quote!(#name: #ty));
    let items = match &pagination.items_field {
        None => quote!(page),
        Some(field) => {
            let presence = field_presence(context, page_type, field)?.0;
            let field = ident(field);
            match presence {
                Presence::Required => quote!(page.#field),
                Presence::RequiredNullable | Presence::Optional => {
                    quote!(page.#field.unwrap_or_default())
                }
                Presence::OptionalNullable => quote!(page.#field.into_value().unwrap_or_default()),
            }
        }
    };
    let (next, wire_doc) = match &pagination.next {
        PageAdvance::Cursor { parameter, field } => {
            let value = field_text(context, page_type, field, quote!(&page))?;
            (
                quote!(let next = #value.map(|cursor| crate::runtime::NextPage::Query(#parameter, cursor));),
                format!(
                    "sends each page's `{}` back as `{parameter}`",
                    field.join(".")
                ),
            )
        }
        PageAdvance::Link { field } => {
            let value = field_text(context, page_type, field, quote!(&page))?;
            (
                quote!(let next = #value.map(crate::runtime::NextPage::Link);),
                format!("follows each page's `{}` link", field.join(".")),
            )
        }
        PageAdvance::LastItem { parameter, field } => {
            let value = field_text(
                context,
                &pagination.item_type,
                std::slice::from_ref(field),
                quote!(item),
            )?;
            (
                quote!(let next = items.last().and_then(|item| #value).map(|last| crate::runtime::NextPage::Query(#parameter, last));),
                format!("sends the last item's `{field}` as `{parameter}`"),
            )
        }
        PageAdvance::PageNumber { parameter } => (
            quote!(let next = Some(crate::runtime::NextPage::PageNumber(#parameter, 1));),
            format!("counts `{parameter}` up from 1"),
        ),
        PageAdvance::Offset { parameter } => (
            quote!(let next = Some(crate::runtime::NextPage::Offset(#parameter));),
            format!("moves `{parameter}` past each page"),
        ),
    };
    let (before, after) = match pagination.next {
        PageAdvance::LastItem { .. } => (quote!(let items = #items;), next),
        _ => (next, quote!(let items = #items;)),
    };
    let doc = format!(
        " The items of every page of [`Client::{}`], fetched as the stream is read: it {wire_doc}, \
         and ends after the last page.",
        operation.method_name.trim_start_matches("r#")
    );
    let deprecated = operation
        .deprecated
        .then(|| quote!(#[deprecated] #[allow(deprecated)]));
    let allow_many =
        (operation.arguments.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    Some(quote! {
        #[doc = #doc]
        #deprecated
        #allow_many
        #[inline]
        pub fn #name(&self, #(#declared),*) -> crate::runtime::ItemStream<'_, #item_type, #error_type> {
            crate::runtime::ItemStream::new(self.#method(#(#names),*), |page: #page_rust_type| {
                #before
                #after
                crate::runtime::Page { items, next }
            })
        }
    })
}

/// The presence and type of the field `rust_name` of the struct `ty`.
fn field_presence<'c>(
    context: &'c Context<'_>,
    ty: &TypeRef,
    rust_name: &str,
) -> Option<(Presence, &'c TypeRef)> {
    let (TypeRef::Named(name) | TypeRef::Boxed(name)) = context.resolve(ty) else {
        return None;
    };
    let TypeKind::Struct(structure) = &context.types.get(name.as_str())?.kind else {
        return None;
    };
    let field = structure
        .fields
        .iter()
        .find(|field| field.rust_name == rust_name)?;
    Some((field.presence, &field.ty))
}

/// An `Option<String>` expression: the text of the field at `path` (outermost first) of
/// `start`, a reference to a value of type `ty`; `None` when a field on the way is absent or the
/// text is empty. Only text, UUID and integer fields qualify.
fn field_text(
    context: &Context<'_>,
    ty: &TypeRef,
    path: &[String],
    start: TokenStream,
) -> Option<TokenStream> {
    let mut expression = quote!(Some(#start));
    let mut current = ty.clone();
    for step in path {
        let (presence, next) = field_presence(context, &current, step)?;
        let field = ident(step);
        expression = match presence {
            Presence::Required => quote!(#expression.map(|value| &value.#field)),
            Presence::RequiredNullable | Presence::Optional => {
                quote!(#expression.and_then(|value| value.#field.as_ref()))
            }
            Presence::OptionalNullable => {
                quote!(#expression.and_then(|value| value.#field.value()))
            }
        };
        current = next.clone();
    }
    matches!(
        context.resolve(&current),
        TypeRef::String | TypeRef::Uuid | TypeRef::I32 | TypeRef::I64
    )
    .then(|| quote!(#expression.map(|value| value.to_string()).filter(|text| !text.is_empty())))
}

fn find_parameter<'o>(operation: &'o Operation, rust_name: &str) -> Option<&'o Parameter> {
    operation
        .parameters
        .iter()
        .find(|parameter| parameter.rust_name == rust_name)
}

/// The struct grouping an operation's optional query and header parameters, with a chaining
/// setter per field.
fn options_struct(context: &Context<'_>, operation: &Operation) -> Option<TokenStream> {
    let name = ident(operation.options_type.as_deref()?);
    let doc = format!(
        " The optional parameters of [`Client::{}`]: start from `default()` and set the ones \
         to send; fields left `None` are not sent.",
        operation.method_name.trim_start_matches("r#")
    );
    let optional: Vec<&Parameter> = operation
        .parameters
        .iter()
        .filter(|parameter| !parameter.required)
        .collect();
    let fields = optional.iter().map(|parameter| {
        let field = ident(&parameter.rust_name);
        let ty = rust_type(&parameter.ty);
        let docs = doc_lines(&parameter_docs(parameter));
        quote! {
            #docs
            pub #field: Option<#ty>,
        }
    });
    let setters = optional.iter().map(|parameter| {
        chaining_setter(
            context,
            &parameter.rust_name,
            &parameter.rust_name,
            &parameter.ty,
            |value| quote!(Some(#value)),
        )
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #(#setters)*
        }
    })
}

/// A parameter's documentation: its description, then where it goes on the wire.
fn parameter_docs(parameter: &Parameter) -> Vec<String> {
    let mut lines = parameter
        .docs
        .as_deref()
        .map(markdown_to_rustdoc)
        .unwrap_or_default();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    let location = match parameter.location {
        ParameterLocation::Path => "path segment",
        ParameterLocation::Query => "query parameter",
        ParameterLocation::Header => "header",
    };
    lines.push(format!("Sent as the `{}` {location}.", parameter.wire_name));
    lines
}

/// The path with its parameters percent-encoded into it, and how to pass it on.
fn path_expression(context: &Context<'_>, operation: &Operation) -> (TokenStream, TokenStream) {
    let mut template = String::new();
    let mut encodings = Vec::new();
    let mut positional = Vec::new();
    let mut encoded_names: Vec<&str> = Vec::new();
    for part in &operation.path_parts {
        match part {
            PathPart::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathPart::Parameter(rust_name) => {
                let value = ident(rust_name);
                // Raw identifiers cannot be inlined in a format string.
                if rust_name.starts_with("r#") {
                    template.push_str("{}");
                    positional.push(quote!(#value));
                } else {
                    template.push_str(&format!("{{{rust_name}}}"));
                }
                if encoded_names.contains(&rust_name.as_str()) {
                    continue;
                }
                encoded_names.push(rust_name);
                let encoded = match find_parameter(operation, rust_name) {
                    Some(parameter) if passing(context, &parameter.ty) == Passing::Str => {
                        quote!(crate::runtime::encode_path(#value))
                    }
                    Some(parameter) => {
                        let text = list_or_text(context, &parameter.ty, &quote!(#value));
                        quote!(crate::runtime::encode_path(&#text))
                    }
                    None => quote!(crate::runtime::encode_path(&#value.to_string())),
                };
                encodings.push(quote!(let #value = #encoded;));
            }
        }
    }
    if encoded_names.is_empty() {
        (quote!(let path = #template;), quote!(path))
    } else {
        (
            quote! {
                #(#encodings)*
                let path = format!(#template #(, #positional)*);
            },
            quote!(&path),
        )
    }
}

/// Text for a path or header value: lists are comma-separated (the `simple` style).
fn list_or_text(context: &Context<'_>, ty: &TypeRef, value: &TokenStream) -> TokenStream {
    joined_or_text(context, ty, value, ",")
}

/// Text for one value; a list's items are joined by `separator`.
fn joined_or_text(
    context: &Context<'_>,
    ty: &TypeRef,
    value: &TokenStream,
    separator: &str,
) -> TokenStream {
    match context.resolve(ty) {
        TypeRef::List(item) => {
            let item_text = text_of(context, item, &quote!(item));
            quote!(#value.iter().map(|item| #item_text).collect::<Vec<String>>().join(#separator))
        }
        _ => text_of(context, ty, value),
    }
}

/// The expression reading a parameter's value: the argument for a required parameter, the
/// bound `Some` value of the options field for an optional one.
fn parameter_value(parameter: &Parameter) -> TokenStream {
    let value = ident(&parameter.rust_name);
    quote!(#value)
}

/// Where a method finds its optional parameters' values.
#[derive(Clone, Copy)]
enum OptionalFrom {
    /// In the fields of its `options` argument.
    Options,
    /// In its own `Option` arguments (`client.group-optional-parameters = false`).
    Arguments,
}

impl OptionalFrom {
    fn of(operation: &Operation) -> Self {
        if operation.options_type.is_some() {
            Self::Options
        } else {
            Self::Arguments
        }
    }
}

/// Runs `statements` with the parameter's value bound to its name: directly for a required
/// parameter, inside `if let Some(..) = …` for an optional one.
fn with_value(
    parameter: &Parameter,
    optional_from: OptionalFrom,
    statements: TokenStream,
) -> TokenStream {
    if parameter.required {
        return statements;
    }
    let value = ident(&parameter.rust_name);
    let source = match optional_from {
        OptionalFrom::Options => quote!(&options.#value),
        OptionalFrom::Arguments => quote!(#value),
    };
    quote! {
        if let Some(#value) = #source {
            #statements
        }
    }
}

/// The statements that add the query parameters to `request`: required single values first,
/// then lists and optional values, each in spec order.
fn query_statements(
    context: &Context<'_>,
    parameters: &[&Parameter],
    optional_from: OptionalFrom,
) -> Vec<TokenStream> {
    let query_parameters = parameters
        .iter()
        .filter(|parameter| parameter.location == ParameterLocation::Query);
    let (initial, pushed): (Vec<&&Parameter>, Vec<&&Parameter>) =
        query_parameters.partition(|parameter| {
            parameter.required
                && (!matches!(context.resolve(&parameter.ty), TypeRef::List(_))
                    || matches!(parameter.list_format, ListFormat::Delimited(_)))
        });
    initial
        .iter()
        .map(|parameter| {
            let wire = &parameter.wire_name;
            let text = query_text(context, parameter);
            quote!(request = request.query(#wire, #text);)
        })
        .chain(
            pushed
                .iter()
                .map(|parameter| query_push(context, parameter, optional_from)),
        )
        .collect()
}

/// The text of a query value sent as one pair (a delimited list, or a single value).
fn query_text(context: &Context<'_>, parameter: &Parameter) -> TokenStream {
    let value = parameter_value(parameter);
    match &parameter.list_format {
        ListFormat::Delimited(separator) => {
            joined_or_text(context, &parameter.ty, &value, separator)
        }
        ListFormat::Repeated => text_of(context, &parameter.ty, &value),
    }
}

fn query_push(
    context: &Context<'_>,
    parameter: &Parameter,
    optional_from: OptionalFrom,
) -> TokenStream {
    let wire = &parameter.wire_name;
    let value = parameter_value(parameter);
    let push = match (context.resolve(&parameter.ty), &parameter.list_format) {
        (TypeRef::List(item), ListFormat::Repeated) => {
            let item_text = text_of(context, item, &quote!(item));
            quote! {
                for item in #value.iter() {
                    request = request.query(#wire, #item_text);
                }
            }
        }
        _ => {
            let text = query_text(context, parameter);
            quote!(request = request.query(#wire, #text);)
        }
    };
    with_value(parameter, optional_from, push)
}

fn header_statement(
    context: &Context<'_>,
    parameter: &Parameter,
    optional_from: OptionalFrom,
) -> TokenStream {
    let wire = &parameter.wire_name;
    let value = parameter_value(parameter);
    let text = list_or_text(context, &parameter.ty, &value);
    with_value(
        parameter,
        optional_from,
        quote!(request = request.header(#wire, #text);),
    )
}

fn success_return_type(operation: &Operation) -> TokenStream {
    match &operation.success_type {
        SuccessType::Single(None) => quote!(()),
        SuccessType::Single(Some(ty)) => operation
            .success
            .iter()
            .find_map(|response| response.body.as_ref())
            .map_or_else(|| rust_type(ty), body_type),
        SuccessType::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The Rust type a response body decodes into.
fn body_type(body: &ResponseBody) -> TokenStream {
    match body.encoding {
        BodyEncoding::Json => rust_type(&body.ty),
        BodyEncoding::Text => quote!(String),
        // Lower reads form and multipart responses as bytes.
        BodyEncoding::Bytes | BodyEncoding::Form | BodyEncoding::Multipart => quote!(Vec<u8>),
    }
}

/// The expression decoding `response` for one documented response.
fn decode(response: &Response) -> Option<TokenStream> {
    response.body.as_ref().map(|body| match body.encoding {
        BodyEncoding::Json => quote!(response.json()?),
        BodyEncoding::Text => quote!(response.body_text().into_owned()),
        BodyEncoding::Bytes | BodyEncoding::Form | BodyEncoding::Multipart => {
            quote!(response.body().to_vec())
        }
    })
}

fn status_pattern(status: StatusPattern) -> TokenStream {
    match status {
        StatusPattern::Code(code) => quote!(#code),
        StatusPattern::Class(class) => {
            let low = class * 100;
            let high = low + 99;
            quote!(#low..=#high)
        }
        StatusPattern::Default => quote!(_),
    }
}

/// Match arms from status code to result: listed codes, then classes, then the rest.
fn response_arms(operation: &Operation) -> Vec<TokenStream> {
    let error_type = ident(&operation.error_type);
    let success_arm = |response: &Response| -> TokenStream {
        let value = match &operation.success_type {
            SuccessType::Single(_) => decode(response).unwrap_or_else(|| quote!(())),
            SuccessType::Enum(name) => {
                let name = ident(name);
                let variant = ident(&response.variant_name);
                match decode(response) {
                    Some(value) => quote!(#name::#variant(#value)),
                    None => quote!(#name::#variant),
                }
            }
        };
        quote!(Ok(#value))
    };
    let error_arm = |response: &Response| -> TokenStream {
        let variant = ident(&response.variant_name);
        let body = match response.body.as_ref().map(|body| body.encoding) {
            Some(BodyEncoding::Json) => quote!(response.json()?),
            Some(BodyEncoding::Text) => quote!(response.body_text().into_owned()),
            Some(BodyEncoding::Bytes | BodyEncoding::Form | BodyEncoding::Multipart) | None => {
                return quote!(Err(Error::Status(#error_type::#variant(response))));
            }
        };
        quote! {{
            let body = #body;
            Err(Error::Status(#error_type::#variant(crate::runtime::TypedResponse { body: Box::new(body), raw: response })))
        }}
    };
    let mut arms = Vec::new();
    let mut default_arm = quote!(_ => Err(Error::UnexpectedStatus(response)),);
    for class_pass in [false, true] {
        for response in &operation.success {
            let is_class = matches!(response.status, StatusPattern::Class(_));
            match response.status {
                StatusPattern::Default if class_pass => {
                    let value = success_arm(response);
                    arms.push(quote!(200..=299 => #value,));
                }
                StatusPattern::Default => {}
                status if is_class == class_pass => {
                    let pattern = status_pattern(status);
                    let value = success_arm(response);
                    arms.push(quote!(#pattern => #value,));
                }
                _ => {}
            }
        }
        for response in &operation.errors {
            let is_class = matches!(response.status, StatusPattern::Class(_));
            match response.status {
                StatusPattern::Default => {
                    let value = error_arm(response);
                    default_arm = quote!(_ => #value,);
                }
                status if is_class == class_pass => {
                    let pattern = status_pattern(status);
                    let value = error_arm(response);
                    arms.push(quote!(#pattern => #value,));
                }
                _ => {}
            }
        }
    }
    arms.push(default_arm);
    arms
}

fn status_label(status: StatusPattern) -> String {
    match status {
        StatusPattern::Code(code) => code.to_string(),
        StatusPattern::Class(class) => format!("{class}XX"),
        StatusPattern::Default => "Any other status".to_owned(),
    }
}

fn response_doc(response: &Response) -> String {
    let description = response
        .docs
        .as_deref()
        .map(inline_rustdoc)
        .unwrap_or_default();
    format!("{}: {description}", status_label(response.status))
}

fn success_enum(operation: &Operation) -> Option<TokenStream> {
    let SuccessType::Enum(name) = &operation.success_type else {
        return None;
    };
    let name = ident(name);
    let doc = format!(
        " What [`Client::{}`] returns, by status.",
        operation.method_name.trim_start_matches("r#")
    );
    let variants = operation.success.iter().map(|response| {
        let variant = ident(&response.variant_name);
        let doc = format!(" {}", response_doc(response));
        let payload = response.body.as_ref().map(|body| {
            let ty = body_type(body);
            quote!((#ty))
        });
        quote!(#[doc = #doc] #variant #payload,)
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }
    })
}

/// Whether an error variant carries its body decoded (JSON and text) in a `TypedResponse`, rather
/// than only the raw response (no body, or bytes, which `RawResponse::body` already gives).
fn is_decoded_error(body: &ResponseBody) -> bool {
    matches!(body.encoding, BodyEncoding::Json | BodyEncoding::Text)
}

/// The operation's error type: its own enum, or an alias of the [`SharedError`] it shares with
/// the operations documenting the same error responses.
fn error_type(operation: &Operation) -> TokenStream {
    let name = ident(&operation.error_type);
    let mut doc = format!(
        " The error statuses the spec documents for [`Client::{}`], one variant per status; each \
         keeps the raw response, and the decoded body when the status has one.",
        operation.method_name.trim_start_matches("r#")
    );
    let Some(shared) = &operation.shared_error else {
        return error_enum(&name, &doc, &operation.errors, &TokenStream::new());
    };
    doc.push_str(&format!(
        " The operations that document the same error responses share this enum, \
         [`{shared}`](crate::operations::{shared})."
    ));
    let shared = ident(shared);
    quote! {
        #[doc = #doc]
        pub type #name = crate::operations::#shared;
    }
}

/// `src/operations/shared_errors.rs`: the error enums that several operations share, each
/// compiled with the features of its operations.
fn shared_errors_rs(context: &Context<'_>) -> TokenStream {
    let enums = context.api.shared_errors.iter().map(|shared| {
        let name = ident(&shared.name);
        let doc = shared_error_doc(shared);
        let features: std::collections::BTreeSet<String> =
            shared.features.iter().cloned().collect();
        let gate = context.cfg_features((!features.is_empty()).then_some(&features));
        error_enum(&name, &doc, &shared.errors, &gate)
    });
    let types_import = (!context.api.types.is_empty()).then(|| {
        quote!(
            #[allow(unused_imports)]
            use crate::types::*;
        )
    });
    quote! {
        //! The error enums that several operations share: operations documenting the same error
        //! responses (statuses, descriptions and bodies) have one enum between them, and each
        //! operation's error type is an alias of it. Name them by those aliases: a shared enum
        //! is named after its variants, numbered in spec order when several have the same
        //! variants, so its name can change when the spec does.
        use crate::runtime::RawResponse;
        #types_import

        #(#enums)*
    }
}

/// A shared error enum's doc: the statuses it stands for, and who shares it.
fn shared_error_doc(shared: &SharedError) -> String {
    let labels: Vec<String> = shared
        .errors
        .iter()
        .map(|response| match response.status {
            StatusPattern::Default => "any other status".to_owned(),
            status => status_label(status),
        })
        .collect();
    let operations = shared.operations;
    let aliases = "their error types are aliases of it";
    match labels.split_last() {
        None => format!(
            " No error status: the spec documents none for the {operations} operations that share \
             this enum ({aliases}), so a status that is not a success is an \
             [`Error::UnexpectedStatus`](crate::Error::UnexpectedStatus)."
        ),
        Some((last, [])) => format!(
            " The error status {last}, shared by the {operations} operations that document this \
             error response ({aliases}); its variant keeps the raw response, and the decoded body \
             when the status has one."
        ),
        Some((last, rest)) => format!(
            " The error statuses {} and {last}, one variant per status, shared by the \
             {operations} operations that document these error responses ({aliases}); each \
             keeps the raw response, and the decoded body when the status has one.",
            rest.join(", ")
        ),
    }
}

/// An error enum `name` with a variant per response of `errors`, and its `StatusError`,
/// `Display` and `Error` impls; `gate` is put on each item.
fn error_enum(name: &Ident, doc: &str, errors: &[Response], gate: &TokenStream) -> TokenStream {
    let variants = errors.iter().map(|response| {
        let variant = ident(&response.variant_name);
        let doc = format!(" {}", response_doc(response));
        let payload = match response.body.as_ref() {
            Some(body) if is_decoded_error(body) => {
                let ty = body_type(body);
                quote!(crate::runtime::TypedResponse<#ty>)
            }
            _ => quote!(RawResponse),
        };
        quote!(#[doc = #doc] #variant(#payload),)
    });
    let raw_arms = errors.iter().map(|response| {
        let variant = ident(&response.variant_name);
        match response.body.as_ref() {
            Some(body) if is_decoded_error(body) => {
                quote!(Self::#variant(typed) => &typed.raw,)
            }
            _ => quote!(Self::#variant(raw) => raw,),
        }
    });
    let description_arms = errors.iter().map(|response| {
        let variant = ident(&response.variant_name);
        let text = response
            .docs
            .as_deref()
            .map(inline_rustdoc)
            .unwrap_or_else(|| status_label(response.status));
        quote!(Self::#variant(_) => #text,)
    });
    let (raw_body, formatter, display_body) = if errors.is_empty() {
        (quote!(match *self {}), quote!(_), quote!(match *self {}))
    } else {
        (
            quote!(match self { #(#raw_arms)* }),
            quote!(f),
            quote! {
                let description = match self { #(#description_arms)* };
                let status = crate::runtime::StatusError::status(self);
                write!(f, "{status}: {description}")
            },
        )
    };
    quote! {
        #[doc = #doc]
        #gate
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        #gate
        impl crate::runtime::StatusError for #name {
            fn raw(&self) -> &RawResponse {
                #raw_body
            }
        }

        #gate
        impl std::fmt::Display for #name {
            fn fmt(&self, #formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display_body
            }
        }

        #gate
        impl std::error::Error for #name {}
    }
}
