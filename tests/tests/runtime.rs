//! Wire tests of the client runtime (retries, timeouts, per-call options, response metadata,
//! hooks, tracing, errors, credentials, streams, the escape hatch), once for each of two
//! generated clients: `qovery-client` (the createOrganization client) and `fixture-client`
//! (from `tests/wire-spec.yaml`). `behaviour_tests!` holds the tests both share; each client's
//! module gives it a typed POST call and a credential, and adds the tests of its own operations.
//!
//! Retries wait on a virtual clock that records the waits and returns at once, so no test
//! sleeps; timeout tests use short real delays and never assert on speed.

mod common;

use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// `Sun, 06 Nov 1994 08:49:37 GMT`, the virtual clock's now.
const VIRTUAL_NOW: u64 = 784_111_777;

/// The requests `server` received.
async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// A server that answers `first` `times` times, then `then`.
async fn server_answering_then(
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(then)
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// The value of header `name` in `request`.
fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("an ASCII header").to_owned())
}

/// A port on 127.0.0.1 that nothing listens on: connecting to it is refused.
fn refused_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address").port()
}

/// Spans recorded by [`RecordingSubscriber`]: their name and fields, as text.
type RecordedSpans = Arc<Mutex<Vec<(String, Vec<(String, String)>)>>>;

/// A `tracing` subscriber that records every span's fields, including those recorded later.
struct RecordingSubscriber {
    spans: RecordedSpans,
    stack: Mutex<Vec<(tracing::span::Id, &'static tracing::Metadata<'static>)>>,
    metadata: Mutex<Vec<&'static tracing::Metadata<'static>>>,
}

/// Collects fields as text.
struct FieldText<'a>(&'a mut Vec<(String, String)>);

impl tracing::field::Visit for FieldText<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl tracing::Subscriber for RecordingSubscriber {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Vec::new();
        span.record(&mut FieldText(&mut fields));
        let mut spans = self.spans.lock().expect("not poisoned");
        spans.push((span.metadata().name().to_owned(), fields));
        self.metadata
            .lock()
            .expect("not poisoned")
            .push(span.metadata());
        tracing::span::Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut spans = self.spans.lock().expect("not poisoned");
        if let Some((_, fields)) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(&mut FieldText(fields));
        }
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, _: &tracing::Event<'_>) {}

    fn enter(&self, span: &tracing::span::Id) {
        let metadata = self.metadata.lock().expect("not poisoned")[span.into_u64() as usize - 1];
        self.stack
            .lock()
            .expect("not poisoned")
            .push((span.clone(), metadata));
    }

    fn exit(&self, _: &tracing::span::Id) {
        self.stack.lock().expect("not poisoned").pop();
    }

    fn current_span(&self) -> tracing_core::span::Current {
        match self.stack.lock().expect("not poisoned").last() {
            Some((id, metadata)) => tracing_core::span::Current::new(id.clone(), metadata),
            None => tracing_core::span::Current::none(),
        }
    }
}

