//! One call: the per-call options, and the pipeline every request goes through (credentials,
//! hooks, timeouts, retries and tracing).

use std::borrow::Cow;
use std::convert::Infallible;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use reqwest::{Method, Url};

use super::client::Client;
use super::error::{Error, Timeout, TimeoutKind, TransportError};
use super::request::{Request, encode_query};
use super::response::{ByteStream, RawResponse, Response};
use super::retry::{RetryPolicy, idempotency_key, is_idempotent, is_retryable_status, retry_after};

/// What generated code knows about an operation besides its arguments.
pub(crate) struct Endpoint {
    /// The spec's `operationId`.
    pub(crate) operation_id: &'static str,
    /// The path template, as `/organization/{organizationId}`.
    pub(crate) path_template: &'static str,
    /// The alternatives of security schemes that go together; empty for `security: []`.
    pub(crate) security: &'static [&'static [&'static str]],
    /// The idempotency-key header the operation takes, if any: with it, retries are safe.
    pub(crate) idempotency_key: Option<&'static str>,
}

/// Decodes a response read in full into the operation's result.
type Decode<T, E> = fn(RawResponse) -> Result<T, Error<E>>;

/// The pipeline's future: the response of the last attempt, or why there is none.
type Sending<'c> = Pin<Box<dyn Future<Output = Result<Received, Error<Infallible>>> + Send + 'c>>;

/// An operation call, ready to send: `.await` it for the typed result, or set per-call options
/// first. Nothing is sent until it is awaited.
///
/// ```no_run
/// use __crate__::{Client, Method, Request, RetryPolicy};
/// use std::time::Duration;
///
/// # async fn example(client: Client) -> Result<(), Box<dyn std::error::Error>> {
/// // Any operation method returns a `Call`; `send` is the one for undocumented endpoints.
/// let response = client
///     .send(Request::new(Method::GET, "/status"))
///     .timeout(Duration::from_secs(5))
///     .retry(RetryPolicy::none())
///     .header("x-trace-id", "abc")
///     .with_response()
///     .await?;
/// println!("{} {:?}", response.status(), response.request_id());
/// # Ok(())
/// # }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'c, T, E> {
    client: &'c Client,
    endpoint: Option<&'static Endpoint>,
    request: Request,
    options: CallOptions,
    decode: Decode<T, E>,
}

/// What a single call overrides of the client's settings.
#[derive(Debug, Clone, Default)]
struct CallOptions {
    timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
}

impl<'c, T, E> Call<'c, T, E> {
    pub(crate) fn new(
        client: &'c Client,
        endpoint: Option<&'static Endpoint>,
        request: Request,
        decode: Decode<T, E>,
    ) -> Self {
        Self {
            client,
            endpoint,
            request,
            options: CallOptions::default(),
            decode,
        }
    }

    /// The request, and a maker of the same call (options included) for another request: for
    /// the pages after the first.
    pub(crate) fn into_pages(self) -> (Request, impl Fn(Request) -> Self + Send + Sync + 'c)
    where
        T: 'c,
        E: 'c,
    {
        let Self {
            client,
            endpoint,
            request,
            options,
            decode,
        } = self;
        let again = move |request| Self {
            client,
            endpoint,
            request,
            options: options.clone(),
            decode,
        };
        (request, again)
    }

    /// The client the call goes through.
    pub(crate) fn client(&self) -> &'c Client {
        self.client
    }

    /// A total timeout for this call, retries included, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// A timeout for each attempt of this call, instead of the client's.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.options.attempt_timeout = Some(timeout);
        self
    }

    /// The retry policy for this call, instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Adds a header to this call; an invalid one fails it with
    /// [`Error::InvalidRequest`].
    pub fn header(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.request.headers.push((name.into(), value.into()));
        self
    }

    /// The typed result with the response's status and headers.
    pub async fn with_response(self) -> Result<Response<T>, Error<E>> {
        let decode = self.decode;
        let raw = match self.send(false).await.map_err(Error::widen)? {
            Received::Read(raw) => raw,
            Received::Streaming(method, response) => {
                read_whole(&method, response).await.map_err(Error::widen)?
            }
        };
        let (status, headers) = (raw.status(), raw.headers().clone());
        Ok(Response::new(status, headers, decode(raw)?))
    }

    /// The body as a stream of bytes, for downloads too large to hold in memory; a documented
    /// error status is read and decoded as usual. The attempt timeout covers the wait for the
    /// response headers, not the reading of the stream.
    pub async fn byte_stream(self) -> Result<Response<ByteStream>, Error<E>> {
        let decode = self.decode;
        let method = self.request.method.clone();
        match self.send(true).await.map_err(Error::widen)? {
            Received::Streaming(method, response) => {
                let (status, headers) = (response.status(), response.headers().clone());
                Ok(Response::new(
                    status,
                    headers,
                    ByteStream::new(method, response),
                ))
            }
            Received::Read(raw) => {
                let (status, headers) = (raw.status(), raw.headers().clone());
                decode(raw.clone())?;
                Ok(Response::new(
                    status,
                    headers,
                    ByteStream::buffered(method, raw.into_body()),
                ))
            }
        }
    }

    /// Starts the pipeline; with `stream`, a successful response is handed over unread.
    fn send(self, stream: bool) -> Sending<'c> {
        Box::pin(run(
            self.client,
            self.endpoint,
            self.request,
            self.options,
            stream,
        ))
    }
}

