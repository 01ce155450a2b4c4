//! `src/types/`: a Rust type for every schema, one module per component schema (or per inline
//! type of an operation) together with the inline types declared inside it.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, doc_lines, markdown_to_rustdoc, origin_in_words};
use super::{Context, FileShare, chaining_setter, ident, rust_type};
use crate::model::{
    Field, IntEnumDef, Presence, StringEnumDef, StructDef, TypeDef, TypeKind, TypeRef, UnionDef,
    Usage,
};
use crate::naming;

/// `src/types/mod.rs` and one file per module, by path: those of them `share` takes.
pub(super) fn types_files(
    context: &Context<'_>,
    share: &mut FileShare,
) -> Vec<(String, TokenStream)> {
    if context.api.types.is_empty() {
        return Vec::new();
    }
    let modules = type_modules(&context.api.types);
    let by_origin: HashMap<&str, &str> = context
        .api
        .types
        .iter()
        .map(|definition| (definition.origin.as_str(), definition.name.as_str()))
        .collect();
    let names: Vec<proc_macro2::Ident> = modules.iter().map(|(name, _)| ident(name)).collect();
    let gates: Vec<TokenStream> = module_features(&modules)
        .iter()
        .map(|features| context.cfg_features(features.as_ref()))
        .collect();
    let mut files = Vec::new();
    if share.takes_next() {
        files.push((
            "src/types/mod.rs".to_owned(),
            quote! {
                //! The API's types: one per schema, and one per inline object, enum or union. Each
                //! component schema has its own module, with the inline types declared inside it;
                //! everything is re-exported here. A module is compiled with the features of the
                //! operations that use its types.
                #(
                    #gates
                    #[rustfmt::skip]
                    mod #names;
                )*
                #(
                    #gates
                    pub use self::#names::*;
                )*
            },
        ));
    }
    for (module, definitions) in &modules {
        if share.takes_next() {
            let file = format!("src/types/{}.rs", module.trim_start_matches("r#"));
            files.push((file, module_rs(context, &by_origin, definitions)));
        }
    }
    files
}

/// Groups the types by the top-level type they are declared in, found from their origin
/// pointers: an inline type's pointer lies under its owner's. Modules keep the order of their
/// first type and are named after it.
fn type_modules(types: &[TypeDef]) -> Vec<(String, Vec<&TypeDef>)> {
    let by_origin: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(position, definition)| (definition.origin.as_str(), position))
        .collect();
    let mut scope = naming::module_scope();
    let mut module_of_root: HashMap<usize, usize> = HashMap::new();
    let mut modules: Vec<(String, Vec<&TypeDef>)> = Vec::new();
    for (position, definition) in types.iter().enumerate() {
        let mut root = position;
        let mut pointer = definition.origin.as_str();
        while let Some((parent, _)) = pointer.rsplit_once('/') {
            if let Some(&owner) = by_origin.get(parent) {
                root = owner;
            }
            pointer = parent;
        }
        let module = *module_of_root.entry(root).or_insert_with(|| {
            let name = scope.claim(&naming::snake_ident(&types[root].name));
            modules.push((name, Vec::new()));
            modules.len() - 1
        });
        modules[module].1.push(definition);
    }
    modules
}

/// The features that compile each module (in the order of `modules`): the union of its types'
/// [`TypeDef::features`], `None` when it is always compiled. A module is then compiled
/// whenever a module that uses one of its types is, so that every module compiles with any set
/// of features, also when one module holds types that different operations use.
fn module_features(modules: &[(String, Vec<&TypeDef>)]) -> Vec<Option<BTreeSet<String>>> {
    let module_of: HashMap<&str, usize> = modules
        .iter()
        .enumerate()
        .flat_map(|(position, (_, definitions))| {
            definitions
                .iter()
                .map(move |definition| (definition.name.as_str(), position))
        })
        .collect();
    let uses: Vec<BTreeSet<usize>> = modules
        .iter()
        .map(|(_, definitions)| {
            definitions
                .iter()
                .flat_map(|definition| named_types(definition))
                .filter_map(|name| module_of.get(name).copied())
                .collect()
        })
        .collect();
    let mut gates: Vec<Option<BTreeSet<String>>> = modules
        .iter()
        .map(|(_, definitions)| {
            let mut union = BTreeSet::new();
            for definition in definitions {
                if definition.features.is_empty() {
                    return None;
                }
                union.extend(definition.features.iter().cloned());
            }
            Some(union)
        })
        .collect();
    let mut changed = true;
    while changed {
        changed = false;
        for (user, used) in uses.iter().enumerate() {
            for &module in used {
                let widened = match (&gates[user], &gates[module]) {
                    (_, None) => None,
                    (None, Some(_)) => Some(None),
                    (Some(user_gate), Some(gate)) => (!user_gate.is_subset(gate))
                        .then(|| Some(gate.union(user_gate).cloned().collect())),
                };
                if let Some(widened) = widened {
                    gates[module] = widened;
                    changed = true;
                }
            }
        }
    }
    gates
}