/// The tests every client gets. The invoking module defines `api` (the client crate),
/// `ok_post` (a 2xx response to `post_call`), `post_call` (a typed POST operation call) and
/// `with_credential` (a builder with a header credential whose secret is `SECRET`).
macro_rules! behaviour_tests {
    () => {
        use std::sync::{Arc, Mutex};
        use std::time::{Duration, SystemTime};

        use api::{
            Client, ClientBuilder, Clock, Error, Method, Request as ApiRequest, RetryPolicy,
            SharedToken, SleepFuture, TimeoutKind,
        };
        use wiremock::{MockServer, ResponseTemplate};

        use super::common::{only_request, server_answering};
        use super::{
            RecordingSubscriber, VIRTUAL_NOW, header, received, refused_port,
            server_answering_then,
        };

        /// A clock whose now is [`VIRTUAL_NOW`]; it records each wait and returns at once.
        #[derive(Clone, Default)]
        struct VirtualClock(Arc<Mutex<Vec<Duration>>>);

        impl Clock for VirtualClock {
            fn now(&self) -> SystemTime {
                super::UNIX_EPOCH + Duration::from_secs(VIRTUAL_NOW)
            }

            fn sleep(&self, duration: Duration) -> SleepFuture {
                self.0.lock().expect("not poisoned").push(duration);
                Box::pin(std::future::ready(()))
            }
        }

        impl VirtualClock {
            fn waits(&self) -> Vec<Duration> {
                self.0.lock().expect("not poisoned").clone()
            }
        }

        /// A builder for `server` with a virtual clock and retries without jitter.
        fn builder_for(server: &MockServer, clock: &VirtualClock) -> ClientBuilder {
            Client::builder()
                .base_url(server.uri())
                .clock(clock.clone())
                .retry(
                    RetryPolicy::default()
                        .initial_delay(Duration::from_millis(100))
                        .jitter(false),
                )
        }

        fn get(path: &str) -> ApiRequest {
            ApiRequest::new(Method::GET, path)
        }

        #[tokio::test]
        async fn retries_back_off_exponentially_on_the_virtual_clock() {
            let server =
                server_answering_then(ResponseTemplate::new(503), 2, ResponseTemplate::new(200))
                    .await;
            let clock = VirtualClock::default();
            let client = builder_for(&server, &clock).build().expect("a client");
            let response = client.send(get("/things")).await.expect("the third attempt");
            assert_eq!(response.status().as_u16(), 200);
            assert_eq!(received(&server).await.len(), 3);
            assert_eq!(
                clock.waits(),
                [Duration::from_millis(100), Duration::from_millis(200)]
            );
        }

        #[tokio::test]
        async fn retries_stop_at_the_maximum_number_of_attempts() {
            let server = server_answering(ResponseTemplate::new(502)).await;
            let clock = VirtualClock::default();
            let client = builder_for(&server, &clock)
                .retry(RetryPolicy::default().max_attempts(4).jitter(false))
                .build()
                .expect("a client");
            let error = client.send(get("/things")).await.expect_err("a 502");
            assert_eq!(error.status().map(|status| status.as_u16()), Some(502));
            assert!(error.is_retryable());
            assert_eq!(received(&server).await.len(), 4);
            assert_eq!(clock.waits().len(), 3);
        }

        #[tokio::test]
        async fn jittered_waits_stay_within_half_and_all_of_the_backoff() {
            let server = server_answering(ResponseTemplate::new(504)).await;
            let clock = VirtualClock::default();
            let client = Client::builder()
                .base_url(server.uri())
                .clock(clock.clone())
                .retry(RetryPolicy::default().initial_delay(Duration::from_millis(400)))
                .build()
                .expect("a client");
            client.send(get("/things")).await.expect_err("a 504");
            let waits = clock.waits();
            assert_eq!(waits.len(), 2);
            assert!(waits[0] >= Duration::from_millis(200) && waits[0] <= Duration::from_millis(400));
            assert!(waits[1] >= Duration::from_millis(400) && waits[1] <= Duration::from_millis(800));
        }

        #[tokio::test]
        async fn retry_after_in_seconds_is_waited_for() {
            let server = server_answering_then(
                ResponseTemplate::new(429).insert_header("retry-after", "7"),
                1,
                ResponseTemplate::new(200),
            )
            .await;
            let clock = VirtualClock::default();
            let client = builder_for(&server, &clock).build().expect("a client");
            client.send(get("/things")).await.expect("the second attempt");
            assert_eq!(clock.waits(), [Duration::from_secs(7)]);
        }

        #[tokio::test]
        async fn retry_after_as_an_http_date_is_waited_for() {
            let server = server_answering_then(
                ResponseTemplate::new(503)
                    .insert_header("retry-after", "Sun, 06 Nov 1994 08:49:49 GMT"),
                1,
                ResponseTemplate::new(200),
            )
            .await;
            let clock = VirtualClock::default();
            let client = builder_for(&server, &clock).build().expect("a client");
            client.send(get("/things")).await.expect("the second attempt");
            assert_eq!(clock.waits(), [Duration::from_secs(12)]);
        }

        #[tokio::test]
        async fn retry_after_beyond_the_maximum_wait_returns_the_response() {
            let server =
                server_answering(ResponseTemplate::new(503).insert_header("retry-after", "3600"))
                    .await;
            let clock = VirtualClock::default();
            let client = builder_for(&server, &clock).build().expect("a client");
            let error = client.send(get("/things")).await.expect_err("a 503");
            assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
            assert!(clock.waits().is_empty());
            assert_eq!(received(&server).await.len(), 1);
        }

        #[tokio::test]
        async fn connection_errors_are_retried() {
            let clock = VirtualClock::default();
            let client = Client::builder()
                .base_url(format!("http://127.0.0.1:{}", refused_port()))
                .clock(clock.clone())
                .retry(RetryPolicy::default().jitter(false))
                .build()
                .expect("a client");
            let error = client.send(get("/things")).await.expect_err("refused");
            assert!(matches!(error, Error::Transport(_)), "{error:?}");
            assert!(error.is_retryable());
            assert_eq!(clock.waits().len(), 2);
        }

        #[tokio::test]
        async fn post_is_not_retried_by_default() {
            let server = server_answering(ResponseTemplate::new(503)).await;
            let clock = VirtualClock::default();
            let client = builder_for(&server, &clock).build().expect("a client");
            post_call(&client).await.expect_err("a 503");
            assert_eq!(received(&server).await.len(), 1);
            assert!(clock.waits().is_empty());
        }

        #[tokio::test]
        async fn post_is_retried_when_the_caller_opts_in() {
            let server = server_answering_then(ResponseTemplate::new(503), 2, ok_post()).await;
            let clock = VirtualClock::default();
            let client = builder_for(&server, &clock).build().expect("a client");
            post_call(&client)
                .retry(RetryPolicy::default().retry_non_idempotent(true).jitter(false))
                .await
                .expect("the third attempt");
            assert_eq!(received(&server).await.len(), 3);
            assert_eq!(clock.waits().len(), 2);
        }

        #[tokio::test]
        async fn the_per_call_retry_policy_wins() {
            let server = server_answering(ResponseTemplate::new(503)).await;
            let clock = VirtualClock::default();
            let client = builder_for(&server, &clock).build().expect("a client");
            client
                .send(get("/things"))
                .retry(RetryPolicy::none())
                .await
                .expect_err("a 503");
            assert_eq!(received(&server).await.len(), 1);
        }

        #[tokio::test]
        async fn the_attempt_timeout_fires() {
            let server = server_answering(
                ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
            )
            .await;
            let client = Client::builder()
                .base_url(server.uri())
                .attempt_timeout(Duration::from_millis(50))
                .retry(RetryPolicy::none())
                .build()
                .expect("a client");
            let error = client.send(get("/slow")).await.expect_err("a timeout");
            let Error::Timeout(timeout) = &error else {
                panic!("not a timeout: {error:?}");
            };
            assert_eq!(timeout.kind(), TimeoutKind::Attempt);
            assert!(error.is_timeout() && error.is_retryable());
        }

        #[tokio::test]
        async fn the_total_timeout_fires() {
            let server = server_answering(
                ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
            )
            .await;
            let client = Client::builder()
                .base_url(server.uri())
                .timeout(Duration::from_millis(50))
                .build()
                .expect("a client");
            let error = client.send(get("/slow")).await.expect_err("a timeout");
            let Error::Timeout(timeout) = &error else {
                panic!("not a timeout: {error:?}");
            };
            assert_eq!(timeout.kind(), TimeoutKind::Total);
            assert_eq!(timeout.limit(), Some(Duration::from_millis(50)));
            assert!(!error.is_retryable());
        }

        #[tokio::test]
        async fn the_connect_timeout_fires() {
            // A listener whose accept queue is full: the kernel drops further SYNs, so
            // connecting hangs until the connect timeout.
            let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
            socket.bind("127.0.0.1:0".parse().expect("an address")).expect("bound");
            let address = socket.local_addr().expect("an address");
            let _listener = socket.listen(0).expect("listening");
            let mut queued = Vec::new();
            for _ in 0..8 {
                let connect = tokio::net::TcpStream::connect(address);
                if let Ok(Ok(stream)) = tokio::time::timeout(Duration::from_millis(100), connect).await {
                    queued.push(stream);
                }
            }
            let client = Client::builder()
                .base_url(format!("http://{address}"))
                .connect_timeout(Duration::from_millis(100))
                .retry(RetryPolicy::none())
                .build()
                .expect("a client");
            let error = client.send(get("/")).await.expect_err("a timeout");
            let Error::Timeout(timeout) = &error else {
                panic!("not a timeout: {error:?}");
            };
            assert_eq!(timeout.kind(), TimeoutKind::Connect);
            drop(queued);
        }

        #[tokio::test]
        async fn the_per_call_timeout_wins() {
            let server = server_answering(
                ResponseTemplate::new(200).set_delay(Duration::from_millis(300)),
            )
            .await;
            let client = Client::builder()
                .base_url(server.uri())
                .attempt_timeout(Duration::from_millis(20))
                .timeout(Duration::from_millis(30))
                .retry(RetryPolicy::none())
                .build()
                .expect("a client");
            let response = client
                .send(get("/slow"))
                .attempt_timeout(Duration::from_secs(30))
                .timeout(Duration::from_secs(30))
                .await
                .expect("the call's own timeouts are long enough");
            assert_eq!(response.status().as_u16(), 200);
        }

        #[tokio::test]
        async fn per_call_headers_are_sent() {
            let server = server_answering(ok_post()).await;
            let client = Client::builder().base_url(server.uri()).build().expect("a client");
            post_call(&client)
                .header("x-trace-id", "trace-1")
                .await
                .expect("a success");
            let request = only_request(&server).await;
            assert_eq!(header(&request, "x-trace-id").as_deref(), Some("trace-1"));
        }

        #[tokio::test]
        async fn with_response_gives_status_and_headers_beside_the_body() {
            let server =
                server_answering(ok_post().insert_header("x-request-id", "req-42").insert_header(
                    "x-ratelimit-remaining",
                    "9",
                ))
                .await;
            let client = Client::builder().base_url(server.uri()).build().expect("a client");
            let response = post_call(&client).with_response().await.expect("a success");
            assert!(response.status().is_success());
            assert_eq!(response.request_id(), Some("req-42"));
            assert_eq!(
                response
                    .headers()
                    .get("x-ratelimit-remaining")
                    .map(|value| value.to_str().expect("ASCII")),
                Some("9")
            );
        }

        #[tokio::test]
        async fn a_hook_sees_and_changes_the_request_and_sees_the_response() {
            let server = server_answering(ok_post()).await;
            let seen = Arc::new(Mutex::new(Vec::new()));
            let statuses = Arc::clone(&seen);
            let client = Client::builder()
                .base_url(server.uri())
                .on_request(|request, call| {
                    let id = call.operation_id().unwrap_or("undocumented");
                    request
                        .headers_mut()
                        .insert("x-hooked", id.parse().expect("a header value"));
                })
                .on_response(move |response, call| {
                    statuses.lock().expect("not poisoned").push((
                        response.status().as_u16(),
                        call.path_template().to_owned(),
                        call.attempt(),
                    ));
                })
                .build()
                .expect("a client");
            post_call(&client).await.expect("a success");
            let request = only_request(&server).await;
            assert_eq!(header(&request, "x-hooked").as_deref(), Some(POST_OPERATION_ID));
            let seen = seen.lock().expect("not poisoned").clone();
            assert_eq!(seen.len(), 1);
            assert!((200..300).contains(&seen[0].0));
            assert_eq!(seen[0].1, POST_PATH_TEMPLATE);
            assert_eq!(seen[0].2, 1);
        }

        #[tokio::test]
        async fn a_tracing_span_records_the_call() {
            let server =
                server_answering_then(ResponseTemplate::new(503), 1, ResponseTemplate::new(200))
                    .await;
            let clock = VirtualClock::default();
            let client = builder_for(&server, &clock).build().expect("a client");
            let spans = Arc::new(Mutex::new(Vec::new()));
            let subscriber = RecordingSubscriber {
                spans: Arc::clone(&spans),
                stack: Mutex::new(Vec::new()),
                metadata: Mutex::new(Vec::new()),
            };
            let guard = tracing::subscriber::set_default(subscriber);
            client.send(get("/things/1")).await.expect("the second attempt");
            post_call(&client).await.ok();
            drop(guard);
            let spans = spans.lock().expect("not poisoned").clone();
            let calls: Vec<_> = spans.iter().filter(|(name, _)| name == "http_call").collect();
            assert_eq!(calls.len(), 2, "{spans:?}");
            let field = |span: &(String, Vec<(String, String)>), name: &str| {
                span.1
                    .iter()
                    .rev()
                    .find(|(field, _)| field == name)
                    .map(|(_, value)| value.clone())
            };
            assert_eq!(field(calls[0], "http.method").as_deref(), Some("GET"));
            assert_eq!(field(calls[0], "http.path_template").as_deref(), Some("/things/1"));
            assert_eq!(field(calls[0], "http.status").as_deref(), Some("200"));
            assert_eq!(field(calls[0], "attempt").as_deref(), Some("2"));
            assert_eq!(field(calls[1], "operation_id").as_deref(), Some(POST_OPERATION_ID));
            assert_eq!(field(calls[1], "http.path_template").as_deref(), Some(POST_PATH_TEMPLATE));
        }

        #[tokio::test]
        async fn errors_and_the_client_never_show_a_header_credential() {
            let client = with_credential(
                Client::builder().base_url(format!("http://127.0.0.1:{}", refused_port())),
            )
            .retry(RetryPolicy::none())
            .build()
            .expect("a client");
            let error = post_call(&client).await.expect_err("refused");
            for text in [format!("{error}"), format!("{error:?}"), format!("{client:?}")] {
                assert!(!text.contains(SECRET), "{text}");
            }

            let server = server_answering(
                ResponseTemplate::new(401).set_body_string("token rejected"),
            )
            .await;
            let client = with_credential(Client::builder().base_url(server.uri()))
                .build()
                .expect("a client");
            let error = post_call(&client).await.expect_err("a 401");
            let display = format!("{error}");
            assert!(display.contains("401") && display.contains("token rejected"), "{display}");
            for text in [display, format!("{error:?}")] {
                assert!(!text.contains(SECRET), "{text}");
            }
            let request = only_request(&server).await;
            assert!(
                request.headers.values().any(|value| value.to_str().is_ok_and(|v| v.contains(SECRET))),
                "the credential is sent"
            );
        }

        #[tokio::test]
        async fn a_shared_token_replaced_at_runtime_is_used_on_the_next_call() {
            let server = server_answering(ok_post()).await;
            let token = SharedToken::new("first-token");
            let client = with_shared(Client::builder().base_url(server.uri()), token.clone())
                .build()
                .expect("a client");
            post_call(&client).await.expect("a success");
            token.set("second-token");
            post_call(&client).await.expect("a success");
            let requests = received(&server).await;
            let credential = |request: &wiremock::Request| {
                request
                    .headers
                    .values()
                    .filter_map(|value| value.to_str().ok())
                    .find(|value| value.contains("-token"))
                    .map(str::to_owned)
            };
            assert!(credential(&requests[0]).is_some_and(|value| value.ends_with("first-token")));
            assert!(credential(&requests[1]).is_some_and(|value| value.ends_with("second-token")));
        }

        #[tokio::test]
        async fn a_streamed_download_larger_than_the_buffer_arrives_whole() {
            let body: Vec<u8> = (0..(2 * 1024 * 1024)).map(|index| (index % 251) as u8).collect();
            let server =
                server_answering(ok_post().set_body_raw(body.clone(), "application/octet-stream"))
                    .await;
            let client = Client::builder().base_url(server.uri()).build().expect("a client");
            let response = post_call(&client).byte_stream().await.expect("a success");
            assert!(response.status().is_success());
            let mut stream = response.into_body();
            let (mut received, mut chunks) = (Vec::new(), 0);
            while let Some(chunk) = stream.next_chunk().await {
                received.extend_from_slice(&chunk.expect("a chunk"));
                chunks += 1;
            }
            assert_eq!(received.len(), body.len());
            assert!(received == body, "the bytes arrive in order");
            assert!(chunks > 1, "the body came in {chunks} chunk(s)");
        }

        #[tokio::test]
        async fn an_undocumented_endpoint_gets_credentials_retries_and_hooks() {
            let server =
                server_answering_then(ResponseTemplate::new(503), 1, ResponseTemplate::new(200))
                    .await;
            let clock = VirtualClock::default();
            let hooked = Arc::new(Mutex::new(0));
            let count = Arc::clone(&hooked);
            let client = with_credential(builder_for(&server, &clock))
                .on_request(move |_, _| *count.lock().expect("not poisoned") += 1)
                .build()
                .expect("a client");
            let response = client
                .send(
                    ApiRequest::new(Method::PUT, "/v9/undocumented")
                        .query("dry run", "yes&no")
                        .json(&serde_json::json!({"a": 1})),
                )
                .await
                .expect("the second attempt");
            assert_eq!(response.status().as_u16(), 200);
            let requests = received(&server).await;
            assert_eq!(requests.len(), 2);
            assert_eq!(*hooked.lock().expect("not poisoned"), 2);
            let request = &requests[1];
            assert_eq!(request.method.as_str(), "PUT");
            assert_eq!(request.url.path(), "/v9/undocumented");
            assert!(request.url.query().unwrap_or_default().starts_with("dry%20run=yes%26no"));
            assert_eq!(header(request, "content-type").as_deref(), Some("application/json"));
            assert!(
                request.headers.values().any(|value| value.to_str().is_ok_and(|v| v.contains(SECRET))),
                "the credential is sent"
            );
        }

        #[tokio::test]
        async fn an_undocumented_error_status_is_unexpected_status_with_the_request_id() {
            let server = server_answering(
                ResponseTemplate::new(418)
                    .insert_header("x-request-id", "req-418")
                    .set_body_string("teapot"),
            )
            .await;
            let client = Client::builder().base_url(server.uri()).build().expect("a client");
            let error = client.send(get("/brew")).await.expect_err("a 418");
            assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
            assert_eq!(error.request_id(), Some("req-418"));
            assert_eq!(error.body(), Some(&b"teapot"[..]));
            assert!(!error.is_retryable() && !error.is_timeout());
        }
    };
}

