//! `src/client.rs` (base URL and credentials) and `src/operations.rs` (one method per operation,
//! with its error type).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_lines, markdown_to_rustdoc};
use super::{Context, ident, rust_type};
use crate::model::{
    BodyEncoding, Operation, Parameter, ParameterLocation, PathPart, Response, ResponseBody,
    SecurityKind, StatusPattern, SuccessType, TypeRef,
};

/// How an argument of a given type is passed to an operation method.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Passing {
    /// `&str`.
    Str,
    /// `&[T]`.
    Slice,
    /// By value (small `Copy` types, and owned byte buffers).
    Value,
    /// `&T`.
    Reference,
}

pub(super) fn passing(context: &Context<'_>, ty: &TypeRef) -> Passing {
    match context.resolve(ty) {
        TypeRef::String => Passing::Str,
        TypeRef::List(_) => Passing::Slice,
        TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::Uuid
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Bytes => Passing::Value,
        _ => Passing::Reference,
    }
}

/// The argument type for a value of `ty`, wrapped in `Option` when it is not required.
fn argument_type(context: &Context<'_>, ty: &TypeRef, required: bool) -> TokenStream {
    let resolved = context.resolve(ty);
    let inner = match (passing(context, ty), resolved) {
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
    };
    if required {
        inner
    } else {
        quote!(Option<#inner>)
    }
}

/// An expression turning `value` (as passed) into the text sent in a path, query or header.
fn to_text(context: &Context<'_>, ty: &TypeRef, value: &TokenStream) -> TokenStream {
    match context.resolve(ty) {
        TypeRef::DateTime => quote!(#value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
        TypeRef::Named(_) | TypeRef::Boxed(_) | TypeRef::Map(_) => {
            quote!(serde_json::to_string(&#value).map_err(|error| Error::InvalidRequest(error.to_string()))?)
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
            Some(crate::model::TypeKind::StringEnum(_))
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

/// `src/client.rs`: the default base URL and one builder method per security scheme.
pub(super) fn client_rs(context: &Context<'_>) -> TokenStream {
    let api = context.api;
    let base_url = api.base_url.clone().unwrap_or_default();
    let base_url_docs = if api.base_url.is_some() {
        " The server the spec names; change it with [`ClientBuilder::base_url`].".to_owned()
    } else {
        " The spec names no server: set one with [`ClientBuilder::base_url`].".to_owned()
    };
    let builder_docs = format!(
        " A builder for a client of {}, pointed at [`DEFAULT_BASE_URL`].",
        super::api_name(api)
    );
    let methods = api.security_schemes.iter().map(|scheme| {
        let name = ident(&scheme.method_name);
        let (summary, arguments, body) = match &scheme.kind {
            SecurityKind::Bearer => (
                "`Authorization: Bearer <token>`".to_owned(),
                quote!(token: impl AsRef<str>),
                quote!(crate::runtime::Credential::header(
                    "authorization",
                    "Bearer ",
                    token.as_ref()
                )),
            ),
            SecurityKind::Basic => (
                "`Authorization: Basic <base64(user:password)>`".to_owned(),
                quote!(user: impl AsRef<str>, password: impl AsRef<str>),
                quote!(crate::runtime::Credential::basic(
                    user.as_ref(),
                    password.as_ref()
                )),
            ),
            SecurityKind::ApiKeyHeader { header, prefix } => {
                let prefix_text = prefix.as_ref().map(|p| format!("{p} ")).unwrap_or_default();
                (
                    format!("`{header}: {prefix_text}<key>`"),
                    quote!(key: impl AsRef<str>),
                    quote!(crate::runtime::Credential::header(#header, #prefix_text, key.as_ref())),
                )
            }
            SecurityKind::ApiKeyQuery { parameter } => (
                format!("the query parameter `{parameter}=<key>`"),
                quote!(key: impl AsRef<str>),
                quote!(crate::runtime::Credential::query(#parameter, key.as_ref())),
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
        lines.push(" Replaces any credential set before: exactly one is sent.".to_owned());
        let docs = lines.iter().map(|line| quote!(#[doc = #line]));
        quote! {
            #(#docs)*
            pub fn #name(self, #arguments) -> Self {
                self.credential(#body)
            }
        }
    });
    let builder_impl = (!api.security_schemes.is_empty()).then(|| {
        quote! {
            impl ClientBuilder {
                #(#methods)*
            }
        }
    });
    quote! {
        //! Setting up a [`Client`]: the server and the credentials.
        use crate::runtime::{Client, ClientBuilder};

        #[doc = #base_url_docs]
        pub const DEFAULT_BASE_URL: &str = #base_url;

        impl Client {
            #[doc = #builder_docs]
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(DEFAULT_BASE_URL)
            }
        }

        #builder_impl
    }
}

/// `src/operations.rs`: the operation methods and their success and error types.
pub(super) fn operations_rs(context: &Context<'_>) -> TokenStream {
    let operations = &context.api.operations;
    if operations.is_empty() {
        return quote! {
            //! The spec defines no operations.
        };
    }
    let uses_types = !context.api.types.is_empty();
    let types_import = uses_types.then(|| {
        quote!(
            #[allow(unused_imports)]
            use crate::types::*;
        )
    });
    let methods = operations
        .iter()
        .map(|operation| method(context, operation));
    let error_types = operations.iter().map(error_type);
    let success_types = operations.iter().filter_map(success_enum);
    quote! {
        //! One method per operation on [`Client`], and each operation's error type.
        use crate::runtime::{Client, Error, Method, RawResponse, StatusError};
        #types_import

        impl Client {
            #(#methods)*
        }

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
        .filter(|parameter| parameter.docs.is_some())
        .collect();
    if !documented.is_empty() {
        lines.push(String::new());
        lines.push("Parameters:".to_owned());
        for parameter in documented {
            let docs = parameter.docs.as_deref().unwrap_or_default();
            let docs = markdown_to_rustdoc(docs).join(" ");
            lines.push(format!(
                "- `{}`: {docs}",
                parameter.rust_name.trim_start_matches("r#")
            ));
        }
    }
    doc_lines(&lines)
}

fn method(context: &Context<'_>, operation: &Operation) -> TokenStream {
    let docs = operation_docs(operation);
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&operation.method_name);
    let error_type = ident(&operation.error_type);
    let return_type = success_return_type(operation);

    let mut arguments = Vec::new();
    for parameter in operation
        .parameters
        .iter()
        .filter(|parameter| parameter.location == ParameterLocation::Path)
    {
        let rust_name = ident(&parameter.rust_name);
        let ty = argument_type(context, &parameter.ty, true);
        arguments.push(quote!(#rust_name: #ty));
    }
    if let Some(body) = &operation.body {
        let ty = match body.encoding {
            BodyEncoding::Json => argument_type(context, &body.ty, true),
            BodyEncoding::Text => argument_type(context, &TypeRef::String, true),
            BodyEncoding::Bytes => argument_type(context, &TypeRef::Bytes, true),
        };
        arguments.push(quote!(body: #ty));
    }
    let others: Vec<&Parameter> = operation
        .parameters
        .iter()
        .filter(|parameter| parameter.location != ParameterLocation::Path)
        .collect();
    for parameter in others.iter().filter(|parameter| parameter.required) {
        let rust_name = ident(&parameter.rust_name);
        let ty = argument_type(context, &parameter.ty, true);
        arguments.push(quote!(#rust_name: #ty));
    }
    for parameter in others.iter().filter(|parameter| !parameter.required) {
        let rust_name = ident(&parameter.rust_name);
        let ty = argument_type(context, &parameter.ty, false);
        arguments.push(quote!(#rust_name: #ty));
    }
    let allow_many = (arguments.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));

    let (path, path_argument) = path_expression(context, operation);
    let query = query_expression(context, &others);
    let headers = others
        .iter()
        .filter(|parameter| parameter.location == ParameterLocation::Header)
        .map(|parameter| header_set(context, parameter));
    let body = operation.body.as_ref().map(|body| {
        let content_type = &body.content_type;
        let encode = match body.encoding {
            BodyEncoding::Json => quote!(crate::runtime::json_body(body)?),
            BodyEncoding::Text => quote!(body.to_owned()),
            BodyEncoding::Bytes => quote!(body),
        };
        quote! {
            let request = request.header("content-type", #content_type).body(#encode);
        }
    });
    let http_method = ident(&operation.http_method);
    let authenticated = operation.authenticated;
    let arms = response_arms(operation);
    quote! {
        #docs
        #deprecated
        #allow_many
        pub async fn #name(&self, #(#arguments),*) -> Result<#return_type, Error<#error_type>> {
            let path = #path;
            #query
            let request = self.request(Method::#http_method, #path_argument, &query, #authenticated)?;
            #(#headers)*
            #body
            let response = self.send(request).await?;
            match response.status().as_u16() {
                #(#arms)*
            }
        }
    }
}

/// The path with its parameters percent-encoded into it, and how to pass it on.
fn path_expression(context: &Context<'_>, operation: &Operation) -> (TokenStream, TokenStream) {
    let mut template = String::new();
    let mut values = Vec::new();
    for part in &operation.path_parts {
        match part {
            PathPart::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathPart::Parameter(rust_name) => {
                template.push_str("{}");
                let parameter = operation
                    .parameters
                    .iter()
                    .find(|parameter| &parameter.rust_name == rust_name);
                let value = ident(rust_name);
                let encoded = match parameter {
                    Some(parameter) if passing(context, &parameter.ty) == Passing::Str => {
                        quote!(crate::runtime::encode_path(#value))
                    }
                    Some(parameter) => {
                        let text = list_or_text(context, &parameter.ty, &quote!(#value));
                        quote!(crate::runtime::encode_path(&#text))
                    }
                    None => quote!(crate::runtime::encode_path(&#value.to_string())),
                };
                values.push(encoded);
            }
        }
    }
    if values.is_empty() {
        (quote!(#template), quote!(path))
    } else {
        (quote!(format!(#template, #(#values),*)), quote!(&path))
    }
}

/// Text for a path or header value: lists are comma-separated (the `simple` style).
fn list_or_text(context: &Context<'_>, ty: &TypeRef, value: &TokenStream) -> TokenStream {
    match context.resolve(ty) {
        TypeRef::List(item) => {
            let item_text = text_of(context, item, &quote!(item));
            quote!(#value.iter().map(|item| Ok(#item_text)).collect::<Result<Vec<String>, Error<_>>>()?.join(","))
        }
        _ => text_of(context, ty, value),
    }
}

/// The statements that build `query`: required single values in the `vec!`, then lists and
/// optional values pushed one by one.
fn query_expression(context: &Context<'_>, parameters: &[&Parameter]) -> TokenStream {
    let query_parameters = parameters
        .iter()
        .filter(|parameter| parameter.location == ParameterLocation::Query);
    let (initial, pushed): (Vec<&&Parameter>, Vec<&&Parameter>) =
        query_parameters.partition(|parameter| {
            parameter.required && !matches!(context.resolve(&parameter.ty), TypeRef::List(_))
        });
    let initial = initial.iter().map(|parameter| {
        let wire = &parameter.wire_name;
        let value = ident(&parameter.rust_name);
        let text = text_of(context, &parameter.ty, &quote!(#value));
        quote!((#wire, #text))
    });
    let pushes: Vec<TokenStream> = pushed
        .iter()
        .map(|parameter| query_push(context, parameter))
        .collect();
    let mutable = (!pushes.is_empty()).then(|| quote!(mut));
    quote! {
        let #mutable query: Vec<(&str, String)> = vec![#(#initial),*];
        #(#pushes)*
    }
}

fn query_push(context: &Context<'_>, parameter: &Parameter) -> TokenStream {
    let wire = &parameter.wire_name;
    let value = ident(&parameter.rust_name);
    let push = match context.resolve(&parameter.ty) {
        TypeRef::List(item) => {
            let item_text = text_of(context, item, &quote!(item));
            quote! {
                for item in #value.iter() {
                    query.push((#wire, #item_text));
                }
            }
        }
        _ => {
            let text = text_of(context, &parameter.ty, &quote!(#value));
            quote!(query.push((#wire, #text));)
        }
    };
    if parameter.required {
        push
    } else {
        quote! {
            if let Some(#value) = #value {
                #push
            }
        }
    }
}

fn header_set(context: &Context<'_>, parameter: &Parameter) -> TokenStream {
    let wire = &parameter.wire_name;
    let value = ident(&parameter.rust_name);
    let text = list_or_text(context, &parameter.ty, &quote!(#value));
    let set = quote!(let request = request.header(#wire, #text););
    if parameter.required {
        set
    } else {
        quote! {
            let request = match #value {
                Some(#value) => request.header(#wire, #text),
                None => request,
            };
        }
    }
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
        BodyEncoding::Bytes => quote!(Vec<u8>),
    }
}

/// The expression decoding `response` for one documented response.
fn decode(response: &Response) -> Option<TokenStream> {
    response.body.as_ref().map(|body| match body.encoding {
        BodyEncoding::Json => quote!(response.json()?),
        BodyEncoding::Text => quote!(response.body_text().into_owned()),
        BodyEncoding::Bytes => quote!(response.body().to_vec()),
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
        match response.body.as_ref().map(|body| body.encoding) {
            Some(BodyEncoding::Json) => quote! {{
                let body = response.json()?;
                Err(Error::Status(#error_type::#variant(crate::runtime::TypedResponse { body: Box::new(body), raw: response })))
            }},
            _ => quote!(Err(Error::Status(#error_type::#variant(response)))),
        }
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
        .map(|docs| markdown_to_rustdoc(docs).join(" "))
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

fn error_type(operation: &Operation) -> TokenStream {
    let name = ident(&operation.error_type);
    let doc = format!(
        " The error statuses the spec documents for [`Client::{}`]; each keeps the raw response.",
        operation.method_name.trim_start_matches("r#")
    );
    let variants = operation.errors.iter().map(|response| {
        let variant = ident(&response.variant_name);
        let doc = format!(" {}", response_doc(response));
        let payload = match response.body.as_ref() {
            Some(body) if body.encoding == BodyEncoding::Json => {
                let ty = rust_type(&body.ty);
                quote!(crate::runtime::TypedResponse<#ty>)
            }
            _ => quote!(RawResponse),
        };
        quote!(#[doc = #doc] #variant(#payload),)
    });
    let raw_arms = operation.errors.iter().map(|response| {
        let variant = ident(&response.variant_name);
        match response.body.as_ref() {
            Some(body) if body.encoding == BodyEncoding::Json => {
                quote!(Self::#variant(typed) => &typed.raw,)
            }
            _ => quote!(Self::#variant(raw) => raw,),
        }
    });
    let description_arms = operation.errors.iter().map(|response| {
        let variant = ident(&response.variant_name);
        let text = response
            .docs
            .as_deref()
            .map(|docs| markdown_to_rustdoc(docs).join(" "))
            .unwrap_or_else(|| status_label(response.status));
        quote!(Self::#variant(_) => #text,)
    });
    let (raw_body, formatter, display_body) = if operation.errors.is_empty() {
        (quote!(match *self {}), quote!(_), quote!(match *self {}))
    } else {
        (
            quote!(match self { #(#raw_arms)* }),
            quote!(f),
            quote! {
                let description = match self { #(#description_arms)* };
                write!(f, "{}: {description}", self.raw().status())
            },
        )
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl StatusError for #name {
            fn raw(&self) -> &RawResponse {
                #raw_body
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, #formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display_body
            }
        }

        impl std::error::Error for #name {}
    }
}
