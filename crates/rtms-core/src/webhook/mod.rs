//! Zoom webhooks: verification, event parsing and an HTTP receiver.
//!
//! - [`verify_request`] checks `x-zm-signature` / `x-zm-request-timestamp` over the raw body.
//! - [`parse_event`] turns a body into a [`WebhookEvent`], accepting the payload fields either
//!   directly under `payload` (what Zoom sends) or nested under `payload.object`.
//! - [`Receiver`] is a small HTTP/1 server (the official SDK's `onWebhookEvent`): it answers
//!   `endpoint.url_validation` itself, verifies signatures when a secret is configured and hands
//!   every other event to a [`Handler`].
//!
//! ```no_run
//! # async fn demo() -> rtms_core::Result<()> {
//! use rtms_core::webhook::{Handler, Receiver, ReceiverConfig};
//! let receiver = Receiver::start(ReceiverConfig::from_env()?, Handler::simple(|event| {
//!     if let Some(stream) = event.join_params().filter(|_| event.is_rtms_started()) {
//!         println!("join {} / {} at {}", stream.instance_id, stream.rtms_stream_id, stream.server_urls);
//!     }
//! }))
//! .await?;
//! println!("listening on {}", receiver.url());
//! # receiver.shutdown().await;
//! # Ok(()) }
//! ```

mod answer;
mod server;
mod verify;

pub use answer::{answer, Answer};

pub use server::{
    AdvancedHandler, EventHandler, Handler, Receiver, ReceiverConfig, WebhookRequest, WebhookResponder, ENV_HOST, ENV_PATH, ENV_PORT,
    ENV_WEBHOOK_SECRET,
};
pub use verify::{parse_event, verify_request};

/// Header carrying Zoom's webhook signature (`v0=<hex>`).
pub const SIGNATURE_HEADER: &str = "x-zm-signature";
/// Header carrying the Unix time (seconds) that the signature covers.
pub const TIMESTAMP_HEADER: &str = "x-zm-request-timestamp";
/// The event Zoom sends to validate an endpoint URL.
pub const URL_VALIDATION_EVENT: &str = "endpoint.url_validation";

/// The Zoom product a stream belongs to (the same type as [`crate::Product`], which
/// [`crate::JoinParams`] uses).
pub use crate::client::Product;

/// The payload field holding a product's instance id.
fn id_field(product: Product) -> &'static str {
    match product {
        Product::Meeting | Product::Webinar => "meeting_uuid",
        Product::Session => "session_id",
        Product::ContactCenter => "engagement_id",
    }
}

/// What an RTMS webhook announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RtmsEventKind {
    /// `*.rtms_started`: a stream is ready to join.
    Started,
    /// `*.rtms_stopped`: the stream ended (`stop_reason` tells why).
    Stopped,
    /// `*.rtms_interrupted`: re-connect signaling and media.
    Interrupted,
}

/// An RTMS stream named by a `*.rtms_started`, `*.rtms_stopped` or `*.rtms_interrupted` webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedStream {
    /// The product the stream belongs to.
    pub product: Product,
    /// `meeting_uuid`, `session_id` or `engagement_id`, exactly as delivered (sign it as is).
    pub instance_id: String,
    /// `rtms_stream_id`.
    pub rtms_stream_id: String,
    /// The signaling URL (`server_urls`; an array is joined with commas, as [`crate::JoinParams`]
    /// takes it); empty when the event carries none (stopped/interrupted events).
    pub server_urls: String,
    /// `stop_reason` (or `reason`) of stopped events, see [`crate::protocol::StopReason`].
    pub stop_reason: Option<i32>,
}

/// A parsed webhook: `{"event": "...", "event_ts": ..., "payload": {...}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// The event name, e.g. `meeting.rtms_started`.
    pub event: String,
    /// `event_ts` (milliseconds since the epoch) when present.
    pub event_ts: Option<u64>,
    /// The payload, normalised: fields of `payload.object` are lifted to the top level (fields
    /// directly under `payload` win); always a JSON object.
    pub payload: serde_json::Value,
    /// The whole body as received.
    pub raw: serde_json::Value,
}

impl WebhookEvent {
    /// The product and kind of an RTMS stream event, `None` for any other event.
    pub fn rtms_kind(&self) -> Option<(Product, RtmsEventKind)> {
        let (product, rest) = if let Some(rest) = self.event.strip_prefix("meeting.") {
            (Product::Meeting, rest)
        } else if let Some(rest) = self.event.strip_prefix("webinar.") {
            (Product::Webinar, rest)
        } else if let Some(rest) = self.event.strip_prefix("session.") {
            (Product::Session, rest)
        } else if let Some(rest) = self.event.strip_prefix("contact_center.voice_") {
            (Product::ContactCenter, rest)
        } else {
            return None;
        };
        let kind = match rest {
            "rtms_started" => RtmsEventKind::Started,
            "rtms_stopped" => RtmsEventKind::Stopped,
            "rtms_interrupted" => RtmsEventKind::Interrupted,
            _ => return None,
        };
        Some((product, kind))
    }

    /// `meeting.rtms_started`, `webinar.rtms_started`, `session.rtms_started` or
    /// `contact_center.voice_rtms_started`.
    pub fn is_rtms_started(&self) -> bool {
        matches!(self.rtms_kind(), Some((_, RtmsEventKind::Started)))
    }

