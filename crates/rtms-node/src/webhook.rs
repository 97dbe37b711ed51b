//! Webhooks: the accept/verify decision for the JS HTTP server (`onWebhookEvent`,
//! `createWebhookHandler`) comes from the core ([`rtms_core::webhook::answer`]), so every
//! language answers `endpoint.url_validation` and bad signatures the same way.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use rtms_core::webhook::{answer, Answer};

/// How to answer one webhook request.
#[napi(object)]
pub struct WebhookAnswer {
    /// True: hand the event to the application (then answer 200 `{"status":"ok"}` unless the
    /// application answers itself). False: answer with `status` and `body` now.
    pub deliver: bool,
    pub status: u16,
    /// JSON body to send when not delivering.
    pub body: String,
    /// The event name (`meeting.rtms_started`...), when the body was a webhook.
    pub event: Option<String>,
}

/// Decides how to answer a webhook POST from its raw body and headers (lower-case names).
/// With a `secret`, `x-zm-signature` is verified over the raw body (within `maxSkewSecs`,
/// default 300) and `endpoint.url_validation` is answered; without one, events are delivered
/// unverified and URL validation is refused.
#[napi]
pub fn webhook_answer(secret: Option<String>, headers: HashMap<String, String>, body: Buffer, max_skew_secs: Option<u32>) -> WebhookAnswer {
    let mut map = http::HeaderMap::new();
    for (k, v) in &headers {
        if let (Ok(name), Ok(value)) = (http::HeaderName::from_bytes(k.as_bytes()), http::HeaderValue::from_str(v)) {
            map.append(name, value);
        }
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let skew = Duration::from_secs(u64::from(max_skew_secs.unwrap_or(300)));
    match answer(secret.as_deref().filter(|s| !s.is_empty()), &map, &body, now, skew) {
        Answer::Respond { status, body } => WebhookAnswer { deliver: false, status, body, event: None },
        Answer::Deliver(event) => {
            WebhookAnswer { deliver: true, status: 200, body: r#"{"status":"ok"}"#.to_owned(), event: Some(event.event) }
        }
    }
}

/// The `x-zm-signature` value Zoom would send for `body` at `timestamp` (for tests and
/// forwarding proxies).
#[napi]
pub fn webhook_signature(secret: String, timestamp: String, body: Buffer) -> String {
    rtms_core::signature::webhook_signature(&secret, &timestamp, &body)
}

/// Checks a webhook's `x-zm-signature` over the raw body (constant time).
#[napi]
pub fn verify_webhook_signature(secret: String, timestamp: String, body: Buffer, signature: String) -> bool {
    rtms_core::signature::verify_webhook_signature(&secret, &timestamp, &body, &signature)
}
