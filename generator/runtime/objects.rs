//! Encoding and decoding the API's object types: [`serde_object!`] writes a struct's serde
//! impls from one line per field, on top of a few helpers shared by every struct.
//!
//! `#[derive(serde::Deserialize)]` writes, for every struct, a field enum with its own
//! `Deserialize` impl and three visitor methods, a sequence visitor and a map visitor: most of
//! what a generated crate asks the compiler to check. Here every struct shares one field-name
//! lookup ([`FieldIndex`]) and has only the map visitor, which reads JSON objects exactly as the
//! derive does: unknown members are skipped, a member given twice is an error, a missing
//! required member is an error naming it, and a missing `Option` member is `None`.

use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

/// Implements `serde::Serialize` and `serde::Deserialize` for a struct from a table of its
/// fields. Each row gives the field's position, its Rust name, its name on the wire, and how it
/// may be missing:
///
/// - `required`: always written; a missing member is an error (unless the field is an `Option`,
///   which is then `None`, as serde's derive does);
/// - `nullable`: an `Option` written even when `None` (as `null`), and `None` when missing;
/// - `optional`: left out while absent (`None`, `Nullable::Absent`), and absent when missing.
///
/// The first word says which impls the client needs: `both`, `requests` (only callers send the
/// type: `Serialize`) or `responses` (only servers send it: `Deserialize`). The other impl then
/// comes with the crate's `serde-both-ways` feature.
///
/// ```text
/// crate::runtime::serde_object!(responses Organization {
///     0 => id: "id" required,
///     1 => description: "description" optional,
/// });
/// ```
#[allow(unused_macros, reason = "only specs with object types use it")]
macro_rules! serde_object {
    (both $name:ident $fields:tt) => {
        crate::runtime::serde_object!(@serialize $name $fields);
        crate::runtime::serde_object!(@deserialize $name $fields);
    };
    (requests $name:ident $fields:tt) => {
        crate::runtime::serde_object!(@serialize $name $fields);
        #[cfg(feature = "serde-both-ways")]
        crate::runtime::serde_object!(@deserialize $name $fields);
    };
    (responses $name:ident $fields:tt) => {
        #[cfg(feature = "serde-both-ways")]
        crate::runtime::serde_object!(@serialize $name $fields);
        crate::runtime::serde_object!(@deserialize $name $fields);
    };
    (@serialize $name:ident { $($index:literal => $field:ident: $wire:literal $presence:ident),* $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct as _;
                let written = 0 $(+ crate::runtime::serde_object!(@count $presence self.$field))*;
                #[allow(unused_mut, reason = "a struct without fields writes no member")]
                let mut state = serializer.serialize_struct(stringify!($name), written)?;
                $(crate::runtime::serde_object!(@write $presence state $wire self.$field);)*
                state.end()
            }
        }
    };
    (@count optional $value:expr) => {
        usize::from(!crate::runtime::Absent::is_absent(&$value))
    };
    (@count $presence:ident $value:expr) => {
        1
    };
    (@write optional $state:ident $wire:literal $value:expr) => {
        if crate::runtime::Absent::is_absent(&$value) {
            $state.skip_field($wire)?;
        } else {
            $state.serialize_field($wire, &$value)?;
        }
    };
    (@write $presence:ident $state:ident $wire:literal $value:expr) => {
        $state.serialize_field($wire, &$value)?
    };
    (@deserialize $name:ident { $($index:literal => $field:ident: $wire:literal $presence:ident),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct FieldsVisitor;

                impl<'de> serde::de::Visitor<'de> for FieldsVisitor {
                    type Value = $name;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        formatter.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        $(let mut $field = None;)*
                        while let Some(index) = map.next_key_seed(crate::runtime::FieldIndex(FIELDS))? {
                            match index {
                                $(Some($index) => crate::runtime::next_field(&mut map, &mut $field, $wire),)*
                                _ => crate::runtime::skip_field(&mut map),
                            }?
                        }
                        Ok($name {
                            $($field: crate::runtime::serde_object!(@finish $presence $field $wire),)*
                        })
                    }
                }

                const FIELDS: &[&str] = &[$($wire),*];
                deserializer.deserialize_struct(stringify!($name), FIELDS, FieldsVisitor)
            }
        }
    };
    (@finish required $field:ident $wire:literal) => {
        crate::runtime::required_field($field, $wire)?
    };
    (@finish $presence:ident $field:ident $wire:literal) => {
        $field.unwrap_or_default()
    };
}

