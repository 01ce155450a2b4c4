//! JSON pointers (RFC 6901): the fragments of `$ref`s, and the places diagnostics name.
//!
//! A pointer is kept as its unescaped segments (`["paths", "/users/{id}", "get"]`); it is written
//! as `#/paths/~1users~1{id}/get`.

use serde_json::Value;

/// The segments of the fragment of a reference (`/a/b~1c`, or `` for the whole file), with
/// `~1`, `~0` and percent-escapes (`%7B`) decoded. `None` when the fragment is not a pointer
/// (such as a named anchor, `#Pet`).
pub fn parse_fragment(fragment: &str) -> Option<Vec<String>> {
    let decoded = percent_decode(fragment);
    if decoded.is_empty() {
        return Some(Vec::new());
    }
    let path = decoded.strip_prefix('/')?;
    Some(
        path.split('/')
            .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// Writes segments as a pointer into the document, `#/a/b~1c`.
pub fn format<S: AsRef<str>>(segments: &[S]) -> String {
    segments.iter().fold(String::from("#"), |pointer, segment| {
        crate::diagnostics::pointer_push(&pointer, segment.as_ref())
    })
}

/// The segments of a pointer written as [`format`] writes it (`#/a/b~1c`).
pub fn parse(pointer: &str) -> Option<Vec<String>> {
    parse_fragment(pointer.strip_prefix('#')?)
}

/// Decodes `%XX` escapes; a malformed escape is kept as it is.
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let escaped = (byte == b'%')
            .then(|| text.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(value) => {
                decoded.push(value);
                index += 3;
            }
            None => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The member of an object, or the element of a list whose index the segment spells.
pub fn child<'v>(value: &'v Value, segment: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => items.get(index(segment)?),
        _ => None,
    }
}

/// Like [`child`], for changing it.
pub fn child_mut<'v>(value: &'v mut Value, segment: &str) -> Option<&'v mut Value> {
    match value {
        Value::Object(map) => map.get_mut(segment),
        Value::Array(items) => items.get_mut(index(segment)?),
        _ => None,
    }
}

/// The value at `segments` under `value`.
pub fn get<'v, S: AsRef<str>>(value: &'v Value, segments: &[S]) -> Option<&'v Value> {
    segments
        .iter()
        .try_fold(value, |current, segment| child(current, segment.as_ref()))
}

/// The value at `segments` under `value`, for changing it.
pub fn get_mut<'v, S: AsRef<str>>(value: &'v mut Value, segments: &[S]) -> Option<&'v mut Value> {
    segments.iter().try_fold(value, |current, segment| {
        child_mut(current, segment.as_ref())
    })
}

/// Removes the member or list element at `segments` (not the root) and returns it.
pub fn remove<S: AsRef<str>>(value: &mut Value, segments: &[S]) -> Option<Value> {
    let (last, parent) = segments.split_last()?;
    match get_mut(value, parent)? {
        Value::Object(map) => map.shift_remove(last.as_ref()),
        Value::Array(items) => {
            let position = index(last.as_ref()).filter(|&position| position < items.len())?;
            Some(items.remove(position))
        }
        _ => None,
    }
}

/// The string a `$ref` object refers to: `Some` for `{"$ref": "…", …}`.
pub fn reference_of(value: &Value) -> Option<&str> {
    value.as_object()?.get("$ref")?.as_str()
}

/// Whether `prefix` is `segments` itself or one of its ancestors.
pub fn starts_with<S: AsRef<str>, T: AsRef<str>>(segments: &[S], prefix: &[T]) -> bool {
    segments.len() >= prefix.len()
        && segments
            .iter()
            .zip(prefix)
            .all(|(segment, wanted)| segment.as_ref() == wanted.as_ref())
}

fn index(segment: &str) -> Option<usize> {
    if segment.starts_with('+') {
        return None;
    }
    segment.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_decode_tilde_and_percent_escapes() {
        assert_eq!(
            parse_fragment("/paths/~1users~1%7Bid%7D/get/~0x"),
            Some(vec![
                "paths".to_owned(),
                "/users/{id}".to_owned(),
                "get".to_owned(),
                "~x".to_owned()
            ])
        );
        assert_eq!(parse_fragment(""), Some(Vec::new()));
        assert_eq!(parse_fragment("Pet"), None);
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn format_escapes_what_parse_decodes() {
        let segments = ["paths", "/a~b/{c}", "get"];
        let written = format(&segments);
        assert_eq!(written, "#/paths/~1a~0b~1{c}/get");
        assert_eq!(parse(&written), Some(segments.map(str::to_owned).to_vec()));
    }

    #[test]
    fn get_and_remove_walk_objects_and_lists() {
        let mut value = serde_json::json!({"a": [{"b": 1}, {"b": 2}]});
        assert_eq!(get(&value, &["a", "1", "b"]), Some(&serde_json::json!(2)));
        assert_eq!(get(&value, &["a", "2"]), None);
        assert_eq!(get(&value, &["a", "+1"]), None);
        assert_eq!(
            remove(&mut value, &["a", "0"]),
            Some(serde_json::json!({"b": 1}))
        );
        assert_eq!(value, serde_json::json!({"a": [{"b": 2}]}));
        assert_eq!(remove::<&str>(&mut value, &[]), None);
    }
}
