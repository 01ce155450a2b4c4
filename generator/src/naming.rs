//! Turns wire names into Rust identifiers: case conversion, keywords, leading digits and symbols,
//! and deterministic resolution of collisions. All naming goes through here.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that would shadow what generated code uses unqualified.
const PRELUDE_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Client", "Error",
];

/// The wire name with every character that cannot stand in an ASCII identifier made a separator.
fn ascii_words(wire: &str) -> String {
    wire.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A snake_case identifier for a field, parameter or method.
pub fn snake_ident(wire: &str) -> String {
    let snake = ascii_words(wire).to_snake_case();
    let snake = if snake.is_empty() {
        "value".to_owned()
    } else {
        snake
    };
    let snake = if starts_with_digit(&snake) {
        format!("_{snake}")
    } else {
        snake
    };
    escape_keyword(snake)
}

/// An UpperCamelCase identifier for a type or variant; `fallback` is used when the wire name has
/// no letters or digits at all.
pub fn camel_ident(wire: &str, fallback: &str) -> String {
    let camel = ascii_words(wire).to_upper_camel_case();
    let camel = if camel.is_empty() {
        fallback.to_owned()
    } else {
        camel
    };
    let camel = if starts_with_digit(&camel) {
        format!("V{camel}")
    } else {
        camel
    };
    if RESERVED.contains(&camel.as_str()) {
        format!("{camel}_")
    } else {
        camel
    }
}

/// A name for a type: like [`camel_ident`], but never one of the names generated code relies on.
pub fn type_ident(wire: &str) -> String {
    let camel = camel_ident(wire, "Type");
    if PRELUDE_TYPES.contains(&camel.as_str()) {
        format!("{camel}Model")
    } else {
        camel
    }
}

/// The environment variable a client reads its credential from, from the API's title:
/// `Qovery API` gives `QOVERY_API_TOKEN`, `Wire fixture` gives `WIRE_FIXTURE_API_TOKEN`.
pub fn credential_env_var(title: &str) -> String {
    let words: Vec<String> = ascii_words(title)
        .split_whitespace()
        .map(str::to_ascii_uppercase)
        .collect();
    let words: &[String] = match words.split_last() {
        Some((last, rest)) if last == "API" => rest,
        _ => &words,
    };
    let name = words.join("_").to_snake_case().to_ascii_uppercase();
    let name = if name.is_empty() || starts_with_digit(&name) {
        format!("API{}{name}", if name.is_empty() { "" } else { "_" })
    } else {
        name
    };
    format!("{name}_API_TOKEN")
}

fn starts_with_digit(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn escape_keyword(ident: String) -> String {
    if RESERVED.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// A set of names taken in one scope (a module, a struct, an enum); hands out unique names.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope where `names` are already taken.
    pub fn with_reserved(names: &[&str]) -> Self {
        Self {
            taken: names.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// Claims `wanted`, or `wanted2`, `wanted3`… if it is taken. The first claimant keeps the
    /// plain name, so the result depends only on the order of the calls.
    pub fn claim(&mut self, wanted: &str) -> String {
        let (raw, base) = match wanted.strip_prefix("r#") {
            Some(base) => ("r#", base),
            None => ("", wanted),
        };
        let mut candidate = wanted.to_owned();
        let mut counter = 2;
        while self.taken.contains(candidate.trim_start_matches("r#")) {
            let separator = if base.ends_with(|c: char| c.is_ascii_digit()) {
                "_"
            } else {
                ""
            };
            candidate = format!("{base}{separator}{counter}");
            counter += 1;
        }
        self.taken
            .insert(candidate.trim_start_matches("r#").to_owned());
        if candidate == wanted {
            format!("{raw}{base}")
        } else {
            candidate
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name.trim_start_matches("r#"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_or_get_an_underscore() {
        assert_eq!(snake_ident("type"), "r#type");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(camel_ident("self", "X"), "Self_");
    }

    #[test]
    fn digits_and_symbols_are_fixed() {
        assert_eq!(snake_ident("2fa-enabled"), "_2fa_enabled");
        assert_eq!(camel_ident("TEAM_2025", "V"), "Team2025");
        assert_eq!(camel_ident("1h", "V"), "V1h");
        assert_eq!(camel_ident("+", "Value1"), "Value1");
        assert_eq!(type_ident("error"), "ErrorModel");
    }

    #[test]
    fn credential_variables_come_from_the_title() {
        assert_eq!(credential_env_var("Qovery API"), "QOVERY_API_TOKEN");
        assert_eq!(credential_env_var("Wire fixture"), "WIRE_FIXTURE_API_TOKEN");
        assert_eq!(credential_env_var("Petstore"), "PETSTORE_API_TOKEN");
        assert_eq!(
            credential_env_var("3D Prints API"),
            "API_3D_PRINTS_API_TOKEN"
        );
        assert_eq!(credential_env_var("API"), "API_API_TOKEN");
    }

    #[test]
    fn collisions_are_numbered_in_claim_order() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim("name"), "name");
        assert_eq!(scope.claim("name"), "name2");
        assert_eq!(scope.claim("name"), "name3");
        assert_eq!(scope.claim("v1"), "v1");
        assert_eq!(scope.claim("v1"), "v1_2");
        assert_eq!(scope.claim("r#type"), "r#type");
        assert_eq!(scope.claim("r#type"), "type2");
    }
}
