//! Wire tests of the operation features, on `fixture-client` (generated from
//! `tests/wire-spec.yaml`) against a local `wiremock` server listening on 127.0.0.1: grouped
//! optional parameters, query list styles, header parameters, several success statuses, text
//! and byte bodies, and error statuses told apart without a body.

use chrono::{NaiveDate, TimeZone, Utc};
use fixture_client::{
    Client, Color, Config, Error, Job, ListItemsOptions, Problem, StartJobError, StartJobSuccess,
    StatusError, UpdateJobSuccess,
};
use serde_json::json;
use uuid::Uuid;
mod common;

use common::{only_request, server_answering};
use wiremock::{MockServer, Request, ResponseTemplate};

/// The request id sent in `X-Request-Id`.
const REQUEST_ID: &str = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";

/// A client pointed at `server`.
fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client for the mock server builds")
}

/// A header's value as text.
fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("an ASCII header"))
}

fn request_id() -> Uuid {
    Uuid::parse_str(REQUEST_ID).expect("a valid uuid")
}

#[tokio::test]
async fn without_options_only_required_parameters_are_sent() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!(["x"]))).await;
    let items = client_for(&server)
        .list_items(
            "org/1",
            &["a".to_owned()],
            request_id(),
            ListItemsOptions::default(),
        )
        .await
        .expect("a 200 decodes");
    assert_eq!(items, ["x"]);

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/organizations/org%2F1/items");
    assert_eq!(request.url.query(), Some("tag=a"));
    assert_eq!(header(&request, "x-request-id"), Some(REQUEST_ID));
    assert_eq!(header(&request, "x-tags"), None);
    assert_eq!(header(&request, "x-limit"), None);
}

#[tokio::test]
async fn options_query_lists_and_headers_go_on_the_wire_in_their_styles() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let since = Utc
        .with_ymd_and_hms(2025, 3, 4, 5, 6, 7)
        .single()
        .expect("a valid date-time");
    let day = NaiveDate::from_ymd_opt(2025, 12, 31).expect("a valid date");
    let options = ListItemsOptions::default()
        .id([1, 5_000_000_000])
        .color([Color::Red, Color::from("blue")])
        .owner(["ann", "bob"])
        .page(2)
        .active(true)
        .min_score(2)
        .since(since)
        .day(day)
        .x_tags(["p", "q r"])
        .x_limit(5);
    client_for(&server)
        .list_items(
            "org",
            &["a b".to_owned(), "c&d".to_owned()],
            request_id(),
            options,
        )
        .await
        .expect("a 200 decodes");

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some(
            "tag=a%20b,c%26d&id=1&id=5000000000&color=red&color=blue&owner=ann%7Cbob&page=2\
             &active=true&minScore=2&since=2025-03-04T05%3A06%3A07Z&day=2025-12-31"
        )
    );
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("tag".to_owned(), "a b,c&d".to_owned()));
    assert_eq!(pairs[5], ("owner".to_owned(), "ann|bob".to_owned()));
    assert_eq!(header(&request, "x-request-id"), Some(REQUEST_ID));
    assert_eq!(header(&request, "x-tags"), Some("p,q r"));
    assert_eq!(header(&request, "x-limit"), Some("5"));
}

#[test]
fn options_struct_is_plain_data() {
    let options = ListItemsOptions {
        page: Some(3),
        ..ListItemsOptions::default()
    };
    assert_eq!(options, ListItemsOptions::default().page(3));
    assert_eq!(options.active, None);
}

#[tokio::test]
async fn accepted_with_a_body_and_no_content_are_both_successes() {
    let server =
        server_answering(ResponseTemplate::new(202).set_body_json(json!({"id": "j1"}))).await;
    let started = client_for(&server).start_job().await.expect("a 202");
    assert_eq!(
        started,
        StartJobSuccess::Accepted(Job {
            id: "j1".to_owned()
        })
    );

    let server = server_answering(ResponseTemplate::new(204)).await;
    let started = client_for(&server).start_job().await.expect("a 204");
    assert_eq!(started, StartJobSuccess::NoContent);
}

