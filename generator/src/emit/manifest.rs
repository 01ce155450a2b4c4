//! The `[package]` metadata of the generated crate's manifest, and the dependencies the
//! configuration adds: what makes the crate ready to publish.

use super::Context;

/// The `[package]` table's lines after `name`, from the configuration and the spec's `info`.
pub(super) fn package_metadata(context: &Context<'_>) -> Vec<String> {
    let api = context.api;
    let package = &context.options.config.package;
    let version = package.version.clone().unwrap_or_else(|| {
        if is_semver(&api.version) {
            api.version.clone()
        } else {
            "0.1.0".to_owned()
        }
    });
    let description = package
        .description
        .clone()
        .unwrap_or_else(|| format!("A typed async client for {}.", super::api_name(api)));
    let mut lines = vec![
        format!("version = {}", quoted(&version)),
        "edition = \"2024\"".to_owned(),
        "rust-version = \"1.89\"".to_owned(),
        format!("description = {}", quoted(&description)),
    ];
    let license = package
        .license
        .clone()
        .or_else(|| api.license.as_deref().and_then(spdx_license));
    let homepage = package.homepage.clone().or_else(|| api.homepage.clone());
    let optional = [
        ("license", license),
        ("homepage", homepage),
        ("repository", package.repository.clone()),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            lines.push(format!("{key} = {}", quoted(&value)));
        }
    }
    lines.push("readme = \"README.md\"".to_owned());
    if package.publish == Some(false) {
        lines.push("publish = false".to_owned());
    }
    lines
}

/// The configuration's extra dependencies, as manifest lines.
pub(super) fn extra_dependencies(context: &Context<'_>) -> Vec<String> {
    context
        .options
        .config
        .dependencies
        .iter()
        .map(|(name, value)| format!("{name} = {}", inline_toml(value)))
        .collect()
}

/// A TOML value written on one line (tables inline).
fn inline_toml(value: &toml::Value) -> String {
    match value {
        toml::Value::Table(table) => {
            let entries: Vec<String> = table
                .iter()
                .map(|(key, value)| format!("{key} = {}", inline_toml(value)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline_toml).collect();
            format!("[{}]", items.join(", "))
        }
        toml::Value::String(text) => quoted(text),
        toml::Value::Integer(number) => number.to_string(),
        toml::Value::Float(number) => number.to_string(),
        toml::Value::Boolean(value) => value.to_string(),
        toml::Value::Datetime(datetime) => datetime.to_string(),
    }
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            '\n' => vec!['\\', 'n'],
            c if c.is_control() => Vec::new(),
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

/// The SPDX identifier for a licence name as specs write it (`Apache 2.0`, `MIT License`), when
/// it is one of the common ones; `None` otherwise, so that no wrong licence is claimed.
fn spdx_license(name: &str) -> Option<String> {
    const KNOWN: &[(&str, &str)] = &[
        ("mit", "MIT"),
        ("apache2.0", "Apache-2.0"),
        ("apachelicense2.0", "Apache-2.0"),
        ("apachelicenseversion2.0", "Apache-2.0"),
        ("bsd2clause", "BSD-2-Clause"),
        ("bsd3clause", "BSD-3-Clause"),
        ("isc", "ISC"),
        ("mpl2.0", "MPL-2.0"),
        ("gpl3.0", "GPL-3.0-only"),
        ("gplv3", "GPL-3.0-only"),
        ("lgpl3.0", "LGPL-3.0-only"),
        ("agpl3.0", "AGPL-3.0-only"),
        ("agplv3.0", "AGPL-3.0-only"),
        ("agplv3", "AGPL-3.0-only"),
        ("unlicense", "Unlicense"),
        ("cc01.0", "CC0-1.0"),
    ];
    let key: String = name
        .to_ascii_lowercase()
        .trim_end_matches(" license")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    KNOWN
        .iter()
        .find(|(known, _)| *known == key)
        .map(|(_, spdx)| (*spdx).to_owned())
}

#[cfg(test)]
mod tests {
    use super::{inline_toml, spdx_license};

    #[test]
    fn licence_names_become_spdx_identifiers_or_nothing() {
        assert_eq!(spdx_license("Apache 2.0").as_deref(), Some("Apache-2.0"));
        assert_eq!(
            spdx_license("Apache License 2.0").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(spdx_license("MIT License").as_deref(), Some("MIT"));
        assert_eq!(spdx_license("AGPLv3.0").as_deref(), Some("AGPL-3.0-only"));
        assert_eq!(spdx_license("Proprietary, see the website"), None);
    }

    #[test]
    fn dependencies_are_written_inline() {
        let value: toml::Value =
            toml::from_str("version = \"1\"\nfeatures = [\"serde-str\"]").expect("toml");
        assert_eq!(
            inline_toml(&value),
            "{ features = [\"serde-str\"], version = \"1\" }"
        );
    }
}
