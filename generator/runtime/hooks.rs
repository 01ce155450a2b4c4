//! Hooks: code of the caller's that sees, and may change, every request before it is sent and
//! every response before it is decoded, without touching generated code.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use super::call::CallInfo;

/// What a hook returns: `Ok`, or the error that fails the call with
/// [`Error::Hook`](super::Error::Hook).
///
/// ```
/// use __crate__::{HookError, HookFuture};
///
/// let refuse: HookFuture<'static> = Box::pin(async { Err(HookError::new("not now")) });
/// # drop(refuse);
/// ```
pub type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<(), HookError>> + Send + 'a>>;

/// Sees, and may change, every attempt's request and response. Both methods do nothing unless
/// implemented; they run once per attempt, so a retried request passes through them again.
///
/// For plain functions, [`ClientBuilder::on_request`](super::ClientBuilder::on_request) and
/// [`ClientBuilder::on_response`](super::ClientBuilder::on_response) are shorter. Implement the
/// trait for async work:
///
/// ```
/// use __crate__::{CallInfo, Client, Hook, HookFuture};
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// #[derive(Default)]
/// struct CountRequests(AtomicUsize);
///
/// impl Hook for CountRequests {
///     fn on_request<'a>(
///         &'a self,
///         request: &'a mut reqwest::Request,
///         call: &'a CallInfo,
///     ) -> HookFuture<'a> {
///         Box::pin(async move {
///             self.0.fetch_add(1, Ordering::Relaxed);
///             let id = call.operation_id().unwrap_or("undocumented");
///             request.headers_mut().insert("x-operation", id.parse().map_err(__crate__::HookError::new)?);
///             Ok(())
///         })
///     }
/// }
///
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:8080")
///     .hook(CountRequests::default())
///     .build()?;
/// # drop(client);
/// # Ok::<(), __crate__::BuildError>(())
/// ```
pub trait Hook: Send + Sync {
    /// Called before each attempt is sent, with the credentials already on the request.
    fn on_request<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        call: &'a CallInfo,
    ) -> HookFuture<'a> {
        let _ = (request, call);
        Box::pin(std::future::ready(Ok(())))
    }

    /// Called when each attempt's response headers arrive, before the body is read.
    fn on_response<'a>(
        &'a self,
        response: &'a mut reqwest::Response,
        call: &'a CallInfo,
    ) -> HookFuture<'a> {
        let _ = (response, call);
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A function run on every request.
pub(crate) struct RequestFn<F>(pub(crate) F);

impl<F> Hook for RequestFn<F>
where
    F: Fn(&mut reqwest::Request, &CallInfo) + Send + Sync,
{
    fn on_request<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        call: &'a CallInfo,
    ) -> HookFuture<'a> {
        (self.0)(request, call);
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A function run on every response.
pub(crate) struct ResponseFn<F>(pub(crate) F);

impl<F> Hook for ResponseFn<F>
where
    F: Fn(&mut reqwest::Response, &CallInfo) + Send + Sync,
{
    fn on_response<'a>(
        &'a self,
        response: &'a mut reqwest::Response,
        call: &'a CallInfo,
    ) -> HookFuture<'a> {
        (self.0)(response, call);
        Box::pin(std::future::ready(Ok(())))
    }
}

/// Why a hook or a credential provider failed.
///
/// ```
/// use __crate__::HookError;
///
/// let error = HookError::new("the vault is sealed");
/// assert_eq!(error.to_string(), "a hook failed: the vault is sealed");
/// ```
pub struct HookError(Box<dyn std::error::Error + Send + Sync>);

impl HookError {
    /// Wraps the error a hook or a provider ran into.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self(error.into())
    }
}

impl fmt::Debug for HookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("HookError").field(&self.0).finish()
    }
}

impl fmt::Display for HookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a hook failed: {}", self.0)
    }
}

impl std::error::Error for HookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}
