//! The hand-written part of the client: the HTTP client and its builder, credentials, and the
//! error types. It is the same for every spec; `client.rs` and `operations.rs` build on it.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};

/// A client for the API. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    base_url: String,
    http: reqwest::Client,
    credential: Option<Credential>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("credential", &self.credential)
            .finish_non_exhaustive()
    }
}

/// Sets up a [`Client`]: base URL, credentials, and the HTTP client to use.
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: String,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    credential: Option<Result<Credential, BuildError>>,
}

impl ClientBuilder {
    pub(crate) fn new(base_url: &str) -> Self {
        Self {
            base_url: base_url.to_owned(),
            http: None,
            timeout: None,
            credential: None,
        }
    }

    /// Sends requests to `base_url` instead of the spec's server (for a proxy or a test server).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Uses this `reqwest::Client` (its proxy, TLS and pool settings) instead of a new one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// A timeout for whole requests. Ignored when a client is given with
    /// [`http_client`](Self::http_client): set it on that client instead.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the credential; the last one set wins, so exactly one is ever sent.
    pub(crate) fn credential(mut self, credential: Result<Credential, BuildError>) -> Self {
        self.credential = Some(credential);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        if reqwest::Url::parse(&base_url).is_err() {
            return Err(BuildError(format!("`{base_url}` is not a valid base URL")));
        }
        let credential = self.credential.transpose()?;
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder().user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ));
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder
                    .build()
                    .map_err(|error| BuildError(format!("cannot build the HTTP client: {error}")))?
            }
        };
        Ok(Client {
            base_url,
            http,
            credential,
        })
    }
}

/// Why a [`ClientBuilder`] could not build a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

/// A secret the client sends with each authenticated request. Its `Debug` output never shows
/// the secret.
#[derive(Clone)]
pub(crate) enum Credential {
    /// A header, such as `Authorization: Bearer <token>`.
    Header(HeaderName, HeaderValue),
    /// A query parameter.
    Query(String, String),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Header(name, _) => write!(f, "Header({name}: <redacted>)"),
            Self::Query(name, _) => write!(f, "Query({name}=<redacted>)"),
        }
    }
}

impl Credential {
    /// A header whose value is `prefix` followed by `secret`.
    pub(crate) fn header(name: &str, prefix: &str, secret: &str) -> Result<Self, BuildError> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| BuildError(format!("`{name}` is not a valid header name")))?;
        let mut value = HeaderValue::from_str(&format!("{prefix}{secret}")).map_err(|_| {
            BuildError(format!(
                "the credential for `{name}` holds characters a header cannot carry"
            ))
        })?;
        value.set_sensitive(true);
        Ok(Self::Header(name, value))
    }

    /// `Authorization: Basic <base64(user:password)>`.
    pub(crate) fn basic(user: &str, password: &str) -> Result<Self, BuildError> {
        let encoded = base64(format!("{user}:{password}").as_bytes());
        Self::header("authorization", "Basic ", &encoded)
    }

    /// A query parameter carrying the secret.
    pub(crate) fn query(name: &str, secret: &str) -> Result<Self, BuildError> {
        Ok(Self::Query(name.to_owned(), secret.to_owned()))
    }
}

/// Standard base64 with padding, for basic auth.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut output = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let bytes = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let triple = u32::from_be_bytes([0, bytes[0], bytes[1], bytes[2]]);
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

/// Characters escaped in a path segment: everything but RFC 3986 unreserved characters.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a path parameter, so that `/` or `?` in a value cannot change the path.
pub(crate) fn encode_path(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// Characters escaped in a query name or value: everything but RFC 3986 unreserved characters
/// and `,`, which joins the items of `explode: false` lists as OpenAPI shows them (`a=1,2`).
const QUERY_COMPONENT: &percent_encoding::AsciiSet = &PATH_SEGMENT.remove(b',');

/// Percent-encodes a query name or value; a space becomes `%20`.
fn encode_query(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, QUERY_COMPONENT).to_string()
}

