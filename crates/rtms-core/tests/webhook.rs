//! The webhook receiver over real sockets on 127.0.0.1, with a tiny hyper HTTP/1 client.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use rtms_core::signature::{url_validation_token, webhook_signature};
use rtms_core::webhook::{self, Handler, Receiver, ReceiverConfig, WebhookEvent};
use rtms_core::{ErrorKind, Product};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SECRET: &str = "ZOOM_WEBHOOK_SECRET_TOKEN";
const VECTOR6_BODY: &str = r#"{"event":"meeting.rtms_started","event_ts":1732000000000,"payload":{"meeting_uuid":"4S8fdu9eRxOFRhCuSBkH7w==","operator_id":"op-1","rtms_stream_id":"rtms_stream_abc","server_urls":"wss://127.0.0.1:9001"}}"#;
const VECTOR6_SIG: &str = "v0=18e9eba8aaa9b979ea8f68c13cb898c3bcf2b4f96bd45d50a2a23002283cc01f";

struct Reply {
    status: u16,
    headers: http::HeaderMap,
    body: Bytes,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
}

/// One request on a fresh HTTP/1 connection.
async fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, String)], body: impl Into<Bytes>) -> Reply {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut builder = http::Request::builder().method(method).uri(path).header("host", addr.to_string());
    for (name, value) in headers {
        builder = builder.header(*name, value.as_str());
    }
    let response = sender.send_request(builder.body(Full::new(body.into())).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, body }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Signed headers for `body` at timestamp `ts`.
fn signed(body: &str, ts: u64) -> Vec<(&'static str, String)> {
    let ts = ts.to_string();
    vec![
        ("content-type", "application/json".into()),
        ("x-zm-signature", webhook_signature(SECRET, &ts, body.as_bytes())),
        ("x-zm-request-timestamp", ts),
    ]
}

fn config(secret: Option<&str>) -> ReceiverConfig {
    ReceiverConfig { port: 0, path: "/zoom".into(), webhook_secret: secret.map(str::to_owned), ..ReceiverConfig::default() }
}

type Seen = Arc<Mutex<Vec<WebhookEvent>>>;

async fn start_simple(config: ReceiverConfig) -> (Receiver, Seen) {
    let seen: Seen = Arc::default();
    let sink = seen.clone();
    let receiver = Receiver::start(config, Handler::simple(move |e| sink.lock().unwrap().push(e))).await.unwrap();
    (receiver, seen)
}

#[test]
fn vectors_5_and_6() {
    assert_eq!(url_validation_token(SECRET, "qgg8vlvZRS6UYooatFL8Aw"), "86b96838c461c5cafc27d6631f663bbfd12746efb4293fc18dce8af8f1aaad30");
    let mut headers = http::HeaderMap::new();
    headers.insert("x-zm-signature", VECTOR6_SIG.parse().unwrap());
    headers.insert("x-zm-request-timestamp", "1732000000".parse().unwrap());
    let skew = Duration::from_secs(300);
    webhook::verify_request(SECRET, &headers, VECTOR6_BODY.as_bytes(), 1_732_000_010, skew).unwrap();
    let stale = webhook::verify_request(SECRET, &headers, VECTOR6_BODY.as_bytes(), 1_732_000_000 + 301, skew).unwrap_err();
    assert_eq!(stale.kind(), ErrorKind::WebhookRejected);
    let event = webhook::parse_event(VECTOR6_BODY.as_bytes()).unwrap();
    let stream = event.join_params().unwrap();
    assert_eq!(stream.product, Product::Meeting);
    assert_eq!(stream.instance_id, "4S8fdu9eRxOFRhCuSBkH7w==");
    assert_eq!(stream.rtms_stream_id, "rtms_stream_abc");
    assert_eq!(stream.server_urls, "wss://127.0.0.1:9001");
}

#[tokio::test]
async fn url_validation_is_answered_with_vector_5() {
    let (receiver, seen) = start_simple(config(Some(SECRET))).await;
    let body = r#"{"event":"endpoint.url_validation","event_ts":1732000000000,"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"}}"#;
    let reply = request(receiver.local_addr(), "POST", "/zoom", &[], body).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.headers["content-type"], "application/json");
    assert_eq!(
        reply.body,
        r#"{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"86b96838c461c5cafc27d6631f663bbfd12746efb4293fc18dce8af8f1aaad30"}"#
    );
    // Signed validation requests are answered too; badly signed ones are refused.
    let reply = request(receiver.local_addr(), "POST", "/zoom", &signed(body, now()), body).await;
    assert_eq!(reply.status, 200);
    let mut bad = signed(body, now());
    bad[1].1 = VECTOR6_SIG.into();
    assert_eq!(request(receiver.local_addr(), "POST", "/zoom", &bad, body).await.status, 401);
    // A token shaped like a signed message would make us a signing oracle.
    let oracle = json!({"event": "endpoint.url_validation", "payload": {"plainToken": format!("v0:{}:{{}}", now())}}).to_string();
    assert_eq!(request(receiver.local_addr(), "POST", "/zoom", &[], oracle).await.status, 400);
    assert!(seen.lock().unwrap().is_empty(), "url_validation never reaches the handler");
    receiver.shutdown().await;
}

