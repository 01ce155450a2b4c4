//! The client that `build.rs` generated is a normal client: it builds requests from typed
//! values and decodes typed responses.

use build_script_example::{Client, NewPet, Pet};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_generated_client_sends_and_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(body_json(serde_json::json!({"name": "Rex", "tag": "dog"})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"id": 7, "name": "Rex", "tag": "dog"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("the client builds");
    let pet: Pet = client
        .create_pet(&NewPet::new("Rex").tag("dog"))
        .await
        .expect("the pet is created");
    assert_eq!(pet.id, 7);
    assert_eq!(pet.name, "Rex");
}
