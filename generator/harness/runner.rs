//! The conformance and round-trip harness for a generated client (copied from
//! `generator/harness/runner.rs` by `cargo xtask conformance`; do not edit the copy).
//!
//! ```text
//! harness conformance --plan PLAN --report REPORT --static URL [--dynamic SEED URL]...
//! harness roundtrip --instances INSTANCES --report REPORT
//! ```
//!
//! `conformance` calls every operation through the typed client, once per mock server: `--static`
//! answers with the spec's examples, each `--dynamic` server (a Prism started with `--seed SEED`)
//! is asked for generated bodies with `Prefer: dynamic=true`. An operation passes when, on every
//! server, the request raised no request violation (`sl-violations`) and the response decoded
//! into the operation's success type. `roundtrip` decodes every schema instance into its Rust type,
//! encodes it back and compares the JSON. Both print a summary line, a short failure list, and
//! write every failure to REPORT as JSON; they exit with 1 when anything failed.

mod calls;
mod schemas;

use std::collections::BTreeMap;
use std::fmt::Display;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How many failures are printed; the report has them all.
const PRINTED_FAILURES: usize = 400;

/// The sampled arguments of one operation: values by wire name, and the body.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Call {
    path: BTreeMap<String, Value>,
    query: BTreeMap<String, Value>,
    header: BTreeMap<String, Value>,
    body: Option<Value>,
    /// Set when the sampler found no schema-valid value for some argument.
    invalid: Option<String>,
}

impl Call {
    /// The path parameter `name`, converted to the argument type.
    #[allow(dead_code, reason = "only specs with such parameters use it")]
    pub(crate) fn path<T: DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        argument(self.path.get(name), &format!("path parameter `{name}`"))
    }

    /// The query parameter `name`, converted to the argument type.
    #[allow(dead_code, reason = "only specs with such parameters use it")]
    pub(crate) fn query<T: DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        argument(self.query.get(name), &format!("query parameter `{name}`"))
    }

    /// The header parameter `name`, converted to the argument type.
    #[allow(dead_code, reason = "only specs with such parameters use it")]
    pub(crate) fn header<T: DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        argument(self.header.get(name), &format!("header `{name}`"))
    }

    /// The JSON body, converted to the argument type.
    pub(crate) fn body<T: DeserializeOwned>(&self) -> Result<T, String> {
        argument(self.body.as_ref(), "request body")
    }

    /// A text body: a sampled string as it is, anything else as JSON text.
    #[allow(dead_code, reason = "only specs with text bodies use it")]
    pub(crate) fn text_body(&self) -> Result<String, String> {
        match &self.body {
            Some(Value::String(text)) => Ok(text.clone()),
            Some(other) => Ok(other.to_string()),
            None => Err("the call plan has no request body".to_owned()),
        }
    }

    /// A binary body: the bytes of the text body.
    #[allow(dead_code, reason = "only specs with binary bodies use it")]
    pub(crate) fn bytes_body(&self) -> Result<Vec<u8>, String> {
        self.text_body().map(String::into_bytes)
    }
}

/// Converts one sampled value into an argument of type `T`.
fn argument<T: DeserializeOwned>(value: Option<&Value>, what: &str) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("the call plan has no {what}"))?;
    serde_json::from_value(value.clone())
        .map_err(|error| format!("{what}: the sampled value {value} does not convert: {error}"))
}

/// What an operation's call returns: `Err` when the call could not be made, otherwise the
/// client's result, summarised.
pub(crate) type CallFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Result<(), String>, String>> + 'a>>;

/// One operation of the client.
pub(crate) struct Operation {
    /// `METHOD /path/template`, the key of the call plan.
    pub(crate) key: &'static str,
    /// The operation id.
    pub(crate) id: &'static str,
    /// Makes the arguments and calls the client method.
    pub(crate) call: for<'a> fn(&'a client::Client, &'a Call) -> CallFuture<'a>,
}

/// A client result, summarised: `Ok` only when a success response decoded.
pub(crate) fn outcome<T, E>(result: Result<T, client::Error<E>>) -> Result<(), String>
where
    E: client::StatusError + Display,
{
    match result {
        Ok(_) => Ok(()),
        Err(client::Error::Status(error)) => Err(format!(
            "documented error status {}: {}",
            error.raw().status(),
            shorten(&error.raw().body_text(), 300)
        )),
        Err(error) => Err(error.to_string()),
    }
}

