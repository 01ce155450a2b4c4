//! Schemas to types: primitives and formats, inline types, enums, and allOf merging.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use super::refs::component_key;
use crate::diagnostics::pointer_push;
use crate::model::{
    EnumVariant, Field, Flattened, IntEnumDef, IntEnumVariant, Presence, StringEnumDef, StructDef,
    TypeKind, TypeRef, UnionDef, UnionVariant,
};
use crate::naming::{self, Scope};

/// A schema as it stands in the document: a reference or an inline schema.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'a> {
    /// `$ref: …`.
    Reference(&'a str),
    /// An inline schema.
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(schema: &'a ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Self::Reference(reference),
            ReferenceOr::Item(item) => Self::Inline(item),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(schema: &'a ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Self::Reference(reference),
            ReferenceOr::Item(item) => Self::Inline(item),
        }
    }
}

/// The lowered type of a schema and whether the schema allows `null`.
pub(super) struct Lowered {
    pub(super) ty: TypeRef,
    pub(super) nullable: bool,
}

impl Lowered {
    /// The type of a list item or map value: `Option<T>` when the schema allows `null`.
    fn or_null(self) -> TypeRef {
        if self.nullable {
            TypeRef::Nullable(Box::new(self.ty))
        } else {
            self.ty
        }
    }
}

/// The properties gathered for one struct, possibly from several allOf members.
#[derive(Default)]
struct Gathered {
    properties: IndexMap<String, GatheredProperty>,
    required: BTreeSet<String>,
    additional_properties: Option<TypeRef>,
    /// Union-typed allOf members, kept whole beside the properties: field name and type.
    flattened: Vec<(String, TypeRef)>,
    /// Pointers of the schemas already merged, to stop on allOf cycles.
    visited: BTreeSet<String>,
}

struct GatheredProperty {
    lowered: Lowered,
    read_only: bool,
    write_only: bool,
    docs: Option<String>,
    default: Option<String>,
    deprecated: bool,
}

/// The object-like parts of a schema, whichever form it was written in.
struct ObjectParts<'a> {
    properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'a [String],
    additional_properties: Option<&'a AdditionalProperties>,
    all_of: &'a [ReferenceOr<Schema>],
    /// `oneOf`/`anyOf` members written beside the properties.
    alternatives: &'a [ReferenceOr<Schema>],
}

fn object_parts(schema: &Schema) -> Option<ObjectParts<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(ObjectParts {
            properties: &object.properties,
            required: &object.required,
            additional_properties: object.additional_properties.as_ref(),
            all_of: &[],
            alternatives: &[],
        }),
        SchemaKind::Any(any) if !any.properties.is_empty() || !any.all_of.is_empty() => {
            Some(ObjectParts {
                properties: &any.properties,
                required: &any.required,
                additional_properties: any.additional_properties.as_ref(),
                all_of: &any.all_of,
                alternatives: if any.one_of.is_empty() {
                    &any.any_of
                } else {
                    &any.one_of
                },
            })
        }
        _ => None,
    }
}

/// The allOf members that say something: `{}` members (often left by editors) are dropped.
fn meaningful_members(all_of: &[ReferenceOr<Schema>]) -> Vec<&ReferenceOr<Schema>> {
    all_of
        .iter()
        .filter(|member| match member {
            ReferenceOr::Reference { .. } => true,
            ReferenceOr::Item(schema) => {
                !matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == Default::default())
            }
        })
        .collect()
}

/// Whether a schema becomes a struct of its own.
fn is_struct(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => meaningful_members(all_of).len() > 1,
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::Any(_) => object_parts(schema).is_some(),
        _ => false,
    }
}

/// The alternatives of a schema that is a union: `oneOf` or `anyOf` with nothing beside them but
/// a discriminator (a `type: object` or `required` next to them is implied by the members).
fn union_members(schema: &Schema) -> Option<&[ReferenceOr<Schema>]> {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members }
            if !members.is_empty() =>
        {
            Some(members)
        }
        SchemaKind::Any(any) if any.properties.is_empty() && any.all_of.is_empty() => {
            [&any.one_of, &any.any_of]
                .into_iter()
                .find(|members| !members.is_empty())
                .map(Vec::as_slice)
        }
        _ => None,
    }
}

/// The keyword a union's members stand under, for pointers.
fn union_keyword(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        SchemaKind::AnyOf { .. } => "anyOf",
        SchemaKind::Any(any) if any.one_of.is_empty() => "anyOf",
        _ => "oneOf",
    }
}