impl Client {
    /// A builder for a client, pointed at [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new(crate::DEFAULT_BASE_URL)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The underlying `reqwest::Client`.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    /// Starts a request to `path` (already encoded) with `query` pairs, and the credential when
    /// the operation is authenticated.
    pub(crate) fn request<E>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        authenticated: bool,
    ) -> Result<reqwest::RequestBuilder, Error<E>> {
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.base_url))
            .map_err(|error| Error::InvalidRequest(format!("invalid URL for `{path}`: {error}")))?;
        let credential = self.credential.as_ref().filter(|_| authenticated);
        let credential_query = match credential {
            Some(Credential::Query(name, value)) => Some((name.as_str(), value.as_str())),
            _ => None,
        };
        let pairs = query
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .chain(credential_query);
        let encoded: Vec<String> = pairs
            .map(|(name, value)| format!("{}={}", encode_query(name), encode_query(value)))
            .collect();
        if !encoded.is_empty() {
            url.set_query(Some(&encoded.join("&")));
        }
        let mut request = self.http.request(method, url);
        if let Some(Credential::Header(name, value)) = credential {
            request = request.header(name, value);
        }
        Ok(request)
    }

    /// Sends a request and reads the whole response.
    pub(crate) async fn send<E>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<RawResponse, Error<E>> {
        let response = request.send().await.map_err(Error::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?.to_vec();
        Ok(RawResponse(Box::new(ResponseParts {
            status,
            headers,
            body,
        })))
    }
}

/// A request body encoded as JSON.
pub(crate) fn json_body<T: serde::Serialize + ?Sized, E>(value: &T) -> Result<Vec<u8>, Error<E>> {
    serde_json::to_vec(value).map_err(|error| Error::InvalidRequest(error.to_string()))
}

/// A response read in full: status, headers and body. Boxed, so that errors stay small.
#[derive(Clone, PartialEq, Eq)]
pub struct RawResponse(Box<ResponseParts>);

#[derive(Clone, PartialEq, Eq)]
struct ResponseParts {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl RawResponse {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

    /// The body as bytes.
    pub fn body(&self) -> &[u8] {
        &self.0.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0.body)
    }

    /// Decodes the body as JSON into `T`, reporting where decoding failed.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, DecodeError> {
        let mut deserializer = serde_json::Deserializer::from_slice(self.body());
        let value: T = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| DecodeError::new(self, error.path().to_string(), error.inner()))?;
        deserializer
            .end()
            .map_err(|error| DecodeError::new(self, ".".to_owned(), &error))?;
        Ok(value)
    }
}

/// Response headers whose values can be secrets, hidden from `Debug` output.
const SECRET_HEADERS: &[&str] = &["set-cookie", "authorization", "proxy-authenticate"];

/// Headers as `Debug` shows them: secret values replaced.
struct RedactedHeaders<'h>(&'h HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if SECRET_HEADERS.contains(&name.as_str()) {
                map.entry(name, &"<redacted>");
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status())
            .field("headers", &RedactedHeaders(self.headers()))
            .field("body", &snippet(self.body(), 0))
            .finish()
    }
}

/// Up to 200 characters of `body` around byte `offset`, for messages.
fn snippet(body: &[u8], offset: usize) -> String {
    const RADIUS: usize = 100;
    let text = String::from_utf8_lossy(body);
    let offset = offset.min(text.len());
    let mut start = offset.saturating_sub(RADIUS);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (offset + RADIUS).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&text[start..end]);
    if end < text.len() {
        out.push('…');
    }
    out
}

/// A response body that did not match its documented type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    status: StatusCode,
    path: String,
    message: String,
    snippet: String,
}

impl DecodeError {
    fn new(response: &RawResponse, path: String, error: &serde_json::Error) -> Self {
        let offset = byte_offset(response.body(), error.line(), error.column());
        Self {
            status: response.status(),
            path,
            message: error.to_string(),
            snippet: snippet(response.body(), offset),
        }
    }

    /// The JSON path of the value that failed, such as `organization_plan.plan`; `.` for the
    /// whole body.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What serde said.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The part of the body around the failure.
    pub fn snippet(&self) -> &str {
        &self.snippet
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

/// The byte offset of a 1-based line and column in `body`.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = body
        .split(|byte| *byte == b'\n')
        .take(line.saturating_sub(1))
        .map(|line| line.len() + 1)
        .sum();
    line_start + column.saturating_sub(1)
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the {} response at `{}`: {} (body: {})",
            self.status, self.path, self.message, self.snippet
        )
    }
}

impl std::error::Error for DecodeError {}

/// What an operation can fail with. `E` is the operation's own error type, with a variant per
/// error status the spec documents.
#[derive(Debug)]
pub enum Error<E> {
    /// The server answered with an error status the spec documents for this operation.
    Status(E),
    /// The server answered with a status the spec does not list for this operation.
    UnexpectedStatus(RawResponse),
    /// The response body did not match its documented type.
    Decode(DecodeError),
    /// The request could not be sent, or the response could not be read.
    Transport(reqwest::Error),
    /// The request could not be built from the arguments.
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The response's status code, when the server answered.
    pub fn status(&self) -> Option<StatusCode>
    where
        E: StatusError,
    {
        match self {
            Self::Status(error) => Some(error.raw().status()),
            Self::UnexpectedStatus(response) => Some(response.status()),
            Self::Decode(error) => Some(error.status()),
            Self::Transport(error) => error.status(),
            Self::InvalidRequest(_) => None,
        }
    }