/// One component schema and the round trip through its Rust type.
pub(crate) struct Schema {
    /// The schema's JSON pointer.
    pub(crate) pointer: &'static str,
    /// Decodes an instance into the Rust type and encodes it back.
    pub(crate) round_trip: fn(&Value) -> Result<Value, String>,
}

/// Decodes `value` into `T` and encodes it back to JSON.
pub(crate) fn round_trip<T: DeserializeOwned + serde::Serialize>(
    value: &Value,
) -> Result<Value, String> {
    let decoded: T = serde_path_to_error::deserialize(value)
        .map_err(|error| format!("does not decode at `{}`: {}", error.path(), error.inner()))?;
    serde_json::to_value(&decoded).map_err(|error| format!("does not encode: {error}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(2);
        }
    };
    let result = match args.first().map(String::as_str) {
        Some("conformance") => runtime.block_on(conformance(&args[1..])),
        Some("roundtrip") => roundtrip(&args[1..]),
        _ => Err("usage: harness conformance|roundtrip ...".to_owned()),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The value of `--flag`, which must be given once.
fn flag<'a>(args: &'a [String], name: &str) -> Result<&'a str, String> {
    args.iter()
        .position(|arg| arg == name)
        .and_then(|position| args.get(position + 1))
        .map(String::as_str)
        .ok_or_else(|| format!("`{name}` is required"))
}

fn read_json<T: DeserializeOwned>(path: &str) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))?;
    serde_json::from_str(&text).map_err(|error| format!("{path}: {error}"))
}

fn write_report(path: &str, report: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(report).map_err(|error| error.to_string())?;
    std::fs::write(path, text).map_err(|error| format!("{path}: {error}"))
}

/// `text` cut to about `limit` characters, on one line.
fn shorten(text: &str, limit: usize) -> String {
    let line = text.replace(['\n', '\r'], " ");
    match line.char_indices().nth(limit) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line,
    }
}

/// One mock server to run every operation against.
struct Server {
    label: String,
    url: String,
    /// The `Prefer` header to send, if any.
    prefer: Option<&'static str>,
}

fn servers(args: &[String]) -> Result<Vec<Server>, String> {
    let mut servers = vec![Server {
        label: "static".to_owned(),
        url: flag(args, "--static")?.to_owned(),
        prefer: None,
    }];
    for (position, arg) in args.iter().enumerate() {
        if arg == "--dynamic" {
            let (Some(seed), Some(url)) = (args.get(position + 1), args.get(position + 2)) else {
                return Err("`--dynamic` needs a seed and a URL".to_owned());
            };
            servers.push(Server {
                label: format!("dynamic seed {seed}"),
                url: url.clone(),
                prefer: Some("dynamic=true"),
            });
        }
    }
    Ok(servers)
}