/// The createOrganization client.
mod create_organization {
    use qovery_client as api;

    /// The secret of the credential the tests set.
    const SECRET: &str = "qov-secret-token-123";
    /// The typed POST's `operationId` and path template.
    const POST_OPERATION_ID: &str = "createOrganization";
    const POST_PATH_TEMPLATE: &str = "/organization";

    fn ok_post() -> ResponseTemplate {
        ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "id": "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
            "created_at": "2025-03-04T05:06:07Z",
            "name": "acme",
            "plan": "TEAM_2025"
        }))
    }

    fn post_call(
        client: &Client,
    ) -> api::Call<'_, api::Organization, api::CreateOrganizationError> {
        client.create_organization(&REQUEST)
    }

    static REQUEST: std::sync::LazyLock<api::OrganizationRequest> =
        std::sync::LazyLock::new(|| api::OrganizationRequest::new("acme", api::PlanEnum::Team2025));

    fn with_credential(builder: ClientBuilder) -> ClientBuilder {
        builder.api_key_auth(SECRET)
    }

    fn with_shared(builder: ClientBuilder, token: SharedToken) -> ClientBuilder {
        builder.bearer_auth(token)
    }

    behaviour_tests!();

    #[tokio::test]
    async fn a_decode_error_keeps_the_whole_response() {
        let server = server_answering(
            ResponseTemplate::new(201)
                .insert_header("x-request-id", "req-bad")
                .set_body_raw(b"{\"id\": 42}".to_vec(), "application/json"),
        )
        .await;
        let client = Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client");
        let error = post_call(&client).await.expect_err("a decode error");
        let Error::Decode(decode) = &error else {
            panic!("not a decode error: {error:?}");
        };
        assert_eq!(decode.raw().body(), b"{\"id\": 42}");
        assert_eq!(decode.raw().status().as_u16(), 201);
        assert_eq!(error.request_id(), Some("req-bad"));
        assert_eq!(error.status().map(|status| status.as_u16()), Some(201));
    }

    #[tokio::test]
    async fn a_documented_error_status_has_status_headers_and_body() {
        let server = server_answering(
            ResponseTemplate::new(409)
                .insert_header("x-request-id", "req-409")
                .set_body_string("taken"),
        )
        .await;
        let client = Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client");
        let error = post_call(&client).await.expect_err("a 409");
        assert!(matches!(
            error,
            Error::Status(api::CreateOrganizationError::Conflict(_))
        ));
        assert_eq!(error.status().map(|status| status.as_u16()), Some(409));
        assert_eq!(error.request_id(), Some("req-409"));
        assert_eq!(error.body(), Some(&b"taken"[..]));
        assert!(
            error
                .headers()
                .is_some_and(|headers| headers.contains_key("x-request-id"))
        );
        assert_eq!(
            error.to_string(),
            "409 Conflict: Organization name is already taken (body: taken)"
        );
    }
}

