//! Responses: read in full ([`RawResponse`]), typed with their status and headers
//! ([`Response`]), or streamed ([`ByteStream`]).

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::error::{DecodeError, TransportError};

/// Headers that servers commonly use for the id of a request, in the order they are looked for.
const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-correlation-id",
];

/// The id the server gave the request, from the first of the usual headers it sent.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|value| value.to_str().ok())
}

/// A response read in full: status, headers and body. Boxed, so that errors stay small.
///
/// ```no_run
/// use __crate__::{Client, Method, Request};
///
/// # async fn example(client: Client) -> Result<(), Box<dyn std::error::Error>> {
/// let raw = client.send(Request::new(Method::GET, "/status")).await?;
/// println!("{} {:?} {}", raw.status(), raw.request_id(), raw.body_text());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct RawResponse(Box<ResponseParts>);

#[derive(Clone, PartialEq, Eq)]
struct ResponseParts {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Self(Box::new(ResponseParts {
            status,
            headers,
            body,
        }))
    }

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

    /// The id the server gave the request (`x-request-id` and the like), if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        request_id(self.headers())
    }

    /// Decodes the body as JSON into `T`, reporting where decoding failed; the error keeps the
    /// whole response.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, DecodeError> {
        // Tracking the path slows decoding down by about half again (`cargo xtask bench`), so
        // only a body that fails is decoded again, with it, for the error.
        if let Ok(value) = serde_json::from_slice(self.body()) {
            return Ok(value);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(self.body());
        let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            DecodeError::new(self.clone(), error.path().to_string(), error.inner())
        })?;
        deserializer
            .end()
            .map_err(|error| DecodeError::new(self.clone(), ".".to_owned(), &error))?;
        Ok(value)
    }

    /// The body as bytes, by value.
    pub(crate) fn into_body(self) -> Bytes {
        self.0.body
    }
}

/// Response headers whose values can be secrets, hidden from `Debug` output.
const SECRET_HEADERS: &[&str] = &["set-cookie", "authorization", "proxy-authenticate"];

/// Headers as `Debug` shows them: secret values replaced.
pub(crate) struct RedactedHeaders<'h>(pub(crate) &'h HeaderMap);

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
pub(crate) fn snippet(body: &[u8], offset: usize) -> String {
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

/// A successful response with its status and headers: what
/// [`Call::with_response`](super::Call::with_response) and
/// [`Call::byte_stream`](super::Call::byte_stream) return, so that a caller can read a request
/// id or a rate-limit header beside the typed body.
///
/// ```no_run
/// use __crate__::{Client, Method, Request};
///
/// # async fn example(client: Client) -> Result<(), Box<dyn std::error::Error>> {
/// let response = client.send(Request::new(Method::GET, "/status")).with_response().await?;
/// let remaining = response.headers().get("x-ratelimit-remaining");
/// println!("{} {:?} {remaining:?}", response.status(), response.request_id());
/// let body = response.into_body();
/// # drop(body);
/// # Ok(())
/// # }
/// ```
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The id the server gave the request (`x-request-id` and the like), if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The typed body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The typed body, by value.
    pub fn into_body(self) -> T {
        self.body
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}

/// What a [`ByteStream`] waits on: the next chunk, and the response to read the rest from.
type NextChunk =
    Pin<Box<dyn Future<Output = (reqwest::Response, reqwest::Result<Option<Bytes>>)> + Send>>;

/// A response body read as it arrives, chunk by chunk, for downloads that should not sit in
/// memory whole. A [`Stream`] of [`Bytes`]; [`next_chunk`](Self::next_chunk) reads it without a
/// stream library.
///
/// ```no_run
/// use __crate__::{Client, Method, Request};
///
/// # async fn example(client: Client) -> Result<(), Box<dyn std::error::Error>> {
/// let response = client.send(Request::new(Method::GET, "/big-file")).byte_stream().await?;
/// let mut body = response.into_body();
/// let mut total = 0;
/// while let Some(chunk) = body.next_chunk().await {
///     total += chunk?.len();
/// }
/// println!("{total} bytes");
/// # Ok(())
/// # }
/// ```
pub struct ByteStream {
    state: ChunkState,
    /// The request's method, for errors.
    method: reqwest::Method,
}

enum ChunkState {
    /// Ready to ask for the next chunk.
    Idle(Box<reqwest::Response>),
    /// Waiting for a chunk.
    Reading(NextChunk),
    /// A body that was already read whole, not yet handed out.
    Buffered(Bytes),
    /// Finished, or failed.
    Done,
}

impl ByteStream {
    pub(crate) fn new(method: reqwest::Method, response: reqwest::Response) -> Self {
        Self {
            state: ChunkState::Idle(Box::new(response)),
            method,
        }
    }

    pub(crate) fn buffered(method: reqwest::Method, body: Bytes) -> Self {
        Self {
            state: ChunkState::Buffered(body),
            method,
        }
    }

    /// The next chunk, or `None` at the end of the body.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, TransportError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, ChunkState::Done) {
                ChunkState::Done => return Poll::Ready(None),
                ChunkState::Buffered(body) if body.is_empty() => return Poll::Ready(None),
                ChunkState::Buffered(body) => return Poll::Ready(Some(Ok(body))),
                ChunkState::Idle(mut response) => {
                    this.state = ChunkState::Reading(Box::pin(async move {
                        let chunk = response.chunk().await;
                        (*response, chunk)
                    }));
                }
                ChunkState::Reading(mut reading) => match reading.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = ChunkState::Reading(reading);
                        return Poll::Pending;
                    }
                    Poll::Ready((response, Ok(Some(chunk)))) => {
                        this.state = ChunkState::Idle(Box::new(response));
                        return Poll::Ready(Some(Ok(chunk)));
                    }
                    Poll::Ready((_, Ok(None))) => return Poll::Ready(None),
                    Poll::Ready((response, Err(error))) => {
                        let error = TransportError::new(&this.method, response.url(), error);
                        return Poll::Ready(Some(Err(error)));
                    }
                },
            }
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            ChunkState::Idle(_) | ChunkState::Reading(_) => "streaming",
            ChunkState::Buffered(_) => "buffered",
            ChunkState::Done => "done",
        };
        write!(f, "ByteStream({state})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn secret_response_headers_are_redacted_in_debug_output() {
        let mut headers = HeaderMap::new();
        headers.insert("set-cookie", HeaderValue::from_static("session=s3cr3t"));
        headers.insert("x-request-id", HeaderValue::from_static("abc"));
        let response = RawResponse::new(StatusCode::CONFLICT, headers, Bytes::from("taken"));
        let text = format!("{response:?}");
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(text.contains("abc") && text.contains("taken"), "{text}");
        assert_eq!(response.request_id(), Some("abc"));
    }

    #[test]
    fn snippets_respect_char_boundaries() {
        let body = "é".repeat(300);
        let text = snippet(body.as_bytes(), 301);
        assert!(text.starts_with('…') && text.ends_with('…'));
    }
}
