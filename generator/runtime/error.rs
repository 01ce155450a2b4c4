//! What a call can fail with. No message here ever contains a credential: transport errors drop
//! the URL's query, and responses hide secret headers.

use std::convert::Infallible;
use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::hooks::HookError;
use super::response::{RawResponse, snippet};
use super::retry::is_retryable_status;

/// What an operation can fail with. `E` is the operation's own error type, with a variant per
/// error status the spec documents.
///
/// ```no_run
/// use __crate__::{Client, Error, Method, Request};
///
/// # async fn example(client: Client) {
/// match client.send(Request::new(Method::GET, "/status")).await {
///     Ok(response) => println!("{}", response.body_text()),
///     Err(error) if error.is_timeout() => eprintln!("too slow: {error}"),
///     Err(error) => eprintln!(
///         "status {:?}, request id {:?}, retryable {}: {error}",
///         error.status(),
///         error.request_id(),
///         error.is_retryable()
///     ),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status the spec documents for this operation.
    Status(E),
    /// The server answered with a status the spec does not list for this operation.
    UnexpectedStatus(RawResponse),
    /// The response body did not match its documented type.
    Decode(DecodeError),
    /// The request could not be sent, or the response could not be read.
    Transport(TransportError),
    /// A timeout fired.
    Timeout(Timeout),
    /// A hook or a credential provider failed.
    Hook(HookError),
    /// The request could not be built from the arguments.
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The operation's documented error, when the server answered with a documented error status.
    pub fn status_error(&self) -> Option<&E> {
        match self {
            Self::Status(error) => Some(error),
            _ => None,
        }
    }

    /// Whether a timeout fired (connect, attempt or total).
    pub fn is_timeout(&self) -> bool {
        match self {
            Self::Timeout(_) => true,
            Self::Transport(error) => error.source.is_timeout(),
            _ => false,
        }
    }
}

impl<E: StatusError> Error<E> {
    /// The response as received, when the server answered (an error status, documented or not,
    /// or a body that did not decode).
    pub fn raw_response(&self) -> Option<&RawResponse> {
        match self {
            Self::Status(error) => Some(error.raw()),
            Self::UnexpectedStatus(response) => Some(response),
            Self::Decode(error) => Some(error.raw()),
            _ => None,
        }
    }

    /// The response's status code, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.raw_response().map(RawResponse::status)
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.raw_response().map(RawResponse::headers)
    }

    /// The response body, when the server answered.
    pub fn body(&self) -> Option<&[u8]> {
        self.raw_response().map(RawResponse::body)
    }

    /// The id the server gave the request (`x-request-id` and the like), when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.raw_response().and_then(RawResponse::request_id)
    }

    /// Whether trying again may succeed: a connection error, an attempt that timed out, or
    /// status 408, 429, 502, 503 or 504. The client already retried these as its
    /// [`RetryPolicy`](super::RetryPolicy) allows.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(error) => error.is_retryable(),
            Self::Timeout(timeout) => timeout.kind != TimeoutKind::Total,
            _ => self
                .status()
                .is_some_and(|status| is_retryable_status(status.as_u16())),
        }
    }
}

impl Error<Infallible> {
    /// The same error for an operation whose error type is `E`.
    pub(crate) fn widen<E>(self) -> Error<E> {
        match self {
            Self::Status(never) => match never {},
            Self::UnexpectedStatus(response) => Error::UnexpectedStatus(response),
            Self::Decode(error) => Error::Decode(error),
            Self::Transport(error) => Error::Transport(error),
            Self::Timeout(timeout) => Error::Timeout(timeout),
            Self::Hook(error) => Error::Hook(error),
            Self::InvalidRequest(message) => Error::InvalidRequest(message),
        }
    }
}

impl<E: fmt::Display + StatusError> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status(error) => {
                write!(f, "{error}")?;
                let body = error.raw().body();
                if !body.is_empty() {
                    write!(f, " (body: {})", snippet(body, 0))?;
                }
                Ok(())
            }
            Self::UnexpectedStatus(response) => write!(
                f,
                "unexpected status {}: {}",
                response.status(),
                snippet(response.body(), 0)
            ),
            Self::Decode(error) => write!(f, "{error}"),
            Self::Transport(error) => write!(f, "{error}"),
            Self::Timeout(timeout) => write!(f, "{timeout}"),
            Self::Hook(error) => write!(f, "{error}"),
            Self::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display + StatusError> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Decode(error) => Some(error),
            Self::Transport(error) => Some(error),
            Self::Timeout(timeout) => Some(timeout),
            Self::Hook(error) => Some(error),
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
///
/// ```
/// use __crate__::{Error, StatusError};
///
/// /// The status and body of any documented error, whatever the operation.
/// fn describe<E: StatusError>(error: &Error<E>) -> Option<String> {
///     let documented = error.status_error()?;
///     Some(format!("{}: {}", documented.status(), documented.raw().body_text()))
/// }
/// # let _ = describe::<std::convert::Infallible>;
/// ```
pub trait StatusError {
    /// The response as received.
    fn raw(&self) -> &RawResponse;

    /// The response's status code.
    fn status(&self) -> StatusCode {
        self.raw().status()
    }
}

/// Requests the spec does not document have no documented error statuses.
impl StatusError for Infallible {
    fn raw(&self) -> &RawResponse {
        match *self {}
    }
}

/// An error response whose body was decoded into its documented type: the variants of an
/// operation's error type hold one when the status has a JSON or text body.
///
/// ```
/// fn message(response: &__crate__::TypedResponse<String>) -> String {
///     format!("{}: {}", response.raw.status(), response.body)
/// }
/// # let _ = message;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TypedResponse<T> {
    /// The decoded body, boxed so that errors stay small.
    pub body: Box<T>,
    /// The response as received.
    pub raw: RawResponse,
}

