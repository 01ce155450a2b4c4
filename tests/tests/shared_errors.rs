//! Wire tests of shared error enums, on `shared-errors-client` (generated from
//! `generator/tests/fixtures/shared_errors.yaml`) against a local `wiremock` server listening on
//! 127.0.0.1: operations that document the same error responses share one enum, and their error
//! types keep their names as aliases of it, variants included.

use serde_json::json;
use shared_errors_client::{
    CancelOrderError, Client, DeleteItemError, Error, GetItemError, GetOrderError, Problem,
    StatusError, UnauthorizedNotFoundError2,
};
mod common;

use common::{only_request, server_answering};
use wiremock::{MockServer, ResponseTemplate};

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client for the mock server builds")
}

#[tokio::test]
async fn an_alias_names_the_shared_enum_and_its_variants() {
    let server =
        server_answering(ResponseTemplate::new(404).set_body_json(json!({"message": "no item 7"})))
            .await;
    let client = client_for(&server);
    let error = client.get_item("7").await.expect_err("a 404");
    let Error::Status(GetItemError::NotFound(typed)) = error else {
        panic!("not a NotFound: {error:?}");
    };
    assert_eq!(
        *typed.body,
        Problem {
            message: "no item 7".to_owned()
        }
    );

    let error = client.get_order("7").await.expect_err("a 404");
    let Error::Status(documented) = error else {
        panic!("not a documented status: {error:?}");
    };
    let shared: UnauthorizedNotFoundError2 = documented;
    let same_type: DeleteItemError = shared.clone();
    assert!(matches!(same_type, GetOrderError::NotFound(_)));
    assert_eq!(shared.to_string(), "404 Not Found: No such resource");
}

#[tokio::test]
async fn an_operation_with_other_error_responses_keeps_its_own_enum() {
    let server =
        server_answering(ResponseTemplate::new(404).set_body_json(json!({"message": "shipped"})))
            .await;
    let error = client_for(&server)
        .cancel_order("7")
        .await
        .expect_err("a 404");
    assert_eq!(only_request(&server).await.method.as_str(), "DELETE");
    let Error::Status(documented) = error else {
        panic!("not a documented status: {error:?}");
    };
    assert!(matches!(documented, CancelOrderError::NotFound(_)));
    assert_eq!(documented.status().as_u16(), 404);
    assert_eq!(
        documented.to_string(),
        "404 Not Found: The order was already shipped"
    );
}
