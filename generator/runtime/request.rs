//! Requests as plain data: method, path, query, headers and body, as operation methods build
//! them and as [`Client::send`](super::Client::send) takes them for undocumented endpoints.

use std::borrow::Cow;
use std::fmt;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use reqwest::Method;

/// A boxed error, as streamed bodies report them.
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A boxed stream of body chunks.
type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// One request, described as data: the pipeline adds the base URL, the credentials, the hooks,
/// the timeouts and the retries. Its `Debug` output shows header and query names, not values.
///
/// Operation methods build these; [`Client::send`](super::Client::send) sends one to an
/// endpoint the spec does not document:
///
/// ```no_run
/// use __crate__::{Client, Method, Request};
///
/// # async fn example(client: Client) -> Result<(), Box<dyn std::error::Error>> {
/// let request = Request::new(Method::POST, "/v2/undocumented")
///     .query("dry_run", "true")
///     .header("x-trace", "abc")
///     .json(&serde_json::json!({"name": "acme"}));
/// let response = client.send(request).await?;
/// println!("{} {}", response.status(), response.body_text());
/// # Ok(())
/// # }
/// ```
pub struct Request {
    pub(crate) method: Method,
    /// The path after the base URL (already percent-encoded), or an absolute URL on the base
    /// URL's server.
    pub(crate) path: String,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: Vec<(Cow<'static, str>, String)>,
    pub(crate) content_type: Option<Cow<'static, str>>,
    pub(crate) body: Body,
    /// Why the request could not be built from the arguments, reported when it is sent.
    pub(crate) invalid: Option<String>,
}

impl Request {
    /// A request without query, headers or body. `path` is appended to the client's base URL
    /// as it is (encode parameters with care), or is an absolute URL on the same server.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            content_type: None,
            body: Body::empty(),
            invalid: None,
        }
    }

    /// Adds the query pair `name=value` (both are percent-encoded when sent).
    pub fn query(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header; an invalid name or value fails the call with
    /// [`Error::InvalidRequest`](super::Error::InvalidRequest).
    pub fn header(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends `value` encoded as JSON, as `application/json`.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(encoded) => {
                self.body = Body::from(encoded);
                self.content_type = Some(Cow::Borrowed("application/json"));
            }
            Err(error) => self.invalid = Some(format!("cannot encode the body: {error}")),
        }
        self
    }

    /// Sends `body` (bytes, text or a stream) with this `Content-Type`.
    pub fn body(
        mut self,
        content_type: impl Into<Cow<'static, str>>,
        body: impl Into<Body>,
    ) -> Self {
        self.content_type = Some(content_type.into());
        self.body = body.into();
        self
    }

    /// Replaces the `Content-Type`, as for a JSON body with another media type.
    pub fn content_type(mut self, content_type: impl Into<Cow<'static, str>>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// A copy of the request; `None` when the body is a stream, which cannot be sent twice.
    pub(crate) fn try_clone(&self) -> Option<Self> {
        Some(Self {
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            content_type: self.content_type.clone(),
            body: self.body.try_clone()?,
            invalid: self.invalid.clone(),
        })
    }

    /// A copy of the request with the query parameter `name` set to `value` (added when
    /// missing), for the next page.
    pub(crate) fn with_query(&self, name: &'static str, value: String) -> Option<Self> {
        let mut copy = self.try_clone()?;
        copy.query.retain(|(existing, _)| existing != name);
        copy.query.push((Cow::Borrowed(name), value));
        Some(copy)
    }

    /// The value of the query parameter `name`, when the request has one.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(existing, _)| existing == name)
            .map(|(_, value)| value.as_str())
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(Cow<'static, str>, String)]| -> Vec<String> {
            pairs.iter().map(|(name, _)| name.to_string()).collect()
        };
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &names(&self.query))
            .field("headers", &names(&self.headers))
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

/// A request body: bytes (sent again on a retry) or a stream (sent once, so never retried).
///
/// ```
/// use __crate__::Body;
///
/// let bytes = Body::from(vec![1, 2, 3]);
/// let text = Body::from("some text".to_owned());
/// let chunks = vec![Ok::<_, std::io::Error>(vec![1_u8]), Ok(vec![2, 3])];
/// let streamed = Body::from_stream(ChunkList(chunks.into_iter()));
///
/// /// A `Stream` over a list, for the example (the `futures` crate has `stream::iter`).
/// struct ChunkList<I>(I);
///
/// impl<I: Iterator + Unpin> futures_core::Stream for ChunkList<I> {
///     type Item = I::Item;
///     fn poll_next(
///         mut self: std::pin::Pin<&mut Self>,
///         _: &mut std::task::Context<'_>,
///     ) -> std::task::Poll<Option<I::Item>> {
///         std::task::Poll::Ready(self.0.next())
///     }
/// }
/// # drop((bytes, text, streamed));
/// ```
pub struct Body(BodyKind);