#[tokio::test]
async fn url_validation_without_secret_is_a_400() {
    let (receiver, _) = start_simple(config(None)).await;
    let body = r#"{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}"#;
    let reply = request(receiver.local_addr(), "POST", "/zoom", &[], body).await;
    assert_eq!(reply.status, 400);
    assert!(reply.json()["error"].as_str().unwrap().contains("ZM_RTMS_WEBHOOK_SECRET"));
    receiver.shutdown().await;
}

#[tokio::test]
async fn signed_events_reach_the_handler_normalised() {
    let (receiver, seen) = start_simple(config(Some(SECRET))).await;
    assert_eq!(receiver.url(), format!("http://{}/zoom", receiver.local_addr()));
    let flat = json!({"event": "meeting.rtms_started", "event_ts": 1, "payload": {
        "meeting_uuid": "m==", "rtms_stream_id": "s1", "server_urls": "wss://a"}})
    .to_string();
    let nested = json!({"event": "session.rtms_stopped", "payload": {"account_id": "acc", "object": {
        "session_id": "x==", "rtms_stream_id": "s2", "stop_reason": 6}}})
    .to_string();
    for body in [&flat, &nested] {
        let reply = request(receiver.local_addr(), "POST", "/zoom", &signed(body, now()), body.clone()).await;
        assert_eq!((reply.status, reply.json()), (200, json!({"status": "ok"})));
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].is_rtms_started());
    let s = seen[0].join_params().unwrap();
    assert_eq!(
        (s.product, s.instance_id.as_str(), s.rtms_stream_id.as_str(), s.server_urls.as_str()),
        (Product::Meeting, "m==", "s1", "wss://a")
    );
    assert!(seen[1].is_rtms_stopped());
    assert_eq!(seen[1].payload, json!({"account_id": "acc", "session_id": "x==", "rtms_stream_id": "s2", "stop_reason": 6}));
    let s = seen[1].join_params().unwrap();
    assert_eq!((s.product, s.instance_id.as_str(), s.stop_reason), (Product::Session, "x==", Some(6)));
    receiver.shutdown().await;
}

#[tokio::test]
async fn bad_or_stale_signatures_are_401() {
    let (receiver, seen) = start_simple(config(Some(SECRET))).await;
    let addr = receiver.local_addr();
    // Vector 6's signature is genuine but its timestamp is long stale.
    let vector6 = [("x-zm-signature", VECTOR6_SIG.to_string()), ("x-zm-request-timestamp", "1732000000".to_string())];
    let reply = request(addr, "POST", "/zoom", &vector6, VECTOR6_BODY).await;
    assert_eq!(reply.status, 401);
    assert!(reply.json()["error"].as_str().unwrap().contains("stale"), "{:?}", reply.body);

    let stale = signed(VECTOR6_BODY, now() - 3600);
    assert_eq!(request(addr, "POST", "/zoom", &stale, VECTOR6_BODY).await.status, 401);

    let mut tampered = signed(VECTOR6_BODY, now());
    tampered[1].1 = webhook_signature("wrong secret", &tampered[2].1, VECTOR6_BODY.as_bytes());
    let reply = request(addr, "POST", "/zoom", &tampered, VECTOR6_BODY).await;
    assert_eq!(reply.status, 401);
    let error = reply.json()["error"].as_str().unwrap().to_owned();
    assert!(error.contains("does not match") && !error.contains(&tampered[1].1), "{error}");

    let reply = request(addr, "POST", "/zoom", &[], VECTOR6_BODY).await;
    assert_eq!(reply.status, 401);
    assert!(reply.json()["error"].as_str().unwrap().contains("missing x-zm-signature"));

    assert!(seen.lock().unwrap().is_empty(), "rejected webhooks must not reach the handler");
    receiver.shutdown().await;
}

