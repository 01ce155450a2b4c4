//! The request benchmark of `cargo xtask bench`: `xtask/src/bench/requests.rs` writes this file
//! as `target/bench/requests/src/main.rs` and builds it in release mode against the generated
//! `bench-client` crate (its default features, the client as `Client::builder()` makes it).
//!
//! A minimal HTTP/1.1 server (keep-alive, fixed `content-length` bodies) answers on 127.0.0.1,
//! on the same single-threaded tokio runtime as the calls, so that no thread hand-off adds to
//! the time and the server's share is the same for every way of calling. Timed:
//!
//! - per request: `getOrganization` through the generated client, against the same GET by hand
//!   (`reqwest::Client::new()`, `serde_json::from_slice` into the generated `Organization`);
//! - decoding a large `listOrganization` body: through the generated client, by hand over the
//!   same loopback HTTP, the bytes alone, and decoding the body in memory with
//!   `serde_json::from_slice` and with `serde_path_to_error` (what the runtime adds, for the
//!   error's path, when a body fails to decode).
//!
//! Usage: `bench-requests REQUESTS ROUNDS LIST_BYTES`. Prints one JSON object with every
//! sample, in seconds, on standard output.

use std::error::Error;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use bench_client::{Client, Organization, OrganizationResponseList};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The token both ways of calling send.
const TOKEN: &str = "bench-token";

/// What a failed step reports.
type Failure = Box<dyn Error>;

/// The command line.
struct Settings {
    requests: usize,
    rounds: usize,
    list_bytes: usize,
}

fn main() -> Result<(), Failure> {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .map(|arg| arg.parse::<usize>())
        .collect::<Result<_, _>>()?;
    let [requests, rounds, list_bytes] = numbers[..] else {
        return Err("usage: bench-requests REQUESTS ROUNDS LIST_BYTES".into());
    };
    let settings = Settings {
        requests: requests.max(1),
        rounds: rounds.max(1),
        list_bytes,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = runtime.block_on(run(&settings))?;
    println!("{report}");
    Ok(())
}

/// One organization as the server sends it, with the id `id` and numbered `index`: every field
/// of the type set, the required ones and the optional ones.
fn organization(id: &str, index: usize) -> String {
    let day = index % 28 + 1;
    serde_json::json!({
        "id": id,
        "created_at": format!("2024-03-{day:02}T10:21:33.512Z"),
        "updated_at": format!("2025-01-{day:02}T08:05:00Z"),
        "name": format!("organization-{index}"),
        "description": format!("Production and staging workloads of team {index}"),
        "plan": "TEAM_2025",
        "website_url": format!("https://team-{index}.example.com"),
        "repository": format!("https://github.com/example/team-{index}"),
        "logo_url": format!("https://cdn.example.com/logos/{index}.png"),
        "icon_url": format!("https://cdn.example.com/icons/{index}.png"),
        "admin_emails": [format!("admin-{index}@example.com"), format!("ops-{index}@example.com")],
        "owner": format!("0b7d6c2e-3f4a-4b5c-8d9e-{index:012x}"),
        "billing_deployment_restriction": null,
        "organization_plan": { "plan": "TEAM_2025", "audit_logs_retention_in_days": 30 },
    })
    .to_string()
}

/// An `OrganizationResponseList` of at least `bytes` bytes, and how many items it holds.
fn organization_list(bytes: usize) -> (Vec<u8>, usize) {
    let mut body = String::with_capacity(bytes + 1024);
    body.push_str(r#"{"results":["#);
    let mut items = 0;
    while body.len() < bytes || items == 0 {
        if items > 0 {
            body.push(',');
        }
        let id = format!("{items:08x}-5d1c-4a8e-9b3f-{items:012x}");
        body.push_str(&organization(&id, items));
        items += 1;
    }
    body.push_str("]}");
    (body.into_bytes(), items)
}

/// A whole HTTP/1.1 response with a JSON body.
fn http_response(status: &str, body: &[u8]) -> Vec<u8> {
    let mut response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

/// What the server answers, by request path.
struct Routes {
    organization_path: String,
    organization: Vec<u8>,
    list: Vec<u8>,
    not_found: Vec<u8>,
}

impl Routes {
    fn response(&self, path: &[u8]) -> &[u8] {
        if path == self.organization_path.as_bytes() {
            &self.organization
        } else if path == b"/organization" {
            &self.list
        } else {
            &self.not_found
        }
    }
}

/// Accepts connections and answers each on its own task.
async fn serve(listener: TcpListener, routes: Arc<Routes>) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(answer(stream, Arc::clone(&routes)));
    }
}

/// Answers the requests of one connection, in order, until the client closes it. The requests
/// are GETs: a head without a body.
async fn answer(mut stream: TcpStream, routes: Arc<Routes>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buffer = Vec::with_capacity(4096);
    loop {
        let end = loop {
            if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
                break at + 4;
            }
            if stream.read_buf(&mut buffer).await? == 0 {
                return Ok(());
            }
        };
        let path = buffer[..end]
            .split(|byte| *byte == b' ')
            .nth(1)
            .unwrap_or_default();
        stream.write_all(routes.response(path)).await?;
        buffer.drain(..end);
    }
}

/// Seconds per call of `requests` sequential `getOrganization` calls of the generated client.
async fn generated_requests(
    client: &Client,
    id: uuid::Uuid,
    requests: usize,
) -> Result<f64, Failure> {
    let started = Instant::now();
    for _ in 0..requests {
        let organization = client.get_organization(id).await?;
        black_box(organization);
    }
    Ok(started.elapsed().as_secs_f64() / requests as f64)
}

