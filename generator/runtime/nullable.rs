//! `Nullable<T>`: an optional property where leaving it out and sending `null` differ.

/// An optional property that can also be `null`, in a type that callers send: leaving it out
/// and sending `null` mean different things (in a PATCH, "keep" and "clear").
///
/// ```
/// use __crate__::Nullable;
///
/// let keep: Nullable<String> = Nullable::Absent;
/// let clear: Nullable<String> = None.into();
/// let set: Nullable<String> = "new name".to_owned().into();
/// assert!(keep.is_absent());
/// assert_eq!(clear, Nullable::Null);
/// assert_eq!(set.value().map(String::as_str), Some("new name"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not sent at all.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the property is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes `Null`: an explicit "no value".
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Value)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => serializer.serialize_some(value),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_keeps_absent_null_and_value_apart() {
        #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
        struct Patch {
            #[serde(default, skip_serializing_if = "Nullable::is_absent")]
            name: Nullable<String>,
        }
        for (json, expected) in [
            ("{}", Nullable::Absent),
            (r#"{"name":null}"#, Nullable::Null),
            (r#"{"name":"a"}"#, Nullable::Value("a".to_owned())),
        ] {
            let decoded: Patch = serde_json::from_str(json).unwrap();
            assert_eq!(decoded.name, expected);
            assert_eq!(serde_json::to_string(&decoded).unwrap(), json);
        }
    }
}
