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
use crate::model::{EnumVariant, Field, Presence, StringEnumDef, StructDef, TypeKind, TypeRef};
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

/// The properties gathered for one struct, possibly from several allOf members.
#[derive(Default)]
struct Gathered {
    properties: IndexMap<String, GatheredProperty>,
    required: BTreeSet<String>,
    additional_properties: Option<TypeRef>,
    /// Pointers of the schemas already merged, to stop on allOf cycles.
    visited: BTreeSet<String>,
}

struct GatheredProperty {
    lowered: Lowered,
    read_only: bool,
    write_only: bool,
    docs: Option<String>,
    deprecated: bool,
}

/// The object-like parts of a schema, whichever form it was written in.
struct ObjectParts<'a> {
    properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'a [String],
    additional_properties: Option<&'a AdditionalProperties>,
    all_of: &'a [ReferenceOr<Schema>],
}

fn object_parts(schema: &Schema) -> Option<ObjectParts<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(ObjectParts {
            properties: &object.properties,
            required: &object.required,
            additional_properties: object.additional_properties.as_ref(),
            all_of: &[],
        }),
        SchemaKind::Any(any) if !any.properties.is_empty() || !any.all_of.is_empty() => {
            Some(ObjectParts {
                properties: &any.properties,
                required: &any.required,
                additional_properties: any.additional_properties.as_ref(),
                all_of: &any.all_of,
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

fn string_enum_values(schema: &Schema) -> Option<&[Option<String>]> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
            Some(&string.enumeration)
        }
        _ => None,
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
            SchemaRef::Reference(reference) => {
                let name = component_key(reference, "schemas")
                    .and_then(|key| self.component_names.get(&key))
                    .cloned();
                let ty = match name {
                    Some(name) => TypeRef::Named(name),
                    None => {
                        self.dangling(pointer, reference);
                        TypeRef::Json
                    }
                };
                Lowered {
                    ty,
                    nullable: false,
                }
            }
            SchemaRef::Inline(schema) => {
                let ty = self.type_of_inline(schema, hint, pointer);
                Lowered {
                    ty: ty.ty,
                    nullable: ty.nullable || schema.schema_data.nullable,
                }
            }
        }
    }

    fn type_of_inline(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> Lowered {
        let plain = |ty| Lowered {
            ty,
            nullable: false,
        };
        if is_struct(schema) || string_enum_values(schema).is_some() {
            return plain(self.inline_type(schema, hint, pointer));
        }
        match &schema.schema_kind {
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
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::Not { .. } => {
                self.warn(
                    pointer,
                    "oneOf, anyOf and not are not supported yet; the value is kept as JSON",
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
                    .ty
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
                .ty
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
        let kind = if let Some(values) = string_enum_values(schema) {
            TypeKind::StringEnum(string_enum(values))
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
        let mut scope = Scope::new();
        let fields = gathered
            .properties
            .into_iter()
            .map(|(wire_name, property)| {
                let required = gathered.required.contains(&wire_name);
                let presence = match (required, property.lowered.nullable) {
                    (true, false) => Presence::Required,
                    (true, true) => Presence::RequiredNullable,
                    (false, _) => Presence::Optional,
                };
                Field {
                    rust_name: scope.claim(&naming::snake_ident(&wire_name)),
                    wire_name,
                    ty: property.lowered.ty,
                    presence,
                    read_only: property.read_only,
                    write_only: property.write_only,
                    docs: property.docs,
                    deprecated: property.deprecated,
                }
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
            if let Some((resolved, resolved_pointer)) = self.resolve_schema(member, &member_pointer)
            {
                self.gather(resolved, &resolved_pointer, &member_owner, gathered);
            }
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
                deprecated: data.is_some_and(|data| data.deprecated),
            };
            match gathered.properties.get(wire_name) {
                Some(existing) if existing.lowered.ty != gathered_property.lowered.ty => {
                    self.warn(
                        &property_pointer,
                        format!(
                            "property `{wire_name}` is declared again with another type; \
                             the first declaration is kept"
                        ),
                    );
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

/// A forward-compatible string enum. `null` entries are dropped: nullability is the field's
/// business.
fn string_enum(values: &[Option<String>]) -> StringEnumDef {
    let mut scope = Scope::new();
    let mut seen = BTreeSet::new();
    let variants = values
        .iter()
        .flatten()
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
    let unknown_variant = if scope.contains("Unknown") {
        scope.claim("Other")
    } else {
        scope.claim("Unknown")
    };
    StringEnumDef {
        variants,
        unknown_variant,
    }
}