#[tokio::test]
async fn statuses_sharing_a_body_type_stay_apart() {
    for (status, expected) in [
        (200, UpdateJobSuccess::Ok(Job { id: "j".into() })),
        (202, UpdateJobSuccess::Accepted(Job { id: "j".into() })),
        (204, UpdateJobSuccess::NoContent),
    ] {
        let response = ResponseTemplate::new(status);
        let response = if status == 204 {
            response
        } else {
            response.set_body_json(json!({"id": "j"}))
        };
        let server = server_answering(response).await;
        let updated = client_for(&server)
            .update_job("j")
            .await
            .expect("a success");
        assert_eq!(updated, expected, "status {status}");
        assert_eq!(only_request(&server).await.method.as_str(), "PATCH");
    }
}

#[tokio::test]
async fn body_less_errors_are_told_apart_by_status() {
    let server = server_answering(ResponseTemplate::new(404)).await;
    let error = client_for(&server).start_job().await.expect_err("a 404");
    let Error::Status(StartJobError::NotFound(raw)) = &error else {
        panic!("not a NotFound: {error:?}");
    };
    assert_eq!(raw.status().as_u16(), 404);
    assert_eq!(error.status().map(|status| status.as_u16()), Some(404));

    let server = server_answering(ResponseTemplate::new(409)).await;
    let error = client_for(&server).start_job().await.expect_err("a 409");
    assert!(
        matches!(error, Error::Status(StartJobError::Conflict(_))),
        "{error:?}"
    );
    let status_error = error.status_error().expect("a documented status");
    assert_eq!(status_error.status().as_u16(), 409);
    assert_eq!(
        status_error.to_string(),
        "409 Conflict: A job is already running"
    );
}

#[tokio::test]
async fn error_bodies_are_decoded_as_json_or_text() {
    let server =
        server_answering(ResponseTemplate::new(422).set_body_json(json!({"message": "bad queue"})))
            .await;
    let error = client_for(&server).start_job().await.expect_err("a 422");
    let Error::Status(StartJobError::UnprocessableEntity(typed)) = error else {
        panic!("not an UnprocessableEntity: {error:?}");
    };
    assert_eq!(
        *typed.body,
        Problem {
            message: "bad queue".to_owned()
        }
    );

    let server = server_answering(ResponseTemplate::new(503).set_body_string("back at noon")).await;
    let error = client_for(&server).start_job().await.expect_err("a 503");
    let Error::Status(StartJobError::ServiceUnavailable(typed)) = error else {
        panic!("not a ServiceUnavailable: {error:?}");
    };
    assert_eq!(*typed.body, "back at noon");
    assert_eq!(typed.raw.status().as_u16(), 503);

    let server = server_answering(ResponseTemplate::new(418)).await;
    let error = client_for(&server).start_job().await.expect_err("a 418");
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(
        error.raw_response().map(|raw| raw.status().as_u16()),
        Some(418)
    );
}

#[tokio::test]
async fn json_is_picked_among_request_media_types_and_yaml_responses_are_text() {
    let yaml = "replicas: 3\n";
    let server = server_answering(
        ResponseTemplate::new(200).set_body_raw(yaml.as_bytes().to_vec(), "application/x-yaml"),
    )
    .await;
    let config = Config { replicas: Some(3) };
    let text = client_for(&server)
        .put_config(&config)
        .await
        .expect("a 200");
    assert_eq!(text, yaml);

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).expect("a JSON body"),
        json!({"replicas": 3})
    );
}

#[tokio::test]
async fn yaml_request_bodies_are_sent_as_text() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    client_for(&server)
        .put_manifest("kind: Manifest\n")
        .await
        .expect("a 204");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/x-yaml"));
    assert_eq!(request.body, b"kind: Manifest\n");
}

#[tokio::test]
async fn text_bodies_go_both_ways() {
    let server = server_answering(
        ResponseTemplate::new(201).set_body_raw("héllo back".as_bytes().to_vec(), "text/plain"),
    )
    .await;
    let echoed = client_for(&server).post_note("héllo").await.expect("a 201");
    assert_eq!(echoed, "héllo back");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("text/plain"));
    assert_eq!(request.body, "héllo".as_bytes());
}

#[tokio::test]
async fn byte_bodies_go_both_ways_unchanged() {
    let sent: Vec<u8> = vec![0, 159, 146, 150, 255];
    let answered: Vec<u8> = vec![1, 2, 0, 254];
    let server = server_answering(
        ResponseTemplate::new(200).set_body_raw(answered.clone(), "application/octet-stream"),
    )
    .await;
    let received = client_for(&server)
        .put_blob("a b", sent.clone())
        .await
        .expect("a 200");
    assert_eq!(received, answered);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/blobs/a%20b");
    assert_eq!(
        header(&request, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, sent);
}
