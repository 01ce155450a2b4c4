//! Wire tests of `Client::create_organization` (`POST /organization`) against a local
//! `wiremock` server listening on 127.0.0.1.
//!
//! Each test mounts a catch-all mock, calls the generated client, and then asserts on exactly
//! what went over the wire (the recorded request) and on exactly what the client made of the
//! response.

use chrono::{DateTime, TimeZone, Utc};
use qovery_client::{
    Client, ClientBuilder, CreateOrganizationError, Error, Nullable, Organization,
    OrganizationPlan, OrganizationRequest, PlanEnum, RawResponse,
};
use serde_json::{Value, json};
use uuid::Uuid;
mod common;

use common::{only_request, server_answering};
use wiremock::{MockServer, Request, ResponseTemplate};

/// The bearer token (JWT) used by the tests.
const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.test-jwt.sig";

/// The API key used by the tests.
const API_KEY: &str = "qov-api-key-123";

/// The organization id in the canned 201 bodies.
const ORG_ID: &str = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";

/// The owner id in the canned 201 bodies.
const OWNER_ID: &str = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";

/// `created_at` in the canned 201 bodies.
const CREATED_AT: &str = "2025-03-04T05:06:07Z";

/// A full `Organization` as the server would send it for a 201.
fn organization_json() -> Value {
    json!({
        "id": ORG_ID,
        "created_at": CREATED_AT,
        "name": "acme",
        "plan": "TEAM_2025",
        "owner": OWNER_ID,
        "organization_plan": {
            "plan": "ENTERPRISE_2025",
            "audit_logs_retention_in_days": 30
        }
    })
}

/// Starts a mock server that answers every request with a 201 and [`organization_json`].
async fn server_creating() -> MockServer {
    server_answering(ResponseTemplate::new(201).set_body_json(organization_json())).await
}

/// A builder pointed at `server` and authenticated with the bearer token [`JWT`].
fn builder_for(server: &MockServer) -> ClientBuilder {
    Client::builder().base_url(server.uri()).bearer_auth(JWT)
}

/// A bearer-authenticated client pointed at `server`.
fn client_for(server: &MockServer) -> Client {
    builder_for(server)
        .build()
        .expect("a client for the mock server builds")
}

/// The smallest valid request: `name = "acme"`, `plan = TEAM_2025`, no optional field.
fn minimal_request() -> OrganizationRequest {
    OrganizationRequest::new("acme", PlanEnum::Team2025)
}

/// The values of header `name` in `request`, as text.
fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|value| {
            value
                .to_str()
                .expect("header value is visible ASCII")
                .to_owned()
        })
        .collect()
}

/// The request body parsed as JSON.
fn body_json(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("the request body is JSON")
}

/// Builds the client from `builder`, creates [`minimal_request`] (the server answers 201) and
/// returns the one request the server received.
async fn request_sent_by(builder: ClientBuilder, server: &MockServer) -> Request {
    builder
        .build()
        .expect("client builds")
        .create_organization(&minimal_request())
        .await
        .expect("201 decodes");
    only_request(server).await
}

/// Calls `create_organization` on a bearer client for `server` with [`minimal_request`].
async fn create_minimal(
    server: &MockServer,
) -> Result<Organization, Error<CreateOrganizationError>> {
    client_for(server)
        .create_organization(&minimal_request())
        .await
}

/// The raw response of a documented error status, or a panic naming what came instead.
fn expect_status_error(
    result: Result<Organization, Error<CreateOrganizationError>>,
) -> CreateOrganizationError {
    match result {
        Err(Error::Status(error)) => error,
        other => panic!("expected Error::Status, got {other:?}"),
    }
}

/// The request line, headers and body sent with bearer auth are exactly the documented ones.
#[tokio::test]
async fn bearer_auth_sends_exact_post_with_one_authorization_header_and_minimal_body() {
    let server = server_creating().await;

    create_minimal(&server).await.expect("201 decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/organization");
    assert_eq!(request.url.query(), None);
    assert_eq!(
        header_values(&request, "content-type"),
        vec!["application/json".to_owned()]
    );
    assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
    assert_eq!(
        header_values(&request, "authorization"),
        vec![format!("Bearer {JWT}")]
    );
    assert_eq!(
        body_json(&request),
        json!({"name": "acme", "plan": "TEAM_2025"})
    );
}

/// `.api_key_auth(..)` sends `Authorization: Token <key>`, once.
#[tokio::test]
async fn api_key_auth_sends_token_scheme_once() {
    let server = server_creating().await;
    let request = request_sent_by(
        Client::builder()
            .base_url(server.uri())
            .api_key_auth(API_KEY),
        &server,
    )
    .await;
    assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
    assert_eq!(
        header_values(&request, "authorization"),
        vec![format!("Token {API_KEY}")]
    );
}

