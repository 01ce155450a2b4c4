//! The credential read from the environment variable named after the spec, when none is set in
//! code. One test in its own binary: it sets the variables before any other thread runs, which
//! is what makes `std::env::set_var` sound.

mod common;

use common::{only_request, server_answering};
use wiremock::ResponseTemplate;

#[test]
fn credentials_come_from_the_environment_variable_named_after_the_spec() {
    assert_eq!(qovery_client::CREDENTIAL_ENV_VAR, "QOVERY_API_TOKEN");
    assert_eq!(fixture_client::CREDENTIAL_ENV_VAR, "WIRE_FIXTURE_API_TOKEN");
    // SAFETY: this is the only test of this binary, and no other thread has started yet.
    unsafe {
        std::env::set_var("QOVERY_API_TOKEN", "qovery-from-env");
        std::env::set_var("WIRE_FIXTURE_API_TOKEN", "fixture-from-env");
        std::env::set_var("OTHER_FIXTURE_TOKEN", "fixture-from-other-env");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        // The createOrganization client: `ApiKeyAuth`, `Authorization: Token <key>`.
        let server =
            server_answering(ResponseTemplate::new(201).set_body_json(serde_json::json!({
                "id": "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
                "created_at": "2025-03-04T05:06:07Z",
                "name": "acme",
                "plan": "TEAM_2025"
            })))
            .await;
        let client = qovery_client::Client::builder()
            .base_url(server.uri())
            .build()
            .expect("a client");
        let body =
            qovery_client::OrganizationRequest::new("acme", qovery_client::PlanEnum::Team2025);
        client.create_organization(&body).await.expect("a 201");
        let request = only_request(&server).await;
        assert_eq!(
            request
                .headers
                .get("authorization")
                .and_then(|value| value.to_str().ok()),
            Some("Token qovery-from-env")
        );

        // A credential set in code wins over the variable.
        let server =
            server_answering(ResponseTemplate::new(201).set_body_json(serde_json::json!({
                "id": "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
                "created_at": "2025-03-04T05:06:07Z",
                "name": "acme",
                "plan": "TEAM_2025"
            })))
            .await;
        let client = qovery_client::Client::builder()
            .base_url(server.uri())
            .bearer_auth("from-code")
            .build()
            .expect("a client");
        client.create_organization(&body).await.expect("a 201");
        let request = only_request(&server).await;
        assert_eq!(
            request
                .headers
                .get("authorization")
                .and_then(|value| value.to_str().ok()),
            Some("Bearer from-code")
        );

        // The fixture client: `appKey`, `X-App-Key: <key>`, from its variable or another one.
        for (builder, expected) in [
            (fixture_client::Client::builder(), "fixture-from-env"),
            (
                fixture_client::Client::builder().credential_env_var("OTHER_FIXTURE_TOKEN"),
                "fixture-from-other-env",
            ),
        ] {
            let server = server_answering(ResponseTemplate::new(204)).await;
            let client = builder.base_url(server.uri()).build().expect("a client");
            client.get_usage().await.expect("a 204");
            let request = only_request(&server).await;
            assert_eq!(
                request
                    .headers
                    .get("x-app-key")
                    .and_then(|value| value.to_str().ok()),
                Some(expected)
            );
        }
    });
}