async fn conformance(args: &[String]) -> Result<bool, String> {
    let started = Instant::now();
    let plan: BTreeMap<String, Call> = read_json(flag(args, "--plan")?)?;
    let report_path = flag(args, "--report")?;
    let servers = servers(args)?;
    // Failures by operation key, one entry per server that saw one.
    let mut failures: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    for server in &servers {
        let upstream: SocketAddr = server
            .url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .map_err(|error| format!("`{}` is not http://IP:PORT: {error}", server.url))?;
        let relay = Relay::start(upstream).await?;
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(prefer) = server.prefer {
            headers.insert("prefer", reqwest::header::HeaderValue::from_static(prefer));
        }
        let http = reqwest::Client::builder()
            .no_proxy()
            // One connection per request, so that the relay sees one response per connection.
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(60))
            .default_headers(headers)
            .build()
            .map_err(|error| format!("cannot build the HTTP client: {error}"))?;
        let client = calls::authenticate(client::Client::builder())
            .base_url(relay.url())
            .http_client(http)
            .build()
            .map_err(|error| error.to_string())?;
        for operation in calls::OPERATIONS {
            let message = match plan.get(operation.key) {
                None => Some("the call plan has no entry for it".to_owned()),
                Some(Call {
                    invalid: Some(invalid),
                    ..
                }) => Some(format!(
                    "the sampler found no schema-valid arguments: {invalid}"
                )),
                Some(call) => {
                    relay.take_violations();
                    let result = (operation.call)(&client, call).await;
                    let violations = Violations::parse(&relay.take_violations());
                    match (result, violations.request) {
                        (Err(message), _) => Some(format!("cannot make the arguments: {message}")),
                        (Ok(Ok(())), None) => None,
                        (Ok(Ok(())), Some(request)) => {
                            Some(format!("request violations: {request}"))
                        }
                        (Ok(Err(error)), None) => Some(format!(
                            "{error}{}",
                            violations
                                .response
                                .map(|response| format!(
                                    " (Prism's own response violations: {response})"
                                ))
                                .unwrap_or_default()
                        )),
                        (Ok(Err(error)), Some(request)) => {
                            Some(format!("request violations: {request}; then {error}"))
                        }
                    }
                }
            };
            if let Some(message) = message {
                failures
                    .entry(operation.key)
                    .or_default()
                    .push((server.label.clone(), message));
            }
        }
    }
    let total = calls::OPERATIONS.len();
    let passed = total - failures.len();
    println!(
        "conformance: {passed}/{total} ({} servers: {}; {:.1} s)",
        servers.len(),
        servers
            .iter()
            .map(|server| server.label.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        started.elapsed().as_secs_f64()
    );
    let ids: BTreeMap<&str, &str> = calls::OPERATIONS
        .iter()
        .map(|operation| (operation.key, operation.id))
        .collect();
    for (key, failed) in failures.iter().take(PRINTED_FAILURES) {
        let labels: Vec<&str> = failed.iter().map(|(label, _)| label.as_str()).collect();
        println!(
            "  FAIL {} ({key}) [{}]: {}",
            ids.get(key).copied().unwrap_or_default(),
            labels.join(", "),
            shorten(&failed[0].1, 240)
        );
    }
    if failures.len() > PRINTED_FAILURES {
        println!(
            "  … and {} more in {report_path}",
            failures.len() - PRINTED_FAILURES
        );
    }
    let report = serde_json::json!({
        "passed": passed,
        "total": total,
        "failures": failures
            .iter()
            .map(|(key, failed)| serde_json::json!({
                "operation": ids.get(key).copied().unwrap_or_default(),
                "key": key,
                "servers": failed
                    .iter()
                    .map(|(label, message)| serde_json::json!({"server": label, "message": message}))
                    .collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>(),
    });
    write_report(report_path, &report)?;
    Ok(passed == total)
}

/// The violations Prism reported in `sl-violations` headers, as lines.
///
/// Prism reports both violations of the request and violations of its own mock response; only
/// the request ones are about the client. The response ones explain some decoding failures.
struct Violations {
    request: Option<String>,
    response: Option<String>,
}

impl Violations {
    fn parse(headers: &[String]) -> Self {
        let (mut request, mut response) = (Vec::new(), Vec::new());
        for header in headers {
            let Ok(violations) = serde_json::from_str::<Vec<Value>>(header) else {
                // Prism cuts long headers ("Too many violations! [{…"): keep them as text.
                let text = shorten(header, 300);
                if header.contains("[\"request\"") {
                    request.push(text);
                } else {
                    response.push(text);
                }
                continue;
            };
            for violation in violations {
                let location: Vec<&str> = violation["location"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let line = format!(
                    "{}: {}",
                    location.join("."),
                    violation["message"].as_str().unwrap_or_default()
                );
                if location.first() == Some(&"request") {
                    request.push(line);
                } else {
                    response.push(line);
                }
            }
        }
        let join = |lines: Vec<String>| (!lines.is_empty()).then(|| lines.join("; "));
        Self {
            request: join(request),
            response: join(response),
        }
    }
}

/// A TCP relay between the client and the mock server that records the `sl-violations` header
/// of every response: of every attempt, when the client retries, and of error statuses as well
/// as successes, without changing how the harness calls the operations (plainly awaited).
struct Relay {
    address: SocketAddr,
    violations: Arc<Mutex<Vec<String>>>,
}

impl Relay {
    async fn start(upstream: SocketAddr) -> Result<Self, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|error| format!("cannot listen on 127.0.0.1: {error}"))?;
        let address = listener
            .local_addr()
            .map_err(|error| format!("cannot read the relay's address: {error}"))?;
        let violations = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&violations);
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                tokio::spawn(relay_connection(inbound, upstream, Arc::clone(&seen)));
            }
        });
        Ok(Self {
            address,
            violations,
        })
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The `sl-violations` values recorded since the last call.
    fn take_violations(&self) -> Vec<String> {
        match self.violations.lock() {
            Ok(mut violations) => std::mem::take(&mut *violations),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }
}

