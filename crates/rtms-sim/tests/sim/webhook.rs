use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rtms_core::signature::{url_validation_token, verify_webhook_signature};
use rtms_sim::{Product, Scenario, Sim};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::common::*;

const SECRET: &str = "ZOOM_WEBHOOK_SECRET_TOKEN";

#[derive(Debug, Clone)]
struct Seen {
    body: Value,
    verified: bool,
    timestamp: String,
}

/// A tiny webhook receiver: verifies signatures, answers URL validation, fails the first
/// `fail_first` requests with 500.
async fn receiver(fail_first: usize, honest: bool) -> (String, Arc<Mutex<Vec<Seen>>>, JoinSet<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = JoinSet::new();
    let log = seen.clone();
    tasks.spawn(async move {
        let mut conns = JoinSet::new();
        let count = Arc::new(Mutex::new(0usize));
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            let (log, count) = (log.clone(), count.clone());
            conns.spawn(async move {
                let svc = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let (log, count) = (log.clone(), count.clone());
                    async move {
                        let ts = req.headers().get("x-zm-request-timestamp").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
                        let sig = req.headers().get("x-zm-signature").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
                        let raw = req.into_body().collect().await.unwrap().to_bytes();
                        let body: Value = serde_json::from_slice(&raw).unwrap();
                        let verified = verify_webhook_signature(SECRET, &ts, &raw, &sig);
                        let n = {
                            let mut c = count.lock().unwrap();
                            *c += 1;
                            *c
                        };
                        log.lock().unwrap().push(Seen { body: body.clone(), verified, timestamp: ts });
                        let (status, answer) = if n <= fail_first {
                            (500, json!({}))
                        } else if body["event"] == "endpoint.url_validation" {
                            let plain = body["payload"]["plainToken"].as_str().unwrap();
                            let token = if honest { url_validation_token(SECRET, plain) } else { "0".repeat(64) };
                            (200, json!({"plainToken": plain, "encryptedToken": token}))
                        } else {
                            (200, json!({}))
                        };
                        let resp = hyper::Response::builder().status(status).body(Full::new(Bytes::from(answer.to_string()))).unwrap();
                        Ok::<_, Infallible>(resp)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(tcp), svc).await;
            });
        }
    });
    (url, seen, tasks)
}

#[tokio::test]
async fn started_and_stopped_webhooks_are_signed_and_retried() {
    let (url, seen, _server) = receiver(1, true).await;
    let mut cfg = config(short(300));
    cfg.webhook_url = Some(url);
    cfg.webhook_secret = Some(SECRET.into());
    cfg.validate_webhook = true;
    let sim = Sim::start(cfg).await.unwrap();
    let m = sim.meetings()[0].clone();
    // The receiver fails the first request (URL validation, a single attempt, so only a
    // warning); rtms_started then goes through.
    let started = loop {
        if let Some(s) = seen.lock().unwrap().iter().find(|s| s.body["event"] == "meeting.rtms_started").cloned() {
            break s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(started.verified, "x-zm-signature verifies");
    let now = rtms_sim_now_secs();
    let ts: u64 = started.timestamp.parse().unwrap();
    assert!(ts.abs_diff(now) < 10, "timestamp is Unix seconds");
    let p = &started.body["payload"];
    assert_eq!(p["meeting_uuid"], m.meeting_uuid);
    assert_eq!(p["rtms_stream_id"], m.rtms_stream_id);
    assert_eq!(p["server_urls"], m.server_urls);
    assert!(p["operator_id"].is_string() && started.body["event_ts"].is_u64());

    // A client joins using what the webhook said.
    let j = join(&sim, 0, &[], &[]).await;
    drain_all(j).await;
    let s = sim.wait().await;
    let events: Vec<String> = seen.lock().unwrap().iter().map(|s| s.body["event"].as_str().unwrap().to_owned()).collect();
    assert_eq!(events, vec!["endpoint.url_validation", "meeting.rtms_started", "meeting.rtms_stopped"]);
    let stopped = seen.lock().unwrap().last().cloned().unwrap();
    assert!(stopped.verified);
    assert_eq!(stopped.body["payload"]["stop_reason"], 6);
    let hooks = &s.meetings[0].webhooks;
    assert_eq!(hooks.len(), 2);
    assert!(hooks.iter().all(|h| h.status == Some(200)));
    sim.shutdown().await;
}

#[tokio::test]
async fn retries_until_2xx_and_product_variants() {
    let (url, seen, _server) = receiver(2, true).await;
    let mut scenario = short(300);
    scenario.meeting.product = Product::Zcc;
    let mut cfg = config(scenario);
    cfg.webhook_url = Some(url);
    cfg.webhook_secret = Some(SECRET.into());
    let sim = Sim::start(cfg).await.unwrap();
    while sim.summary().meetings[0].webhooks.is_empty() {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    sim.faults().end_meeting(21);
    let s = sim.wait().await;
    let hooks = &s.meetings[0].webhooks;
    let started = hooks.iter().find(|h| h.event == "contact_center.voice_rtms_started").unwrap();
    assert_eq!((started.attempts, started.status), (3, Some(200)));
    let bodies: Vec<Value> = seen.lock().unwrap().iter().map(|s| s.body.clone()).collect();
    let stopped = bodies.iter().find(|b| b["event"] == "contact_center.voice_rtms_stopped").unwrap();
    assert_eq!(stopped["payload"]["engagement_id"], s.meetings[0].meeting_uuid);
    assert_eq!(stopped["payload"]["stop_reason"], 21);
    sim.shutdown().await;
}

#[tokio::test]
async fn url_validation_checks_the_answer() {
    let (good, _, _a) = receiver(0, true).await;
    rtms_sim::validate_url(&good, SECRET).await.unwrap();
    let (bad, _, _b) = receiver(0, false).await;
    let err = rtms_sim::validate_url(&bad, SECRET).await.unwrap_err();
    assert!(err.to_string().contains("encryptedToken"), "{err}");
    assert!(rtms_sim::validate_url("http://127.0.0.1:1/", SECRET).await.is_err());
    let _ = Scenario::builtin("minimal").unwrap();
}

fn rtms_sim_now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}
