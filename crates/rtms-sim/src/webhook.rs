//! Zoom-style webhooks: `*.rtms_started` / `*.rtms_stopped` POSTs signed with
//! `x-zm-signature`, retried with backoff until a 2xx, and `endpoint.url_validation`.

use std::time::Duration;

use bytes::Bytes;
use http::{header, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use rand::Rng;
use rtms_core::signature::{url_validation_token, webhook_signature};
use serde_json::{json, Value};
use tokio::net::TcpStream;

use crate::error::SimError;
use crate::meeting::MeetingInfo;
use crate::summary::WebhookRecord;
use crate::util::unix_ms;

/// Time allowed for one request, connect to last body byte.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// Where and how webhooks are delivered.
#[derive(Debug, Clone)]
pub struct Webhook {
    url: String,
    secret: Option<String>,
    attempts: u32,
}

/// One HTTP answer.
#[derive(Debug, Clone)]
pub struct WebhookResponse {
    pub status: u16,
    pub body: Bytes,
}

impl Webhook {
    /// A webhook target; `secret` signs the requests (unsigned without it).
    pub fn new(url: &str, secret: Option<&str>, attempts: u32) -> Webhook {
        Webhook { url: url.to_owned(), secret: secret.map(str::to_owned), attempts: attempts.max(1) }
    }

    /// The `*.rtms_started` envelope for a meeting (fields read directly from `payload`).
    pub fn started_body(&self, m: &MeetingInfo, operator_id: &str) -> Value {
        json!({
            "event": format!("{}started", m.product.webhook_prefix()),
            "event_ts": unix_ms(),
            "payload": payload(m, operator_id),
        })
    }

    /// The `*.rtms_stopped` envelope, with `stop_reason`.
    pub fn stopped_body(&self, m: &MeetingInfo, operator_id: &str, stop_reason: i32) -> Value {
        let mut p = payload(m, operator_id);
        p["stop_reason"] = json!(stop_reason);
        json!({
            "event": format!("{}stopped", m.product.webhook_prefix()),
            "event_ts": unix_ms(),
            "payload": p,
        })
    }

    /// POSTs `body`, retrying with backoff (100 ms, 200 ms, ...) until a 2xx.
    pub async fn post(&self, body: &Value) -> WebhookRecord {
        let event = body.get("event").and_then(Value::as_str).unwrap_or("").to_owned();
        let raw = body.to_string().into_bytes();
        let mut record = WebhookRecord { event, attempts: 0, status: None, error: None };
        for attempt in 0..self.attempts {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(100 << (attempt - 1).min(6))).await;
            }
            record.attempts += 1;
            match self.send(raw.clone()).await {
                Ok(resp) => {
                    record.status = Some(resp.status);
                    record.error = None;
                    if (200..300).contains(&resp.status) {
                        tracing::info!(event = %record.event, status = resp.status, "webhook delivered");
                        return record;
                    }
                    tracing::warn!(event = %record.event, status = resp.status, attempt = record.attempts, "webhook answered with an error");
                }
                Err(e) => {
                    tracing::warn!(event = %record.event, error = %e, attempt = record.attempts, "webhook failed");
                    record.error = Some(e.to_string());
                }
            }
        }
        record
    }

    /// One signed POST of a raw body.
    pub async fn send(&self, body: Vec<u8>) -> Result<WebhookResponse, SimError> {
        let ts = (unix_ms() / 1000).to_string();
        let mut headers = vec![(header::CONTENT_TYPE.as_str(), "application/json; charset=utf-8".to_owned())];
        headers.push(("user-agent", "Zoom Marketplace/1.0a (rtms-sim)".to_owned()));
        if let Some(secret) = &self.secret {
            headers.push(("x-zm-request-timestamp", ts.clone()));
            headers.push(("x-zm-signature", webhook_signature(secret, &ts, &body)));
        }
        tokio::time::timeout(REQUEST_TIMEOUT, post_raw(&self.url, &headers, body))
            .await
            .map_err(|_| SimError::Webhook(format!("{}: timed out", self.url)))?
    }

    /// Sends `endpoint.url_validation` and checks the answer: HTTP 200 with the same
    /// `plainToken` and `encryptedToken = hex(HMAC-SHA256(secret, plainToken))`.
    pub async fn validate_url(&self) -> Result<(), SimError> {
        let secret = self.secret.as_deref().ok_or_else(|| SimError::Webhook("URL validation needs a webhook secret".into()))?;
        let plain: String = rand::rng().sample_iter(rand::distr::Alphanumeric).take(22).map(char::from).collect();
        let body = json!({"event": "endpoint.url_validation", "event_ts": unix_ms(), "payload": {"plainToken": plain}});
        let resp = self.send(body.to_string().into_bytes()).await?;
        if resp.status != 200 {
            return Err(SimError::Webhook(format!("URL validation answered HTTP {}", resp.status)));
        }
        let answer: Value =
            serde_json::from_slice(&resp.body).map_err(|e| SimError::Webhook(format!("URL validation answer is not JSON: {e}")))?;
        if answer.get("plainToken").and_then(Value::as_str) != Some(plain.as_str()) {
            return Err(SimError::Webhook("URL validation answer does not echo plainToken".into()));
        }
        let expected = url_validation_token(secret, &plain);
        if answer.get("encryptedToken").and_then(Value::as_str) != Some(expected.as_str()) {
            return Err(SimError::Webhook("URL validation answer has a wrong encryptedToken".into()));
        }
        Ok(())
    }
}

/// Sends `endpoint.url_validation` to `url` and checks the answer (see
/// [`Webhook::validate_url`]).
pub async fn validate_url(url: &str, secret: &str) -> Result<(), SimError> {
    Webhook::new(url, Some(secret), 1).validate_url().await
}

fn payload(m: &MeetingInfo, operator_id: &str) -> Value {
    let mut p = json!({
        "rtms_stream_id": m.rtms_stream_id,
        "server_urls": m.server_urls,
        "operator_id": operator_id,
        "account_id": "sim-account",
    });
    p[m.product.id_key()] = json!(m.meeting_uuid);
    p
}

async fn post_raw(url: &str, headers: &[(&str, String)], body: Vec<u8>) -> Result<WebhookResponse, SimError> {
    let err = |what: &str, e: &dyn std::fmt::Display| SimError::Webhook(format!("{url}: {what}: {e}"));
    let uri: Uri = url.parse().map_err(|e| err("bad URL", &e))?;
    if uri.scheme_str() != Some("http") {
        return Err(SimError::Webhook(format!("{url}: only http:// webhooks are supported")));
    }
    let host = uri.host().ok_or_else(|| SimError::Webhook(format!("{url}: no host")))?.trim_matches(|c| c == '[' || c == ']').to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let tcp = TcpStream::connect((host.as_str(), port)).await.map_err(|e| err("connect", &e))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp)).await.map_err(|e| err("handshake", &e))?;
    let mut req = Request::post(uri.path_and_query().map_or("/", |p| p.as_str())).header(header::HOST, format!("{host}:{port}"));
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let req = req.body(Full::new(Bytes::from(body))).map_err(|e| err("request", &e))?;
    let exchange = async move {
        let resp = sender.send_request(req).await.map_err(|e| err("send", &e))?;
        let status = resp.status().as_u16();
        let body = resp.into_body().collect().await.map_err(|e| err("body", &e))?.to_bytes();
        Ok(WebhookResponse { status, body })
    };
    // The connection future ends once the exchange is done and its sender dropped.
    let (result, _) = tokio::join!(exchange, conn);
    result
}