/// Copies one connection both ways, recording the response head's `sl-violations` before the
/// client sees the response.
async fn relay_connection(
    inbound: TcpStream,
    upstream: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    let outbound = TcpStream::connect(upstream).await?;
    let (mut from_client, mut to_client) = inbound.into_split();
    let (mut from_server, mut to_server) = outbound.into_split();
    tokio::spawn(async move {
        let _ = tokio::io::copy(&mut from_client, &mut to_server).await;
        let _ = to_server.shutdown().await;
    });
    let mut head = Vec::new();
    let mut buffer = [0_u8; 16 * 1024];
    loop {
        let read = from_server.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..read]);
        if head.windows(4).any(|window| window == b"\r\n\r\n") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let header_block = text.split("\r\n\r\n").next().unwrap_or_default();
    for line in header_block.split("\r\n").skip(1) {
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("sl-violations")
            && let Ok(mut violations) = seen.lock()
        {
            violations.push(value.trim().to_owned());
        }
    }
    to_client.write_all(&head).await?;
    tokio::io::copy(&mut from_server, &mut to_client).await?;
    to_client.shutdown().await
}

/// One schema instance from the instances file.
#[derive(Debug, serde::Deserialize)]
struct Instance {
    source: String,
    value: Option<Value>,
    /// Why the instance is not valid for its schema (the sampler checked it with Ajv).
    invalid: Option<String>,
}