/// Seconds per request of `requests` sequential GETs done by hand, decoded into the same type.
async fn hand_requests(
    http: &reqwest::Client,
    base_url: &str,
    id: uuid::Uuid,
    requests: usize,
) -> Result<f64, Failure> {
    let started = Instant::now();
    for _ in 0..requests {
        let response = http
            .get(format!("{base_url}/organization/{id}"))
            .bearer_auth(TOKEN)
            .send()
            .await?
            .error_for_status()?;
        let body = response.bytes().await?;
        let organization: Organization = serde_json::from_slice(&body)?;
        black_box(organization);
    }
    Ok(started.elapsed().as_secs_f64() / requests as f64)
}

/// Fails unless the decoded list holds `expected` organizations.
fn counted(list: &OrganizationResponseList, expected: usize, way: &str) -> Result<(), Failure> {
    let items = list.results.as_ref().map_or(0, Vec::len);
    if items == expected {
        Ok(())
    } else {
        Err(format!("{way}: decoded {items} organizations, the body holds {expected}").into())
    }
}

/// The samples of the large list, in seconds per decoding.
#[derive(Default)]
struct ListSamples {
    generated: Vec<f64>,
    hand: Vec<f64>,
    bytes_only: Vec<f64>,
    from_slice: Vec<f64>,
    path_to_error: Vec<f64>,
}

/// Decodes the large list once each way, checking every result, and records the times.
async fn list_round(
    client: &Client,
    http: &reqwest::Client,
    base_url: &str,
    body: &[u8],
    items: usize,
    samples: &mut ListSamples,
) -> Result<(), Failure> {
    let list_url = format!("{base_url}/organization");

    let started = Instant::now();
    let list = client.list_organization().await?;
    samples.generated.push(started.elapsed().as_secs_f64());
    counted(&list, items, "the generated client")?;
    drop(list);

    let started = Instant::now();
    let response = http
        .get(&list_url)
        .bearer_auth(TOKEN)
        .send()
        .await?
        .error_for_status()?;
    let bytes = response.bytes().await?;
    let list: OrganizationResponseList = serde_json::from_slice(&bytes)?;
    samples.hand.push(started.elapsed().as_secs_f64());
    counted(&list, items, "by hand")?;
    drop((list, bytes));

    let started = Instant::now();
    let response = http
        .get(&list_url)
        .bearer_auth(TOKEN)
        .send()
        .await?
        .error_for_status()?;
    let bytes = response.bytes().await?;
    samples.bytes_only.push(started.elapsed().as_secs_f64());
    if bytes.len() != body.len() {
        return Err(format!("read {} bytes of {}", bytes.len(), body.len()).into());
    }
    drop(bytes);

    let started = Instant::now();
    let list: OrganizationResponseList = serde_json::from_slice(body)?;
    samples.from_slice.push(started.elapsed().as_secs_f64());
    counted(&list, items, "serde_json::from_slice")?;
    drop(list);

    let started = Instant::now();
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let list: OrganizationResponseList = serde_path_to_error::deserialize(&mut deserializer)?;
    deserializer.end()?;
    samples.path_to_error.push(started.elapsed().as_secs_f64());
    counted(&list, items, "serde_path_to_error")?;
    drop(list);
    Ok(())
}

async fn run(settings: &Settings) -> Result<serde_json::Value, Failure> {
    let id = uuid::Uuid::parse_str("6c3fb4a1-8f3e-4d2b-9a61-0f6e2b9d7c10")?;
    let organization = organization(&id.to_string(), 0);
    let (list, items) = organization_list(settings.list_bytes);
    let routes = Arc::new(Routes {
        organization_path: format!("/organization/{id}"),
        organization: http_response("200 OK", organization.as_bytes()),
        list: http_response("200 OK", &list),
        not_found: http_response("404 Not Found", b"{}"),
    });
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(serve(listener, routes));

    let client = Client::builder()
        .base_url(&base_url)
        .bearer_auth(TOKEN)
        .build()?;
    let http = reqwest::Client::new();

    let fetched = client.get_organization(id).await?;
    if fetched.id != id {
        return Err(format!("the server sent organization {}, not {id}", fetched.id).into());
    }
    let warm_up = (settings.requests / 10).max(100);
    generated_requests(&client, id, warm_up).await?;
    hand_requests(&http, &base_url, id, warm_up).await?;
    let mut generated = Vec::new();
    let mut hand = Vec::new();
    for round in 0..settings.rounds {
        if round % 2 == 0 {
            generated.push(generated_requests(&client, id, settings.requests).await?);
            hand.push(hand_requests(&http, &base_url, id, settings.requests).await?);
        } else {
            hand.push(hand_requests(&http, &base_url, id, settings.requests).await?);
            generated.push(generated_requests(&client, id, settings.requests).await?);
        }
    }

    let mut samples = ListSamples::default();
    list_round(&client, &http, &base_url, &list, items, &mut samples).await?;
    samples = ListSamples::default();
    for _ in 0..settings.rounds {
        list_round(&client, &http, &base_url, &list, items, &mut samples).await?;
    }

    Ok(serde_json::json!({
        "requests": settings.requests,
        "rounds": settings.rounds,
        "warm_up_requests": warm_up,
        "organization_bytes": organization.len(),
        "per_request": { "generated": generated, "hand": hand },
        "list": {
            "bytes": list.len(),
            "items": items,
            "generated": samples.generated,
            "hand": samples.hand,
            "bytes_only": samples.bytes_only,
            "from_slice": samples.from_slice,
            "path_to_error": samples.path_to_error,
        },
    }))
}
