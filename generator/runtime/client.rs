//! The client and its builder: the server, the HTTP client, the credentials, the timeouts, the
//! retry policy, the hooks and the clock.

use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::auth::{ApiDescription, Credential, Credentials};
use super::call::Call;
use super::call::CallInfo;
use super::error::Error;
use super::hooks::{Hook, RequestFn, ResponseFn};
use super::request::Request;
use super::response::RawResponse;
use super::retry::{Clock, RetryPolicy, TokioClock};

/// How long connecting may take, unless the builder says otherwise.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one attempt may take, unless the builder says otherwise.
const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// How long a whole call may take, retries included, unless the builder says otherwise.
const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(180);

/// A client for the API. Cheap to clone: clones share one connection pool and one set of
/// settings. Its `Debug` output never shows a credential.
///
/// ```no_run
/// use __crate__::Client;
/// use std::time::Duration;
///
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:8080")
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// println!("{client:?}");
/// # Ok::<(), __crate__::BuildError>(())
/// ```
#[derive(Clone)]
pub struct Client(pub(crate) Arc<Settings>);

/// Everything a client was built with.
pub(crate) struct Settings {
    pub(crate) base_url: String,
    pub(crate) http: reqwest::Client,
    pub(crate) credentials: Credentials,
    /// The connect timeout, when the client built its own `reqwest::Client`.
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) total_timeout: Option<Duration>,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    pub(crate) clock: Arc<dyn Clock>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.0.base_url)
            .field("credentials", &self.0.credentials)
            .field("retry", &self.0.retry)
            .field("attempt_timeout", &self.0.attempt_timeout)
            .field("total_timeout", &self.0.total_timeout)
            .field("hooks", &self.0.hooks.len())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder for a client of this API, pointed at
    /// [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new(&crate::client::API)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.0.base_url
    }

    /// The underlying `reqwest::Client`.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.0.http
    }

    /// Sends a request the spec does not document, with every credential the client holds and
    /// the same hooks, timeouts and retries as the operations. A 2xx status is `Ok`; any other
    /// is [`Error::UnexpectedStatus`].
    ///
    /// ```no_run
    /// use __crate__::{Client, Method, Request};
    ///
    /// # async fn example(client: Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let raw = client.send(Request::new(Method::GET, "/v3/preview")).await?;
    /// let value: serde_json::Value = raw.json()?;
    /// # drop(value);
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(&self, request: Request) -> Call<'_, RawResponse, Infallible> {
        Call::new(self, None, request, undocumented)
    }
}

/// The result of a request the spec does not document: the response of any 2xx status.
fn undocumented(response: RawResponse) -> Result<RawResponse, Error<Infallible>> {
    if response.status().is_success() {
        Ok(response)
    } else {
        Err(Error::UnexpectedStatus(response))
    }
}

/// Sets up a [`Client`]: base URL, credentials, HTTP client, timeouts, retries and hooks.
///
/// By default connecting may take 10 s, each attempt 60 s and a whole call 180 s, and calls
/// are retried as [`RetryPolicy::default`] says.
///
/// ```
/// use __crate__::{Client, RetryPolicy};
/// use std::time::Duration;
///
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:8080")
///     .connect_timeout(Duration::from_secs(3))
///     .attempt_timeout(Duration::from_secs(20))
///     .timeout(Duration::from_secs(60))
///     .retry(RetryPolicy::default().max_attempts(4))
///     .on_request(|request, call| {
///         println!("{} {} (attempt {})", request.method(), call.path_template(), call.attempt());
///     })
///     .build()?;
/// # drop(client);
/// # Ok::<(), __crate__::BuildError>(())
/// ```
pub struct ClientBuilder {
    api: &'static ApiDescription,
    base_url: String,
    http: Option<reqwest::Client>,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    total_timeout: Duration,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    clock: Arc<dyn Clock>,
    credentials: Credentials,
    env_variable: Option<String>,
    error: Option<BuildError>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    pub(crate) fn new(api: &'static ApiDescription) -> Self {
        Self {
            api,
            base_url: api.base_url.to_owned(),
            http: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            total_timeout: DEFAULT_TOTAL_TIMEOUT,
            retry: RetryPolicy::default(),
            hooks: Vec::new(),
            clock: Arc::new(TokioClock),
            credentials: Credentials::default(),
            env_variable: api
                .env_credential
                .as_ref()
                .map(|env| env.variable.to_owned()),
            error: None,
        }
    }