#[tokio::test]
async fn without_a_secret_events_are_accepted_unverified() {
    let (receiver, seen) = start_simple(config(None)).await;
    let reply = request(receiver.local_addr(), "POST", "/zoom", &[], VECTOR6_BODY).await;
    assert_eq!(reply.status, 200);
    assert_eq!(seen.lock().unwrap().len(), 1);
    receiver.shutdown().await;
}

#[tokio::test]
async fn bad_requests() {
    let mut cfg = config(Some(SECRET));
    cfg.max_body = 1024;
    let (receiver, seen) = start_simple(cfg).await;
    let addr = receiver.local_addr();

    let reply = request(addr, "POST", "/zoom", &[], "not json").await;
    assert_eq!(reply.status, 400);
    assert!(reply.json()["error"].as_str().unwrap().contains("JSON"));

    let no_event = r#"{"payload":{}}"#;
    let reply = request(addr, "POST", "/zoom", &signed(no_event, now()), no_event).await;
    assert_eq!(reply.status, 400);
    assert!(reply.json()["error"].as_str().unwrap().contains("event"));

    let big = format!(r#"{{"event":"x","payload":{{"pad":"{}"}}}}"#, "a".repeat(4096));
    let reply = request(addr, "POST", "/zoom", &signed(&big, now()), big.clone()).await;
    assert_eq!(reply.status, 413);
    assert!(reply.json()["error"].is_string());

    // Without Content-Length (chunked) the limit applies while reading.
    let mut raw = TcpStream::connect(addr).await.unwrap();
    let chunk = "a".repeat(2000);
    let head = "POST /zoom HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n";
    raw.write_all(format!("{head}{:x}\r\n{chunk}\r\n0\r\n\r\n", chunk.len()).as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), raw.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    let reply = request(addr, "POST", "/elsewhere", &signed(VECTOR6_BODY, now()), VECTOR6_BODY).await;
    assert_eq!(reply.status, 404);
    assert!(reply.json()["error"].is_string());

    let reply = request(addr, "GET", "/zoom", &[], Bytes::new()).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.headers["allow"], "POST");
    assert!(reply.json()["error"].is_string());

    assert!(seen.lock().unwrap().is_empty());
    // Still serving after all that.
    assert_eq!(request(addr, "POST", "/zoom", &signed(VECTOR6_BODY, now()), VECTOR6_BODY).await.status, 200);
    receiver.shutdown().await;
}

#[tokio::test]
async fn advanced_handler_owns_the_response() {
    let handler = Handler::advanced(|event, req, res| {
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/zoom");
        assert_eq!(req.query.as_deref(), Some("a=1"));
        assert_eq!(req.headers["x-custom"], "yes");
        match event.event.as_str() {
            // Answer from a task, later.
            "meeting.rtms_started" => {
                assert_eq!(req.raw_body, VECTOR6_BODY.as_bytes());
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    res.status(202).header("x-answered-by", "task").json(&json!({"joined": event.join_params().unwrap().rtms_stream_id}));
                });
            }
            // Never answer: the receiver answers 200 itself.
            _ => drop(res),
        }
    });
    let receiver = Receiver::start(config(Some(SECRET)), handler).await.unwrap();
    let mut headers = signed(VECTOR6_BODY, now());
    headers.push(("x-custom", "yes".into()));
    let reply = request(receiver.local_addr(), "POST", "/zoom?a=1", &headers, VECTOR6_BODY).await;
    assert_eq!(reply.status, 202);
    assert_eq!(reply.headers["x-answered-by"], "task");
    assert_eq!(reply.json(), json!({"joined": "rtms_stream_abc"}));

    let other = r#"{"event":"meeting.rtms_interrupted","payload":{}}"#;
    let mut headers = signed(other, now());
    headers.push(("x-custom", "yes".into()));
    let reply = request(receiver.local_addr(), "POST", "/zoom?a=1", &headers, other).await;
    assert_eq!((reply.status, reply.json()), (200, json!({"status": "ok"})));
    receiver.shutdown().await;
}

