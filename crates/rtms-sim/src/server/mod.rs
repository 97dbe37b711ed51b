//! The listener: one TCP port (plain or TLS) serving every meeting. Routes by path:
//! `/signaling` and `/media/<kind>` (`audio`, `video`, `deskshare`, `transcript`, `chat`,
//! `all`), with an optional `?meeting=<index>`; without it the handshake's `rtms_stream_id`
//! picks the meeting.

pub(crate) mod link;
pub(crate) mod stream;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rtms_core::signature::generate_signature;
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::config::SimConfig;
use crate::faults::FaultFlags;
use crate::meeting::{Meeting, Phase, Refusal};
use crate::summary::HandshakeRecord;
use crate::util::constant_time_eq;
use link::{Link, Upgrade};
use stream::SimStream;

/// State every connection shares.
pub(crate) struct Shared {
    pub cfg: Arc<SimConfig>,
    pub meetings: Arc<[Arc<Meeting>]>,
    pub flags: Arc<FaultFlags>,
    pub shutdown: watch::Receiver<bool>,
}

impl Shared {
    /// The meeting a handshake is for: the one in the URL (whose stream id must match), else
    /// the one with this stream id. Refuses with 2 when there is none or it has ended.
    pub fn find_meeting(&self, hint: Option<usize>, stream_id: &str) -> Result<Arc<Meeting>, Refusal> {
        let m = match hint {
            Some(i) => self.meetings.get(i).filter(|m| m.info.rtms_stream_id == stream_id),
            None => self.meetings.iter().find(|m| m.info.rtms_stream_id == stream_id),
        };
        let m = m.ok_or_else(|| (2, format!("unknown rtms_stream_id `{stream_id}`")))?;
        if matches!(m.phase(), Phase::Ending | Phase::Ended) {
            return Err((2, "the stream has ended".into()));
        }
        Ok(m.clone())
    }

    /// Checks the handshake signature (HMAC over `client_id,meeting_uuid,rtms_stream_id`).
    pub fn check_signature(&self, m: &Meeting, meeting_uuid: &str, signature: &str) -> Result<(), Refusal> {
        if meeting_uuid != m.info.meeting_uuid {
            return Err((3, "meeting_uuid does not match the stream".into()));
        }
        let expected = generate_signature(&self.cfg.client_id, &self.cfg.client_secret, &m.info.meeting_uuid, &m.info.rtms_stream_id);
        if constant_time_eq(&expected, &signature.to_ascii_lowercase()) {
            Ok(())
        } else {
            Err((3, "invalid signature".into()))
        }
    }
}

/// Records a handshake in the meeting's summary (signature redacted).
pub(crate) fn record_handshake(m: &Meeting, link: &Link, channel: &str, frame: &[u8], status: Option<i64>) {
    let mut request: Value = serde_json::from_slice(frame).unwrap_or(Value::Null);
    if let Some(sig) = request.get_mut("signature") {
        *sig = Value::String("<redacted>".into());
    }
    let rec = HandshakeRecord {
        channel: channel.to_owned(),
        path: link.upgrade.path.clone(),
        headers: link.upgrade.headers.clone(),
        request,
        status_code: status,
    };
    m.record(|r| r.summary.observed.handshakes.push(rec));
}

/// Where an upgrade request goes.
enum Route {
    Signaling(Option<usize>),
    Media(String, Option<usize>),
}

fn route(path_and_query: &str, meetings: usize) -> Option<Route> {
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let mut hint = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        if let Some(v) = pair.strip_prefix("meeting=") {
            let i: usize = v.parse().ok()?;
            if i >= meetings {
                return None;
            }
            hint = Some(i);
        }
    }
    match path.trim_end_matches('/') {
        "/signaling" => Some(Route::Signaling(hint)),
        p => {
            let kind = p.strip_prefix("/media/")?;
            matches!(kind, "audio" | "video" | "deskshare" | "transcript" | "chat" | "all").then(|| Route::Media(kind.to_owned(), hint))
        }
    }
}

