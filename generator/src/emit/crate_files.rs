//! `Cargo.toml` and `src/lib.rs`: the crate's manifest, documentation and re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{inline_rustdoc, markdown_to_rustdoc};
use super::operations::{Passing, passing};
use super::{Context, api_uses};
use crate::model::{Argument, BodyEncoding, Operation, Presence, TypeKind, TypeRef};
use crate::naming;

/// The manifest: only the dependencies this spec needs.
pub(super) fn cargo_toml(context: &Context<'_>) -> String {
    format!(
        "{header}\n[package]\nname = \"{name}\"\n{package}\n\n\
         [features]\n{tag_features}\
         # A `tracing` span per call (operation id, method, path template, status, attempt).\n\
         tracing = [\"dep:tracing\"]\n\
         # `Serialize` also for the types only servers send, and `Deserialize` also for those\n\
         # only callers send (to store, forward or mock values); the client needs neither.\n\
         serde-both-ways = []\n\n\
         [dependencies]\n{dependencies}\n",
        header = context.header("#"),
        name = context.options.crate_name,
        package = super::manifest::package_metadata(context).join("\n"),
        tag_features = tag_features(context.api),
        dependencies = dependencies(context).join("\n"),
    )
}

/// The `[dependencies]` lines: the runtime's, the formats' (`chrono`, `uuid`) when the spec
/// uses them, and the configuration's; sorted.
pub(super) fn dependencies(context: &Context<'_>) -> Vec<String> {
    let api = context.api;
    // `bytes`, `futures-core`, `http-body` and `tokio` are already in reqwest's tree: they add
    // no crate to the build, only names for the runtime's streams, bodies and timers.
    let mut dependencies = vec![
        "bytes = \"1\"",
        "futures-core = \"0.3\"",
        "http-body = \"1\"",
        "percent-encoding = \"2\"",
        "reqwest = \"0.13\"",
        "serde = { version = \"1\", features = [\"derive\"] }",
        "serde_json = \"1\"",
        "serde_path_to_error = \"0.1\"",
        "tokio = { version = \"1\", features = [\"time\"] }",
        "tracing = { version = \"0.1\", default-features = false, features = [\"std\"], optional = true }",
    ];
    if api_uses(api, &|ty| matches!(ty, TypeRef::DateTime | TypeRef::Date)) {
        dependencies.push(
            "chrono = { version = \"0.4.40\", default-features = false, features = [\"serde\", \"std\"] }",
        );
    }
    if api_uses(api, &|ty| matches!(ty, TypeRef::Uuid)) {
        dependencies.push("uuid = { version = \"1\", features = [\"serde\"] }");
    }
    let mut dependencies: Vec<String> = dependencies.into_iter().map(str::to_owned).collect();
    dependencies.extend(super::manifest::extra_dependencies(context));
    dependencies.sort_unstable();
    dependencies
}

