//! `src/types.rs`: a Rust type for every schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::{Context, ident, rust_type};
use crate::model::{Field, Presence, StringEnumDef, StructDef, TypeDef, TypeKind, TypeRef};

/// The whole `types.rs` file.
pub(super) fn types_rs(context: &Context<'_>) -> TokenStream {
    let definitions = context
        .api
        .types
        .iter()
        .map(|definition| type_def(context, definition));
    quote! {
        //! The API's types: one per schema, and one per inline object or enum.
        #(#definitions)*
    }
}

fn type_docs(definition: &TypeDef) -> TokenStream {
    let mut text = definition.docs.clone().unwrap_or_default();
    if definition.deprecated {
        text = format!("**Deprecated.** {text}");
    }
    if text.trim().is_empty() {
        text = format!("`{}`", definition.origin);
    }
    doc_attrs(Some(&text))
}

fn type_def(context: &Context<'_>, definition: &TypeDef) -> TokenStream {
    let docs = type_docs(definition);
    let name = ident(&definition.name);
    match &definition.kind {
        TypeKind::Struct(structure) => struct_def(context, &docs, &name, structure),
        TypeKind::StringEnum(enumeration) => string_enum(&docs, &name, enumeration),
        TypeKind::Alias(target) => {
            let target = rust_type(target);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

/// The field's type as declared: `Option<T>` unless it is required and not nullable.
fn field_type(field: &Field) -> TokenStream {
    let inner = rust_type(&field.ty);
    match field.presence {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#inner>),
    }
}

fn field_docs(field: &Field) -> TokenStream {
    let mut text = field.docs.clone().unwrap_or_default();
    let mut notes = Vec::new();
    if field.deprecated {
        notes.push("**Deprecated.**");
    }
    if field.read_only {
        notes.push("Read-only: set by the server.");
    }
    if field.write_only {
        notes.push("Write-only: never sent back by the server.");
    }
    if field.presence == Presence::RequiredNullable {
        notes.push("Always sent; `None` is sent as `null`.");
    }
    if !notes.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&notes.join(" "));
    }
    doc_attrs(Some(text.as_str()).filter(|text| !text.is_empty()))
}

fn struct_def(
    context: &Context<'_>,
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    structure: &StructDef,
) -> TokenStream {
    let fields = structure.fields.iter().map(|field| {
        let docs = field_docs(field);
        let rust_name = ident(&field.rust_name);
        let ty = field_type(field);
        let rename = (field.rust_name.trim_start_matches("r#") != field.wire_name).then(|| {
            let wire = &field.wire_name;
            quote!(#[serde(rename = #wire)])
        });
        let optional = (field.presence == Presence::Optional)
            .then(|| quote!(#[serde(default, skip_serializing_if = "Option::is_none")]));
        quote! {
            #docs
            #rename
            #optional
            pub #rust_name: #ty,
        }
    });
    let extra = structure.additional_properties.as_ref().map(|extra| {
        let rust_name = ident(&extra.rust_name);
        let value = rust_type(&extra.value);
        quote! {
            /// Properties the schema does not list.
            #[serde(flatten)]
            pub #rust_name: std::collections::BTreeMap<String, #value>,
        }
    });
    let has_required = structure
        .fields
        .iter()
        .any(|field| field.presence == Presence::Required);
    let derive_default = (!has_required).then(|| quote!(Default,));
    let constructor = has_required.then(|| constructor(context, name, structure));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #extra
        }
        #constructor
    }
}

/// `new` taking the required fields, in declaration order; the others start as `None`.
fn constructor(
    context: &Context<'_>,
    name: &proc_macro2::Ident,
    structure: &StructDef,
) -> TokenStream {
    let mut arguments = Vec::new();
    let mut initializers = Vec::new();
    for field in &structure.fields {
        let rust_name = ident(&field.rust_name);
        match field.presence {
            Presence::Required => {
                if context.resolve(&field.ty) == &TypeRef::String {
                    arguments.push(quote!(#rust_name: impl Into<String>));
                    initializers.push(quote!(#rust_name: #rust_name.into()));
                } else {
                    let ty = rust_type(&field.ty);
                    arguments.push(quote!(#rust_name: #ty));
                    initializers.push(quote!(#rust_name));
                }
            }
            Presence::RequiredNullable | Presence::Optional => {
                initializers.push(quote!(#rust_name: None));
            }
        }
    }
    if let Some(extra) = &structure.additional_properties {
        let rust_name = ident(&extra.rust_name);
        initializers.push(quote!(#rust_name: std::collections::BTreeMap::new()));
    }
    let allow = (arguments.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #name {
            /// A value with the required fields set and every other field `None`.
            #allow
            pub fn new(#(#arguments),*) -> Self {
                Self { #(#initializers),* }
            }
        }
    }
}

fn string_enum(
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    enumeration: &StringEnumDef,
) -> TokenStream {
    let unknown = ident(&enumeration.unknown_variant);
    let variants = enumeration.variants.iter().map(|variant| {
        let doc = format!(" `{}`", variant.wire_value);
        let rust_name = ident(&variant.rust_name);
        quote!(#[doc = #doc] #rust_name,)
    });
    let as_str_arms = enumeration.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        let wire = &variant.wire_value;
        quote!(Self::#rust_name => #wire,)
    });
    let from_arms = enumeration.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        let wire = &variant.wire_value;
        quote!(#wire => Self::#rust_name,)
    });
    let note = format!(
        " Values this client does not know decode into [`{0}`](Self::{0}), which keeps the \
         text and sends it back unchanged.",
        enumeration.unknown_variant
    );
    quote! {
        #docs
        ///
        #[doc = #note]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[allow(clippy::enum_variant_names)]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet, kept as it was received.
            #unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_arms)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}
