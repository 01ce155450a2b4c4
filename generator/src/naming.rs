//! Turns wire names into Rust identifiers: case conversion, keywords, leading digits and symbols,
//! and deterministic resolution of collisions. All naming goes through here.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

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

/// The Rust prelude's names (types, traits, variants and functions): generated code uses them
/// unqualified, so no generated type may shadow them.
const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    "drop",
];

/// The methods that derived traits give a type (`#[derive(Clone, Debug)]` gives `clone` and
/// `fmt`), which an inherent method of the same name would hide.
const DERIVED_METHODS: &[(&str, &[&str])] = &[
    ("Clone", &["clone", "clone_from"]),
    ("Debug", &["fmt"]),
    ("Default", &["default"]),
    ("PartialEq", &["eq", "ne"]),
    ("Hash", &["hash"]),
];

/// Method names that Rust convention (and clippy) keeps for constructors: an operation called
/// `new` is not one.
const CONSTRUCTOR_METHODS: &[&str] = &["new"];

/// File names a module cannot take: `mod.rs` is the directory's own module.
const RESERVED_MODULES: &[&str] = &["mod"];

/// The module under `src/operations/` that holds the error enums several operations share.
pub const SHARED_ERRORS_MODULE: &str = "shared_errors";

/// The names the generated crate defines besides the spec's: read once from the runtime's source
/// (`generator/runtime/`), so that they cannot drift from it.
#[derive(Debug, Default)]
pub struct RuntimeNames {
    /// Every public item the runtime declares or re-exports (types, traits, functions,
    /// constants, modules), and the prelude's names.
    pub items: BTreeSet<String>,
    /// The methods of each runtime type, by type name: inherent methods, and those its derives
    /// give it.
    pub methods: BTreeMap<String, BTreeSet<String>>,
}

impl RuntimeNames {
    /// The method names a method of the runtime type `type_name` cannot take: its own, and the
    /// constructor names.
    pub fn methods_of(&self, type_name: &str) -> Vec<&str> {
        self.methods
            .get(type_name)
            .into_iter()
            .flatten()
            .map(String::as_str)
            .chain(CONSTRUCTOR_METHODS.iter().copied())
            .collect()
    }
}

/// The names the runtime defines; parsed once.
pub fn runtime_names() -> &'static RuntimeNames {
    static NAMES: OnceLock<RuntimeNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names = RuntimeNames::default();
        names
            .items
            .extend(PRELUDE.iter().map(|name| (*name).to_owned()));
        for file in crate::runtime_files::RUNTIME_FILES {
            // The runtime is our own source, compiled in every generated crate; a parse failure
            // is caught by the tests that build those crates, and only costs the reservation.
            if let Ok(parsed) = syn::parse_file(file.text) {
                collect_names(&parsed.items, &mut names);
            }
        }
        names
    })
}

/// Adds the names of `items` (and of items nested in inline modules) to `names`.
fn collect_names(items: &[syn::Item], names: &mut RuntimeNames) {
    for item in items {
        let (ident, visibility, attrs) = match item {
            syn::Item::Struct(item) => (&item.ident, &item.vis, Some(&item.attrs)),
            syn::Item::Enum(item) => (&item.ident, &item.vis, Some(&item.attrs)),
            syn::Item::Union(item) => (&item.ident, &item.vis, Some(&item.attrs)),
            syn::Item::Trait(item) => (&item.ident, &item.vis, None),
            syn::Item::Type(item) => (&item.ident, &item.vis, None),
            syn::Item::Fn(item) => (&item.sig.ident, &item.vis, None),
            syn::Item::Const(item) => (&item.ident, &item.vis, None),
            syn::Item::Static(item) => (&item.ident, &item.vis, None),
            syn::Item::Mod(item) => {
                if let Some((_, nested)) = &item.content {
                    collect_names(nested, names);
                }
                (&item.ident, &item.vis, None)
            }
            syn::Item::Use(item) => {
                if matches!(item.vis, syn::Visibility::Public(_)) {
                    collect_use_names(&item.tree, names);
                }
                continue;
            }
            syn::Item::Impl(item) => {
                collect_impl_methods(item, names);
                continue;
            }
            _ => continue,
        };
        let name = ident.to_string();
        if let Some(attrs) = attrs {
            let derived = derived_traits(attrs);
            let methods = names.methods.entry(name.clone()).or_default();
            for (trait_name, trait_methods) in DERIVED_METHODS {
                if derived.iter().any(|derived| derived == trait_name) {
                    methods.extend(trait_methods.iter().map(|method| (*method).to_owned()));
                }
            }
        }
        // Only public items reach the crate root (`pub use runtime::*`), where the spec's types
        // are re-exported too; private ones cannot collide with them.
        if matches!(visibility, syn::Visibility::Public(_)) {
            names.items.insert(name);
        }
    }
}

