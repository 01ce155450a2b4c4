//! Security schemes: what the client's builder can authenticate with.

use openapiv3::{APIKeyLocation, ReferenceOr};

use super::Lowerer;
use crate::diagnostics::pointer_push;
use crate::model::{SecurityKind, SecurityRequirement, SecurityScheme};
use crate::naming::{self, Scope};

/// The schemes under `components/securitySchemes`, in spec order.
pub(super) fn lower_schemes(lowerer: &mut Lowerer<'_>) -> Vec<SecurityScheme> {
    let Some(components) = &lowerer.document.components else {
        return Vec::new();
    };
    let mut scope = Scope::with_reserved(&naming::runtime_names().methods_of("ClientBuilder"));
    let mut schemes = Vec::new();
    for (key, scheme) in &components.security_schemes {
        let pointer = pointer_push("#/components/securitySchemes", key);
        let ReferenceOr::Item(scheme) = scheme else {
            lowerer.warn(
                &pointer,
                "a `$ref` security scheme is not supported; it is left out",
            );
            continue;
        };
        let (kind, docs) = match scheme {
            openapiv3::SecurityScheme::HTTP {
                scheme: http_scheme,
                description,
                ..
            } => match http_scheme.to_ascii_lowercase().as_str() {
                "bearer" => (SecurityKind::Bearer, description),
                "basic" => (SecurityKind::Basic, description),
                other => {
                    lowerer.warn(
                        &pointer,
                        format!("HTTP auth scheme `{other}` is not supported; it is left out"),
                    );
                    continue;
                }
            },
            openapiv3::SecurityScheme::APIKey {
                location,
                name,
                description,
                ..
            } => match location {
                APIKeyLocation::Header => (
                    SecurityKind::ApiKeyHeader {
                        header: name.clone(),
                        prefix: description
                            .as_deref()
                            .and_then(|text| shown_prefix(text, name)),
                    },
                    description,
                ),
                APIKeyLocation::Query => (
                    SecurityKind::ApiKeyQuery {
                        parameter: name.clone(),
                    },
                    description,
                ),
                APIKeyLocation::Cookie => {
                    lowerer.warn(
                        &pointer,
                        "cookie API keys are not supported; it is left out",
                    );
                    continue;
                }
            },
            openapiv3::SecurityScheme::OAuth2 { description, .. }
            | openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                (SecurityKind::Bearer, description)
            }
        };
        schemes.push(SecurityScheme {
            key: key.clone(),
            method_name: scope.claim(&naming::snake_ident(key)),
            kind,
            docs: docs.clone(),
            env_var: None,
        });
    }
    let from_env = schemes
        .iter()
        .position(|scheme| {
            matches!(
                scheme.kind,
                SecurityKind::ApiKeyHeader { .. } | SecurityKind::ApiKeyQuery { .. }
            )
        })
        .or_else(|| {
            schemes
                .iter()
                .position(|scheme| scheme.kind == SecurityKind::Bearer)
        });
    if let Some(scheme) = from_env.and_then(|index| schemes.get_mut(index)) {
        scheme.env_var = Some(naming::credential_env_var(&lowerer.document.info.title));
    }
    schemes
}

/// An operation's security requirements (its own, or else the document's): the alternatives,
/// each the keys of the schemes sent together, in spec order. Scopes are not the client's
/// business.
pub(super) fn requirements(
    security: Option<&Vec<openapiv3::SecurityRequirement>>,
) -> Vec<SecurityRequirement> {
    security
        .into_iter()
        .flatten()
        .map(|requirement| SecurityRequirement {
            schemes: requirement.keys().cloned().collect(),
        })
        .collect()
}

/// The scheme word that the description shows before the key, as in
/// `curl -H "Authorization: Token $TOKEN"`; `None` when the description shows none.
fn shown_prefix(description: &str, header: &str) -> Option<String> {
    let lower = description.to_ascii_lowercase();
    let needle = format!("{}: ", header.to_ascii_lowercase());
    let start = lower.find(&needle)? + needle.len();
    let mut words = description[start..].split_whitespace();
    let word = words.next()?;
    let has_value_after = words.next().is_some();
    (has_value_after && word.chars().all(|c| c.is_ascii_alphabetic())).then(|| word.to_owned())
}

#[cfg(test)]
mod tests {
    use super::shown_prefix;

    #[test]
    fn prefix_is_read_from_a_curl_example() {
        let text = "Curl Example ' curl https://x -H \"Authorization: Token $qovery_token\" '";
        assert_eq!(
            shown_prefix(text, "Authorization").as_deref(),
            Some("Token")
        );
        assert_eq!(shown_prefix("Use the X-Key header: $KEY", "X-Key"), None);
        assert_eq!(shown_prefix("no example here", "Authorization"), None);
    }
}