    /// Any product's `rtms_stopped`.
    pub fn is_rtms_stopped(&self) -> bool {
        matches!(self.rtms_kind(), Some((_, RtmsEventKind::Stopped)))
    }

    /// Any product's `rtms_interrupted`.
    pub fn is_rtms_interrupted(&self) -> bool {
        matches!(self.rtms_kind(), Some((_, RtmsEventKind::Interrupted)))
    }

    /// The stream an RTMS started/stopped/interrupted event names, or `None` for other events or
    /// when the instance id or `rtms_stream_id` is missing.
    ///
    /// The instance id is the product's own field first, then any of `meeting_uuid`,
    /// `webinar_uuid`, `session_id`, `engagement_id` (the official SDK's priority).
    pub fn join_params(&self) -> Option<StartedStream> {
        let (product, _) = self.rtms_kind()?;
        let p = &self.payload;
        let text = |key: &str| p.get(key).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
        let instance_id =
            std::iter::once(id_field(product)).chain(["meeting_uuid", "webinar_uuid", "session_id", "engagement_id"]).find_map(text)?;
        let rtms_stream_id = text("rtms_stream_id")?;
        let server_urls = match p.get("server_urls") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Array(urls)) => urls.iter().filter_map(|u| u.as_str()).collect::<Vec<_>>().join(","),
            _ => String::new(),
        };
        let stop_reason = ["stop_reason", "reason"]
            .iter()
            .filter_map(|k| p.get(*k))
            .find_map(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())))
            .and_then(|v| i32::try_from(v).ok());
        Some(StartedStream { product, instance_id, rtms_stream_id, server_urls, stop_reason })
    }
}

impl StartedStream {
    /// Parameters to join this stream with [`crate::Client::join`] (add credentials or a
    /// signature to them).
    pub fn to_join_params(&self) -> crate::JoinParams {
        let (id, stream, url) = (self.instance_id.as_str(), self.rtms_stream_id.as_str(), self.server_urls.as_str());
        match self.product {
            Product::Meeting => crate::JoinParams::meeting(id, stream, url),
            Product::Webinar => crate::JoinParams::webinar(id, stream, url),
            Product::Session => crate::JoinParams::session(id, stream, url),
            Product::ContactCenter => crate::JoinParams::engagement(id, stream, url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(name: &str, payload: serde_json::Value) -> WebhookEvent {
        let raw = json!({"event": name, "payload": payload});
        parse_event(raw.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn classifies_every_product() {
        let cases = [
            ("meeting.rtms_started", Product::Meeting, "meeting_uuid"),
            ("webinar.rtms_started", Product::Webinar, "meeting_uuid"),
            ("session.rtms_started", Product::Session, "session_id"),
            ("contact_center.voice_rtms_started", Product::ContactCenter, "engagement_id"),
        ];
        for (name, product, key) in cases {
            let e = event(name, json!({key: "id==", "rtms_stream_id": "s", "server_urls": "wss://x"}));
            assert!(e.is_rtms_started() && !e.is_rtms_stopped(), "{name}");
            let s = e.join_params().unwrap();
            assert_eq!(
                (s.product, s.instance_id.as_str(), s.rtms_stream_id.as_str(), s.server_urls.as_str()),
                (product, "id==", "s", "wss://x")
            );
            assert_eq!(s.stop_reason, None);
            let j = s.to_join_params();
            assert_eq!(
                (j.product, j.instance_id.as_str(), j.stream_id.as_str(), j.server_urls.as_str()),
                (product, "id==", "s", "wss://x")
            );
        }
    }

    #[test]
    fn stopped_and_interrupted() {
        let e = event("session.rtms_stopped", json!({"session_id": "x", "rtms_stream_id": "s", "stop_reason": 6}));
        assert!(e.is_rtms_stopped());
        let s = e.join_params().unwrap();
        assert_eq!((s.stop_reason, s.server_urls.as_str()), (Some(6), ""));
        let e = event("contact_center.voice_rtms_interrupted", json!({"engagement_id": "e", "rtms_stream_id": "s"}));
        assert!(e.is_rtms_interrupted());
        assert_eq!(e.join_params().unwrap().product, Product::ContactCenter);
        // `reason` is accepted too.
        let e = event("meeting.rtms_stopped", json!({"meeting_uuid": "m", "rtms_stream_id": "s", "reason": "18"}));
        assert_eq!(e.join_params().unwrap().stop_reason, Some(18));
    }

    #[test]
    fn other_events_have_no_stream() {
        for name in ["meeting.rtms_concurrency_limited", "meeting.started", "endpoint.url_validation", "contact_center.rtms_started"] {
            let e = event(name, json!({"meeting_uuid": "m", "rtms_stream_id": "s"}));
            assert!(e.rtms_kind().is_none() && e.join_params().is_none(), "{name}");
        }
        // Missing stream id.
        assert!(event("meeting.rtms_started", json!({"meeting_uuid": "m"})).join_params().is_none());
        // Webinar sent with `webinar_uuid`, array `server_urls`.
        let s = event("webinar.rtms_started", json!({"webinar_uuid": "w", "rtms_stream_id": "s", "server_urls": ["wss://a", "wss://b"]}))
            .join_params()
            .unwrap();
        assert_eq!((s.instance_id.as_str(), s.server_urls.as_str()), ("w", "wss://a,wss://b"));
    }
}
