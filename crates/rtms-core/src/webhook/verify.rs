//! Verifying and parsing webhook requests.

use std::time::Duration;

use serde_json::{Map, Value};

use super::{WebhookEvent, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use crate::error::{Error, ErrorKind};
use crate::signature::verify_webhook_signature;

fn rejected(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::WebhookRejected, message)
}

fn bad_request(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::WebhookBadRequest, message)
}

fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Result<&'a str, Error> {
    let value = headers.get(name).ok_or_else(|| rejected(format!("missing {name} header")))?;
    let value = value.to_str().map_err(|_| rejected(format!("{name} header is not visible ASCII")))?.trim();
    if value.is_empty() {
        return Err(rejected(format!("empty {name} header")));
    }
    Ok(value)
}

/// Verifies Zoom's `x-zm-signature` over the **raw** body and checks that
/// `x-zm-request-timestamp` (Unix seconds) lies within `max_skew` of `now_unix_s`.
///
/// The signature is compared in constant time. Errors have kind [`ErrorKind::WebhookRejected`]
/// and say what was wrong (missing header, malformed timestamp, signature mismatch, stale or
/// future timestamp) without echoing the signature.
pub fn verify_request(secret: &str, headers: &http::HeaderMap, body: &[u8], now_unix_s: u64, max_skew: Duration) -> Result<(), Error> {
    let signature = header(headers, SIGNATURE_HEADER)?;
    let timestamp = header(headers, TIMESTAMP_HEADER)?;
    let ts: u64 = timestamp.parse().map_err(|_| rejected(format!("{TIMESTAMP_HEADER} is not a Unix time in seconds")))?;
    if !signature.starts_with("v0=") {
        return Err(rejected(format!("{SIGNATURE_HEADER} has an unknown scheme (expected v0=<hex>)")));
    }
    if !verify_webhook_signature(secret, timestamp, body, signature) {
        return Err(rejected(format!("{SIGNATURE_HEADER} does not match the body (wrong webhook secret or modified body?)")));
    }
    let skew = max_skew.as_secs();
    if ts.saturating_add(skew) < now_unix_s {
        return Err(rejected(format!("stale request: {TIMESTAMP_HEADER} is {} s old (limit {skew} s)", now_unix_s - ts)));
    }
    if ts > now_unix_s.saturating_add(skew) {
        return Err(rejected(format!("{TIMESTAMP_HEADER} is {} s in the future (limit {skew} s)", ts - now_unix_s)));
    }
    Ok(())
}

/// Parses a webhook body: a JSON object with a non-empty `event` string, optional `event_ts`
/// and optional `payload` object.
///
/// The payload is normalised: when it has an `object` member that is an object, that member's
/// fields are lifted to the top level (a field already present directly under `payload` wins).
/// Errors have kind [`ErrorKind::WebhookBadRequest`].
pub fn parse_event(body: &[u8]) -> Result<WebhookEvent, Error> {
    let raw: Value = serde_json::from_slice(body).map_err(|e| bad_request(format!("body is not valid JSON: {e}")))?;
    let obj = raw.as_object().ok_or_else(|| bad_request("body is not a JSON object"))?;
    let event = match obj.get("event") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(_) => return Err(bad_request("`event` must be a non-empty string")),
        None => return Err(bad_request("missing `event` field")),
    };
    let event_ts = obj.get("event_ts").and_then(|v| v.as_u64().or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)));
    let payload = match obj.get("payload") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(Value::Object(p)) => Value::Object(normalise(p)),
        Some(_) => return Err(bad_request("`payload` must be a JSON object")),
    };
    Ok(WebhookEvent { event, event_ts, payload, raw })
}