/// The names of the types a type mentions, through lists, maps and `Option`s.
fn named_types(definition: &TypeDef) -> Vec<&str> {
    let mut names = Vec::new();
    let mut stack = definition.kind.referenced_types();
    while let Some(type_ref) = stack.pop() {
        match type_ref {
            TypeRef::Named(name) | TypeRef::Boxed(name) => names.push(name.as_str()),
            _ => stack.extend(type_ref.wrapped()),
        }
    }
    names
}

/// One module: its types, and `use` lines for the types of other modules they mention.
fn module_rs(
    context: &Context<'_>,
    by_origin: &HashMap<&str, &str>,
    definitions: &[&TypeDef],
) -> TokenStream {
    let own: BTreeSet<&str> = definitions
        .iter()
        .map(|definition| definition.name.as_str())
        .collect();
    let used: BTreeSet<&str> = definitions
        .iter()
        .flat_map(|definition| named_types(definition))
        .filter(|name| !own.contains(name))
        .collect();
    let imports = (!used.is_empty()).then(|| {
        let used = used.iter().map(|name| ident(name));
        quote!(use super::{#(#used),*};)
    });
    let module_doc = format!(
        " `{}` and the types declared inside it.",
        definitions[0].name
    );
    let definitions = definitions
        .iter()
        .map(|definition| type_def(context, by_origin, definition));
    quote! {
        #![doc = #module_doc]
        #imports
        #(#definitions)*
    }
}

/// A type's docs: the schema's own, else where it comes from, in words (our own text, already
/// rustdoc, so its item links stay links); `by_origin` gives type names by origin pointer.
fn type_docs(by_origin: &HashMap<&str, &str>, definition: &TypeDef) -> TokenStream {
    let mut lines = definition
        .docs
        .as_deref()
        .map(markdown_to_rustdoc)
        .unwrap_or_default();
    if lines.is_empty() {
        lines.push(origin_in_words(&definition.origin, |component| {
            by_origin.get(component).copied()
        }));
    }
    if definition.deprecated
        && let Some(first) = lines.first_mut()
    {
        *first = format!("**Deprecated.** {first}");
    }
    doc_lines(&lines)
}

fn type_def(
    context: &Context<'_>,
    by_origin: &HashMap<&str, &str>,
    definition: &TypeDef,
) -> TokenStream {
    let docs = type_docs(by_origin, definition);
    let name = ident(&definition.name);
    let usage = context.serde_usage(definition.usage);
    match &definition.kind {
        TypeKind::Struct(structure) => struct_def(context, &docs, &name, usage, structure),
        TypeKind::StringEnum(enumeration) => string_enum(&docs, &name, usage, enumeration),
        TypeKind::IntEnum(enumeration) => integer_enum(&docs, &name, usage, enumeration),
        TypeKind::Union(union) => union_def(context, &docs, &definition.name, usage, union),
        TypeKind::Alias(target) => {
            let target = rust_type(target);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

/// The attributes on a type's `Serialize` and `Deserialize` impls: none for the direction the
/// client needs, the `serde-both-ways` feature for the other one.
fn serde_gates(usage: Usage) -> (TokenStream, TokenStream) {
    let gate = quote!(#[cfg(feature = "serde-both-ways")]);
    match (usage.encoded, usage.decoded) {
        (true, false) => (TokenStream::new(), gate),
        (false, true) => (gate, TokenStream::new()),
        _ => (TokenStream::new(), TokenStream::new()),
    }
}

/// The field's type as declared: `Option<T>` unless it is required and not nullable.
fn field_type(field: &Field) -> TokenStream {
    let inner = rust_type(&field.ty);
    match field.presence {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#inner>),
        Presence::OptionalNullable => quote!(crate::Nullable<#inner>),
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
    match field.presence {
        Presence::RequiredNullable => notes.push("Always sent; `None` is sent as `null`."),
        Presence::OptionalNullable => {
            notes.push("Left out while `Absent`; `Null` sends an explicit `null`.");
        }
        Presence::Required | Presence::Optional => {}
    }
    let default_note = field
        .default
        .as_ref()
        .map(|default| format!("Default on the server: `{default}`."));
    notes.extend(default_note.as_deref());
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
    usage: Usage,
    structure: &StructDef,
) -> TokenStream {
    // Flattened members need serde's buffering: only then are the serde impls derived, with
    // the field attributes they read. Every other struct gets the runtime's smaller impls.
    let derive_serde = !structure.flattened.is_empty() || structure.additional_properties.is_some();
    let fields = structure.fields.iter().map(|field| {
        let docs = field_docs(field);
        let rust_name = ident(&field.rust_name);
        let ty = field_type(field);
        let renamed = field.rust_name.trim_start_matches("r#") != field.wire_name;
        let rename = (derive_serde && renamed).then(|| {
            let wire = &field.wire_name;
            quote!(#[serde(rename = #wire)])
        });
        let optional = match field.presence {
            Presence::Optional if derive_serde => {
                Some(quote!(#[serde(default, skip_serializing_if = "Option::is_none")]))
            }
            Presence::OptionalNullable if derive_serde => {
                Some(quote!(#[serde(default, skip_serializing_if = "crate::Nullable::is_absent")]))
            }
            _ => None,
        };
        quote! {
            #docs
            #rename
            #optional
            pub #rust_name: #ty,
        }
    });
    let flattened = structure.flattened.iter().map(|flattened| {
        let rust_name = ident(&flattened.rust_name);
        let ty = rust_type(&flattened.ty);
        quote! {
            /// The alternative this value is, whose properties sit beside the others.
            #[serde(flatten)]
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
    let has_required = !structure.flattened.is_empty()
        || structure
            .fields
            .iter()
            .any(|field| field.presence == Presence::Required);
    let derives = naming::STRUCT_DERIVES
        .iter()
        .map(|derive| ident(derive))
        .chain((!has_required).then(|| ident("Default")));
    // Only servers send a response-only type: callers never build one, so it has no
    // constructor (its fields are public for tests and mocks).
    let constructor =
        (has_required && !usage.response_only()).then(|| constructor(context, structure));
    let setters: Vec<TokenStream> = structure
        .fields
        .iter()
        .filter_map(|field| {
            let setter = field.setter.as_deref()?;
            Some(chaining_setter(
                context,
                setter,
                &field.rust_name,
                &field.ty,
                |value| match field.presence {
                    Presence::OptionalNullable => quote!(crate::Nullable::Value(#value)),
                    _ => quote!(Some(#value)),
                },
            ))
        })
        .collect();
    let methods = (constructor.is_some() || !setters.is_empty()).then(|| {
        quote! {
            impl #name {
                #constructor
                #(#setters)*
            }
        }
    });
    // A derived struct, too, has only the impl of the direction the client needs (its members'
    // types may have only that one); the other derive comes with `serde-both-ways`.
    let (serde_derives, other_derive, serde_impls) = if derive_serde {
        let (needed, other) = match (usage.encoded, usage.decoded) {
            (true, false) => (quote!(serde::Serialize), Some(quote!(serde::Deserialize))),
            (false, true) => (quote!(serde::Deserialize), Some(quote!(serde::Serialize))),
            _ => (quote!(serde::Serialize, serde::Deserialize), None),
        };
        let other =
            other.map(|derive| quote!(#[cfg_attr(feature = "serde-both-ways", derive(#derive))]));
        (Some(needed), other, None)
    } else {
        (None, None, Some(serde_object(name, usage, structure)))
    };
    quote! {
        #docs
        #[derive(#(#derives,)* #serde_derives)]
        #other_derive
        pub struct #name {
            #(#fields)*
            #(#flattened)*
            #extra
        }
        #methods
        #serde_impls
    }
}

/// The runtime's serde impls for a struct without flattened members, from one row per field
/// (see `runtime/objects.rs`); the direction the client does not need is left to the
/// `serde-both-ways` feature.
fn serde_object(name: &proc_macro2::Ident, usage: Usage, structure: &StructDef) -> TokenStream {
    let direction = ident(match (usage.encoded, usage.decoded) {
        (true, false) => "requests",
        (false, true) => "responses",
        _ => "both",
    });
    let fields = structure
        .fields
        .iter()
        .enumerate()
        .map(|(position, field)| {
            let rust_name = ident(&field.rust_name);
            let wire = &field.wire_name;
            let position = proc_macro2::Literal::usize_unsuffixed(position);
            let presence = ident(match field.presence {
                Presence::Required => "required",
                Presence::RequiredNullable => "nullable",
                Presence::Optional | Presence::OptionalNullable => "optional",
            });
            quote!(#position => #rust_name: #wire #presence,)
        });
    quote! {
        crate::runtime::serde_object!(#direction #name {
            #(#fields)*
        });
    }
}

/// `new` taking the required fields, in declaration order; the others start as `None`.
fn constructor(context: &Context<'_>, structure: &StructDef) -> TokenStream {
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
            Presence::OptionalNullable => {
                initializers.push(quote!(#rust_name: crate::Nullable::Absent));
            }
        }
    }
    for flattened in &structure.flattened {
        let rust_name = ident(&flattened.rust_name);
        let ty = rust_type(&flattened.ty);
        arguments.push(quote!(#rust_name: #ty));
        initializers.push(quote!(#rust_name));
    }
    if let Some(extra) = &structure.additional_properties {
        let rust_name = ident(&extra.rust_name);
        initializers.push(quote!(#rust_name: std::collections::BTreeMap::new()));
    }
    let allow = (arguments.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        /// A value with the required fields set and every other field unset.
        #allow
        pub fn new(#(#arguments),*) -> Self {
            Self { #(#initializers),* }
        }
    }
}

fn string_enum(
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    usage: Usage,
    enumeration: &StringEnumDef,
) -> TokenStream {
    let (serialize_gate, deserialize_gate) = serde_gates(usage);
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

        #serialize_gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #deserialize_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

fn integer_enum(
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    usage: Usage,
    enumeration: &IntEnumDef,
) -> TokenStream {
    let (serialize_gate, deserialize_gate) = serde_gates(usage);
    let unknown = ident(&enumeration.unknown_variant);
    let variants = enumeration.variants.iter().map(|variant| {
        let doc = format!(" `{}`", variant.wire_value);
        let rust_name = ident(&variant.rust_name);
        quote!(#[doc = #doc] #rust_name,)
    });
    let as_i64_arms = enumeration.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        let wire = variant.wire_value;
        quote!(Self::#rust_name => #wire,)
    });
    let from_arms = enumeration.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        let wire = variant.wire_value;
        quote!(#wire => Self::#rust_name,)
    });
    let note = format!(
        " Values this client does not know decode into [`{0}`](Self::{0}), which keeps the \
         number and sends it back unchanged.",
        enumeration.unknown_variant
    );
    quote! {
        #docs
        ///
        #[doc = #note]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet, kept as it was received.
            #unknown(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(#as_i64_arms)*
                    Self::#unknown(value) => *value,
                }
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_arms)*
                    other => Self::#unknown(other),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.as_i64())
            }
        }

        #serialize_gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        #deserialize_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(Self::from(i64::deserialize(deserializer)?))
            }
        }
    }
}

/// A union: an enum with one variant per alternative, and serde impls that pick the variant by
/// the discriminator or, without one, by trying each variant in turn.
fn union_def(
    context: &Context<'_>,
    docs: &TokenStream,
    name: &str,
    usage: Usage,
    union: &UnionDef,
) -> TokenStream {
    let (serialize_gate, deserialize_gate) = serde_gates(usage);
    let type_name = ident(name);
    let variants = union.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        let ty = rust_type(&variant.ty);
        let doc = match (&union.discriminator, &variant.tag) {
            (Some(property), Some(tag)) => format!(" `{property}` is `{tag}`."),
            _ => format!(" The `{}` alternative.", ty.to_string().replace(" ", "")),
        };
        quote!(#[doc = #doc] #rust_name(#ty),)
    });
    let unknown = union.unknown_variant.as_ref().map(|unknown| {
        let unknown = ident(unknown);
        quote! {
            /// A value whose tag this client does not know yet, or whose fields do not fit the
            /// type its tag names: kept as it was received.
            #unknown(serde_json::Value),
        }
    });
    let how = match &union.discriminator {
        Some(property) => format!(
            " The `{property}` property says which variant a value is; it is written once, \
             whether or not the variant's type has it."
        ),
        None => " Decoding tries each variant in the order listed and keeps the first one that \
                  knows every property of the value, else the one that knows most of them."
            .to_owned(),
    };
    let (serialize, deserialize) = match (&union.discriminator, &union.unknown_variant) {
        (Some(property), Some(unknown)) => tagged_impls(union, property, unknown),
        _ => untagged_impls(name, union),
    };
    // `From` only for the variant types that one variant alone has (two tags may name one type).
    let from_impls = union
        .variants
        .iter()
        .filter(|variant| {
            let resolved = context.resolve(&variant.ty);
            union
                .variants
                .iter()
                .filter(|other| context.resolve(&other.ty) == resolved)
                .count()
                == 1
        })
        .map(|variant| {
            let rust_name = ident(&variant.rust_name);
            let ty = rust_type(&variant.ty);
            quote! {
                impl From<#ty> for #type_name {
                    fn from(value: #ty) -> Self {
                        Self::#rust_name(value)
                    }
                }
            }
        });
    quote! {
        #docs
        ///
        #[doc = #how]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #type_name {
            #(#variants)*
            #unknown
        }

        #(#from_impls)*

        #serialize_gate
        impl serde::Serialize for #type_name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        #deserialize_gate
        impl<'de> serde::Deserialize<'de> for #type_name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize
            }
        }
    }
}

/// Serialize and deserialize bodies for a union with a discriminator.
fn tagged_impls(union: &UnionDef, property: &str, unknown: &str) -> (TokenStream, TokenStream) {
    let unknown = ident(unknown);
    let tagged: Vec<_> = union
        .variants
        .iter()
        .filter_map(|variant| Some((variant, variant.tag.as_deref()?)))
        .collect();
    let serialize_arms = tagged.iter().map(|(variant, tag)| {
        let rust_name = ident(&variant.rust_name);
        quote! {
            Self::#rust_name(value) => crate::runtime::serialize_tagged(value, #property, #tag, serializer),
        }
    });
    let deserialize_arms = tagged.iter().map(|(variant, tag)| {
        let rust_name = ident(&variant.rust_name);
        let ty = rust_type(&variant.ty);
        quote! {
            Some(#tag) => <#ty as serde::Deserialize>::deserialize(&value).ok().map(Self::#rust_name),
        }
    });
    let serialize = quote! {
        match self {
            #(#serialize_arms)*
            Self::#unknown(value) => serde::Serialize::serialize(value, serializer),
        }
    };
    // The tag decides: a value whose tag names a variant whose type rejects it is kept as it is,
    // never decoded into another variant.
    let deserialize = quote! {
        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
        let decoded = match value.get(#property).and_then(serde_json::Value::as_str) {
            #(#deserialize_arms)*
            _ => None,
        };
        Ok(decoded.unwrap_or(Self::#unknown(value)))
    };
    (serialize, deserialize)
}

/// Serialize and deserialize bodies for a union without a discriminator.
fn untagged_impls(name: &str, union: &UnionDef) -> (TokenStream, TokenStream) {
    let serialize_arms = union.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        quote!(Self::#rust_name(value) => serde::Serialize::serialize(value, serializer),)
    });
    let attempts = variant_attempts(union);
    let message = format!("the value matches no variant of {name}");
    let serialize = quote! {
        match self {
            #(#serialize_arms)*
        }
    };
    let deserialize = quote! {
        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
        #attempts
        Err(serde::de::Error::custom(#message))
    };
    (serialize, deserialize)
}

/// Tries each variant in turn: returns the first whose type decodes the value and knows every
/// property of it, else the one that decodes it and knows most of its properties (the first of
/// equals); falls through when none decodes it.
fn variant_attempts(union: &UnionDef) -> TokenStream {
    let attempts = union.variants.iter().map(|variant| {
        let rust_name = ident(&variant.rust_name);
        let ty = rust_type(&variant.ty);
        let decode = quote!(<#ty as serde::Deserialize>::deserialize(&value));
        match &variant.known_properties {
            Some(known) => quote! {
                if let Ok(decoded) = #decode {
                    let known = &[#(#known),*];
                    let candidate = Self::#rust_name(decoded);
                    if let Some(exact) =
                        crate::runtime::exact_or_keep(candidate, &value, known, &mut fallback)
                    {
                        return Ok(exact);
                    }
                }
            },
            None => quote! {
                if let Ok(decoded) = #decode {
                    return Ok(Self::#rust_name(decoded));
                }
            },
        }
    });
    let uses_fallback = union
        .variants
        .iter()
        .any(|variant| variant.known_properties.is_some());
    if uses_fallback {
        quote! {
            let mut fallback = None;
            #(#attempts)*
            if let Some((_, variant)) = fallback {
                return Ok(variant);
            }
        }
    } else {
        quote!(#(#attempts)*)
    }
}
