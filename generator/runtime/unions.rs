//! Helpers for the `oneOf`/`anyOf` enums: writing a discriminator once, and choosing among
//! untagged variants.

/// Serializes a union variant with its discriminator: `tag` is added under `property` unless the
/// variant's own type already wrote that property, so the tag is never written twice.
pub(crate) fn serialize_tagged<T: serde::Serialize, S: serde::Serializer>(
    value: &T,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    let mut json = serde_json::to_value(value).map_err(S::Error::custom)?;
    if let serde_json::Value::Object(object) = &mut json {
        object
            .entry(property)
            .or_insert_with(|| serde_json::Value::String(tag.to_owned()));
    }
    serde::Serialize::serialize(&json, serializer)
}

/// Picks among the union variants that decode `value`: returns `candidate` when its type knows
/// every property of `value` (`known`), and otherwise keeps it in `fallback` when it knows more
/// of them than the variant kept so far.
pub(crate) fn exact_or_keep<T>(
    candidate: T,
    value: &serde_json::Value,
    known: &[&str],
    fallback: &mut Option<(usize, T)>,
) -> Option<T> {
    let serde_json::Value::Object(object) = value else {
        return Some(candidate);
    };
    let matched = object
        .keys()
        .filter(|key| known.contains(&key.as_str()))
        .count();
    if matched == object.len() {
        return Some(candidate);
    }
    if fallback.as_ref().is_none_or(|(best, _)| matched > *best) {
        *fallback = Some((matched, candidate));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagged_serialization_writes_the_tag_once() {
        let tagged = |value: serde_json::Value| {
            let mut out = Vec::new();
            serialize_tagged(
                &value,
                "type",
                "B",
                &mut serde_json::Serializer::new(&mut out),
            )
            .unwrap();
            let text = String::from_utf8(out).unwrap();
            assert_eq!(text.matches("\"type\"").count(), 1, "{text}");
            serde_json::from_str::<serde_json::Value>(&text).unwrap()
        };
        assert_eq!(
            tagged(serde_json::json!({"type": "A", "x": 1})),
            serde_json::json!({"type": "A", "x": 1})
        );
        assert_eq!(
            tagged(serde_json::json!({"x": 1})),
            serde_json::json!({"type": "B", "x": 1})
        );
    }

    #[test]
    fn union_decoding_prefers_the_variant_that_knows_most_properties() {
        let value = serde_json::json!({"a": 1, "b": 2, "c": 3});
        let mut fallback = None;
        assert_eq!(exact_or_keep("one", &value, &["a"], &mut fallback), None);
        assert_eq!(
            exact_or_keep("two", &value, &["a", "b"], &mut fallback),
            None
        );
        assert_eq!(
            exact_or_keep("also two", &value, &["b", "c"], &mut fallback),
            None
        );
        assert_eq!(fallback, Some((2, "two")));
        assert_eq!(
            exact_or_keep("all", &value, &["a", "b", "c", "d"], &mut fallback),
            Some("all")
        );
        assert_eq!(
            exact_or_keep("scalar", &serde_json::json!(1), &[], &mut None),
            Some("scalar")
        );
    }
}