/// Accepts connections until shutdown; then lets them close for up to a second.
pub(crate) async fn serve(listener: TcpListener, tls: Option<TlsAcceptor>, shared: Arc<Shared>) {
    let mut conns = JoinSet::new();
    let mut shutdown = shared.shutdown.clone();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    tracing::debug!(%peer, "connection");
                    conns.spawn(handle(tcp, tls.clone(), shared.clone()));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(1), async { while conns.join_next().await.is_some() {} }).await;
}

async fn handle(tcp: TcpStream, tls: Option<TlsAcceptor>, shared: Arc<Shared>) {
    let _ = tcp.set_nodelay(true);
    let stream = match tls {
        None => SimStream::Plain(tcp),
        Some(acceptor) => match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await {
            Ok(Ok(s)) => SimStream::Tls(Box::new(s)),
            Ok(Err(e)) => return tracing::debug!(error = %e, "TLS handshake failed"),
            Err(_) => return tracing::debug!("TLS handshake timed out"),
        },
    };
    let captured: Arc<Mutex<Option<(Upgrade, Route)>>> = Arc::new(Mutex::new(None));
    let slot = captured.clone();
    let meetings = shared.meetings.len();
    // tungstenite's callback type fixes the error type.
    #[allow(clippy::result_large_err)]
    let callback = move |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        let path = req.uri().path_and_query().map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
        let Some(r) = route(&path, meetings) else {
            let mut err = ErrorResponse::new(Some(format!("no RTMS endpoint at {path}")));
            *err.status_mut() = http::StatusCode::NOT_FOUND;
            return Err(err);
        };
        let headers: BTreeMap<String, String> =
            req.headers().iter().map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect();
        *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some((Upgrade { path, headers }, r));
        // Zoom's SDK offers `websocket` and accepts an answer without it; strict clients
        // (tungstenite, browsers' libraries) want it echoed, so echo exactly that one.
        let mut resp = resp;
        let offered = req
            .headers()
            .get_all(http::header::SEC_WEBSOCKET_PROTOCOL)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.split(',').any(|p| p.trim() == "websocket"));
        if offered {
            resp.headers_mut().insert(http::header::SEC_WEBSOCKET_PROTOCOL, http::HeaderValue::from_static("websocket"));
        }
        Ok(resp)
    };
    let config = WebSocketConfig::default().max_message_size(Some(64 << 20)).max_frame_size(Some(64 << 20));
    let ws = match tokio::time::timeout(
        Duration::from_secs(10),
        tokio_tungstenite::accept_hdr_async_with_config(stream, callback, Some(config)),
    )
    .await
    {
        Ok(Ok(ws)) => ws,
        Ok(Err(e)) => return tracing::debug!(error = %e, "WebSocket upgrade failed"),
        Err(_) => return tracing::debug!("WebSocket upgrade timed out"),
    };
    let Some((upgrade, r)) = captured.lock().unwrap_or_else(|e| e.into_inner()).take() else { return };
    match r {
        Route::Signaling(hint) => {
            let link = Link::new(ws, upgrade, "signaling".into(), shared.flags.clone());
            crate::signaling::run(link, shared, hint).await;
        }
        Route::Media(kind, hint) => {
            let link = Link::new(ws, upgrade, format!("media/{kind}"), shared.flags.clone());
            crate::media_conn::run(link, shared, hint).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert!(matches!(route("/signaling", 1), Some(Route::Signaling(None))));
        assert!(matches!(route("/signaling?meeting=2", 3), Some(Route::Signaling(Some(2)))));
        assert!(route("/signaling?meeting=3", 3).is_none());
        assert!(matches!(route("/media/audio?meeting=0", 1), Some(Route::Media(k, Some(0))) if k == "audio"));
        assert!(matches!(route("/media/all", 1), Some(Route::Media(k, None)) if k == "all"));
        assert!(route("/media/smell", 1).is_none());
        assert!(route("/", 1).is_none());
    }
}