/// The values of an enum schema, whichever form it was written in (`type: string` with `enum`, or
/// an `enum` without a `type`). `null` entries are not values: they make the schema nullable
/// (see [`enum_allows_null`]).
enum EnumValues {
    /// Every value is a string.
    Strings(Vec<String>),
    /// Every value is an integer.
    Integers(Vec<i64>),
}

fn enum_values(schema: &Schema) -> Option<EnumValues> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
            (!values.is_empty()).then_some(EnumValues::Strings(values))
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            let values: Vec<i64> = integer.enumeration.iter().flatten().copied().collect();
            (!values.is_empty()).then_some(EnumValues::Integers(values))
        }
        SchemaKind::Any(any) if is_plain_enum(any) => {
            let values: Vec<&serde_json::Value> = any
                .enumeration
                .iter()
                .filter(|value| !value.is_null())
                .collect();
            if values.is_empty() {
                return None;
            }
            let strings: Option<Vec<String>> = values
                .iter()
                .map(|value| value.as_str().map(str::to_owned))
                .collect();
            let integers: Option<Vec<i64>> = values.iter().map(|value| value.as_i64()).collect();
            match (strings, integers) {
                (Some(strings), _) => Some(EnumValues::Strings(strings)),
                (None, Some(integers)) => Some(EnumValues::Integers(integers)),
                (None, None) => None,
            }
        }
        _ => None,
    }
}

/// Whether an untyped schema is only an `enum` (no properties, members or items beside it).
fn is_plain_enum(any: &openapiv3::AnySchema) -> bool {
    !any.enumeration.is_empty()
        && any.properties.is_empty()
        && any.items.is_none()
        && any.one_of.is_empty()
        && any.any_of.is_empty()
        && any.all_of.is_empty()
}

/// Whether an `enum` lists `null` among its values.
fn enum_allows_null(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string.enumeration.contains(&None),
        SchemaKind::Type(Type::Integer(integer)) => integer.enumeration.contains(&None),
        SchemaKind::Any(any) => any.enumeration.iter().any(serde_json::Value::is_null),
        _ => false,
    }
}

/// Whether a schema only allows `null`: an `enum` of `null` alone, or `type: "null"`. As a
/// union member it makes the union nullable instead of being a variant.
fn is_null_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            !string.enumeration.is_empty() && string.enumeration.iter().all(Option::is_none)
        }
        SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("null")
                || (is_plain_enum(any) && any.enumeration.iter().all(serde_json::Value::is_null))
        }
        _ => false,
    }
}

