//! Credentials: the security schemes of the spec, the secrets the client is given for them, where
//! each one goes on a request, and which ones an operation needs.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, PoisonError, RwLock};

use reqwest::header::{HeaderName, HeaderValue};

use std::convert::Infallible;

use super::error::Error;
use super::hooks::HookError;

/// What the generated `client.rs` tells the runtime about the API: its server, its security
/// schemes and the environment variable a credential can come from.
pub(crate) struct ApiDescription {
    /// The spec's server.
    pub(crate) base_url: &'static str,
    /// The security schemes, in spec order.
    pub(crate) schemes: &'static [Scheme],
    /// The environment variable read when no credential is set in code, and its scheme.
    pub(crate) env_credential: Option<EnvCredential>,
}

/// An environment variable that holds the credential for one scheme.
pub(crate) struct EnvCredential {
    /// The variable's name, such as `QOVERY_API_TOKEN`.
    pub(crate) variable: &'static str,
    /// The key of the scheme its value is sent as.
    pub(crate) scheme: &'static str,
}

/// One security scheme: its key under `components/securitySchemes` and what it sends.
pub(crate) struct Scheme {
    /// The key, as operations' `security` requirements name it.
    pub(crate) key: &'static str,
    /// What it puts on the request.
    pub(crate) kind: SchemeKind,
}

/// How a scheme puts its credential on a request.
pub(crate) enum SchemeKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// A header `name: <prefix><key>`.
    Header {
        /// The header's name.
        name: &'static str,
        /// Sent before the key, such as `Token `.
        prefix: &'static str,
    },
    /// A query parameter `name=<key>`.
    Query {
        /// The parameter's name.
        name: &'static str,
    },
}

impl SchemeKind {
    /// Where the credential goes: a header name (lower case) or a query parameter name. Two
    /// schemes with the same place replace each other, so that one value is ever sent there.
    fn place(&self) -> (bool, String) {
        match self {
            Self::Bearer | Self::Basic => (true, "authorization".to_owned()),
            Self::Header { name, .. } => (true, name.to_ascii_lowercase()),
            Self::Query { name } => (false, (*name).to_owned()),
        }
    }
}

/// A secret for one security scheme: fixed, shared (replaceable while clients use it), or asked
/// of a [`CredentialProvider`] before every attempt. Its `Debug` output never shows the secret.
///
/// ```
/// use __crate__::{Credential, SharedToken};
///
/// let fixed = Credential::from("a-token");
/// let shared = SharedToken::new("first");
/// let rotating = Credential::from(shared.clone());
/// shared.set("second"); // the next request sends `second`
/// assert!(!format!("{fixed:?} {rotating:?}").contains("token"));
/// ```
#[derive(Clone)]
pub struct Credential(Source);

#[derive(Clone)]
enum Source {
    Fixed(String),
    Shared(SharedToken),
    Provider(Arc<dyn CredentialProvider>),
}

impl Credential {
    /// A credential asked of `provider` before every attempt, for tokens that expire.
    ///
    /// ```
    /// use __crate__::{Credential, CredentialFuture, CredentialProvider};
    ///
    /// struct Vault;
    ///
    /// impl CredentialProvider for Vault {
    ///     fn secret(&self) -> CredentialFuture<'_> {
    ///         Box::pin(async { Ok("fetched-token".to_owned()) })
    ///     }
    /// }
    ///
    /// let credential = Credential::from_provider(Vault);
    /// # drop(credential);
    /// ```
    pub fn from_provider(provider: impl CredentialProvider + 'static) -> Self {
        Self(Source::Provider(Arc::new(provider)))
    }