enum BodyKind {
    Bytes(Bytes),
    /// A stream, taken by the first attempt.
    Stream(Mutex<Option<ChunkStream>>),
}

impl Body {
    /// No body.
    pub(crate) fn empty() -> Self {
        Self(BodyKind::Bytes(Bytes::new()))
    }

    /// A body read from `stream` as it is sent, for uploads that do not fit in memory. A
    /// streamed body is sent once: a call with one is never retried.
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        let chunks: ChunkStream = Box::pin(IntoChunks(Box::pin(stream)));
        Self(BodyKind::Stream(Mutex::new(Some(chunks))))
    }

    /// Whether the body can be sent again (it is not a stream).
    pub(crate) fn is_replayable(&self) -> bool {
        matches!(self.0, BodyKind::Bytes(_))
    }

    /// A copy for another attempt; `None` for a stream.
    pub(crate) fn try_clone(&self) -> Option<Self> {
        match &self.0 {
            BodyKind::Bytes(bytes) => Some(Self(BodyKind::Bytes(bytes.clone()))),
            BodyKind::Stream(_) => None,
        }
    }

    /// The body for one attempt: the bytes, or the stream the first time it is asked for.
    pub(crate) fn for_attempt(&self) -> Option<reqwest::Body> {
        match &self.0 {
            BodyKind::Bytes(bytes) if bytes.is_empty() => None,
            BodyKind::Bytes(bytes) => Some(reqwest::Body::from(bytes.clone())),
            BodyKind::Stream(stream) => {
                let stream = stream
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take()?;
                Some(reqwest::Body::wrap(StreamBody(Mutex::new(stream))))
            }
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            BodyKind::Bytes(bytes) => write!(f, "Body({} bytes)", bytes.len()),
            BodyKind::Stream(_) => f.write_str("Body(stream)"),
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Self(BodyKind::Bytes(Bytes::from(bytes)))
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self(BodyKind::Bytes(bytes))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Self(BodyKind::Bytes(Bytes::from_static(bytes)))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Self(BodyKind::Bytes(Bytes::from(text)))
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Self(BodyKind::Bytes(Bytes::from_static(text.as_bytes())))
    }
}

/// A caller's stream with its chunks and errors converted.
struct IntoChunks<S>(Pin<Box<S>>);

impl<S, B, E> Stream for IntoChunks<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map(Into::into).map_err(Into::into)))
    }
}

/// A chunk stream as an HTTP body. The mutex makes it `Sync`, as reqwest requires; it is only
/// ever used through `&mut`, so it is never contended.
struct StreamBody(Mutex<ChunkStream>);

impl http_body::Body for StreamBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        let stream = self
            .get_mut()
            .0
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        stream
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map(http_body::Frame::data)))
    }
}

/// The JSON text of a parameter value whose type is a struct, a union or a map, for a path,
/// query or header. serde_json cannot fail on the generated types (their maps have string keys
/// and their serializers report no errors of their own), so a failure would be a bug: it sends
/// `null` rather than failing the call.
pub(crate) fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
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
pub(crate) fn encode_query(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, QUERY_COMPONENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn request_debug_output_shows_names_not_values() {
        let request = Request::new(Method::GET, "/things")
            .query("api_key", "s3cr3t")
            .header("x-token", "s3cr3t");
        let text = format!("{request:?}");
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(
            text.contains("api_key") && text.contains("x-token"),
            "{text}"
        );
    }

    #[test]
    fn the_next_page_replaces_the_cursor() {
        let request = Request::new(Method::GET, "/things")
            .query("cursor", "a")
            .query("size", "2");
        let next = request.with_query("cursor", "b".to_owned()).unwrap();
        assert_eq!(next.query_value("cursor"), Some("b"));
        assert_eq!(next.query_value("size"), Some("2"));
        assert_eq!(next.query.len(), 2);
    }
}