impl<'c, T, E> IntoFuture for Call<'c, T, E> {
    type Output = Result<T, Error<E>>;
    type IntoFuture = CallFuture<'c, T, E>;

    fn into_future(self) -> Self::IntoFuture {
        let decode = self.decode;
        CallFuture {
            sending: self.send(false),
            decode,
        }
    }
}

/// The future of an awaited [`Call`]: the pipeline, then the operation's decoding. It can be
/// stored or spawned like any future.
///
/// ```no_run
/// use __crate__::{CallFuture, Client, Method, RawResponse, Request};
/// use std::convert::Infallible;
/// use std::future::IntoFuture;
///
/// # async fn example(client: Client) {
/// let pending: CallFuture<'_, RawResponse, Infallible> =
///     client.send(Request::new(Method::GET, "/status")).into_future();
/// let result = pending.await;
/// # drop(result);
/// # }
/// ```
#[must_use = "a future does nothing until it is awaited"]
pub struct CallFuture<'c, T, E> {
    sending: Sending<'c>,
    decode: Decode<T, E>,
}

impl<T, E> Future for CallFuture<'_, T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.sending
            .as_mut()
            .poll(cx)
            .map(|received| match received {
                Ok(Received::Read(raw)) => (this.decode)(raw),
                Ok(Received::Streaming(..)) => Err(Error::InvalidRequest(
                    "internal error: a buffered call got a stream".to_owned(),
                )),
                Err(error) => Err(error.widen()),
            })
    }
}

/// What hooks and tracing know about the call an attempt belongs to.
///
/// ```
/// use __crate__::Client;
///
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:8080")
///     .on_response(|response, call| {
///         let operation = call.operation_id().unwrap_or("undocumented");
///         println!("{operation} {} {}: {}", call.method(), call.path_template(), response.status());
///         if call.attempt() > 1 {
///             println!("(attempt {})", call.attempt());
///         }
///     })
///     .build()?;
/// # drop(client);
/// # Ok::<(), __crate__::BuildError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CallInfo {
    operation_id: Option<&'static str>,
    method: Method,
    path_template: Cow<'static, str>,
    attempt: u32,
}

impl CallInfo {
    /// The spec's `operationId`; `None` for a request sent with [`Client::send`].
    pub fn operation_id(&self) -> Option<&'static str> {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path template, as `/organization/{organizationId}`; the path itself for a request
    /// sent with [`Client::send`].
    pub fn path_template(&self) -> &str {
        &self.path_template
    }