/// The names a public `use` brings in (`pub use reqwest::{Method, StatusCode}` gives both).
fn collect_use_names(tree: &syn::UseTree, names: &mut RuntimeNames) {
    match tree {
        syn::UseTree::Path(path) => collect_use_names(&path.tree, names),
        syn::UseTree::Name(name) => {
            names.items.insert(name.ident.to_string());
        }
        syn::UseTree::Rename(rename) => {
            names.items.insert(rename.rename.to_string());
        }
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                collect_use_names(tree, names);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

/// Records the methods of an `impl` block (inherent or of a trait) under the implementing type.
fn collect_impl_methods(item: &syn::ItemImpl, names: &mut RuntimeNames) {
    let syn::Type::Path(self_type) = item.self_ty.as_ref() else {
        return;
    };
    let Some(type_name) = self_type.path.segments.last() else {
        return;
    };
    let methods = names
        .methods
        .entry(type_name.ident.to_string())
        .or_default();
    for impl_item in &item.items {
        if let syn::ImplItem::Fn(function) = impl_item {
            methods.insert(function.sig.ident.to_string());
        }
    }
}

/// The trait names in the `#[derive(..)]` attributes of an item.
fn derived_traits(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut traits = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                traits.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    traits
}

/// The std traits every generated struct derives; `Default` too when no field is required.
pub const STRUCT_DERIVES: &[&str] = &["Debug", "Clone", "PartialEq"];

/// A scope for the methods of a generated struct: its constructor `new` and the methods of its
/// derives are taken.
pub fn struct_method_scope() -> Scope {
    let mut taken: BTreeSet<String> = CONSTRUCTOR_METHODS
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    for (trait_name, methods) in DERIVED_METHODS {
        if STRUCT_DERIVES.contains(trait_name) || *trait_name == "Default" {
            taken.extend(methods.iter().map(|method| (*method).to_owned()));
        }
    }
    Scope { taken }
}

/// A scope for the type modules under `src/types/`.
pub fn module_scope() -> Scope {
    Scope::with_reserved(RESERVED_MODULES)
}

/// A scope for the tag modules under `src/operations/`, where [`SHARED_ERRORS_MODULE`] is also
/// taken.
pub fn operation_module_scope() -> Scope {
    let mut scope = module_scope();
    scope.claim(SHARED_ERRORS_MODULE);
    scope
}

/// The name of an error enum that several operations share, from its variants' names in order:
/// `Unauthorized`, `Forbidden`, `NotFound` give `UnauthorizedForbiddenNotFoundError`; no
/// variant gives `NoDocumentedError`. Claim it in the type scope, which numbers it when two
/// shared enums have the same variants but differ in their payloads or descriptions.
pub fn shared_error_name(variants: &[&str]) -> String {
    let joined: String = variants
        .iter()
        .map(|variant| variant.trim_start_matches("r#"))
        .collect();
    let joined = if joined.is_empty() {
        "NoDocumented"
    } else {
        &joined
    };
    format!("{joined}Error")
}

/// The cargo features every generated crate has besides its per-tag ones: `default`, which
/// enables `full`, `full` (every tag), the runtime's `tracing`, and `serde-both-ways` (both
/// serde impls on every type).
pub const CRATE_FEATURES: &[&str] = &["default", FULL_FEATURE, "tracing", "serde-both-ways"];

/// The feature that enables every tag, and the types no operation uses (webhook payloads,
/// schemas no operation refers to).
pub const FULL_FEATURE: &str = "full";

/// A scope for cargo feature names, where [`CRATE_FEATURES`] are taken.
pub fn feature_scope() -> Scope {
    Scope::with_reserved(CRATE_FEATURES)
}

/// A kebab-case cargo feature name for a tag (`Organization Main Calls` gives
/// `organization-main-calls`); `fallback` when the tag has no letters or digits.
pub fn feature_ident(wire: &str, fallback: &str) -> String {
    let kebab = ascii_words(wire).to_kebab_case();
    if kebab.is_empty() {
        fallback.to_owned()
    } else {
        kebab
    }
}

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

/// A name for a type: like [`camel_ident`], but never a name the runtime or the prelude defines
/// (`Client` becomes `ClientModel`).
pub fn type_ident(wire: &str) -> String {
    let camel = camel_ident(wire, "Type");
    if runtime_names().items.contains(&camel) {
        format!("{camel}Model")
    } else {
        camel
    }
}

/// A name for an operation without an `operationId`, from its method and path:
/// `GET /users/{id}` gives `get_users_by_id`, `POST /` gives `post_root`.
pub fn operation_name(method: &str, path: &str) -> String {
    let mut words = vec![method.to_ascii_lowercase()];
    let mut segments = 0;
    for segment in path.split('/').filter(|segment| !segment.is_empty()) {
        segments += 1;
        match segment
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(parameter) => {
                words.push("by".to_owned());
                words.push(parameter.to_owned());
            }
            None => words.push(segment.to_owned()),
        }
    }
    if segments == 0 {
        words.push("root".to_owned());
    }
    ascii_words(&words.join(" ")).to_snake_case()
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

    /// A scope where every name of `names` is already taken.
    pub fn with_reserved_names(names: &BTreeSet<String>) -> Self {
        Self {
            taken: names.clone(),
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
    fn the_runtime_s_names_are_read_from_its_source() {
        let names = runtime_names();
        for item in [
            "Client",
            "ClientBuilder",
            "Error",
            "Nullable",
            "Method",
            "Option",
        ] {
            assert!(names.items.contains(item), "{item} is reserved");
        }
        let client = names.methods_of("Client");
        for method in ["builder", "base_url", "clone", "fmt"] {
            assert!(
                client.contains(&method),
                "Client::{method} is reserved: {client:?}"
            );
        }
        assert!(names.methods_of("ClientBuilder").contains(&"build"));
        assert_eq!(type_ident("Client"), "ClientModel");
        assert_eq!(type_ident("Method"), "MethodModel");
    }

    #[test]
    fn operations_without_an_id_are_named_from_method_and_path() {
        assert_eq!(operation_name("get", "/users/{id}"), "get_users_by_id");
        assert_eq!(
            operation_name("delete", "/v1/orgs/{org-id}/members/{user_id}"),
            "delete_v1_orgs_by_org_id_members_by_user_id"
        );
        assert_eq!(operation_name("post", "/"), "post_root");
        assert_eq!(
            operation_name("get", "/files/{path}.json"),
            "get_files_path_json"
        );
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
    fn shared_error_enums_are_named_after_their_variants() {
        assert_eq!(
            shared_error_name(&["Unauthorized", "Forbidden", "NotFound"]),
            "UnauthorizedForbiddenNotFoundError"
        );
        assert_eq!(
            shared_error_name(&["Status4xx", "Default"]),
            "Status4xxDefaultError"
        );
        assert_eq!(shared_error_name(&[]), "NoDocumentedError");
        assert!(operation_module_scope().contains(SHARED_ERRORS_MODULE));
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
