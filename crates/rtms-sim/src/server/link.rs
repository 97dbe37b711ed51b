//! One WebSocket as the simulator drives it: every outgoing message (with the delay fault,
//! the send stamp and the summary record), keep-alives in both directions, close and reset.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rtms_core::protocol::{KeepAlive, MediaContent, MediaType};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::WebSocketStream;

use super::stream::SimStream;
use crate::faults::FaultFlags;
use crate::meeting::{Meeting, Phase};
use crate::util::{unix_ms, unix_us};

/// Something to send on a socket. Everything but [`Outbound::Raw`] is a well-formed RTMS
/// message; events, states and media are recorded in the summary once written.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// An encoded control message (handshake answers, keep-alives, responses).
    Frame(Vec<u8>),
    /// The `event` object of an `EVENT_UPDATE` (6).
    Event(Value),
    /// A whole state message (8, 9, 11, 20).
    State(Value),
    /// A media packet; stamped with `sim_sent_us` when written.
    Media(MediaType, MediaContent),
    /// A fault frame, sent as it is.
    Raw(Vec<u8>),
    /// A close frame (1000), then the end of the connection.
    Close,
    /// A TCP reset without a close frame.
    Abort,
}

/// Whether a connection goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    Stop,
}

#[derive(Default)]
struct KeepAliveState {
    sequence: i64,
    outstanding: Option<i64>,
    missed: u32,
    gave_up: bool,
}

/// What the WebSocket upgrade request looked like.
#[derive(Debug, Clone, Default)]
pub(crate) struct Upgrade {
    pub path: String,
    pub headers: BTreeMap<String, String>,
}

pub(crate) struct Link {
    pub ws: WebSocketStream<SimStream>,
    /// Known from the query, or once the handshake named the stream.
    pub meeting: Option<Arc<Meeting>>,
    /// The handshake succeeded: keep-alives run.
    pub joined: bool,
    pub upgrade: Upgrade,
    pub label: String,
    flags: Arc<FaultFlags>,
    ka: KeepAliveState,
}

/// The bytes of a text or binary frame (the SDK sends binary frames of JSON).
pub(crate) fn frame_bytes(msg: &WsMessage) -> Option<&[u8]> {
    match msg {
        WsMessage::Text(t) => Some(t.as_bytes()),
        WsMessage::Binary(b) => Some(b),
        _ => None,
    }
}

impl Link {
    pub fn new(ws: WebSocketStream<SimStream>, upgrade: Upgrade, label: String, flags: Arc<FaultFlags>) -> Link {
        Link { ws, meeting: None, joined: false, upgrade, label, flags, ka: KeepAliveState::default() }
    }

    async fn pre_send(&self) {
        let d = self.flags.delay();
        if !d.is_zero() {
            tokio::time::sleep(d).await;
        }
    }

    async fn write(&mut self, bytes: Vec<u8>) -> Flow {
        let msg = match String::from_utf8(bytes) {
            Ok(text) => WsMessage::text(text),
            Err(e) => WsMessage::binary(e.into_bytes()),
        };
        match self.ws.send(msg).await {
            Ok(()) => Flow::Continue,
            Err(e) => {
                tracing::debug!(conn = %self.label, error = %e, "write failed");
                Flow::Stop
            }
        }
    }

    /// Sends a JSON value as one text frame (after the delay fault).
    pub async fn send_json(&mut self, v: &Value) -> Flow {
        self.pre_send().await;
        self.write(v.to_string().into_bytes()).await
    }

    /// Sends one queued item.
    pub async fn deliver(&mut self, out: Outbound) -> Flow {
        match out {
            Outbound::Frame(b) | Outbound::Raw(b) => {
                self.pre_send().await;
                self.write(b).await
            }
            Outbound::Event(ev) => {
                let flow = self.send_json(&json!({"msg_type": 6, "event": ev})).await;
                if flow == Flow::Continue {
                    self.record(|m| m.record(|r| r.summary.events.push(ev)));
                }
                flow
            }
            Outbound::State(msg) => {
                let flow = self.send_json(&msg).await;
                if flow == Flow::Continue {
                    self.record(|m| m.record(|r| r.summary.states.push(msg)));
                }
                flow
            }
            Outbound::Media(kind, mut content) => {
                self.pre_send().await;
                content.sent_at_us = Some(unix_us());
                let flow = self.write(content.encode(kind)).await;
                if flow == Flow::Continue {
                    self.record(|m| m.record(|r| r.media(kind, &content)));
                }
                flow
            }
            Outbound::Close => {
                self.close().await;
                Flow::Stop
            }
            Outbound::Abort => {
                tracing::info!(conn = %self.label, "fault: resetting the connection");
                self.ws.get_ref().reset_on_close();
                Flow::Stop
            }
        }
    }