/// The `[features]` lines of the tags: `default` and `full` enable every tag (and `full` the
/// types no operation uses); each tag's feature compiles its operations and the types they use.
fn tag_features(api: &crate::model::Api) -> String {
    let quoted = |name: &str| format!("\"{name}\"");
    let mut all: Vec<String> = api
        .features
        .iter()
        .map(|feature| quoted(&feature.name))
        .collect();
    all.sort();
    let full = naming::FULL_FEATURE;
    let mut lines = vec![
        format!("default = [\"{full}\"]"),
        "# Every tag's operations, and the types no operation uses.".to_owned(),
    ];
    if all.is_empty() {
        lines.push(format!("{full} = []"));
    } else {
        lines.push(format!("{full} = ["));
        lines.extend(all.iter().map(|name| format!("    {name},")));
        lines.push("]".to_owned());
    }
    for feature in &api.features {
        let tag = match &feature.tag {
            Some(tag) => format!("tagged `{}`", tag.replace('\n', " ")),
            None => "without a tag".to_owned(),
        };
        lines.push(format!("# The operations {tag}, and the types they use."));
        lines.push(format!("{} = []", feature.name));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// `src/lib.rs`: crate docs with an example, the modules and the re-exports.
pub(super) fn lib_rs(context: &Context<'_>) -> TokenStream {
    let api = context.api;
    let mut lines = vec![
        format!("# {} client", inline_rustdoc(&api.title)),
        String::new(),
    ];
    lines.push(format!(
        "A typed, async client for {} (version {}), generated from its OpenAPI document.",
        inline_rustdoc(&super::api_name(api)),
        inline_rustdoc(&api.version)
    ));
    if let Some(description) = &api.description {
        lines.push(String::new());
        lines.extend(markdown_to_rustdoc(description));
    }
    lines.push(String::new());
    lines.push("# Example".to_owned());
    lines.push(String::new());
    lines.extend(example(context));
    lines.push(String::new());
    lines.push(
        "Every operation is a method on [`Client`] that returns a [`Call`]: awaited, it gives \
         the documented success type, or an [`Error`], whose [`Error::Status`] holds the \
         operation's own error type, with a variant per documented status that keeps the raw \
         response. Before it is awaited, a call takes per-call options (timeout, retry policy, \
         headers), and `.with_response()` or `.byte_stream()` also give the status and headers. \
         Retries, timeouts, hooks and credentials are set on the [`ClientBuilder`]."
            .to_owned(),
    );
    let docs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    // A spec without component or inline schemas has no types module: an empty glob re-export
    // would warn.
    let (types_module, types_export) = if api.types.is_empty() {
        (None, None)
    } else {
        (
            Some(quote! {
                #[rustfmt::skip]
                pub mod types;
            }),
            Some(quote!(
                #[allow(unused_imports, reason = "no tag's feature may be enabled")]
                pub use types::*;
            )),
        )
    };
    // Without operations the glob re-export would import nothing, and warn; so would it when
    // no tag's feature is enabled.
    let operations_export = (!api.operations.is_empty()).then(|| {
        quote!(
            #[allow(unused_imports, reason = "no tag's feature may be enabled")]
            pub use operations::*;
        )
    });
    quote! {
        #(#docs)*

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        #[allow(dead_code, unused_imports, reason = "the runtime serves every spec; this one may not use all of it")]
        mod runtime;
        #types_module

        pub use client::*;
        #operations_export
        pub use runtime::*;
        #types_export
    }
}

/// A doctest that builds a client and calls the first operation whose arguments it can make.
fn example(context: &Context<'_>) -> Vec<String> {
    let mut code = vec!["```no_run".to_owned()];
    let (imports, body) = example_code(context);
    code.extend(imports);
    code.push(String::new());
    code.push("# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned());
    code.extend(body);
    code.extend(["# Ok(())".to_owned(), "# }".to_owned(), "```".to_owned()]);
    code
}

/// The example's `use` lines and its statements: build a client with the first security
/// scheme's credential (from the environment variable the client also reads, when there is
/// one), and call the first operation whose arguments it can make.
pub(super) fn example_code(context: &Context<'_>) -> (Vec<String>, Vec<String>) {
    let crate_ident = context.options.crate_name.replace('-', "_");
    let schemes = &context.api.security_schemes;
    let scheme = schemes
        .iter()
        .find(|scheme| scheme.env_var.is_some())
        .or_else(|| schemes.first());
    let credential = scheme
        .map(|scheme| {
            let method = scheme.method_name.trim_start_matches("r#");
            let variable = scheme.env_var.as_deref().unwrap_or("API_TOKEN");
            match scheme.kind {
                crate::model::SecurityKind::Basic => {
                    format!("\n    .{method}(\"user\", std::env::var(\"API_PASSWORD\")?)")
                }
                _ => format!("\n    .{method}(std::env::var(\"{variable}\")?)"),
            }
        })
        .unwrap_or_default();
    let call = context
        .api
        .operations
        .iter()
        .find_map(|operation| example_call(context, operation));
    let imports = vec![format!("use {crate_ident}::{{Client, Error}};")];
    let mut body: Vec<String> =
        format!("let client = Client::builder(){credential}\n    .build()?;")
            .lines()
            .map(str::to_owned)
            .collect();
    if let Some((method, arguments)) = call {
        body.extend([
            format!("match client.{method}({arguments}).await {{"),
            "    Ok(value) => println!(\"{value:?}\"),".to_owned(),
            "    Err(Error::Status(error)) => eprintln!(\"documented error: {error}\"),".to_owned(),
            "    Err(error) => return Err(error.into()),".to_owned(),
            "}".to_owned(),
        ]);
    }
    (imports, body)
}

/// The method name and argument list for calling `operation` with example values.
fn example_call(context: &Context<'_>, operation: &Operation) -> Option<(String, String)> {
    if operation.deprecated {
        return None;
    }
    let crate_ident = context.options.crate_name.replace('-', "_");
    let mut arguments = Vec::new();
    for argument in &operation.arguments {
        let text = match argument {
            Argument::Parameter(rust_name) => {
                let parameter = operation
                    .parameters
                    .iter()
                    .find(|parameter| &parameter.rust_name == rust_name)?;
                if parameter.required {
                    example_argument(context, &parameter.ty, 0)?
                } else {
                    "None".to_owned()
                }
            }
            Argument::Body => {
                let body = operation.body.as_ref()?;
                match body.encoding {
                    BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
                        example_argument(context, &body.ty, 0)?
                    }
                    BodyEncoding::Text => "\"example\"".to_owned(),
                    BodyEncoding::Bytes => "Vec::<u8>::new()".to_owned(),
                }
            }
            Argument::Options => format!(
                "{crate_ident}::{}::default()",
                operation.options_type.as_deref()?
            ),
        };
        arguments.push(text);
    }
    Some((operation.method_name.clone(), arguments.join(", ")))
}

/// An argument expression of type `ty`, passed as operation methods take it.
fn example_argument(context: &Context<'_>, ty: &TypeRef, depth: usize) -> Option<String> {
    let value = example_value(context, ty, depth)?;
    Some(match passing(context, ty) {
        Passing::Str => "\"example\"".to_owned(),
        Passing::Slice => "&[]".to_owned(),
        Passing::Value => value,
        Passing::Reference => format!("&{value}"),
    })
}

/// An owned example value of type `ty`, or `None` when it would be too deep to write.
fn example_value(context: &Context<'_>, ty: &TypeRef, depth: usize) -> Option<String> {
    if depth > 3 {
        return None;
    }
    Some(match ty {
        TypeRef::String => "\"example\".to_owned()".to_owned(),
        TypeRef::Bool => "false".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "1".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "1.0".to_owned(),
        TypeRef::Uuid => "uuid::Uuid::nil()".to_owned(),
        TypeRef::DateTime => "chrono::DateTime::UNIX_EPOCH".to_owned(),
        TypeRef::Date => "chrono::NaiveDate::MIN".to_owned(),
        TypeRef::Bytes | TypeRef::List(_) => "Vec::new()".to_owned(),
        TypeRef::Json => "serde_json::Value::Null".to_owned(),
        TypeRef::External(_) | TypeRef::File => return None,
        TypeRef::Map(_) => "std::collections::BTreeMap::new()".to_owned(),
        TypeRef::Nullable(_) => "None".to_owned(),
        TypeRef::Boxed(name) => format!(
            "Box::new({})",
            example_value(context, &TypeRef::Named(name.clone()), depth)?
        ),
        TypeRef::Named(name) => {
            let definition = context.types.get(name.as_str())?;
            let crate_ident = context.options.crate_name.replace('-', "_");
            let path = format!("{crate_ident}::{name}");
            match &definition.kind {
                TypeKind::Alias(target) => example_value(context, target, depth)?,
                TypeKind::StringEnum(enumeration) => match enumeration.variants.first() {
                    Some(variant) => format!("{path}::{}", variant.rust_name),
                    None => format!("{path}::{}(String::new())", enumeration.unknown_variant),
                },
                TypeKind::IntEnum(enumeration) => match enumeration.variants.first() {
                    Some(variant) => format!("{path}::{}", variant.rust_name),
                    None => format!("{path}::{}(0)", enumeration.unknown_variant),
                },
                TypeKind::Union(union) => {
                    let variant = union.variants.first()?;
                    let value = example_value(context, &variant.ty, depth + 1)?;
                    format!("{path}::{}({value})", variant.rust_name)
                }
                TypeKind::Struct(structure) => {
                    let required: Vec<_> = structure
                        .fields
                        .iter()
                        .filter(|field| field.presence == Presence::Required)
                        .map(|field| &field.ty)
                        .chain(structure.flattened.iter().map(|flattened| &flattened.ty))
                        .collect();
                    if required.is_empty() {
                        format!("{path}::default()")
                    } else {
                        let arguments = required
                            .iter()
                            .map(|ty| match context.resolve(ty) {
                                TypeRef::String => Some("\"example\"".to_owned()),
                                _ => example_value(context, ty, depth + 1),
                            })
                            .collect::<Option<Vec<_>>>()?;
                        format!("{path}::new({})", arguments.join(", "))
                    }
                }
            }
        }
    })
}