    /// The operation's documented error, when the server answered with a documented error status.
    pub fn status_error(&self) -> Option<&E> {
        match self {
            Self::Status(error) => Some(error),
            _ => None,
        }
    }

    /// The response as received, when the server answered with an error status (documented or
    /// not).
    pub fn raw_response(&self) -> Option<&RawResponse>
    where
        E: StatusError,
    {
        match self {
            Self::Status(error) => Some(error.raw()),
            Self::UnexpectedStatus(response) => Some(response),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status(error) => write!(f, "{error}"),
            Self::UnexpectedStatus(response) => write!(
                f,
                "unexpected status {}: {}",
                response.status(),
                snippet(response.body(), 0)
            ),
            Self::Decode(error) => write!(f, "{error}"),
            Self::Transport(error) => write!(f, "request failed: {error}"),
            Self::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Decode(error) => Some(error),
            Self::Transport(error) => Some(error),
            _ => None,
        }
    }
}

impl<E> From<DecodeError> for Error<E> {
    fn from(error: DecodeError) -> Self {
        Self::Decode(error)
    }
}

/// An operation's documented error: it always keeps the raw response.
pub trait StatusError {
    /// The response as received.
    fn raw(&self) -> &RawResponse;

    /// The response's status code.
    fn status(&self) -> StatusCode {
        self.raw().status()
    }
}

/// An error response whose body was decoded into its documented type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedResponse<T> {
    /// The decoded body, boxed so that errors stay small.
    pub body: Box<T>,
    /// The response as received.
    pub raw: RawResponse,
}

/// An optional property that can also be `null`, in a type that callers send: leaving it out
/// and sending `null` mean different things (in a PATCH, "keep" and "clear").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not sent at all.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the property is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes `Null`: an explicit "no value".
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Value)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => serializer.serialize_some(value),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

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
    fn query_values_keep_commas_and_escape_the_rest() {
        assert_eq!(encode_query("a,b c&d=e+f|g"), "a,b%20c%26d%3De%2Bf%7Cg");
    }

    #[test]
    fn path_parameters_cannot_escape_their_segment() {
        assert_eq!(encode_path("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(encode_path("safe-._~"), "safe-._~");
    }

    #[test]
    fn credentials_are_redacted_in_debug_output() {
        let credential = Credential::header("authorization", "Token ", "s3cr3t").unwrap();
        let client = ClientBuilder::new("http://127.0.0.1:1")
            .credential(Ok(credential))
            .build()
            .unwrap();
        let text = format!("{client:?}");
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }

    #[test]
    fn secret_response_headers_are_redacted_in_debug_output() {
        let mut headers = HeaderMap::new();
        headers.insert("set-cookie", HeaderValue::from_static("session=s3cr3t"));
        headers.insert("x-request-id", HeaderValue::from_static("abc"));
        let response = RawResponse(Box::new(ResponseParts {
            status: StatusCode::CONFLICT,
            headers,
            body: b"taken".to_vec(),
        }));
        let text = format!("{response:?}");
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(text.contains("abc") && text.contains("taken"), "{text}");
    }

    #[test]
    fn snippets_respect_char_boundaries() {
        let body = "é".repeat(300);
        let text = snippet(body.as_bytes(), 301);
        assert!(text.starts_with('…') && text.ends_with('…'));
    }

    #[test]
    fn nullable_keeps_absent_null_and_value_apart() {
        #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
        struct Patch {
            #[serde(default, skip_serializing_if = "Nullable::is_absent")]
            name: Nullable<String>,
        }
        for (json, expected) in [
            ("{}", Nullable::Absent),
            (r#"{"name":null}"#, Nullable::Null),
            (r#"{"name":"a"}"#, Nullable::Value("a".to_owned())),
        ] {
            let decoded: Patch = serde_json::from_str(json).unwrap();
            assert_eq!(decoded.name, expected);
            assert_eq!(serde_json::to_string(&decoded).unwrap(), json);
        }
    }

    #[test]
    fn tagged_serialization_writes_the_tag_once() {
        let tagged = |value: serde_json::Value| {
            let mut out = Vec::new();
            serialize_tagged(&value, "type", "B", &mut serde_json::Serializer::new(&mut out))
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
        assert_eq!(exact_or_keep("two", &value, &["a", "b"], &mut fallback), None);
        assert_eq!(exact_or_keep("also two", &value, &["b", "c"], &mut fallback), None);
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