/// Setting both credentials keeps only the last one: still exactly one `Authorization`.
#[tokio::test]
async fn last_credential_set_is_the_only_one_sent() {
    let server = server_creating().await;
    let request = request_sent_by(builder_for(&server).api_key_auth(API_KEY), &server).await;
    assert_eq!(
        header_values(&request, "authorization"),
        vec![format!("Token {API_KEY}")]
    );
}

/// Optional fields that are set are sent, `Null` ones as `null`; `Absent` ones are omitted.
#[tokio::test]
async fn optional_fields_that_are_set_appear_in_the_body() {
    let server = server_creating().await;
    let mut body = OrganizationRequest::new("acme", PlanEnum::Enterprise2025);
    body.description = "Rockets & anvils".to_owned().into();
    body.website_url = Nullable::Value("https://acme.example".to_owned());
    body.logo_url = Nullable::Null;
    body.admin_emails = Nullable::Value(vec![
        "wile@acme.example".to_owned(),
        "road@acme.example".to_owned(),
    ]);

    client_for(&server)
        .create_organization(&body)
        .await
        .expect("201 decodes");

    let request = only_request(&server).await;
    assert_eq!(
        body_json(&request),
        json!({
            "name": "acme",
            "plan": "ENTERPRISE_2025",
            "description": "Rockets & anvils",
            "website_url": "https://acme.example",
            "logo_url": null,
            "admin_emails": ["wile@acme.example", "road@acme.example"]
        })
    );
}

/// A 201 with a full body decodes into an `Organization` with typed fields.
#[tokio::test]
async fn created_response_decodes_into_typed_organization() {
    let server = server_creating().await;

    let organization = create_minimal(&server).await.expect("201 decodes");

    let id: Uuid = organization.id;
    let created_at: DateTime<Utc> = organization.created_at;
    let owner: Option<Uuid> = organization.owner;
    assert_eq!(id, Uuid::parse_str(ORG_ID).expect("valid uuid"));
    assert_eq!(
        created_at,
        Utc.with_ymd_and_hms(2025, 3, 4, 5, 6, 7)
            .single()
            .expect("valid date")
    );
    assert_eq!(owner, Some(Uuid::parse_str(OWNER_ID).expect("valid uuid")));
    assert_eq!(organization.name, "acme");
    assert_eq!(organization.plan, PlanEnum::Team2025);
    assert_eq!(
        organization.organization_plan,
        Some(OrganizationPlan {
            plan: Some(PlanEnum::Enterprise2025),
            audit_logs_retention_in_days: Some(30.0),
        })
    );
    // Nothing else was set, so nothing else may be filled in.
    let expected = Organization {
        id,
        created_at,
        updated_at: None,
        name: "acme".to_owned(),
        description: None,
        plan: PlanEnum::Team2025,
        website_url: None,
        repository: None,
        logo_url: None,
        icon_url: None,
        admin_emails: None,
        owner,
        billing_deployment_restriction: None,
        organization_plan: organization.organization_plan.clone(),
    };
    assert_eq!(organization, expected);
}

/// A 409 is `Conflict` and keeps status, body text and headers of the raw response.
#[tokio::test]
async fn conflict_keeps_status_body_and_headers() {
    let body = r#"{"message":"organization name already taken"}"#;
    let server = server_answering(
        ResponseTemplate::new(409)
            .insert_header("x-request-id", "req-409-abc")
            .set_body_string(body),
    )
    .await;

    let result = create_minimal(&server).await;

    let status = result.as_ref().err().and_then(Error::status);
    assert_eq!(status.map(|status| status.as_u16()), Some(409));
    let error = expect_status_error(result);
    assert_eq!(
        error.to_string(),
        "409 Conflict: Organization name is already taken"
    );
    let CreateOrganizationError::Conflict(raw) = error else {
        panic!("expected Conflict, got {error:?}");
    };
    assert_eq!(raw.status().as_u16(), 409);
    assert_eq!(raw.body_text(), body);
    assert_eq!(raw.body(), body.as_bytes());
    assert_eq!(
        raw.headers()
            .get("x-request-id")
            .map(|value| value.to_str().expect("ASCII header")),
        Some("req-409-abc")
    );
}

/// A body-less 404 is `NotFound`, not `Conflict`, with an empty body.
#[tokio::test]
async fn body_less_not_found_is_its_own_variant() {
    let server = server_answering(ResponseTemplate::new(404)).await;

    let error = expect_status_error(create_minimal(&server).await);

    let CreateOrganizationError::NotFound(raw) = error else {
        panic!("expected NotFound, got {error:?}");
    };
    assert_eq!(raw.status().as_u16(), 404);
    assert_eq!(raw.body(), b"");
}