#[tokio::test]
async fn advanced_handler_text_and_timeout() {
    let handler = Handler::advanced(|event, _req, res| {
        if event.event == "slow" {
            // Keep the responder alive past the timeout.
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_secs(5)).await;
                res.send("too late");
            });
        } else {
            res.status(418).send("short and stout");
        }
    });
    let mut cfg = config(None);
    cfg.response_timeout = Duration::from_millis(200);
    let receiver = Receiver::start(cfg, handler).await.unwrap();
    let reply = request(receiver.local_addr(), "POST", "/zoom", &[], r#"{"event":"teapot"}"#).await;
    assert_eq!((reply.status, &reply.body[..]), (418, &b"short and stout"[..]));
    assert_eq!(reply.headers["content-type"], "text/plain; charset=utf-8");
    let reply = request(receiver.local_addr(), "POST", "/zoom", &[], r#"{"event":"slow"}"#).await;
    assert_eq!((reply.status, reply.json()), (200, json!({"status": "ok"})));
    receiver.shutdown().await;
}

#[tokio::test]
async fn handler_panic_is_a_500_and_the_server_survives() {
    let calls = Arc::new(Mutex::new(0));
    let count = calls.clone();
    let handler = Handler::simple(move |event| {
        *count.lock().unwrap() += 1;
        if event.event == "boom" {
            panic!("handler exploded");
        }
    });
    let receiver = Receiver::start(config(None), handler).await.unwrap();
    let reply = request(receiver.local_addr(), "POST", "/zoom", &[], r#"{"event":"boom"}"#).await;
    assert_eq!(reply.status, 500);
    assert!(reply.json()["error"].as_str().unwrap().contains("panicked"));
    let reply = request(receiver.local_addr(), "POST", "/zoom", &[], VECTOR6_BODY).await;
    assert_eq!(reply.status, 200);
    assert_eq!(*calls.lock().unwrap(), 2);

    // The advanced form too.
    receiver.shutdown().await;
    let receiver = Receiver::start(config(None), Handler::advanced(|_, _, _| panic!("advanced exploded"))).await.unwrap();
    assert_eq!(request(receiver.local_addr(), "POST", "/zoom", &[], VECTOR6_BODY).await.status, 500);
    assert_eq!(request(receiver.local_addr(), "POST", "/zoom", &[], VECTOR6_BODY).await.status, 500);
    receiver.shutdown().await;
}

#[tokio::test]
async fn port_in_use_and_shutdown_releases_it() {
    let (first, _) = start_simple(config(None)).await;
    let port = first.local_addr().port();
    // A keep-alive connection left open must not hold shutdown up.
    let stream = TcpStream::connect(first.local_addr()).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.unwrap();
    let conn = tokio::spawn(conn);
    let req = http::Request::post("/zoom").header("host", "x").body(Full::new(Bytes::from_static(VECTOR6_BODY.as_bytes()))).unwrap();
    assert_eq!(sender.send_request(req).await.unwrap().status(), 200);

    let busy = Receiver::start(ReceiverConfig { port, ..config(None) }, Handler::simple(|_| {})).await.unwrap_err();
    assert_eq!(busy.kind(), ErrorKind::Io);
    assert!(busy.to_string().contains(&port.to_string()) && busy.to_string().contains("ZM_RTMS_PORT"), "{busy}");

    tokio::time::timeout(Duration::from_secs(5), first.shutdown()).await.expect("shutdown is prompt");
    // The server closed the idle connection.
    tokio::time::timeout(Duration::from_secs(5), conn).await.expect("connection closed").unwrap().unwrap();
    let again = Receiver::start(ReceiverConfig { port, ..config(None) }, Handler::simple(|_| {})).await.unwrap();
    assert_eq!(again.local_addr().port(), port);
    assert_eq!(request(again.local_addr(), "POST", "/zoom", &[], VECTOR6_BODY).await.status, 200);
    again.shutdown().await;
}