    fn record(&self, f: impl FnOnce(&Meeting)) {
        if let Some(m) = &self.meeting {
            f(m);
        }
    }

    /// Sends a close frame (1000) and waits briefly for the client's answer.
    pub async fn close(&mut self) {
        let frame = CloseFrame { code: CloseCode::Normal, reason: "".into() };
        if self.ws.close(Some(frame)).await.is_ok() {
            let drain = async { while let Some(Ok(_)) = self.ws.next().await {} };
            let _ = tokio::time::timeout(Duration::from_secs(1), drain).await;
        }
    }

    /// Counts a frame that is not a usable RTMS message.
    pub fn malformed(&self, detail: &str) {
        tracing::debug!(conn = %self.label, detail, "ignoring malformed frame");
        self.record(|m| m.record(|r| r.summary.observed.malformed_frames += 1));
    }

    /// Counts a message type this socket does not handle.
    pub fn unknown(&self, msg_type: i64) {
        tracing::debug!(conn = %self.label, msg_type, "ignoring unhandled msg_type");
        self.record(|m| m.record(|r| r.summary.observed.unknown_msg_types.push(msg_type)));
    }

    // ---- keep-alive ----------------------------------------------------------------------

    /// One keep-alive period passed: count a miss if the last request is unanswered (ending
    /// the stream with reason 24 after too many), then send the next request.
    pub async fn keepalive_tick(&mut self) -> Flow {
        let Some(m) = self.meeting.clone() else { return Flow::Continue };
        if self.flags.keepalives_stalled() || self.ka.gave_up || !matches!(m.phase(), Phase::Waiting | Phase::Running) {
            return Flow::Continue;
        }
        if self.ka.outstanding.is_some() {
            self.ka.missed += 1;
            if self.ka.missed >= m.cfg.keepalive_misses {
                tracing::warn!(conn = %self.label, missed = self.ka.missed, "keep-alive timeout, ending the stream");
                self.ka.gave_up = true;
                m.request_end(24);
                return Flow::Continue;
            }
        }
        self.ka.sequence += 1;
        let seq = self.ka.sequence;
        let msg = if m.cfg.keepalive_without_sequence {
            json!({"msg_type": 12, "timestamp": unix_ms()})
        } else {
            json!({"msg_type": 12, "timestamp": unix_ms(), "sequence": seq})
        };
        let flow = self.send_json(&msg).await;
        self.ka.outstanding = Some(seq);
        m.record(|r| r.summary.observed.keepalives_sent += 1);
        flow
    }

    /// The client answered a keep-alive.
    pub fn keepalive_answered(&mut self, ka: &KeepAlive) {
        let Some(seq) = self.ka.outstanding else { return };
        let echoed = ka.sequence.as_ref().and_then(Value::as_i64);
        let without = self.meeting.as_ref().is_some_and(|m| m.cfg.keepalive_without_sequence);
        if echoed == Some(seq) || without {
            self.ka.outstanding = None;
            self.ka.missed = 0;
            self.record(|m| m.record(|r| r.summary.observed.keepalives_answered += 1));
        } else {
            tracing::debug!(conn = %self.label, ?echoed, expected = seq, "keep-alive answer with a wrong sequence");
        }
    }

    /// Answers a client's `KEEP_ALIVE_REQ` with 13, echoing its fields.
    pub async fn answer_keepalive(&mut self, ka: KeepAlive) -> Flow {
        if self.flags.keepalives_stalled() {
            return Flow::Continue;
        }
        self.record(|m| m.record(|r| r.summary.observed.client_keepalives += 1));
        let mut msg = json!({"msg_type": 13});
        if let Some(s) = ka.sequence {
            msg["sequence"] = s;
        }
        if let Some(t) = ka.timestamp {
            msg["timestamp"] = t;
        }
        self.send_json(&msg).await
    }
}

/// The keep-alive timer of a socket: first tick one interval from now.
pub(crate) fn keepalive_timer(interval: Duration) -> tokio::time::Interval {
    let mut t = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
    t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    t
}