/// A response body that did not match its documented type. It keeps the whole response.
///
/// ```
/// fn report<E>(error: &__crate__::Error<E>) {
///     if let __crate__::Error::Decode(decode) = error {
///         eprintln!("{} at `{}`: {}", decode.status(), decode.path(), decode.message());
///         eprintln!("around: {}", decode.snippet());
///         eprintln!("whole body: {} bytes", decode.raw().body().len());
///     }
/// }
/// # let _ = report::<std::convert::Infallible>;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    raw: RawResponse,
    path: String,
    message: String,
    offset: usize,
}

impl DecodeError {
    pub(crate) fn new(raw: RawResponse, path: String, error: &serde_json::Error) -> Self {
        let offset = byte_offset(raw.body(), error.line(), error.column());
        Self {
            raw,
            path,
            message: error.to_string(),
            offset,
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
    pub fn snippet(&self) -> String {
        snippet(self.raw.body(), self.offset)
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.raw.status()
    }

    /// The whole response: status, headers and body.
    pub fn raw(&self) -> &RawResponse {
        &self.raw
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
            self.status(),
            self.path,
            self.message,
            self.snippet()
        )
    }
}

impl std::error::Error for DecodeError {}

/// The request could not be sent or the response not read: a connection that was refused or
/// dropped, a DNS failure, a TLS error. It shows the URL without its query, which can hold an
/// API key.
///
/// ```
/// fn report<E>(error: &__crate__::Error<E>) {
///     if let __crate__::Error::Transport(transport) = error {
///         eprintln!("{transport} (connect: {}, url: {})", transport.is_connect(), transport.url());
///     }
/// }
/// # let _ = report::<std::convert::Infallible>;
/// ```
pub struct TransportError {
    method: Method,
    url: String,
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(method: &Method, url: &reqwest::Url, source: reqwest::Error) -> Self {
        let mut shown = url.clone();
        shown.set_query(None);
        shown.set_fragment(None);
        let _ = shown.set_password(None);
        let _ = shown.set_username("");
        Self {
            method: method.clone(),
            url: shown.to_string(),
            source: source.without_url(),
        }
    }

    /// The URL the request went to, without its query.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether the connection could not be made (so the server saw nothing).
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// Whether trying again may succeed: the request could not be sent, got no answer, or its
    /// body was cut off.
    pub(crate) fn is_retryable(&self) -> bool {
        self.source.is_connect()
            || self.source.is_request()
            || self.source.is_body()
            || self.source.is_timeout()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.source.is_connect() {
            "cannot connect for"
        } else {
            "request failed:"
        };
        write!(f, "{what} {} {}: {}", self.method, self.url, self.source)
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("source", &self.source)
            .finish()
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A timeout that fired: which one, and its limit when the client knows it.
///
/// ```
/// use __crate__::{Error, TimeoutKind};
///
/// fn report<E>(error: &Error<E>) {
///     if let Error::Timeout(timeout) = error {
///         match timeout.kind() {
///             TimeoutKind::Total => eprintln!("gave up after {:?}", timeout.limit()),
///             _ => eprintln!("{timeout}"),
///         }
///     }
/// }
/// # let _ = report::<std::convert::Infallible>;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeout {
    kind: TimeoutKind,
    limit: Option<Duration>,
}

impl Timeout {
    pub(crate) fn new(kind: TimeoutKind, limit: Option<Duration>) -> Self {
        Self { kind, limit }
    }

    /// Which timeout fired.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// Its limit; `None` when a caller's own `reqwest::Client` timed out.
    pub fn limit(&self) -> Option<Duration> {
        self.limit
    }
}

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => "connecting",
            TimeoutKind::Attempt => "the attempt",
            TimeoutKind::Total => "the call",
        };
        match self.limit {
            Some(limit) => write!(f, "{what} timed out after {limit:?}"),
            None => write!(f, "{what} timed out"),
        }
    }
}

impl std::error::Error for Timeout {}

/// Which timeout fired.
///
/// ```
/// use __crate__::TimeoutKind;
///
/// let retried = |kind: TimeoutKind| kind != TimeoutKind::Total;
/// assert!(retried(TimeoutKind::Attempt) && !retried(TimeoutKind::Total));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Connecting to the server (set by [`ClientBuilder::connect_timeout`](super::ClientBuilder::connect_timeout)).
    Connect,
    /// One attempt, from sending until the response is read (or, for a stream, until its
    /// headers arrive); an attempt that times out is retried.
    Attempt,
    /// The whole call, retries and their waits included.
    Total,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_without_a_response_have_no_status() {
        let error: Error<Infallible> = Error::Timeout(Timeout::new(TimeoutKind::Total, None));
        assert_eq!(error.status(), None);
        assert!(error.is_timeout());
        assert!(!error.is_retryable());
        assert_eq!(error.to_string(), "the call timed out");
    }

    #[test]
    fn retryable_statuses_are_the_documented_ones() {
        for (status, retryable) in [
            (408, true),
            (429, true),
            (500, false),
            (503, true),
            (404, false),
        ] {
            let raw = RawResponse::new(
                StatusCode::from_u16(status).unwrap(),
                HeaderMap::new(),
                bytes::Bytes::new(),
            );
            let error: Error<Infallible> = Error::UnexpectedStatus(raw);
            assert_eq!(error.is_retryable(), retryable, "{status}");
        }
    }
}