    /// The secret to send now.
    async fn secret(&self) -> Result<String, HookError> {
        match &self.0 {
            Source::Fixed(secret) => Ok(secret.clone()),
            Source::Shared(shared) => Ok(shared.get()),
            Source::Provider(provider) => provider.secret().await,
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.0 {
            Source::Fixed(_) => "fixed",
            Source::Shared(_) => "shared",
            Source::Provider(_) => "provider",
        };
        write!(f, "Credential({kind}, <redacted>)")
    }
}

impl From<String> for Credential {
    fn from(secret: String) -> Self {
        Self(Source::Fixed(secret))
    }
}

impl From<&str> for Credential {
    fn from(secret: &str) -> Self {
        Self(Source::Fixed(secret.to_owned()))
    }
}

impl From<&String> for Credential {
    fn from(secret: &String) -> Self {
        Self(Source::Fixed(secret.clone()))
    }
}

impl From<SharedToken> for Credential {
    fn from(shared: SharedToken) -> Self {
        Self(Source::Shared(shared))
    }
}

/// What a [`CredentialProvider`] returns: the secret, or why it could not get one.
///
/// ```
/// let secret: __crate__::CredentialFuture<'static> = Box::pin(async { Ok("token".to_owned()) });
/// # drop(secret);
/// ```
pub type CredentialFuture<'a> =
    Pin<Box<dyn Future<Output = Result<String, HookError>> + Send + 'a>>;

/// Hands out the secret for a scheme; asked before every attempt, so it can refresh a token.
///
/// ```
/// use __crate__::{CredentialFuture, CredentialProvider, HookError};
///
/// struct FromFile(std::path::PathBuf);
///
/// impl CredentialProvider for FromFile {
///     fn secret(&self) -> CredentialFuture<'_> {
///         Box::pin(async move {
///             let text = std::fs::read_to_string(&self.0).map_err(HookError::new)?;
///             Ok(text.trim().to_owned())
///         })
///     }
/// }
/// ```
pub trait CredentialProvider: Send + Sync {
    /// The secret to send with the next attempt.
    fn secret(&self) -> CredentialFuture<'_>;
}

/// A token that can be replaced while clients use it: every clone sees the new value on its next
/// request. Its `Debug` output never shows the token.
///
/// ```
/// use __crate__::SharedToken;
///
/// let token = SharedToken::new("expires-soon");
/// let for_the_client = token.clone();
/// token.set("refreshed");
/// # drop(for_the_client);
/// ```
#[derive(Clone, Default)]
pub struct SharedToken(Arc<RwLock<String>>);

impl SharedToken {
    /// A shared token holding `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self(Arc::new(RwLock::new(token.into())))
    }

    /// Replaces the token; requests started after this send the new one.
    pub fn set(&self, token: impl Into<String>) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = token.into();
    }

    fn get(&self) -> String {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl fmt::Debug for SharedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedToken(<redacted>)")
    }
}

/// A credential the client was given, for one scheme.
#[derive(Clone)]
pub(crate) struct Slot {
    scheme: &'static Scheme,
    /// The user name, for HTTP basic auth.
    user: Option<String>,
    credential: Credential,
}

impl fmt::Debug for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: <redacted>", self.scheme.key)
    }
}

/// The credentials a client holds, at most one per place on the request.
#[derive(Clone, Debug, Default)]
pub(crate) struct Credentials(Vec<Slot>);