pub(crate) use serde_object;

/// A field that can be left out of an object: `None`, or `Nullable::Absent`.
pub(crate) trait Absent {
    /// Whether the field is left out.
    fn is_absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Absent for crate::runtime::Nullable<T> {
    fn is_absent(&self) -> bool {
        crate::runtime::Nullable::is_absent(self)
    }
}

/// Reads a member's name and gives its position in a struct's field names, or `None` for a
/// member the struct does not have. It borrows the name when the format lends it, so no key is
/// copied.
pub(crate) struct FieldIndex(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = Option<usize>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|field| *field == name))
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|field| field.as_bytes() == name))
    }

    fn visit_u64<E: de::Error>(self, position: u64) -> Result<Self::Value, E> {
        Ok(usize::try_from(position)
            .ok()
            .filter(|position| *position < self.0.len()))
    }
}

/// Reads the value of the member `name` into `slot`; a member given twice is an error.
pub(crate) fn next_field<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a member the struct does not have.
pub(crate) fn skip_field<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>()?;
    Ok(())
}

/// The value of a required member, or, when it was missing, what its type makes of a missing
/// value: `None` for an `Option`, an error naming the member for every other type.
pub(crate) fn required_field<'de, T: de::Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(MissingField(name, PhantomData)),
    }
}

/// The deserializer of a member that is not there: an `Option` reads it as `None`, every other
/// type fails with "missing field".
struct MissingField<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for MissingField<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use crate::runtime::Nullable;

    #[derive(Debug, PartialEq)]
    struct Thing {
        id: i64,
        name: Option<String>,
        note: Option<String>,
        patch: Nullable<String>,
    }

    serde_object!(both Thing {
        0 => id: "id" required,
        1 => name: "name" nullable,
        2 => note: "note" optional,
        3 => patch: "patch" optional,
    });

    fn decode(json: &str) -> Result<Thing, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn members_decode_by_name_and_unknown_ones_are_skipped() {
        let thing = decode(r#"{"note":"n","extra":[1,{"a":2}],"id":7,"name":"a","patch":null}"#)
            .unwrap();
        assert_eq!(
            thing,
            Thing {
                id: 7,
                name: Some("a".to_owned()),
                note: Some("n".to_owned()),
                patch: Nullable::Null,
            }
        );
    }

    #[test]
    fn missing_members_are_none_absent_or_an_error() {
        let thing = decode(r#"{"id":1}"#).unwrap();
        assert_eq!((thing.name, thing.note), (None, None));
        assert_eq!(thing.patch, Nullable::Absent);
        let error = decode(r#"{"name":"a"}"#).unwrap_err();
        assert!(error.to_string().contains("missing field `id`"), "{error}");
    }

    #[test]
    fn absent_members_are_left_out_and_nullable_ones_are_written() {
        let thing = decode(r#"{"id":1}"#).unwrap();
        assert_eq!(serde_json::to_string(&thing).unwrap(), r#"{"id":1,"name":null}"#);
        let json = r#"{"id":2,"name":"a","note":"n","patch":null}"#;
        assert_eq!(serde_json::to_string(&decode(json).unwrap()).unwrap(), json);
    }

    #[test]
    fn a_member_given_twice_is_an_error() {
        let error = decode(r#"{"id":1,"id":2}"#).unwrap_err();
        assert!(error.to_string().contains("duplicate field `id`"), "{error}");
    }

    #[test]
    fn a_wrong_value_names_its_member_path() {
        let mut json = serde_json::Deserializer::from_str(r#"{"id":"x"}"#);
        let error = serde_path_to_error::deserialize::<_, Thing>(&mut json).unwrap_err();
        assert_eq!(error.path().to_string(), "id");
    }
}
