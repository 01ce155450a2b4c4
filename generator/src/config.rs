//! The user's configuration: which operations to keep, what to rename, which Rust types to use
//! for some schemas or formats, and the generated crate's metadata. Read from a small TOML file
//! (`oapic generate --config FILE`) or built in code; `lower` applies it.
//!
//! ```toml
//! [package]
//! name = "acme-client"
//! version = "2.1.0"
//! description = "A client for the Acme API"
//!
//! [client]
//! base-url = "https://api.acme.test/v2"
//!
//! [include]
//! tags = ["Organizations"]
//!
//! [exclude]
//! operations = ["deleteOrganization"]
//! paths = ["/internal/*"]
//!
//! [rename]
//! types = { OrganizationRequest = "NewOrganization" }
//! properties = { "Organization.created_at" = "created" }
//! operations = { listOrganizations = "organizations" }
//!
//! [types]
//! schemas = { Money = "rust_decimal::Decimal" }
//! formats = { decimal = "rust_decimal::Decimal" }
//!
//! [dependencies]
//! rust_decimal = { version = "1", features = ["serde-str"] }
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Everything a configuration can say; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The generated crate's `[package]` metadata.
    pub package: Package,
    /// Choices about the generated client.
    pub client: ClientChoices,
    /// When it names anything, only the operations it selects are generated.
    pub include: Selection,
    /// Operations that are not generated, even when `include` selects them.
    pub exclude: Selection,
    /// New names for types, properties and operations.
    pub rename: Renames,
    /// Existing Rust types to use instead of generating one.
    pub types: TypeMappings,
    /// Dependencies added to the generated crate's `Cargo.toml`, for the mapped types, as TOML
    /// values (`"1"` or `{ version = "1", features = [..] }`).
    pub dependencies: BTreeMap<String, toml::Value>,
}

/// The generated crate's metadata; what is left out comes from the spec's `info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Package {
    /// The package name (the CLI's `--name` wins).
    pub name: Option<String>,
    /// The version; else `info.version` when it is semver, else `0.1.0`.
    pub version: Option<String>,
    /// The description; else one made from `info.title`.
    pub description: Option<String>,
    /// An SPDX licence expression; else `info.license.identifier` or a name that is one.
    pub license: Option<String>,
    /// The homepage; else `info.contact.url`.
    pub homepage: Option<String>,
    /// The repository URL.
    pub repository: Option<String>,
    /// Whether `cargo publish` may publish the crate (`publish = false` when `false`).
    pub publish: Option<bool>,
}

/// Choices about the generated client that have a default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ClientChoices {
    /// The client's default server, instead of the spec's first one.
    pub base_url: Option<String>,
    /// Whether an operation's optional query and header parameters are grouped into an
    /// options struct (`true`, the default) or are positional `Option` arguments.
    pub group_optional_parameters: bool,
}

impl Default for ClientChoices {
    fn default() -> Self {
        Self {
            base_url: None,
            group_optional_parameters: true,
        }
    }
}

/// A set of operations, by tag, by `operationId`, or by path. A path pattern may end with `*`
/// to select every path that starts with what comes before it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Selection {
    /// Operations with any of these tags.
    pub tags: Vec<String>,
    /// Operations with one of these `operationId`s.
    pub operations: Vec<String>,
    /// Operations whose path matches one of these patterns.
    pub paths: Vec<String>,
}

impl Selection {
    /// Whether the selection names nothing.
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.operations.is_empty() && self.paths.is_empty()
    }

    /// Whether an operation with these tags, `operationId` and path is selected.
    pub fn selects(&self, tags: &[String], id: &str, path: &str) -> bool {
        tags.iter().any(|tag| self.tags.contains(tag))
            || self.operations.iter().any(|operation| operation == id)
            || self
                .paths
                .iter()
                .any(|pattern| match pattern.strip_suffix('*') {
                    Some(prefix) => path.starts_with(prefix),
                    None => path == pattern,
                })
    }
}

/// New names, keyed by the spec's names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Renames {
    /// Component schema key to the type's name (`OrganizationRequest = "NewOrganization"`).
    pub types: BTreeMap<String, String>,
    /// `Schema.property` (the schema's key and the property's wire name) to the field's name.
    pub properties: BTreeMap<String, String>,
    /// `operationId` to the method's name.
    pub operations: BTreeMap<String, String>,
}