    /// Sends requests to `base_url` instead of the spec's server (for a proxy or a test server).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Uses this `reqwest::Client` (its proxy, TLS and pool settings) instead of a new one. The
    /// attempt and total timeouts still apply; the connect timeout is that client's own.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// How long connecting to the server may take (10 s by default).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long each attempt may take, until the response is read (60 s by default). An
    /// attempt that times out is retried.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// How long a whole call may take, retries and waits included (180 s by default);
    /// `Duration::MAX` for no limit.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = timeout;
        self
    }

    /// The retry policy for every call (a call can override it).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Adds a hook that sees every request and response; hooks run in the order added.
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Adds a function run on every attempt's request, after the credentials are set.
    pub fn on_request(
        self,
        hook: impl Fn(&mut reqwest::Request, &CallInfo) + Send + Sync + 'static,
    ) -> Self {
        self.hook(RequestFn(hook))
    }

    /// Adds a function run on every attempt's response, when its headers arrive.
    pub fn on_response(
        self,
        hook: impl Fn(&mut reqwest::Response, &CallInfo) + Send + Sync + 'static,
    ) -> Self {
        self.hook(ResponseFn(hook))
    }

    /// The clock retries wait on (for tests: one that does not really wait).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Reads the credential from this environment variable instead of the one the spec's name
    /// gives, when no credential is set in code.
    pub fn credential_env_var(mut self, variable: impl Into<String>) -> Self {
        self.env_variable = Some(variable.into());
        self
    }

    /// Sets the credential of the scheme `key`, replacing any that goes in the same place.
    pub(crate) fn credential(
        mut self,
        key: &str,
        user: Option<String>,
        credential: Credential,
    ) -> Self {
        match self.api.schemes.iter().find(|scheme| scheme.key == key) {
            Some(scheme) => self.credentials.set(scheme, user, credential),
            None => self.error = Some(BuildError::new(format!("no security scheme `{key}`"))),
        }
        self
    }

    /// Builds the client. Without a credential set in code, the environment variable (see
    /// [`credential_env_var`](Self::credential_env_var)) is read, when the spec has a scheme
    /// it can fill.
    pub fn build(mut self) -> Result<Client, BuildError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        if reqwest::Url::parse(&base_url).is_err() {
            return Err(BuildError::new(format!(
                "`{base_url}` is not a valid base URL"
            )));
        }
        if self.credentials.is_empty()
            && let (Some(env), Some(variable)) = (&self.api.env_credential, &self.env_variable)
            && let Ok(secret) = std::env::var(variable)
            && !secret.is_empty()
            && let Some(scheme) = self
                .api
                .schemes
                .iter()
                .find(|scheme| scheme.key == env.scheme)
        {
            self.credentials.set(scheme, None, Credential::from(secret));
        }
        let connect_timeout = self.http.is_none().then_some(self.connect_timeout);
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|error| {
                    BuildError::new(format!("cannot build the HTTP client: {error}"))
                })?,
        };
        Ok(Client(Arc::new(Settings {
            base_url,
            http,
            credentials: self.credentials,
            connect_timeout,
            retry: self.retry,
            attempt_timeout: Some(self.attempt_timeout),
            total_timeout: Some(self.total_timeout),
            hooks: self.hooks,
            clock: self.clock,
        })))
    }
}

/// Why a [`ClientBuilder`] could not build a client.
///
/// ```
/// let error = __crate__::Client::builder().base_url("not a url").build().unwrap_err();
/// assert_eq!(error.to_string(), "`not a url` is not a valid base URL");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(String);

impl BuildError {
    pub(crate) fn new(message: String) -> Self {
        Self(message)
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}
