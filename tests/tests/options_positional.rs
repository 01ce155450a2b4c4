//! Wire tests of `options-positional-client` (generated with `client.group-optional-parameters =
//! false`): optional parameters are `Option` arguments, sent when `Some` and left out when `None`.

use chrono::{TimeZone, Utc};
use options_positional_client::{Client, Role};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

mod common;

use common::{only_request, server_answering};

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client for the mock server builds")
}

#[tokio::test]
async fn none_sends_only_the_required_parameters() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!(["ann"]))).await;
    let members = client_for(&server)
        .list_members("p 1", &Role::Viewer, None, None, None, None, None)
        .await
        .expect("a 200 decodes");
    assert_eq!(members, ["ann"]);

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/projects/p%201/members");
    assert_eq!(request.url.query(), Some("role=viewer"));
    assert!(request.headers.get("x-trace").is_none());
}

#[tokio::test]
async fn some_sends_each_optional_parameter_in_its_style() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let since = Utc
        .with_ymd_and_hms(2025, 3, 4, 5, 6, 7)
        .single()
        .expect("a valid date-time");
    client_for(&server)
        .list_members(
            "p",
            &Role::Owner,
            Some(2),
            Some("an n"),
            Some(since),
            Some(&[3, 4]),
            Some("trace-1"),
        )
        .await
        .expect("a 200 decodes");

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("role=owner&page=2&name=an%20n&since=2025-03-04T05%3A06%3A07Z&ids=3,4")
    );
    assert_eq!(
        request
            .headers
            .get("x-trace")
            .map(|value| value.to_str().expect("an ASCII header")),
        Some("trace-1")
    );
}