/// The doc text of a schema: its title and description.
pub(super) fn schema_docs(data: &SchemaData) -> Option<String> {
    let parts: Vec<&str> = [data.title.as_deref(), data.description.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// The name of a type nested in `owner` under `member`: `Organization` + `organization_plan`
/// gives `OrganizationPlan`, `Organization` + `settings` gives `OrganizationSettings`.
pub(super) fn nested_name(owner: &str, member: &str) -> String {
    let member = member.to_upper_camel_case();
    if member.starts_with(owner) {
        member
    } else {
        format!("{owner}{member}")
    }
}

impl<'a> Lowerer<'a> {
    /// The type of a schema that stands at `pointer`. Inline objects and enums become named
    /// types called `hint`.
    pub(super) fn type_of(&mut self, schema: SchemaRef<'a>, hint: &str, pointer: &str) -> Lowered {
        match schema {
            SchemaRef::Reference(reference) => Lowered {
                ty: self.component_type(reference, pointer),
                nullable: self.component_is_nullable(reference),
            },
            SchemaRef::Inline(schema) => {
                let ty = self.type_of_inline(schema, hint, pointer);
                Lowered {
                    ty: ty.ty,
                    nullable: ty.nullable || self.allows_null(schema),
                }
            }
        }
    }

    /// The type of the component schema `reference` points to, written at `pointer`.
    fn component_type(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let key = component_key(reference, "schemas");
        if let Some(path) = key.as_ref().and_then(|key| self.mapped_components.get(key)) {
            return TypeRef::External(path.clone());
        }
        let name = key.and_then(|key| self.component_names.get(&key)).cloned();
        match name {
            Some(name) => TypeRef::Named(name),
            None => {
                self.dangling(
                    pointer,
                    reference,
                    "the value is kept as any JSON value",
                    false,
                );
                TypeRef::Json
            }
        }
    }

    /// The Rust type the configuration maps a string format to.
    fn mapped_format(&self, format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<String> {
        let name = match format {
            VariantOrUnknownOrEmpty::Item(known) => match known {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            },
            VariantOrUnknownOrEmpty::Unknown(name) => name,
            VariantOrUnknownOrEmpty::Empty => return None,
        };
        self.config.format_type(name).map(str::to_owned)
    }

    /// Whether the component schema `reference` points to (through `$ref` chains) allows `null`.
    fn component_is_nullable(&self, reference: &str) -> bool {
        self.peek_reference(reference)
            .is_some_and(|schema| self.allows_null(schema))
    }

    /// The inline schema a component reference finally points to, through `$ref` chains, without
    /// reporting anything (the places that lower the reference report a dangling one).
    fn peek_reference(&self, reference: &str) -> Option<&'a Schema> {
        let components = self.document.components.as_ref()?;
        let mut reference = reference;
        for _ in 0..64 {
            let target =
                component_key(reference, "schemas").and_then(|key| components.schemas.get(&key))?;
            match target {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    /// [`Self::peek_reference`] for a schema that may be inline.
    fn peek(&self, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.peek_reference(reference),
        }
    }

    /// Whether a schema allows `null`: `nullable: true`, `null` among its `enum` values, or a
    /// union member that only allows `null`.
    fn allows_null(&self, schema: &'a Schema) -> bool {
        schema.schema_data.nullable
            || enum_allows_null(schema)
            || union_members(schema).is_some_and(|members| {
                members
                    .iter()
                    .any(|member| self.peek(member).is_some_and(is_null_only))
            })
    }

    /// The members of a union that are alternatives, with their position: those that only
    /// allow `null` are left out (they make the union nullable). `None` when the schema is not
    /// a union or has no alternative left.
    fn union_variant_members(
        &self,
        schema: &'a Schema,
    ) -> Option<Vec<(usize, &'a ReferenceOr<Schema>)>> {
        let members: Vec<(usize, &'a ReferenceOr<Schema>)> = union_members(schema)?
            .iter()
            .enumerate()
            .filter(|(_, member)| !self.peek(member).is_some_and(is_null_only))
            .collect();
        (!members.is_empty()).then_some(members)
    }

    /// Whether a schema becomes a union type.
    fn is_union(&self, schema: &'a Schema) -> bool {
        self.union_variant_members(schema).is_some()
    }

    fn type_of_inline(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> Lowered {
        let plain = |ty| Lowered {
            ty,
            nullable: false,
        };
        if let Some(path) = self.rust_type_extension(schema, pointer) {
            return plain(TypeRef::External(path));
        }
        if schema.schema_data.discriminator.is_none()
            && let Some([(index, member)]) = self.union_variant_members(schema).as_deref()
        {
            // One alternative once `null` members are set aside: that alternative.
            let member_pointer = pointer_push(
                &pointer_push(pointer, union_keyword(schema)),
                &index.to_string(),
            );
            return self.type_of(SchemaRef::from(*member), hint, &member_pointer);
        }
        let named = is_struct(schema) || enum_values(schema).is_some() || self.is_union(schema);
        if named {
            return plain(self.inline_type(schema, hint, pointer));
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string))
                if let Some(path) = self.mapped_format(&string.format) =>
            {
                plain(TypeRef::External(path))
            }
            SchemaKind::Type(Type::String(string)) => plain(match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Bytes,
                VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => TypeRef::Uuid,
                _ => TypeRef::String,
            }),
            SchemaKind::Type(Type::Number(number)) => plain(match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Integer(integer)) => plain(match integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => plain(TypeRef::Bool),
            SchemaKind::Type(Type::Array(array)) => {
                plain(self.list_of(array.items.as_ref(), hint, pointer))
            }
            SchemaKind::Type(Type::Object(object)) => {
                plain(self.map_of(object.additional_properties.as_ref(), hint, pointer))
            }
            SchemaKind::AllOf { all_of } => match meaningful_members(all_of).first() {
                Some(member) => {
                    let member_pointer = pointer_push(&pointer_push(pointer, "allOf"), "0");
                    self.type_of(SchemaRef::from(*member), hint, &member_pointer)
                }
                None => plain(TypeRef::Json),
            },
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => plain(TypeRef::Json),
            SchemaKind::Not { .. } => {
                self.warn(
                    pointer,
                    "`not` cannot be expressed as a Rust type; the value is kept as JSON",
                );
                plain(TypeRef::Json)
            }
            SchemaKind::Any(any) => match (&any.items, any.typ.as_deref()) {
                (Some(items), _) => plain(self.list_of(Some(items), hint, pointer)),
                (None, Some("object")) => {
                    plain(self.map_of(any.additional_properties.as_ref(), hint, pointer))
                }
                _ => plain(TypeRef::Json),
            },
        }
    }

    fn list_of(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let item = match items {
            Some(items) => {
                let item_hint = format!("{hint}Item");
                let item_pointer = pointer_push(pointer, "items");
                self.type_of(SchemaRef::from(items), &item_hint, &item_pointer)
                    .or_null()
            }
            None => TypeRef::Json,
        };
        TypeRef::List(Box::new(item))
    }

    fn map_of(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let value = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value_hint = format!("{hint}Value");
                let value_pointer = pointer_push(pointer, "additionalProperties");
                self.type_of(
                    SchemaRef::from(schema.as_ref()),
                    &value_hint,
                    &value_pointer,
                )
                .or_null()
            }
            _ => TypeRef::Json,
        };
        TypeRef::Map(Box::new(value))
    }

    /// A named type for an inline schema, made once per schema pointer.
    fn inline_type(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> TypeRef {
        if let Some(existing) = self.inline_types.get(pointer) {
            return existing.clone();
        }
        let name = self.claim_type_name(hint);
        let ty = TypeRef::Named(name.clone());
        self.inline_types.insert(pointer.to_owned(), ty.clone());
        self.define_type(name, SchemaRef::Inline(schema), pointer);
        ty
    }

    /// The union of the `oneOf`/`anyOf` members written beside the properties of `schema` (at
    /// `pointer`): the object holds those properties and, flattened beside them, the alternative
    /// it is, as for an allOf with a oneOf member. `None` when there is no alternative.
    fn alternatives_beside_properties(
        &mut self,
        schema: &'a Schema,
        alternatives: &'a [ReferenceOr<Schema>],
        pointer: &str,
        owner: &str,
    ) -> Option<TypeRef> {
        let members: Vec<(usize, &'a ReferenceOr<Schema>)> = alternatives
            .iter()
            .enumerate()
            .filter(|(_, member)| !self.peek(member).is_some_and(is_null_only))
            .collect();
        if members.is_empty() {
            return None;
        }
        let union_pointer = pointer_push(pointer, union_keyword(schema));
        if let Some(existing) = self.inline_types.get(&union_pointer) {
            return Some(existing.clone());
        }
        let name = self.claim_type_name(&nested_name(owner, "variant"));
        let ty = TypeRef::Named(name.clone());
        self.inline_types.insert(union_pointer.clone(), ty.clone());
        let slot = self.types.len();
        self.types.push(crate::model::TypeDef {
            name: name.clone(),
            origin: union_pointer,
            docs: None,
            deprecated: false,
            usage: crate::model::Usage::default(),
            features: Vec::new(),
            kind: TypeKind::Alias(TypeRef::Json),
        });
        let union = self.union_of(&name, schema, &members, pointer);
        self.types[slot].kind = TypeKind::Union(union);
        Some(ty)
    }

    /// The body of a named type: a struct, an enum, or an alias.
    pub(super) fn lower_type_body(
        &mut self,
        name: &str,
        schema: SchemaRef<'a>,
        pointer: &str,
    ) -> (TypeKind, Option<String>, bool) {
        let schema = match schema {
            SchemaRef::Reference(_) => {
                let target = self.type_of(schema, name, pointer).ty;
                return (TypeKind::Alias(target), None, false);
            }
            SchemaRef::Inline(schema) => schema,
        };
        let docs = schema_docs(&schema.schema_data);
        let deprecated = schema.schema_data.deprecated;
        let kind = if let Some(values) = enum_values(schema) {
            match values {
                EnumValues::Strings(values) => TypeKind::StringEnum(string_enum(&values)),
                EnumValues::Integers(values) => {
                    TypeKind::IntEnum(integer_enum(&values, &schema.schema_data))
                }
            }
        } else if let Some(members) = self.union_variant_members(schema) {
            match members.as_slice() {
                // A union left with one alternative once `null` members are set aside is that
                // alternative.
                [(index, member)] if schema.schema_data.discriminator.is_none() => {
                    let keyword = union_keyword(schema);
                    let member_pointer =
                        pointer_push(&pointer_push(pointer, keyword), &index.to_string());
                    let hint = nested_name(name, &variant_word(member, *index));
                    TypeKind::Alias(
                        self.type_of(SchemaRef::from(*member), &hint, &member_pointer)
                            .ty,
                    )
                }
                _ => TypeKind::Union(self.union_of(name, schema, &members, pointer)),
            }
        } else if is_struct(schema) {
            TypeKind::Struct(self.struct_of(name, schema, pointer))
        } else {
            TypeKind::Alias(self.type_of_inline(schema, name, pointer).ty)
        };
        (kind, docs, deprecated)
    }

    /// One flat struct from an object schema or an allOf of them.
    fn struct_of(&mut self, name: &str, schema: &'a Schema, pointer: &str) -> StructDef {
        let mut gathered = Gathered::default();
        self.gather(schema, pointer, name, &mut gathered);
        if gathered.flattened.is_empty() {
            self.declare_required_only(&mut gathered, pointer);
        }
        let mut scope = Scope::new();
        // The configuration renames properties of component schemas, by `Schema.property`.
        let component = pointer
            .strip_prefix("#/components/schemas/")
            .filter(|key| !key.contains('/'));
        let fields = gathered
            .properties
            .into_iter()
            .map(|(wire_name, property)| {
                let renamed = component.and_then(|key| {
                    self.config.rename.properties.get(&format!(
                        "{}.{wire_name}",
                        key.replace("~1", "/").replace("~0", "~")
                    ))
                });
                let required = gathered.required.contains(&wire_name);
                let presence = match (required, property.lowered.nullable) {
                    (true, false) => Presence::Required,
                    (true, true) => Presence::RequiredNullable,
                    (false, false) => Presence::Optional,
                    (false, true) => Presence::OptionalNullable,
                };
                Field {
                    rust_name: scope.claim(&naming::snake_ident(renamed.unwrap_or(&wire_name))),
                    wire_name,
                    ty: property.lowered.ty,
                    presence,
                    read_only: property.read_only,
                    write_only: property.write_only,
                    docs: property.docs,
                    default: property.default,
                    deprecated: property.deprecated,
                    setter: None,
                }
            })
            .collect();
        let flattened = gathered
            .flattened
            .into_iter()
            .map(|(field_name, ty)| Flattened {
                rust_name: scope.claim(&naming::snake_ident(&field_name)),
                ty,
            })
            .collect();
        let additional_properties =
            gathered
                .additional_properties
                .map(|value| crate::model::ExtraProperties {
                    rust_name: scope.claim("additional_properties"),
                    value,
                });
        StructDef {
            fields,
            flattened,
            additional_properties,
        }
    }

    /// Adds the properties of `schema` (and of its allOf members, in order) to `gathered`.
    /// Inline property types are named after `owner`, the schema that declares them.
    fn gather(&mut self, schema: &'a Schema, pointer: &str, owner: &str, gathered: &mut Gathered) {
        if !gathered.visited.insert(pointer.to_owned()) {
            return;
        }
        let all_of: &'a [ReferenceOr<Schema>] = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            _ => match object_parts(schema) {
                Some(parts) => {
                    self.gather_object(&parts, pointer, owner, gathered);
                    if let Some(ty) = self.alternatives_beside_properties(
                        schema,
                        parts.alternatives,
                        pointer,
                        owner,
                    ) && !gathered.flattened.iter().any(|(_, known)| *known == ty)
                    {
                        gathered.flattened.push(("variant".to_owned(), ty));
                    }
                    parts.all_of
                }
                None => {
                    if !matches!(&schema.schema_kind, SchemaKind::Any(_)) {
                        self.warn(
                            pointer,
                            "this allOf member is not an object; it adds no properties",
                        );
                    }
                    &[]
                }
            },
        };
        for (index, member) in all_of.iter().enumerate() {
            let member_pointer = pointer_push(&pointer_push(pointer, "allOf"), &index.to_string());
            let member_owner = match member {
                ReferenceOr::Reference { reference } => component_key(reference, "schemas")
                    .and_then(|key| self.component_names.get(&key))
                    .cloned()
                    .unwrap_or_else(|| owner.to_owned()),
                ReferenceOr::Item(_) => owner.to_owned(),
            };
            let Some((resolved, resolved_pointer)) =
                self.resolve_schema(member, &member_pointer, "this allOf member adds nothing")
            else {
                continue;
            };
            if self.is_union(resolved) {
                let hint = nested_name(owner, "variant");
                let ty = self
                    .type_of(SchemaRef::from(member), &hint, &member_pointer)
                    .ty;
                let field_name = match member {
                    ReferenceOr::Reference { .. } => flattened_field_name(&ty),
                    ReferenceOr::Item(_) => "variant".to_owned(),
                };
                if !gathered.flattened.iter().any(|(_, known)| *known == ty) {
                    gathered.flattened.push((field_name, ty));
                }
            } else {
                self.gather(resolved, &resolved_pointer, &member_owner, gathered);
            }
        }
    }

    /// Adds an optional property of any JSON type for every required name that no schema
    /// declares: values keep it when it is there, callers can send it, and responses that leave
    /// it out (as the spec's own examples may) still decode.
    fn declare_required_only(&mut self, gathered: &mut Gathered, pointer: &str) {
        let undeclared: Vec<String> = gathered
            .required
            .iter()
            .filter(|name| !gathered.properties.contains_key(*name))
            .cloned()
            .collect();
        for name in undeclared {
            self.warn(
                pointer,
                format!(
                    "`{name}` is required but no schema declares it; it is an optional property \
                     of any JSON type"
                ),
            );
            gathered.required.remove(&name);
            gathered.properties.insert(
                name,
                GatheredProperty {
                    lowered: Lowered {
                        ty: TypeRef::Json,
                        nullable: false,
                    },
                    read_only: false,
                    write_only: false,
                    docs: Some(
                        "Listed as required by the spec, which does not declare it.".to_owned(),
                    ),
                    default: None,
                    deprecated: false,
                },
            );
        }
    }

    fn gather_object(
        &mut self,
        parts: &ObjectParts<'a>,
        pointer: &str,
        owner: &str,
        gathered: &mut Gathered,
    ) {
        gathered.required.extend(parts.required.iter().cloned());
        if let Some(additional) = parts.additional_properties
            && !matches!(additional, AdditionalProperties::Any(false))
        {
            let map = self.map_of(Some(additional), &format!("{owner}Extra"), pointer);
            if let TypeRef::Map(value) = map {
                gathered.additional_properties = Some(*value);
            }
        }
        let properties_pointer = pointer_push(pointer, "properties");
        for (wire_name, property) in parts.properties {
            let property_pointer = pointer_push(&properties_pointer, wire_name);
            let hint = nested_name(owner, wire_name);
            let property_ref = SchemaRef::from(property);
            let lowered = self.type_of(property_ref, &hint, &property_pointer);
            let data = match property_ref {
                SchemaRef::Inline(schema) => Some(&schema.schema_data),
                SchemaRef::Reference(_) => None,
            };
            let gathered_property = GatheredProperty {
                lowered,
                read_only: data.is_some_and(|data| data.read_only),
                write_only: data.is_some_and(|data| data.write_only),
                docs: data.and_then(schema_docs),
                default: data
                    .and_then(|data| data.default.as_ref())
                    .map(serde_json::Value::to_string),
                deprecated: data.is_some_and(|data| data.deprecated),
            };
            match gathered.properties.get_mut(wire_name) {
                Some(existing) if existing.lowered.ty != gathered_property.lowered.ty => {
                    self.warn(
                        &property_pointer,
                        format!(
                            "property `{wire_name}` is declared again with another type; \
                             this later declaration, the more specific one, is kept"
                        ),
                    );
                    *existing = gathered_property;
                }
                Some(_) => {}
                None => {
                    gathered
                        .properties
                        .insert(wire_name.clone(), gathered_property);
                }
            }
        }
    }
}

impl<'a> Lowerer<'a> {
    /// A union from the `oneOf`/`anyOf` members of the schema at `pointer`. Variants of an
    /// untagged union are put in trying order later, once every type is known.
    fn union_of(
        &mut self,
        name: &str,
        schema: &'a Schema,
        members: &[(usize, &'a ReferenceOr<Schema>)],
        pointer: &str,
    ) -> UnionDef {
        let members_pointer = pointer_push(pointer, union_keyword(schema));
        let mut scope = Scope::new();
        let Some(discriminator) = &schema.schema_data.discriminator else {
            let variants = members
                .iter()
                .map(|&(index, member)| {
                    let member_pointer = pointer_push(&members_pointer, &index.to_string());
                    let word = variant_word(member, index);
                    let hint = nested_name(name, &word);
                    let ty = self
                        .type_of(SchemaRef::from(member), &hint, &member_pointer)
                        .ty;
                    let wanted = match (member, &ty) {
                        (ReferenceOr::Item(_), TypeRef::Named(_)) => {
                            naming::camel_ident(&word, "Variant")
                        }
                        _ => variant_name(name, &ty),
                    };
                    UnionVariant {
                        rust_name: scope.claim(&wanted),
                        tag: None,
                        ty,
                        known_properties: None,
                    }
                })
                .collect();
            return UnionDef {
                discriminator: None,
                variants,
                unknown_variant: None,
            };
        };
        let property = discriminator.property_name.as_str();
        let mut tagged: Vec<(String, TaggedTarget<'a>, String)> = Vec::new();
        for (tag, target) in &discriminator.mapping {
            let tag_pointer = pointer_push(
                &pointer_push(&pointer_push(pointer, "discriminator"), "mapping"),
                tag,
            );
            tagged.push((
                tag.clone(),
                TaggedTarget::Reference(mapping_target(target)),
                tag_pointer,
            ));
        }
        for &(index, member) in members {
            let member_pointer = pointer_push(&members_pointer, &index.to_string());
            match member {
                ReferenceOr::Reference { reference } => {
                    let mapped = tagged.iter().any(|(_, target, _)| {
                        matches!(target, TaggedTarget::Reference(mapped) if mapped == reference)
                    });
                    // Without a mapping the tag is the schema's name, unless the member fixes
                    // its tag property to one value: then only that value can be sent.
                    let tag = self
                        .peek_reference(reference)
                        .and_then(|schema| self.constant_tag(schema, property))
                        .or_else(|| component_key(reference, "schemas"));
                    if let Some(tag) = tag
                        && !mapped
                    {
                        tagged.push((
                            tag,
                            TaggedTarget::Reference(reference.clone()),
                            member_pointer,
                        ));
                    }
                }
                ReferenceOr::Item(schema) => match self.constant_tag(schema, property) {
                    Some(tag) => {
                        tagged.push((tag, TaggedTarget::Inline(schema), member_pointer));
                    }
                    None => self.warn(
                        &member_pointer,
                        "an inline member of a oneOf with a discriminator has no tag value; it is \
                         ignored (make it a component schema, list it in `mapping`, or give its \
                         tag property one `enum` value)",
                    ),
                },
            }
        }
        let variants = tagged
            .into_iter()
            .map(|(tag, target, tag_pointer)| {
                let ty = match target {
                    TaggedTarget::Reference(reference) => {
                        self.component_type(&reference, &tag_pointer)
                    }
                    TaggedTarget::Inline(schema) => {
                        let hint = nested_name(name, &tag);
                        self.type_of(SchemaRef::Inline(schema), &hint, &tag_pointer)
                            .ty
                    }
                };
                let fallback = variant_name(name, &ty);
                UnionVariant {
                    rust_name: scope.claim(&naming::camel_ident(&tag, &fallback)),
                    tag: Some(tag),
                    ty,
                    known_properties: None,
                }
            })
            .collect();
        let unknown_variant = unknown_variant_name(&mut scope);
        UnionDef {
            discriminator: Some(discriminator.property_name.clone()),
            variants,
            unknown_variant: Some(unknown_variant),
        }
    }
}

/// What a discriminator tag selects: a schema by `$ref`, or an inline member.
enum TaggedTarget<'a> {
    Reference(String),
    Inline(&'a Schema),
}

impl<'a> Lowerer<'a> {
    /// The one value a schema allows for its property `property` (a single-value `enum`), looking
    /// through its allOf members; `None` when the property takes more than one value.
    fn constant_tag(&self, schema: &'a Schema, property: &str) -> Option<String> {
        self.constant_tag_within(schema, property, 0)
    }

    fn constant_tag_within(
        &self,
        schema: &'a Schema,
        property: &str,
        depth: usize,
    ) -> Option<String> {
        if depth > 16 {
            return None;
        }
        if let Some(parts) = object_parts(schema) {
            if let Some(found) = parts.properties.get(property) {
                let found = match found {
                    ReferenceOr::Item(schema) => Some(schema.as_ref()),
                    ReferenceOr::Reference { reference } => self.peek_reference(reference),
                };
                return match found.and_then(enum_values) {
                    Some(EnumValues::Strings(values)) if values.len() == 1 => {
                        values.into_iter().next()
                    }
                    _ => None,
                };
            }
            return parts
                .all_of
                .iter()
                .filter_map(|member| self.peek(member))
                .find_map(|member| self.constant_tag_within(member, property, depth + 1));
        }
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of
                .iter()
                .filter_map(|member| self.peek(member))
                .find_map(|member| self.constant_tag_within(member, property, depth + 1)),
            _ => None,
        }
    }
}

/// The word naming an inline union member: its title, else the name of its only required
/// property (or only property), else its position.
fn variant_word(member: &ReferenceOr<Schema>, index: usize) -> String {
    let fallback = format!("Variant{}", index + 1);
    let ReferenceOr::Item(schema) = member else {
        return fallback;
    };
    if let Some(title) = &schema.schema_data.title {
        return title.clone();
    }
    match object_parts(schema) {
        Some(parts) if parts.required.len() == 1 => parts.required[0].clone(),
        Some(parts) if parts.properties.len() == 1 => {
            parts.properties.keys().next().cloned().unwrap_or(fallback)
        }
        _ => fallback,
    }
}

/// A discriminator mapping value as a `$ref`: a bare schema name means that component.
fn mapping_target(target: &str) -> String {
    if target.contains('/') {
        target.to_owned()
    } else {
        format!("#/components/schemas/{target}")
    }
}

/// The variant name for a union member of type `ty`: the type's own name without the union's
/// name in front, or a word for the primitive.
fn variant_name(union: &str, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) | TypeRef::Boxed(name) => match name.strip_prefix(union) {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_owned(),
            _ => name.clone(),
        },
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::Date => "Date".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::File => "File".to_owned(),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::External(path) => {
            naming::camel_ident(path.rsplit("::").next().unwrap_or(path), "External")
        }
        TypeRef::List(_) => "List".to_owned(),
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Nullable(inner) => variant_name(union, inner),
    }
}

/// The field name for a flattened union: its type's name.
fn flattened_field_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) | TypeRef::Boxed(name) => name.clone(),
        _ => "variant".to_owned(),
    }
}

