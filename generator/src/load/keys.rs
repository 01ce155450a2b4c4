//! Keys for values that move into `components`: readable, taken from where the value stood, and
//! unique in their section.

use std::collections::{HashMap, HashSet};

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::grammar::{Kind, Place};
use super::pointer;

/// The keys taken in each `components` section.
#[derive(Debug, Default)]
pub(super) struct Keys {
    taken: HashMap<&'static str, HashSet<String>>,
}

impl Keys {
    /// The keys the document's own `components` already use.
    pub(super) fn of(document: &Value) -> Self {
        let mut keys = Self::default();
        let Some(components) = document.get("components").and_then(Value::as_object) else {
            return keys;
        };
        for (section, entries) in components {
            let (Some(kind), Some(entries)) = (Kind::of_section(section), entries.as_object())
            else {
                continue;
            };
            if let Some(section) = kind.section() {
                keys.taken
                    .entry(section)
                    .or_default()
                    .extend(entries.keys().cloned());
            }
        }
        keys
    }

    /// Takes `wanted` in `section`, or `wanted2`, `wanted3`, … when it is taken.
    pub(super) fn claim(&mut self, section: &'static str, wanted: &str) -> String {
        let taken = self.taken.entry(section).or_default();
        let mut candidate = wanted.to_owned();
        let mut number = 1;
        while taken.contains(&candidate) {
            number += 1;
            candidate = format!("{wanted}{number}");
        }
        taken.insert(candidate.clone());
        candidate
    }
}

/// A key for the value at `segments` of `document`, read from where it stands (`start` is
/// what stands at the document's root): the component it is in, the operation (its
/// `operationId`, or method and path), then each property, parameter or response on the way,
/// so that `#/components/schemas/Video/properties/id` gives `VideoId`, as `lower` would name
/// that property's inline type, and a 200 response's schema under `getVideo` gives
/// `GetVideoResponse`. Empty when the pointer names nothing readable.
pub(super) fn natural_key(document: &Value, segments: &[String], start: Place) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut place = start;
    let mut current = Some(document);
    let mut previous: Option<&str> = None;
    for segment in segments {
        let child = current.and_then(|value| pointer::child(value, segment));
        let child_place = place.child(segment);
        match (place, child_place) {
            (Place::Object(Kind::Paths), _) => words = vec![segment.clone()],
            (Place::Object(Kind::PathItem), Place::Object(Kind::Operation)) => {
                let path_words = words.clone();
                let id = child
                    .and_then(|operation| operation.get("operationId"))
                    .and_then(Value::as_str);
                words = match id {
                    Some(id) => vec![id.to_owned()],
                    None => std::iter::once(segment.clone()).chain(path_words).collect(),
                };
            }
            (Place::List(Kind::Parameter), _) => {
                let name = child
                    .and_then(|parameter| parameter.get("name"))
                    .and_then(Value::as_str);
                words.push(name.map_or_else(|| format!("parameter {segment}"), str::to_owned));
            }
            (Place::List(Kind::Schema), _) => {
                let number = segment.parse::<usize>().map_or(0, |index| index + 1);
                words.push(format!("{} {number}", previous.unwrap_or("member")));
            }
            (Place::Map(Kind::MediaType), _) | (Place::Object(Kind::Callback), _) => {}
            (Place::Map(_), _) => words.push(segment.clone()),
            (Place::Object(Kind::Operation), Place::Object(Kind::RequestBody)) => {
                words.push("request".to_owned());
            }
            (Place::Object(Kind::Responses), Place::Object(Kind::Response)) => {
                words.push(response_word(segment));
            }
            (Place::Object(Kind::Schema), Place::Object(Kind::Schema)) => match segment.as_str() {
                "items" => words.push("item".to_owned()),
                "additionalProperties" => words.push("value".to_owned()),
                "not" => words.push("not".to_owned()),
                _ => {}
            },
            _ => {}
        }
        previous = Some(segment);
        place = child_place;
        current = child;
    }
    if let (Place::Object(Kind::Parameter), Some(name)) = (
        place,
        current
            .and_then(|parameter| parameter.get("name"))
            .and_then(Value::as_str),
    ) {
        return camel(name);
    }
    join(&words)
}

/// The word for a response: `Response` for a success, `404Response`, `DefaultResponse`.
fn response_word(status: &str) -> String {
    if status.starts_with('2') {
        "response".to_owned()
    } else {
        format!("{status} response")
    }
}

/// Joins words the way nested type names are made: `Organization` + `organization_plan` gives
/// `OrganizationPlan`, not `OrganizationOrganizationPlan`.
fn join(words: &[String]) -> String {
    words.iter().fold(String::new(), |key, word| {
        let word = camel(word);
        if !key.is_empty() && word.starts_with(&key) {
            word
        } else {
            key + &word
        }
    })
}

/// UpperCamelCase of the letters and digits of `text`.
pub(super) fn camel(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_upper_camel_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(document: &Value, pointer: &str) -> String {
        let segments = pointer::parse(pointer).unwrap();
        natural_key(document, &segments, Place::Object(Kind::Document))
    }

    #[test]
    fn keys_read_like_inline_type_names() {
        let document = serde_json::json!({
            "paths": {"/videos/{id}": {
                "get": {"operationId": "getVideo", "parameters": [{"name": "video-id"}],
                    "responses": {"200": {}, "404": {}}},
                "put": {}
            }},
            "components": {"schemas": {"Video": {}}}
        });
        assert_eq!(
            key(&document, "#/components/schemas/Video/properties/id"),
            "VideoId"
        );
        assert_eq!(
            key(
                &document,
                "#/components/schemas/Video/properties/video_tags/items"
            ),
            "VideoTagsItem"
        );
        assert_eq!(
            key(&document, "#/components/schemas/Video/allOf/1"),
            "VideoAllOf2"
        );
        let get = "#/paths/~1videos~1{id}/get";
        assert_eq!(
            key(
                &document,
                &format!("{get}/responses/200/content/application~1json/schema")
            ),
            "GetVideoResponse"
        );
        assert_eq!(
            key(
                &document,
                &format!("{get}/responses/404/content/application~1json/schema")
            ),
            "GetVideo404Response"
        );
        assert_eq!(
            key(
                &document,
                "#/paths/~1videos~1{id}/put/requestBody/content/application~1json/schema"
            ),
            "PutVideosIdRequest"
        );
        assert_eq!(key(&document, &format!("{get}/parameters/0")), "VideoId");
        assert_eq!(key(&document, "#/definitions/Pet"), "");
    }

    #[test]
    fn claimed_keys_are_unique_per_section() {
        let document = serde_json::json!({"components": {"schemas": {"Error": {}}}});
        let mut keys = Keys::of(&document);
        assert_eq!(keys.claim("schemas", "Error"), "Error2");
        assert_eq!(keys.claim("schemas", "Error"), "Error3");
        assert_eq!(keys.claim("responses", "Error"), "Error");
    }
}
