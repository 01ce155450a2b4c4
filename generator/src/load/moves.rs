//! Where a converter from another OpenAPI version put the values it moved: Swagger 2.0's
//! `#/definitions/Pet` is `#/components/schemas/Pet` in OpenAPI 3.0, a body parameter's schema
//! is the request body's, an OpenAPI 3.1 `$defs` entry is a component schema.
//!
//! The converter records each move once. [`Moves::rewrite_references`] then points every
//! reference of the converted document at the value's new place, and [`Moves::original`] gives
//! the place in the user's file for a pointer into the converted document, so that later
//! messages and type origins name what the user wrote.

use serde_json::Value;

use super::grammar::{Kind, Place};
use super::pointer;

/// The moves of one conversion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Moves {
    moves: Vec<Move>,
}

/// One moved value: the value at `from` in the user's document stands at `to` in the converted
/// one, and so does everything under it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Move {
    from: Vec<String>,
    to: Vec<String>,
}

impl Moves {
    /// Records that the value at `from` (segments in the user's document) now stands at `to`.
    pub(super) fn record(&mut self, from: Vec<String>, to: Vec<String>) {
        if from != to {
            self.moves.push(Move { from, to });
        }
    }

    /// Where the value at `segments` of the user's document stands now; `None` when it did not
    /// move. The innermost move wins; the first one recorded among equals.
    fn moved(&self, segments: &[String]) -> Option<Vec<String>> {
        let found = self
            .moves
            .iter()
            .filter(|step| pointer::starts_with(segments, &step.from))
            .fold(None::<&Move>, |best, step| match best {
                Some(best) if best.from.len() >= step.from.len() => Some(best),
                _ => Some(step),
            })?;
        let rest = segments.get(found.from.len()..).unwrap_or_default();
        Some(found.to.iter().chain(rest).cloned().collect())
    }

    /// The pointer in the user's document of `converted`, a pointer (`#/…`) into the converted
    /// document; `None` when that place did not move.
    pub(super) fn original(&self, converted: &str) -> Option<String> {
        let segments = pointer::parse(converted)?;
        let found = self
            .moves
            .iter()
            .filter(|step| pointer::starts_with(&segments, &step.to))
            .fold(None::<&Move>, |best, step| match best {
                Some(best) if best.to.len() >= step.to.len() => Some(best),
                _ => Some(step),
            })?;
        let rest = segments.get(found.to.len()..).unwrap_or_default();
        let original: Vec<String> = found.from.iter().chain(rest).cloned().collect();
        Some(pointer::format(&original))
    }

    /// Points every reference within the converted `document` (`#/…`, not those to other files)
    /// that names a moved value at its new place.
    pub(super) fn rewrite_references(&self, document: &mut Value) {
        if self.moves.is_empty() {
            return;
        }
        let mut changes: Vec<(Vec<String>, String)> = Vec::new();
        super::refs::for_each_site(
            document,
            Place::Object(Kind::Document),
            &mut |path, _, reference, mapping| {
                let Some(segments) = pointer::parse(reference) else {
                    return;
                };
                let Some(moved) = self.moved(&segments) else {
                    return;
                };
                let mut at = super::grammar::segments(path);
                if let Some(name) = mapping {
                    at.extend(["mapping".to_owned(), name.to_owned()]);
                } else {
                    at.push("$ref".to_owned());
                }
                changes.push((at, pointer::format(&moved)));
            },
        );
        for (at, reference) in changes {
            if let Some(slot) = pointer::get_mut(document, &at) {
                *slot = Value::String(reference);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(pointer: &str) -> Vec<String> {
        pointer::parse(pointer).unwrap()
    }

    #[test]
    fn references_follow_the_innermost_move_and_messages_go_back() {
        let mut moves = Moves::default();
        moves.record(segments("#/definitions"), segments("#/components/schemas"));
        moves.record(
            segments("#/definitions/Pet/$defs/Tag"),
            segments("#/components/schemas/Tag"),
        );
        let mut document = serde_json::json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "Owner": {"properties": {
                    "pet": {"$ref": "#/definitions/Pet"},
                    "tag": {"$ref": "#/definitions/Pet/$defs/Tag/properties/name"},
                    "other": {"$ref": "other.yaml#/definitions/Pet"},
                }},
                "Union": {"oneOf": [], "discriminator": {"propertyName": "kind",
                    "mapping": {"pet": "#/definitions/Pet", "name": "Pet"}}},
            }},
            "x-example": {"$ref": "#/definitions/Pet"},
        });
        moves.rewrite_references(&mut document);
        let owner = &document["components"]["schemas"]["Owner"]["properties"];
        assert_eq!(owner["pet"]["$ref"], "#/components/schemas/Pet");
        assert_eq!(
            owner["tag"]["$ref"],
            "#/components/schemas/Tag/properties/name"
        );
        assert_eq!(owner["other"]["$ref"], "other.yaml#/definitions/Pet");
        let mapping = &document["components"]["schemas"]["Union"]["discriminator"]["mapping"];
        assert_eq!(mapping["pet"], "#/components/schemas/Pet");
        assert_eq!(mapping["name"], "Pet");
        assert_eq!(document["x-example"]["$ref"], "#/definitions/Pet");
        assert_eq!(
            moves.original("#/components/schemas/Pet/properties/id"),
            Some("#/definitions/Pet/properties/id".to_owned())
        );
        assert_eq!(
            moves.original("#/components/schemas/Tag"),
            Some("#/definitions/Pet/$defs/Tag".to_owned())
        );
        assert_eq!(moves.original("#/paths"), None);
    }
}
