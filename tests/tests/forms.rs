//! Wire tests of form and multipart request bodies, on `form-bodies-client` (generated from
//! `generator/tests/fixtures/form_bodies.yaml`, an OpenAPI 3.0 spec) and `swagger2-bodies-client`
//! (`swagger2_bodies.yaml`, Swagger 2.0 `formData` parameters) against a local `wiremock` server
//! listening on 127.0.0.1: the exact bytes on the wire (the multipart boundary aside, which is
//! read from the `Content-Type`) and the content type.

use chrono::{TimeZone, Utc};
use form_bodies_client::{
    Client, FilePart, Nullable, PhotoMeta, PhotoUpload, UpdatePetFormBody, UpdatePetFormBodyStatus,
};
use serde_json::json;
mod common;

use common::{only_request, server_answering};
use wiremock::{MockServer, Request, ResponseTemplate};

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client for the mock server builds")
}

fn content_type(request: &Request) -> &str {
    request
        .headers
        .get("content-type")
        .map(|value| value.to_str().expect("an ASCII header"))
        .expect("a content type")
}

#[tokio::test]
async fn a_form_body_is_urlencoded_field_by_field() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let mut body = UpdatePetFormBody::new("Rex & Co. 100%")
        .age(7)
        .status(UpdatePetFormBodyStatus::Sold)
        .tags(["good boy", "ünïcode"])
        .colors(["black", "white"])
        .seen(
            Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9)
                .single()
                .expect("a date"),
        );
    body.nickname = Nullable::Null;
    client_for(&server)
        .update_pet_form(42, &body)
        .await
        .expect("a 204 is a success");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/pets/42/form");
    assert_eq!(content_type(&request), "application/x-www-form-urlencoded");
    assert_eq!(
        String::from_utf8(request.body.clone()).expect("ASCII"),
        "name=Rex+%26+Co.+100%25&age=7&status=sold&tags=good+boy&tags=%C3%BCn%C3%AFcode\
         &colors=black%2Cwhite&seen=2024-05-06T07%3A08%3A09Z"
    );
}

#[tokio::test]
async fn unset_form_fields_are_not_sent() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let body = UpdatePetFormBody::new("Rex").nickname("Rexy");
    client_for(&server)
        .update_pet_form(1, &body)
        .await
        .expect("a 204 is a success");
    let request = only_request(&server).await;
    assert_eq!(request.body, b"name=Rex&nickname=Rexy");
}

#[tokio::test]
async fn a_multipart_upload_sends_files_with_their_names_and_content_types() {
    let server =
        server_answering(ResponseTemplate::new(201).set_body_json(json!({"count": 3}))).await;
    let photo = FilePart::new(b"\x89PNG\r\n".to_vec()).with_file_name("rex.png");
    let extra = FilePart::new(b"GIF89a".to_vec())
        .with_file_name("rex \"2\".gif")
        .with_content_type("image/gif");
    let body = PhotoUpload::new(photo)
        .caption("Rex, asleep")
        .meta(PhotoMeta::default().width(640).tags(["cute"]))
        .extras([extra, FilePart::new(b"raw".to_vec())]);
    let uploaded = client_for(&server)
        .upload_photos(42, &body)
        .await
        .expect("a 201 decodes");
    assert_eq!(uploaded.count, Some(3));

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/pets/42/photos");
    let boundary = boundary(&request);
    assert!(!boundary.is_empty() && boundary.len() <= 70, "{boundary}");
    let mut expected = Vec::new();
    let mut part = |headers: &str, contents: &[u8]| {
        expected.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
        expected.extend_from_slice(contents);
        expected.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"photo\"; filename=\"rex.png\"\r\n\
         Content-Type: image/png",
        b"\x89PNG\r\n",
    );
    part(
        "Content-Disposition: form-data; name=\"caption\"",
        b"Rex, asleep",
    );
    part(
        "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json",
        br#"{"width":640,"tags":["cute"]}"#,
    );
    part(
        "Content-Disposition: form-data; name=\"extras\"; filename=\"rex %222%22.gif\"\r\n\
         Content-Type: image/gif",
        b"GIF89a",
    );
    part(
        "Content-Disposition: form-data; name=\"extras\"; filename=\"extras\"\r\n\
         Content-Type: application/octet-stream",
        b"raw",
    );
    expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
    assert_eq!(request.body, expected);
}

/// The multipart boundary of `request`, from its `Content-Type`.
fn boundary(request: &Request) -> String {
    content_type(request)
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type with a boundary")
        .to_owned()
}

#[tokio::test]
async fn swagger_20_form_data_parameters_are_a_urlencoded_form() {
    use swagger2_bodies_client::{UpdatePetWithFormBody, UpdatePetWithFormBodyStatus};
    let server = server_answering(ResponseTemplate::new(204)).await;
    let client = swagger2_bodies_client::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client for the mock server builds");
    let body = UpdatePetWithFormBody::new("Rex the 2nd").status(UpdatePetWithFormBodyStatus::Sold);
    client
        .update_pet_with_form(7, &body)
        .await
        .expect("a 204 is a success");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/pets/7");
    assert_eq!(content_type(&request), "application/x-www-form-urlencoded");
    assert_eq!(request.body, b"name=Rex+the+2nd&status=sold");
}

#[tokio::test]
async fn swagger_20_form_data_with_a_file_is_a_multipart_upload() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let client = swagger2_bodies_client::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client for the mock server builds");
    let photo = swagger2_bodies_client::FilePart::new(b"JPEG".to_vec())
        .with_file_name("rex.jpg")
        .with_content_type("image/jpeg");
    let body = swagger2_bodies_client::UploadPhotoBody::new(photo).caption("Rex");
    client
        .upload_photo(7, &body)
        .await
        .expect("a 204 is a success");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/pets/7/photo");
    let boundary = boundary(&request);
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nRex\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rex.jpg\"\r\n\
         Content-Type: image/jpeg\r\n\r\nJPEG\r\n--{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8_lossy(&request.body), expected);
}