/// A forward-compatible integer enum, named by `x-enum-varnames` when the spec gives one name per
/// value.
fn integer_enum(values: &[i64], data: &SchemaData) -> IntEnumDef {
    let names: Option<Vec<String>> = data
        .extensions
        .get("x-enum-varnames")
        .and_then(serde_json::Value::as_array)
        .and_then(|names| {
            names
                .iter()
                .map(|name| name.as_str().map(str::to_owned))
                .collect()
        });
    named_integer_enum(values, names.as_deref())
}

/// A forward-compatible integer enum; `names` gives the variants' names when there is one per
/// value, else they are made from the values (`V1`, `Minus1`). Repeated values are dropped.
pub(super) fn named_integer_enum(values: &[i64], names: Option<&[String]>) -> IntEnumDef {
    let names = names.filter(|names| names.len() == values.len());
    let mut seen = BTreeSet::new();
    let mut scope = Scope::new();
    let mut variants = Vec::new();
    for (index, &value) in values.iter().enumerate() {
        if !seen.insert(value) {
            continue;
        }
        let numeric = if value < 0 {
            format!("Minus{}", value.unsigned_abs())
        } else {
            format!("V{value}")
        };
        let wanted = match names.and_then(|names| names.get(index)) {
            Some(name) => naming::camel_ident(name, &numeric),
            None => numeric,
        };
        variants.push(IntEnumVariant {
            wire_value: value,
            rust_name: scope.claim(&wanted),
        });
    }
    let unknown_variant = unknown_variant_name(&mut scope);
    IntEnumDef {
        variants,
        unknown_variant,
    }
}

/// The name of the variant that keeps values a client does not know: `Unknown`, or `Other` when
/// a listed value already took `Unknown`.
fn unknown_variant_name(scope: &mut Scope) -> String {
    if scope.contains("Unknown") {
        scope.claim("Other")
    } else {
        scope.claim("Unknown")
    }
}

/// A forward-compatible string enum; repeated values are dropped.
pub(super) fn string_enum(values: &[String]) -> StringEnumDef {
    let mut scope = Scope::new();
    let mut seen = BTreeSet::new();
    let variants = values
        .iter()
        .filter(|value| seen.insert(value.as_str()))
        .enumerate()
        .map(|(index, value)| EnumVariant {
            wire_value: value.clone(),
            rust_name: scope.claim(&if value.is_empty() {
                "Empty".to_owned()
            } else {
                naming::camel_ident(value, &format!("Value{index}"))
            }),
        })
        .collect();
    let unknown_variant = unknown_variant_name(&mut scope);
    StringEnumDef {
        variants,
        unknown_variant,
    }
}