fn roundtrip(args: &[String]) -> Result<bool, String> {
    let started = Instant::now();
    let instances: BTreeMap<String, Vec<Instance>> = read_json(flag(args, "--instances")?)?;
    let report_path = flag(args, "--report")?;
    let mut failures: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    // Instances the sampler could not make valid: listed, and never counted as a pass.
    let mut invalid: Vec<(&str, &str, &str)> = Vec::new();
    let (mut checked, mut instance_failures) = (0_usize, 0_usize);
    // Passing instances that needed the number and date-time rules of `compare`, and those with
    // `null` members that came back absent (and how many such members).
    let (mut equal_by_rules, mut with_absent_nulls, mut absent_nulls) = (0_usize, 0_usize, 0_usize);
    let types: BTreeMap<&str, &Schema> = schemas::SCHEMAS
        .iter()
        .map(|schema| (schema.pointer, schema))
        .collect();
    for (pointer, list) in &instances {
        let Some(schema) = types.get(pointer.as_str()) else {
            failures.entry(pointer.as_str()).or_default().push((
                "-".to_owned(),
                "the client has no type for this schema".to_owned(),
            ));
            continue;
        };
        let mut valid = 0;
        for instance in list {
            let value = match (&instance.value, &instance.invalid) {
                (Some(value), None) => value,
                (_, reason) => {
                    invalid.push((
                        pointer,
                        &instance.source,
                        reason.as_deref().unwrap_or("no value"),
                    ));
                    continue;
                }
            };
            valid += 1;
            checked += 1;
            let problem = match (schema.round_trip)(value) {
                Err(error) => Some(format!(
                    "{error}; instance: {}",
                    shorten(&value.to_string(), 300)
                )),
                Ok(back) => {
                    let mut comparison = Comparison::default();
                    comparison.compare("", value, &back);
                    if comparison.differences.is_empty() {
                        equal_by_rules += usize::from(comparison.by_rules);
                        with_absent_nulls += usize::from(comparison.absent_nulls > 0);
                        absent_nulls += comparison.absent_nulls;
                    }
                    (!comparison.differences.is_empty()).then(|| {
                        format!(
                            "differs after the round trip: {}",
                            comparison.differences.join("; ")
                        )
                    })
                }
            };
            if let Some(problem) = problem {
                instance_failures += 1;
                failures
                    .entry(pointer.as_str())
                    .or_default()
                    .push((instance.source.clone(), problem));
            }
        }
        if valid == 0 {
            failures.entry(pointer.as_str()).or_default().push((
                "-".to_owned(),
                "no schema-valid instance to check (see the invalid instances)".to_owned(),
            ));
        }
    }
    let total = instances.len();
    let passed = total - failures.len();
    println!(
        "roundtrip: {passed}/{total} schemas ({}/{checked} valid instances; of them \
         {equal_by_rules} equal by the number and date-time rules, {with_absent_nulls} with \
         {absent_nulls} null members that came back absent; {} invalid instances not used; \
         {:.1} s)",
        checked - instance_failures,
        invalid.len(),
        started.elapsed().as_secs_f64()
    );
    for (pointer, failed) in failures.iter().take(PRINTED_FAILURES) {
        println!(
            "  FAIL {pointer} [{}]: {}",
            failed
                .iter()
                .map(|(source, _)| source.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            shorten(&failed[0].1, 240)
        );
    }
    if failures.len() > PRINTED_FAILURES {
        println!(
            "  … and {} more in {report_path}",
            failures.len() - PRINTED_FAILURES
        );
    }
    let report = serde_json::json!({
        "passed": passed,
        "total": total,
        "equal_by_number_and_date_time_rules": equal_by_rules,
        "with_absent_nulls": with_absent_nulls,
        "absent_nulls": absent_nulls,
        "failures": failures
            .iter()
            .map(|(pointer, failed)| serde_json::json!({
                "schema": pointer,
                "instances": failed
                    .iter()
                    .map(|(source, message)| serde_json::json!({"source": source, "message": message}))
                    .collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>(),
        "invalid_instances": invalid
            .iter()
            .map(|(pointer, source, reason)| serde_json::json!({
                "schema": pointer, "source": source, "reason": reason,
            }))
            .collect::<Vec<_>>(),
    });
    write_report(report_path, &report)?;
    Ok(passed == total)
}

/// The differences between an instance and its round trip, by JSON path, and which of the rules
/// that make values equal were needed.
///
/// Two rules make values equal that JSON text tells apart: numbers compare by value (`1` equals
/// `1.0`), and strings that are both RFC 3339 date-times compare as instants (`Z` equals
/// `+00:00`, `.000` equals no fraction); `by_rules` tells whether either was needed.
///
/// A third rule accepts a member that was `null` and comes back absent, and counts it in
/// `absent_nulls`. By design, an optional nullable property of a type that only servers send is
/// a plain `Option<T>`, for which absent and `null` mean the same; serde leaves a member out only
/// for an `Option` field that is `None` (a required nullable field is always written, and the
/// tri-state `Nullable<T>` of the types callers send writes `Null` as `null`), so a `null` that
/// comes back absent is exactly that equivalence. Everything else is a difference: a member that
/// was not `null` and is dropped, a member that is added, a changed value, and a `null` that
/// comes back as something else.
#[derive(Debug, Default)]
struct Comparison {
    differences: Vec<String>,
    by_rules: bool,
    absent_nulls: usize,
}

impl Comparison {
    fn compare(&mut self, path: &str, original: &Value, back: &Value) {
        let at = if path.is_empty() { "." } else { path };
        match (original, back) {
            (Value::Object(original), Value::Object(back)) => {
                for (key, value) in original {
                    let child = format!("{path}.{key}");
                    match back.get(key) {
                        Some(returned) => self.compare(&child, value, returned),
                        None if value.is_null() => self.absent_nulls += 1,
                        None => self.differences.push(format!("{child}: dropped")),
                    }
                }
                for key in back.keys().filter(|key| !original.contains_key(*key)) {
                    self.differences.push(format!(
                        "{path}.{key}: added ({})",
                        shorten(&back[key].to_string(), 60)
                    ));
                }
            }
            (Value::Array(original), Value::Array(back)) if original.len() == back.len() => {
                for (index, (value, returned)) in original.iter().zip(back).enumerate() {
                    self.compare(&format!("{path}[{index}]"), value, returned);
                }
            }
            (original, back) if original == back => {}
            (Value::Number(original), Value::Number(back)) if same_number(original, back) => {
                self.by_rules = true;
            }
            (Value::String(original), Value::String(back)) if same_text(original, back) => {
                self.by_rules = true;
            }
            (original, back) => self.differences.push(format!(
                "{at}: {} became {}",
                shorten(&original.to_string(), 60),
                shorten(&back.to_string(), 60)
            )),
        }
    }
}

fn same_number(original: &serde_json::Number, back: &serde_json::Number) -> bool {
    match (original.as_i64(), back.as_i64()) {
        (Some(original), Some(back)) => original == back,
        _ => match (original.as_u64(), back.as_u64()) {
            (Some(original), Some(back)) => original == back,
            _ => original.as_f64() == back.as_f64(),
        },
    }
}

fn same_text(original: &str, back: &str) -> bool {
    original == back
        || matches!(
            (
                chrono::DateTime::parse_from_rfc3339(original),
                chrono::DateTime::parse_from_rfc3339(back),
            ),
            (Ok(original), Ok(back)) if original == back
        )
}