fn normalise(payload: &Map<String, Value>) -> Map<String, Value> {
    let Some(Value::Object(nested)) = payload.get("object") else { return payload.clone() };
    let mut out: Map<String, Value> = payload.iter().filter(|(k, _)| *k != "object").map(|(k, v)| (k.clone(), v.clone())).collect();
    for (k, v) in nested {
        out.entry(k.clone()).or_insert_with(|| v.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &str = "ZOOM_WEBHOOK_SECRET_TOKEN";
    const BODY: &[u8] = br#"{"event":"meeting.rtms_started","event_ts":1732000000000,"payload":{"meeting_uuid":"4S8fdu9eRxOFRhCuSBkH7w==","operator_id":"op-1","rtms_stream_id":"rtms_stream_abc","server_urls":"wss://127.0.0.1:9001"}}"#;
    const SIG: &str = "v0=18e9eba8aaa9b979ea8f68c13cb898c3bcf2b4f96bd45d50a2a23002283cc01f";
    const SKEW: Duration = Duration::from_secs(300);

    fn headers(sig: Option<&str>, ts: Option<&str>) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        if let Some(sig) = sig {
            h.insert(SIGNATURE_HEADER, sig.parse().unwrap());
        }
        if let Some(ts) = ts {
            h.insert(TIMESTAMP_HEADER, ts.parse().unwrap());
        }
        h
    }

    fn reject_message(r: Result<(), Error>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WebhookRejected);
        e.to_string()
    }

    #[test]
    fn vector_6_verifies_within_skew() {
        let h = headers(Some(SIG), Some("1732000000"));
        verify_request(SECRET, &h, BODY, 1_732_000_000, SKEW).unwrap();
        verify_request(SECRET, &h, BODY, 1_732_000_300, SKEW).unwrap();
        verify_request(SECRET, &h, BODY, 1_731_999_700, SKEW).unwrap();
    }

    #[test]
    fn rejections_say_why() {
        let ok = headers(Some(SIG), Some("1732000000"));
        assert!(reject_message(verify_request(SECRET, &ok, BODY, 1_732_000_301, SKEW)).contains("stale"));
        assert!(reject_message(verify_request(SECRET, &ok, BODY, 1_731_999_699, SKEW)).contains("future"));
        assert!(reject_message(verify_request("other", &ok, BODY, 1_732_000_000, SKEW)).contains("does not match"));
        let mut body = BODY.to_vec();
        body.push(b'\n');
        assert!(reject_message(verify_request(SECRET, &ok, &body, 1_732_000_000, SKEW)).contains("does not match"));
        assert!(reject_message(verify_request(SECRET, &headers(None, Some("1")), BODY, 1, SKEW)).contains("missing x-zm-signature"));
        assert!(reject_message(verify_request(SECRET, &headers(Some(SIG), None), BODY, 1, SKEW)).contains("missing x-zm-request-timestamp"));
        assert!(reject_message(verify_request(SECRET, &headers(Some(SIG), Some("soon")), BODY, 1, SKEW)).contains("Unix time"));
        let msg = reject_message(verify_request(SECRET, &headers(Some("sha256=abc"), Some("1732000000")), BODY, 1_732_000_000, SKEW));
        assert!(msg.contains("scheme") && !msg.contains("abc"), "{msg}");
    }

    #[test]
    fn parse_flat_and_nested_payloads() {
        let flat = parse_event(BODY).unwrap();
        assert_eq!(flat.event, "meeting.rtms_started");
        assert_eq!(flat.event_ts, Some(1_732_000_000_000));
        assert_eq!(flat.payload["rtms_stream_id"], "rtms_stream_abc");

        let nested = json!({"event": "meeting.rtms_started", "payload": {"account_id": "acc", "object": {
            "meeting_uuid": "m", "rtms_stream_id": "s", "server_urls": "wss://x", "account_id": "ignored"}}});
        let e = parse_event(nested.to_string().as_bytes()).unwrap();
        assert_eq!(e.payload, json!({"account_id": "acc", "meeting_uuid": "m", "rtms_stream_id": "s", "server_urls": "wss://x"}));
        assert_eq!(e.raw, nested);
        assert_eq!(e.event_ts, None);
    }

    #[test]
    fn parse_errors() {
        for (body, needle) in [
            (&b"not json"[..], "not valid JSON"),
            (b"[1]", "not a JSON object"),
            (b"{}", "missing `event`"),
            (br#"{"event":3}"#, "non-empty string"),
            (br#"{"event":""}"#, "non-empty string"),
            (br#"{"event":"x","payload":"y"}"#, "`payload`"),
        ] {
            let e = parse_event(body).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::WebhookBadRequest);
            assert!(e.to_string().contains(needle), "{e}");
        }
        assert_eq!(parse_event(br#"{"event":"x"}"#).unwrap().payload, json!({}));
    }
}