/// Existing Rust types, by path (`rust_decimal::Decimal`), used instead of generated ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TypeMappings {
    /// Component schema key to the Rust type used wherever the schema is referenced.
    pub schemas: BTreeMap<String, String>,
    /// String `format` to the Rust type used for every string of that format.
    pub formats: BTreeMap<String, String>,
}

impl Config {
    /// Reads a configuration file's text; `file` names it in errors, which give the line and
    /// column of the problem.
    pub fn from_toml(file: &str, text: &str) -> Result<Self, Diagnostics> {
        let config: Self = toml::from_str(text).map_err(|error| {
            let line_column = error.span().map(|span| line_column(text, span.start));
            let message = format!("the configuration is not valid: {}", error.message());
            Diagnostics::from(Diagnostic::error_at_line(file, line_column, message))
        })?;
        config.check(file)?;
        Ok(config)
    }

    /// Refuses what the configuration cannot mean: a mapped type that is not a Rust path, a
    /// rename that is not an identifier.
    fn check(&self, file: &str) -> Result<(), Diagnostics> {
        let mut errors = Diagnostics::default();
        let mappings = self.types.schemas.iter().chain(&self.types.formats);
        for (key, path) in mappings {
            if syn::parse_str::<syn::Type>(path).is_err() {
                errors.push(Diagnostic::error_at_line(
                    file,
                    None,
                    format!("`{key} = \"{path}\"` does not name a Rust type"),
                ));
            }
        }
        let renames = self
            .rename
            .types
            .iter()
            .chain(&self.rename.properties)
            .chain(&self.rename.operations);
        for (key, name) in renames {
            if syn::parse_str::<syn::Ident>(name).is_err() {
                errors.push(Diagnostic::error_at_line(
                    file,
                    None,
                    format!("the new name of `{key}`, `{name}`, is not a Rust identifier"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The Rust type configured for a string `format`.
    pub fn format_type(&self, format: &str) -> Option<&str> {
        self.types.formats.get(format).map(String::as_str)
    }
}

/// The 1-based line and column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, str::len) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_reads_from_toml() {
        let text = r#"
[package]
name = "acme-client"
publish = false

[client]
base-url = "https://api.acme.test"
group-optional-parameters = false

[include]
tags = ["Orgs"]

[exclude]
paths = ["/internal/*"]

[rename]
types = { OrganizationRequest = "NewOrganization" }
properties = { "Organization.created_at" = "created" }

[types]
formats = { decimal = "rust_decimal::Decimal" }

[dependencies]
rust_decimal = "1"
"#;
        let config = Config::from_toml("oapic.toml", text).expect("the config reads");
        assert_eq!(config.package.name.as_deref(), Some("acme-client"));
        assert_eq!(config.package.publish, Some(false));
        assert!(!config.client.group_optional_parameters);
        assert!(config.include.selects(&["Orgs".to_owned()], "x", "/orgs"));
        assert!(config.exclude.selects(&[], "x", "/internal/health"));
        assert!(!config.exclude.selects(&[], "x", "/internals"));
        assert_eq!(config.format_type("decimal"), Some("rust_decimal::Decimal"));
        assert_eq!(
            config
                .rename
                .properties
                .get("Organization.created_at")
                .map(String::as_str),
            Some("created")
        );
        assert!(config.dependencies.contains_key("rust_decimal"));
    }

    #[test]
    fn mistakes_name_their_line() {
        let error = Config::from_toml("oapic.toml", "[include]\ntagz = [\"x\"]\n")
            .expect_err("an unknown key is refused");
        let text = error.to_string();
        assert!(text.starts_with("error: oapic.toml:2:1:"), "{text}");
        assert!(text.contains("tagz"), "{text}");
        let error = Config::from_toml("oapic.toml", "[types]\nformats = { d = \"not a type!\" }\n")
            .expect_err("a mapping must be a Rust type");
        assert!(
            error.to_string().contains("does not name a Rust type"),
            "{error}"
        );
    }
}