/// Every documented error status maps to its own variant.
#[tokio::test]
async fn each_documented_error_status_has_its_variant() {
    /// The status a variant was built for.
    fn variant_status(error: &CreateOrganizationError) -> (u16, &'static str, &RawResponse) {
        match error {
            CreateOrganizationError::BadRequest(raw) => (400, "BadRequest", raw),
            CreateOrganizationError::Unauthorized(raw) => (401, "Unauthorized", raw),
            CreateOrganizationError::Forbidden(raw) => (403, "Forbidden", raw),
            CreateOrganizationError::NotFound(raw) => (404, "NotFound", raw),
            CreateOrganizationError::Conflict(raw) => (409, "Conflict", raw),
        }
    }
    for status in [400u16, 401, 403, 404, 409] {
        let server = server_answering(ResponseTemplate::new(status)).await;
        let error = expect_status_error(create_minimal(&server).await);
        let (expected, name, raw) = variant_status(&error);
        assert_eq!(expected, status, "status {status} became {name}");
        assert_eq!(raw.status().as_u16(), status);
    }
}

/// An undocumented status (418) is `UnexpectedStatus` with its status and body.
#[tokio::test]
async fn undocumented_status_is_unexpected_status_with_body() {
    let server = server_answering(ResponseTemplate::new(418).set_body_string("I'm a teapot")).await;

    let result = create_minimal(&server).await;

    let Err(Error::UnexpectedStatus(raw)) = result else {
        panic!("expected UnexpectedStatus, got {result:?}");
    };
    assert_eq!(raw.status().as_u16(), 418);
    assert_eq!(raw.body_text(), "I'm a teapot");
}