impl Credentials {
    /// Sets the credential for `scheme`, replacing any that goes in the same place.
    pub(crate) fn set(
        &mut self,
        scheme: &'static Scheme,
        user: Option<String>,
        credential: Credential,
    ) {
        let place = scheme.kind.place();
        self.0.retain(|slot| slot.scheme.kind.place() != place);
        self.0.push(Slot {
            scheme,
            user,
            credential,
        });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The credentials to send for an operation whose requirements are `security` (alternatives
    /// of schemes that go together): the first alternative whose schemes all have a credential.
    /// `None` (a request the spec does not document) sends every credential.
    fn chosen(&self, security: Option<&[&[&str]]>) -> Vec<&Slot> {
        let Some(alternatives) = security else {
            return self.0.iter().collect();
        };
        for alternative in alternatives.iter().filter(|schemes| !schemes.is_empty()) {
            let slots: Option<Vec<&Slot>> = alternative
                .iter()
                .map(|key| self.0.iter().find(|slot| slot.scheme.key == *key))
                .collect();
            if let Some(slots) = slots {
                return slots;
            }
        }
        Vec::new()
    }

    /// The headers and query pairs that carry the credentials for `security`.
    pub(crate) async fn resolve(
        &self,
        security: Option<&[&[&str]]>,
    ) -> Result<Applied, Error<Infallible>> {
        let mut applied = Applied::default();
        for slot in self.chosen(security) {
            let secret = slot.credential.secret().await.map_err(Error::Hook)?;
            let (name, value) = match &slot.scheme.kind {
                SchemeKind::Bearer => ("authorization", format!("Bearer {secret}")),
                SchemeKind::Basic => {
                    let user = slot.user.as_deref().unwrap_or_default();
                    let pair = base64(format!("{user}:{secret}").as_bytes());
                    ("authorization", format!("Basic {pair}"))
                }
                SchemeKind::Header { name, prefix } => (*name, format!("{prefix}{secret}")),
                SchemeKind::Query { name } => {
                    applied.query.push((name, secret));
                    continue;
                }
            };
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::InvalidRequest(format!("`{name}` is not a valid header name"))
            })?;
            let mut value = HeaderValue::from_str(&value).map_err(|_| {
                Error::InvalidRequest(format!(
                    "the credential for `{}` holds characters a header cannot carry",
                    slot.scheme.key
                ))
            })?;
            value.set_sensitive(true);
            applied.headers.push((name, value));
        }
        Ok(applied)
    }
}

/// Credentials as they go on one attempt.
#[derive(Default)]
pub(crate) struct Applied {
    /// Headers, marked sensitive.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Query parameters.
    pub(crate) query: Vec<(&'static str, String)>,
}

/// Standard base64 with padding, for basic auth.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut output = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let byte = |index: usize| chunk.get(index).copied().unwrap_or(0);
        let triple = u32::from_be_bytes([0, byte(0), byte(1), byte(2)]);
        for position in 0..4 {
            if position <= chunk.len() {
                let index = (triple >> (18 - 6 * position)) & 0x3f;
                output.push(char::from(ALPHABET[index as usize]));
            } else {
                output.push('=');
            }
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    static BEARER: Scheme = Scheme {
        key: "bearer",
        kind: SchemeKind::Bearer,
    };
    static TOKEN: Scheme = Scheme {
        key: "token",
        kind: SchemeKind::Header {
            name: "Authorization",
            prefix: "Token ",
        },
    };
    static APP_ID: Scheme = Scheme {
        key: "app",
        kind: SchemeKind::Query { name: "app_id" },
    };

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn schemes_in_the_same_place_replace_each_other() {
        let mut credentials = Credentials::default();
        credentials.set(&BEARER, None, "jwt".into());
        credentials.set(&APP_ID, None, "app".into());
        credentials.set(&TOKEN, None, "key".into());
        let keys: Vec<&str> = credentials.0.iter().map(|slot| slot.scheme.key).collect();
        assert_eq!(keys, ["app", "token"]);
    }

    #[test]
    fn the_first_alternative_with_every_credential_is_chosen() {
        let mut credentials = Credentials::default();
        credentials.set(&BEARER, None, "jwt".into());
        credentials.set(&APP_ID, None, "app".into());
        let keys = |security: Option<&[&[&str]]>| -> Vec<&str> {
            credentials
                .chosen(security)
                .iter()
                .map(|slot| slot.scheme.key)
                .collect()
        };
        assert_eq!(
            keys(Some(&[&["token", "app"], &["bearer", "app"]])),
            ["bearer", "app"]
        );
        assert_eq!(keys(Some(&[&[], &["bearer"]])), ["bearer"]);
        assert!(keys(Some(&[])).is_empty());
        assert!(keys(Some(&[&["token"]])).is_empty());
        assert_eq!(keys(None), ["bearer", "app"]);
    }

    #[test]
    fn credentials_are_redacted_in_debug_output() {
        let mut credentials = Credentials::default();
        credentials.set(&BEARER, None, "s3cr3t".into());
        credentials.set(&TOKEN, None, SharedToken::new("s3cr3t").into());
        let text = format!("{credentials:?} {:?}", Credential::from("s3cr3t"));
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}