/// The fixture client (`tests/wire-spec.yaml`).
mod fixture {
    use fixture_client as api;

    /// The secret of the credential the tests set.
    const SECRET: &str = "fixture-secret-token-123";
    /// The typed POST's `operationId` and path template.
    const POST_OPERATION_ID: &str = "startJob";
    const POST_PATH_TEMPLATE: &str = "/jobs";

    fn ok_post() -> ResponseTemplate {
        ResponseTemplate::new(202).set_body_json(serde_json::json!({"id": "j1"}))
    }

    fn post_call(client: &Client) -> api::Call<'_, api::StartJobSuccess, api::StartJobError> {
        client.start_job()
    }

    fn with_credential(builder: ClientBuilder) -> ClientBuilder {
        builder.bearer_auth(SECRET)
    }

    fn with_shared(builder: ClientBuilder, token: SharedToken) -> ClientBuilder {
        builder.bearer_auth(token)
    }

    behaviour_tests!();

    use wiremock::Mock;
    use wiremock::matchers::{method, path, query_param, query_param_is_missing};

    #[tokio::test]
    async fn errors_and_the_client_never_show_query_or_basic_credentials() {
        let client = Client::builder()
            .base_url(format!("http://127.0.0.1:{}", refused_port()))
            .app_key("header-key-secret")
            .app_secret("query-secret-value")
            .basic_auth("ann", "basic-password-secret")
            .retry(RetryPolicy::none())
            .build()
            .expect("a client");
        let error = client.list_reports().await.expect_err("refused");
        let Error::Transport(transport) = &error else {
            panic!("not a transport error: {error:?}");
        };
        assert!(transport.url().ends_with("/reports"), "{}", transport.url());
        let mut texts = vec![
            format!("{error}"),
            format!("{error:?}"),
            format!("{client:?}"),
        ];
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            texts.push(format!("{cause} {cause:?}"));
            source = cause.source();
        }
        let display = error.to_string();
        assert!(
            display.contains("GET") && display.contains("/reports"),
            "{display}"
        );
        for text in texts {
            for secret in [
                "header-key-secret",
                "query-secret-value",
                "basic-password-secret",
            ] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
        }
    }

    #[tokio::test]
    async fn schemes_required_together_are_all_sent() {
        let server = server_answering(ResponseTemplate::new(200).set_body_json(["r1"])).await;
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_auth("not-for-reports")
            .app_key("key-1")
            .app_secret("secret-1")
            .build()
            .expect("a client");
        let reports = client.list_reports().await.expect("a 200");
        assert_eq!(reports, ["r1"]);
        let request = only_request(&server).await;
        assert_eq!(header(&request, "x-app-key").as_deref(), Some("key-1"));
        assert_eq!(request.url.query(), Some("app_secret=secret-1"));
        assert_eq!(header(&request, "authorization"), None);
    }

    #[tokio::test]
    async fn a_scheme_pair_missing_one_credential_sends_neither() {
        let server = server_answering(ResponseTemplate::new(200).set_body_json(["r1"])).await;
        let client = Client::builder()
            .base_url(server.uri())
            .app_key("key-1")
            .build()
            .expect("a client");
        client.list_reports().await.expect("a 200");
        let request = only_request(&server).await;
        assert_eq!(header(&request, "x-app-key"), None);
        assert_eq!(request.url.query(), None);
    }

    #[tokio::test]
    async fn an_operation_with_empty_security_sends_no_credential() {
        let server = server_answering(ResponseTemplate::new(204)).await;
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_auth("a-token")
            .app_key("key-1")
            .build()
            .expect("a client");
        client.get_health().await.expect("a 204");
        let request = only_request(&server).await;
        assert_eq!(header(&request, "authorization"), None);
        assert_eq!(header(&request, "x-app-key"), None);
    }

    #[tokio::test]
    async fn the_default_security_sends_the_first_alternative_with_a_credential() {
        let server = server_answering(ResponseTemplate::new(204)).await;
        let client = Client::builder()
            .base_url(server.uri())
            .basic_auth("ann", "pw")
            .build()
            .expect("a client");
        client.start_job().await.expect("a 204");
        let request = only_request(&server).await;
        assert_eq!(
            header(&request, "authorization").as_deref(),
            Some("Basic YW5uOnB3")
        );
    }

    #[tokio::test]
    async fn an_idempotency_key_makes_a_post_retried_with_the_same_key() {
        let server = server_answering_then(
            ResponseTemplate::new(503),
            1,
            ResponseTemplate::new(201).set_body_json(serde_json::json!({"amount": 5})),
        )
        .await;
        let clock = VirtualClock::default();
        let client = builder_for(&server, &clock).build().expect("a client");
        let payment = client
            .create_payment(
                &api::Payment { amount: 5 },
                api::CreatePaymentOptions::default(),
            )
            .await
            .expect("the second attempt");
        assert_eq!(payment.amount, 5);
        let requests = received(&server).await;
        assert_eq!(requests.len(), 2);
        let keys: Vec<Option<String>> = requests
            .iter()
            .map(|request| header(request, "idempotency-key"))
            .collect();
        assert!(
            keys[0].as_ref().is_some_and(|key| key.len() == 36),
            "{keys:?}"
        );
        assert_eq!(keys[0], keys[1]);
    }

    #[tokio::test]
    async fn a_caller_idempotency_key_is_kept() {
        let server = server_answering(
            ResponseTemplate::new(201).set_body_json(serde_json::json!({"amount": 5})),
        )
        .await;
        let client = Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client");
        client
            .create_payment(
                &api::Payment { amount: 5 },
                api::CreatePaymentOptions::default().idempotency_key("mine-1"),
            )
            .await
            .expect("a 201");
        let request = only_request(&server).await;
        assert_eq!(
            header(&request, "idempotency-key").as_deref(),
            Some("mine-1")
        );
    }

    #[tokio::test]
    async fn a_binary_download_streams_and_an_error_status_still_decodes() {
        let body: Vec<u8> = (0..300_000).map(|index| (index % 256) as u8).collect();
        let server = server_answering(
            ResponseTemplate::new(200).set_body_raw(body.clone(), "application/octet-stream"),
        )
        .await;
        let client = Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client");
        let response = client
            .download_blob("a/b")
            .byte_stream()
            .await
            .expect("a 200");
        let mut stream = response.into_body();
        let mut received = Vec::new();
        while let Some(chunk) = stream.next_chunk().await {
            received.extend_from_slice(&chunk.expect("a chunk"));
        }
        assert!(received == body);
        assert_eq!(only_request(&server).await.url.path(), "/blobs/a%2Fb");

        let server = server_answering(ResponseTemplate::new(404)).await;
        let client = Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client");
        let error = client
            .download_blob("x")
            .byte_stream()
            .await
            .expect_err("a 404");
        assert!(
            matches!(error, Error::Status(api::DownloadBlobError::NotFound(_))),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn an_array_body_is_sent_as_json() {
        let server = server_answering(ResponseTemplate::new(204)).await;
        let client = Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client");
        client
            .put_tags(&["a".to_owned(), "b c".to_owned()])
            .await
            .expect("a 204");
        let request = only_request(&server).await;
        assert_eq!(
            header(&request, "content-type").as_deref(),
            Some("application/json")
        );
        assert_eq!(request.body, br#"["a","b c"]"#);
    }

    #[tokio::test]
    async fn an_upload_accepts_a_stream() {
        let server = server_answering(
            ResponseTemplate::new(200).set_body_raw(b"ok".to_vec(), "application/octet-stream"),
        )
        .await;
        let client = Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client");
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
            Ok(b"hello ".to_vec()),
            Ok(b"streamed ".to_vec()),
            Ok(b"world".to_vec()),
        ];
        let answered = client
            .put_blob("s", api::Body::from_stream(ChunkList(chunks.into_iter())))
            .await
            .expect("a 200");
        assert_eq!(answered, b"ok");
        assert_eq!(only_request(&server).await.body, b"hello streamed world");
    }

    /// A `Stream` over a list of chunks.
    struct ChunkList<I>(I);

    impl<I: Iterator + Unpin> futures_core::Stream for ChunkList<I> {
        type Item = I::Item;

        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<I::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }

    #[tokio::test]
    async fn a_paginated_stream_follows_three_next_links_and_stops() {
        let server = MockServer::start().await;
        let page = |ids: &[&str], next: Option<String>| {
            let events: Vec<_> = ids.iter().map(|id| serde_json::json!({"id": id})).collect();
            let mut body = serde_json::json!({"events": events});
            if let Some(next) = next {
                body["links"] = serde_json::json!({"next": next});
            }
            ResponseTemplate::new(200).set_body_json(body)
        };
        Mock::given(method("GET"))
            .and(path("/events"))
            .and(query_param_is_missing("continueToken"))
            .respond_with(page(
                &["a", "b"],
                Some("/events?continueToken=t2&pageSize=2".to_owned()),
            ))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/events"))
            .and(query_param("continueToken", "t2"))
            .respond_with(page(
                &["c"],
                Some(format!(
                    "{}/events?continueToken=t3&pageSize=2",
                    server.uri()
                )),
            ))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/events"))
            .and(query_param("continueToken", "t3"))
            .respond_with(page(&["d"], None))
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_auth("paging-token")
            .build()
            .expect("a client");
        let mut stream = client.list_events_stream(api::ListEventsOptions::default().page_size(2));
        let mut ids = Vec::new();
        while let Some(event) = stream.next_item().await {
            ids.push(event.expect("an event").id);
        }
        assert_eq!(ids, ["a", "b", "c", "d"]);
        let requests = received(&server).await;
        assert_eq!(requests.len(), 3);
        assert_eq!(requests[0].url.query(), Some("pageSize=2"));
        assert!(
            requests
                .iter()
                .all(|request| header(request, "authorization").as_deref()
                    == Some("Bearer paging-token"))
        );
    }

    #[tokio::test]
    async fn a_paginated_stream_follows_three_cursors_and_stops() {
        let server = MockServer::start().await;
        for (cursor, entries, next) in [
            (None, vec!["1", "2"], serde_json::json!("c2")),
            (Some("c2"), vec!["3"], serde_json::json!("c3")),
            (Some("c3"), vec!["4"], serde_json::Value::Null),
        ] {
            let mock = Mock::given(method("GET")).and(path("/audit"));
            let mock = match cursor {
                Some(cursor) => mock.and(query_param("cursor", cursor)),
                None => mock.and(query_param_is_missing("cursor")),
            };
            mock.respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"entries": entries, "next_cursor": next})),
            )
            .mount(&server)
            .await;
        }
        let client = Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client");
        let mut stream = client.list_audit_entries_stream(api::ListAuditEntriesOptions::default());
        let mut entries = Vec::new();
        while let Some(entry) = stream.next_item().await {
            entries.push(entry.expect("an entry"));
        }
        assert_eq!(entries, ["1", "2", "3", "4"]);
        assert_eq!(received(&server).await.len(), 3);
    }

    #[tokio::test]
    async fn a_paginated_stream_yields_the_error_of_a_page_and_ends() {
        let server = server_answering(ResponseTemplate::new(500)).await;
        let client = Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client");
        let mut stream = client.list_audit_entries_stream(api::ListAuditEntriesOptions::default());
        let first = stream.next_item().await.expect("an item");
        assert!(
            matches!(first, Err(Error::UnexpectedStatus(_))),
            "{first:?}"
        );
        assert!(stream.next_item().await.is_none());
    }

    #[tokio::test]
    #[allow(deprecated, reason = "the deprecated operation is still callable")]
    async fn a_deprecated_operation_is_marked_deprecated_and_still_works() {
        let source = include_str!("../fixture-client/src/operations/meta.rs");
        let before = source
            .split("pub fn get_legacy(")
            .next()
            .expect("the method is generated");
        let attributes = before.lines().rev().take(3).collect::<Vec<_>>().join("\n");
        assert!(attributes.contains("#[deprecated]"), "{attributes}");
        let server = server_answering(ResponseTemplate::new(204)).await;
        let client = Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client");
        client.get_legacy().await.expect("a 204");
    }
}