/// A plan value this client does not know survives decoding and re-encoding unchanged.
#[tokio::test]
async fn unknown_plan_value_is_kept_and_sent_back() {
    let mut body = organization_json();
    body["plan"] = json!("TEAM_2027");
    let server = server_answering(ResponseTemplate::new(201).set_body_json(body)).await;

    let organization = create_minimal(&server).await.expect("201 decodes");

    assert_eq!(organization.plan, PlanEnum::Unknown("TEAM_2027".to_owned()));
    assert_eq!(organization.plan.as_str(), "TEAM_2027");
    let encoded = serde_json::to_value(&organization).expect("Organization serializes");
    assert_eq!(encoded["plan"], json!("TEAM_2027"));
    let text = serde_json::to_string(&organization).expect("Organization serializes");
    assert!(text.contains(r#""plan":"TEAM_2027""#), "{text}");
}

/// The `Error::Decode` of a 201 body built from `body`, or a panic naming what came instead.
async fn decode_error_for(body: &str) -> qovery_client::DecodeError {
    let server = server_answering(
        ResponseTemplate::new(201).set_body_raw(body.as_bytes().to_vec(), "application/json"),
    )
    .await;
    match create_minimal(&server).await {
        Err(Error::Decode(error)) => error,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// `"created_at": 42` is a decode error naming `created_at`, with a snippet of the body.
#[tokio::test]
async fn number_for_created_at_is_decode_error_naming_the_field() {
    let body = format!(r#"{{"id":"{ORG_ID}","created_at":42,"name":"acme","plan":"TEAM_2025"}}"#);

    let error = decode_error_for(&body).await;

    assert_eq!(error.path(), "created_at");
    assert_eq!(error.status().as_u16(), 201);
    assert!(error.snippet().contains(r#""created_at":42"#), "{error:?}");
    let display = error.to_string();
    assert!(display.contains("`created_at`"), "{display}");
    assert!(display.contains("201"), "{display}");
}

/// `"id": "not-a-uuid"` is a decode error naming `id`, with a snippet of the body.
#[tokio::test]
async fn malformed_uuid_is_decode_error_naming_the_field() {
    let body = format!(
        r#"{{"id":"not-a-uuid","created_at":"{CREATED_AT}","name":"acme","plan":"TEAM_2025"}}"#
    );

    let error = decode_error_for(&body).await;

    assert_eq!(error.path(), "id");
    assert!(error.snippet().contains("not-a-uuid"), "{error:?}");
    assert!(error.to_string().contains("`id`"), "{error}");
    let wrapped: Error<CreateOrganizationError> = Error::Decode(error);
    assert!(wrapped.to_string().contains("`id`"), "{wrapped}");
}

/// A bad value inside a nested object is reported with its dotted path.
#[tokio::test]
async fn nested_decode_error_names_the_dotted_path() {
    let body = format!(
        r#"{{"id":"{ORG_ID}","created_at":"{CREATED_AT}","name":"acme","plan":"TEAM_2025","organization_plan":{{"audit_logs_retention_in_days":"thirty"}}}}"#
    );

    let error = decode_error_for(&body).await;

    assert_eq!(
        error.path(),
        "organization_plan.audit_logs_retention_in_days"
    );
    assert!(error.snippet().contains("thirty"), "{error:?}");
}

/// Neither `Client` nor `ClientBuilder` shows the secret in its `Debug` output.
#[test]
fn debug_output_never_shows_the_token() {
    let bearer = Client::builder().bearer_auth(JWT);
    let builder_text = format!("{bearer:?}");
    assert!(!builder_text.contains(JWT), "{builder_text}");
    let client = bearer.build().expect("client builds");
    let client_text = format!("{client:?}");
    assert!(!client_text.contains(JWT), "{client_text}");
    assert!(client_text.contains("<redacted>"), "{client_text}");

    let client = Client::builder()
        .api_key_auth(API_KEY)
        .build()
        .expect("client builds");
    let client_text = format!("{client:?}");
    assert!(!client_text.contains(API_KEY), "{client_text}");
}

/// A caller's own `reqwest::Client` that sends one default header on every request.
fn http_client_with_default_header(name: &'static str, value: &'static str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(name, reqwest::header::HeaderValue::from_static(value));
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("reqwest client builds")
}

/// A caller-supplied `reqwest::Client` is the one that sends: its default header arrives.
#[tokio::test]
async fn caller_supplied_http_client_is_used() {
    let server = server_creating().await;
    let http = http_client_with_default_header("x-custom", "yes");
    let request = request_sent_by(builder_for(&server).http_client(http), &server).await;
    assert_eq!(header_values(&request, "x-custom"), vec!["yes".to_owned()]);
    assert_eq!(
        header_values(&request, "authorization"),
        vec![format!("Bearer {JWT}")]
    );
}

/// A default `Authorization` on the caller's client is replaced, not doubled, by the credential.
#[tokio::test]
async fn caller_client_default_authorization_is_not_sent_twice() {
    let server = server_creating().await;
    let http = http_client_with_default_header("authorization", "Bearer stale");
    let request = request_sent_by(builder_for(&server).http_client(http), &server).await;
    assert_eq!(
        header_values(&request, "authorization"),
        vec![format!("Bearer {JWT}")]
    );
}

/// The default base URL is the spec's server; `.base_url(..)` replaces it.
#[test]
fn default_base_url_is_the_spec_server() {
    assert_eq!(qovery_client::DEFAULT_BASE_URL, "https://api.qovery.com");
    let client = Client::builder().build().expect("client builds");
    assert_eq!(client.base_url(), "https://api.qovery.com");
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client builds");
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
}

/// A trailing slash on the base URL does not double the slash in the request path.
#[tokio::test]
async fn trailing_slash_on_base_url_is_ignored() {
    let server = server_creating().await;
    let request = request_sent_by(
        Client::builder()
            .base_url(format!("{}/", server.uri()))
            .bearer_auth(JWT),
        &server,
    )
    .await;
    assert_eq!(request.url.path(), "/organization");
}

/// An invalid base URL is refused when building, not when sending.
#[test]
fn invalid_base_url_fails_to_build() {
    let error = Client::builder()
        .base_url("not a url")
        .build()
        .expect_err("an invalid base URL is refused");
    assert_eq!(error.to_string(), "`not a url` is not a valid base URL");
}

/// An empty 201 body is a decode error for the whole body (path `.`), not a success.
#[tokio::test]
async fn empty_created_body_is_decode_error_at_the_root() {
    let error = decode_error_for("").await;

    assert_eq!(error.path(), ".");
    assert_eq!(error.status().as_u16(), 201);
}

/// In a pretty-printed (multi-line) body the snippet still surrounds the bad value.
#[tokio::test]
async fn decode_error_snippet_points_into_multi_line_body() {
    let mut value = organization_json();
    value["created_at"] = json!("yesterday");
    let body = serde_json::to_string_pretty(&value).expect("JSON serializes");

    let error = decode_error_for(&body).await;

    assert_eq!(error.path(), "created_at");
    assert!(
        error.snippet().contains(r#""created_at": "yesterday""#),
        "{error:?}"
    );
}

/// Request types chain a setter per optional field; a `Nullable` field's setter takes a plain
/// value, and what is not set is not sent.
#[test]
fn request_types_chain_setters_for_optional_fields() {
    let request = OrganizationRequest::new("acme", PlanEnum::Team2025)
        .description("our org")
        .admin_emails(["a@example.com", "b@example.com"]);
    assert_eq!(
        serde_json::to_value(&request).expect("the request encodes"),
        serde_json::json!({
            "name": "acme",
            "plan": "TEAM_2025",
            "description": "our org",
            "admin_emails": ["a@example.com", "b@example.com"],
        })
    );
}
