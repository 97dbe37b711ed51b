//! How one webhook request is answered, decided without I/O: parse, answer
//! `endpoint.url_validation`, verify the signature. [`super::Receiver`] uses it, and so do
//! bindings that bring their own HTTP server (Go's `http.Handler`), so every language answers
//! the same way.

use std::time::Duration;

use http::HeaderMap;
use serde_json::{json, Value};

use super::{parse_event, verify_request, WebhookEvent, SIGNATURE_HEADER, URL_VALIDATION_EVENT};
use crate::signature::url_validation_token;

/// The outcome of [`answer`].
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Answer with this HTTP status and JSON body; nothing to hand to the application (URL
    /// validation answered, or the request refused).
    Respond {
        /// HTTP status (200, 400, 401).
        status: u16,
        /// The JSON body, ready to send.
        body: String,
    },
    /// A verified (or, without a secret, accepted) event for the application; answer
    /// `200 {"status":"ok"}` once it is handled.
    Deliver(WebhookEvent),
}

fn refuse(status: u16, message: &str) -> Answer {
    Answer::Respond { status, body: json!({ "error": message }).to_string() }
}

/// Decides how to answer a webhook POST with raw `body` and `headers`.
///
/// - a body that is not a webhook → 400;
/// - `endpoint.url_validation`: needs `secret` (else 400), verifies the signature when one is
///   present (else 401), refuses a `plainToken` that could forge signatures (400), and answers
///   `{"plainToken":…,"encryptedToken":…}`;
/// - any other event, with a `secret`: verified over the raw body within `max_skew` of
///   `now_unix_s` (else 401), then delivered; without a secret: delivered unverified.
///
/// Errors are JSON `{"error":"..."}`; the signature is never echoed.
pub fn answer(secret: Option<&str>, headers: &HeaderMap, body: &[u8], now_unix_s: u64, max_skew: Duration) -> Answer {
    let event = match parse_event(body) {
        Ok(event) => event,
        Err(e) => {
            tracing::warn!(error = %e, "webhook with an unusable body");
            return refuse(400, e.message());
        }
    };
    if event.event == URL_VALIDATION_EVENT {
        return url_validation(secret, headers, body, &event, now_unix_s, max_skew);
    }
    if let Some(secret) = secret {
        if let Err(e) = verify_request(secret, headers, body, now_unix_s, max_skew) {
            tracing::warn!(event = %event.event, reason = %e, "webhook rejected");
            return refuse(401, e.message());
        }
    }
    tracing::info!(event = %event.event, "webhook received");
    Answer::Deliver(event)
}

fn url_validation(
    secret: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
    event: &WebhookEvent,
    now_unix_s: u64,
    max_skew: Duration,
) -> Answer {
    let Some(secret) = secret else {
        tracing::warn!("endpoint.url_validation received but no webhook secret is configured");
        return refuse(
            400,
            &format!(
                "endpoint.url_validation needs the webhook secret token: set {} or ReceiverConfig::webhook_secret",
                super::ENV_WEBHOOK_SECRET
            ),
        );
    };
    // Zoom signs validation requests too; check the signature when one is present.
    if headers.contains_key(SIGNATURE_HEADER) {
        if let Err(e) = verify_request(secret, headers, body, now_unix_s, max_skew) {
            tracing::warn!(reason = %e, "endpoint.url_validation rejected");
            return refuse(401, e.message());
        }
    }
    let token = match event.payload.get("plainToken").and_then(Value::as_str) {
        Some(t) if !t.is_empty() => t,
        _ => return refuse(400, "endpoint.url_validation without payload.plainToken"),
    };
    // An unsigned validation request is an HMAC oracle: refuse tokens shaped like the signed
    // message `v0:<ts>:<body>`, which would let anyone forge x-zm-signature. Zoom's tokens are
    // short URL-safe strings.
    if token.contains(':') || token.len() > 512 {
        tracing::warn!("endpoint.url_validation with a suspicious plainToken refused");
        return refuse(400, "plainToken must be a short token without ':'");
    }
    tracing::info!("answered endpoint.url_validation");
    // Field order as Zoom's samples and test vector 5 (plainToken, then encryptedToken): serialise
    // the struct directly, as a `Value` would sort the keys.
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Validation<'a> {
        plain_token: &'a str,
        encrypted_token: String,
    }
    let answer = Validation { plain_token: token, encrypted_token: url_validation_token(secret, token) };
    Answer::Respond { status: 200, body: serde_json::to_string(&answer).unwrap_or_default() }
}