    /// The attempt, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

/// The last attempt's response: read in full, or (for a stream) only its headers.
enum Received {
    Read(RawResponse),
    Streaming(Method, reqwest::Response),
}

/// Reads the rest of a response.
async fn read_whole(
    method: &Method,
    response: reqwest::Response,
) -> Result<RawResponse, Error<Infallible>> {
    let (status, headers, url) = (
        response.status(),
        response.headers().clone(),
        response.url().clone(),
    );
    let body = response
        .bytes()
        .await
        .map_err(|error| transport_error(method, &url, error, None))?;
    Ok(RawResponse::new(status, headers, body))
}

/// A reqwest error as the client reports it: a timeout (with the connect timeout's limit, when
/// the client set it), or a transport error without the URL's query.
fn transport_error(
    method: &Method,
    url: &Url,
    error: reqwest::Error,
    connect_timeout: Option<Duration>,
) -> Error<Infallible> {
    if error.is_timeout() {
        let timeout = if error.is_connect() {
            Timeout::new(TimeoutKind::Connect, connect_timeout)
        } else {
            Timeout::new(TimeoutKind::Attempt, None)
        };
        return Error::Timeout(timeout);
    }
    Error::Transport(TransportError::new(method, url, error))
}

/// The pipeline: builds each attempt, runs the hooks, applies the timeouts, and retries as
/// the policy allows. The one function every call goes through.
async fn run(
    client: &Client,
    endpoint: Option<&'static Endpoint>,
    mut request: Request,
    options: CallOptions,
    stream: bool,
) -> Result<Received, Error<Infallible>> {
    if let Some(message) = request.invalid.take() {
        return Err(Error::InvalidRequest(message));
    }
    let settings = &*client.0;
    let total = options.timeout.or(settings.total_timeout);
    let info = CallInfo {
        operation_id: endpoint.map(|endpoint| endpoint.operation_id),
        method: request.method.clone(),
        path_template: endpoint.map_or_else(
            || Cow::Owned(request.path.clone()),
            |endpoint| Cow::Borrowed(endpoint.path_template),
        ),
        attempt: 0,
    };
    #[cfg(feature = "tracing")]
    let span = tracing::info_span!(
        "http_call",
        operation_id = info.operation_id.unwrap_or_default(),
        http.method = %info.method,
        http.path_template = %info.path_template,
        http.status = tracing::field::Empty,
        attempt = tracing::field::Empty,
    );
    let attempts = attempts(client, endpoint, request, &options, info, stream);
    #[cfg(feature = "tracing")]
    let attempts = tracing::Instrument::instrument(attempts, span);
    match total {
        Some(limit) => tokio::time::timeout(limit, attempts)
            .await
            .unwrap_or(Err(Error::Timeout(Timeout::new(
                TimeoutKind::Total,
                Some(limit),
            )))),
        None => attempts.await,
    }
}

/// Sends attempts until one succeeds, fails for good, or the policy says stop.
async fn attempts(
    client: &Client,
    endpoint: Option<&'static Endpoint>,
    mut request: Request,
    options: &CallOptions,
    mut info: CallInfo,
    stream: bool,
) -> Result<Received, Error<Infallible>> {
    let settings = &*client.0;
    let policy = options.retry.as_ref().unwrap_or(&settings.retry);
    let attempt_timeout = options.attempt_timeout.or(settings.attempt_timeout);
    let total = options.timeout.or(settings.total_timeout);
    let mut idempotent = is_idempotent(&request.method);
    if let Some(name) = endpoint.and_then(|endpoint| endpoint.idempotency_key) {
        if !request
            .headers
            .iter()
            .any(|(header, _)| header.eq_ignore_ascii_case(name))
        {
            request
                .headers
                .push((Cow::Borrowed(name), idempotency_key()));
        }
        idempotent = true;
    }
    let may_retry = (idempotent || policy.allows_non_idempotent()) && request.body.is_replayable();
    let started = Instant::now();
    loop {
        info.attempt += 1;
        #[cfg(feature = "tracing")]
        tracing::Span::current().record("attempt", info.attempt);
        let sent = attempt(client, endpoint, &request, &info, stream);
        let outcome = match attempt_timeout {
            Some(limit) => tokio::time::timeout(limit, sent)
                .await
                .unwrap_or(Err(Error::Timeout(Timeout::new(
                    TimeoutKind::Attempt,
                    Some(limit),
                )))),
            None => sent.await,
        };
        #[cfg(feature = "tracing")]
        if let Ok(received) = &outcome {
            tracing::Span::current().record("http.status", received.status().as_u16());
        }
        let retry_after = match &outcome {
            Ok(received) if is_retryable_status(received.status().as_u16()) => {
                Some(retry_after(received.headers(), settings.clock.now()))
            }
            Ok(_) => None,
            Err(error) if error.is_retryable() => Some(None),
            Err(_) => None,
        };
        let Some(retry_after) = retry_after else {
            return outcome;
        };
        if !may_retry || info.attempt >= policy.attempts() {
            return outcome;
        }
        let Some(delay) = policy.delay(info.attempt, retry_after) else {
            return outcome;
        };
        if total.is_some_and(|total| started.elapsed() + delay >= total) {
            return outcome;
        }
        #[cfg(feature = "tracing")]
        tracing::debug!(
            attempt = info.attempt,
            delay_ms = delay.as_millis() as u64,
            "retrying"
        );
        settings.clock.sleep(delay).await;
    }
}

/// One attempt: the request with its credentials, the hooks, the response.
async fn attempt(
    client: &Client,
    endpoint: Option<&'static Endpoint>,
    request: &Request,
    info: &CallInfo,
    stream: bool,
) -> Result<Received, Error<Infallible>> {
    let settings = &*client.0;
    let credentials = settings
        .credentials
        .resolve(endpoint.map(|endpoint| endpoint.security))
        .await?;
    let url = url_for(client, request, &credentials.query)?;
    let mut http = reqwest::Request::new(request.method.clone(), url.clone());
    let headers = http.headers_mut();
    for (name, value) in &request.headers {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid header name")))?;
        let value = HeaderValue::from_str(value).map_err(|_| {
            Error::InvalidRequest(format!("the value of header `{name}` is not valid"))
        })?;
        headers.append(header, value);
    }
    if let Some(content_type) = &request.content_type {
        let value = HeaderValue::from_str(content_type).map_err(|_| {
            Error::InvalidRequest(format!("`{content_type}` is not a valid content type"))
        })?;
        headers.insert(CONTENT_TYPE, value);
    }
    for (name, value) in credentials.headers {
        headers.insert(name, value);
    }
    *http.body_mut() = request.body.for_attempt();
    for hook in &settings.hooks {
        hook.on_request(&mut http, info)
            .await
            .map_err(Error::Hook)?;
    }
    let mut response =
        settings.http.execute(http).await.map_err(|error| {
            transport_error(&request.method, &url, error, settings.connect_timeout)
        })?;
    for hook in &settings.hooks {
        hook.on_response(&mut response, info)
            .await
            .map_err(Error::Hook)?;
    }
    if stream && response.status().is_success() {
        return Ok(Received::Streaming(request.method.clone(), response));
    }
    read_whole(&request.method, response)
        .await
        .map(Received::Read)
}

/// The URL of a request: the base URL, the path and the query (credentials included).
/// An absolute URL (a next-page link) must be on the base URL's server.
fn url_for(
    client: &Client,
    request: &Request,
    credentials: &[(&'static str, String)],
) -> Result<Url, Error<Infallible>> {
    let base = client.base_url();
    let invalid = |error: &dyn std::fmt::Display| {
        Error::InvalidRequest(format!("invalid URL for `{}`: {error}", request.path))
    };
    let mut url = if request.path.starts_with("http://") || request.path.starts_with("https://") {
        let url = Url::parse(&request.path).map_err(|error| invalid(&error))?;
        let base = Url::parse(base).map_err(|error| invalid(&error))?;
        if url.origin() != base.origin() {
            return Err(invalid(&"it is not on the base URL's server"));
        }
        url
    } else {
        Url::parse(&format!("{base}{}", request.path)).map_err(|error| invalid(&error))?
    };
    let mut encoded: Vec<String> = url
        .query()
        .filter(|query| !query.is_empty())
        .map(str::to_owned)
        .into_iter()
        .collect();
    let pairs = request
        .query
        .iter()
        .map(|(name, value)| (name.as_ref(), value.as_str()))
        .chain(
            credentials
                .iter()
                .map(|(name, value)| (*name, value.as_str())),
        );
    encoded.extend(
        pairs.map(|(name, value)| format!("{}={}", encode_query(name), encode_query(value))),
    );
    url.set_query((!encoded.is_empty()).then(|| encoded.join("&")).as_deref());
    Ok(url)
}

impl Received {
    fn status(&self) -> reqwest::StatusCode {
        match self {
            Self::Read(raw) => raw.status(),
            Self::Streaming(_, response) => response.status(),
        }
    }

    fn headers(&self) -> &reqwest::header::HeaderMap {
        match self {
            Self::Read(raw) => raw.headers(),
            Self::Streaming(_, response) => response.headers(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::auth::ApiDescription;
    use crate::runtime::client::ClientBuilder;

    static API: ApiDescription = ApiDescription {
        base_url: "http://127.0.0.1:1/api",
        schemes: &[],
        env_credential: None,
    };

    fn client() -> Client {
        ClientBuilder::new(&API).build().unwrap()
    }

    #[test]
    fn urls_join_the_base_url_path_query_and_credentials() {
        let request = Request::new(Method::GET, "/things/a%2Fb")
            .query("tag", "x y")
            .query("id", "1,2");
        let url = url_for(&client(), &request, &[("api_key", "k&v".to_owned())]).unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:1/api/things/a%2Fb?tag=x%20y&id=1,2&api_key=k%26v"
        );
    }

    #[test]
    fn absolute_urls_must_stay_on_the_base_urls_server() {
        let client = client();
        let same = Request::new(Method::GET, "http://127.0.0.1:1/api/next?page=2");
        assert_eq!(
            url_for(&client, &same, &[]).unwrap().as_str(),
            "http://127.0.0.1:1/api/next?page=2"
        );
        let elsewhere = Request::new(Method::GET, "http://127.0.0.2:1/api/next");
        let error = url_for(&client, &elsewhere, &[]).unwrap_err();
        assert!(
            error.to_string().contains("not on the base URL's server"),
            "{error}"
        );
    }
}
