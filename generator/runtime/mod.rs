//! The hand-written part of the client, the same for every spec: the client and its builder,
//! credentials, the request pipeline (retries, timeouts, hooks, tracing), responses, errors,
//! pagination and the body helpers (forms and multipart too). `client.rs` and `operations/`
//! build on it.
//!
//! Every operation method describes its request as plain data ([`Request`]) and hands it to one
//! pipeline, which applies the credentials, the hooks, the timeouts and the retry policy; the
//! [`Call`] it returns is awaited for the typed result.

mod auth;
mod call;
mod client;
mod error;
mod form;
mod hooks;
mod nullable;
mod objects;
mod pagination;
mod request;
mod response;
mod retry;
mod unions;

pub use auth::{Credential, CredentialFuture, CredentialProvider, SharedToken};
pub use call::{Call, CallFuture, CallInfo};
pub use client::{BuildError, Client, ClientBuilder};
pub use error::{
    DecodeError, Error, StatusError, Timeout, TimeoutKind, TransportError, TypedResponse,
};
pub use form::FilePart;
pub use hooks::{Hook, HookError, HookFuture};
pub use nullable::Nullable;
pub use pagination::ItemStream;
pub use request::{Body, Request};
pub use reqwest::header::{HeaderMap, HeaderValue};
pub use reqwest::{Method, StatusCode};
pub use response::{ByteStream, RawResponse, Response};
pub use retry::{Clock, RetryPolicy, SleepFuture};

pub(crate) use auth::ApiDescription;
#[allow(unused_imports, reason = "only specs with security schemes use them")]
pub(crate) use auth::{EnvCredential, Scheme, SchemeKind};
pub(crate) use call::Endpoint;
#[allow(
    unused_imports,
    reason = "only specs with paginated operations use them"
)]
pub(crate) use pagination::{NextPage, Page};
#[allow(unused_imports, reason = "only specs with object types use them")]
pub(crate) use objects::{
    Absent, FieldIndex, next_field, required_field, serde_object, skip_field,
};
#[allow(unused_imports, reason = "only specs with form or multipart bodies use it")]
pub(crate) use form::Form;
#[allow(unused_imports, reason = "only specs with such parameters use them")]
pub(crate) use request::{encode_path, json_text};
#[allow(unused_imports, reason = "only specs with unions use them")]
pub(crate) use unions::{exact_or_keep, serialize_tagged};
