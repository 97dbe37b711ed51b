//! One media connection after its data handshake: decode media, answer keep-alives.

use std::sync::Arc;
use std::time::Duration;

use futures_util::SinkExt;
use tokio::sync::watch;
use tokio::time::Instant;
use tracing::{debug, warn};

use super::conn::{self, Frame, Liveness, Silence};
use super::session::Shared;
use crate::event::{Event, Media};
use crate::protocol::{MediaType, Message};
use crate::transport::{Ws, WsMessage};

/// How a media connection ended.
#[derive(Debug)]
pub(crate) enum MediaExit {
    /// We closed it (leave or end of session).
    Closed,
    /// The server closed it with a close frame.
    PeerClosed,
    /// It failed or went silent.
    Lost(String),
}

/// What the session asks of its media connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Control {
    Run,
    /// The stream ended: deliver what is already buffered, then close once the socket has
    /// been quiet for [`DRAIN_IDLE`].
    Drain,
    Close,
}

/// Quiet time after which a draining connection has delivered everything.
const DRAIN_IDLE: Duration = Duration::from_millis(100);

pub(crate) async fn run(mut ws: Ws, mask: MediaType, shared: Arc<Shared>, mut control: watch::Receiver<Control>) -> (MediaType, MediaExit) {
    let mut live = Liveness::new(shared.keepalive_timeout);
    let mut draining: Option<Instant> = None;
    let exit = loop {
        let deadline = draining.unwrap_or_else(|| live.deadline());
        tokio::select! {
            biased;
            changed = control.changed() => {
                let now = if changed.is_ok() { *control.borrow_and_update() } else { Control::Close };
                match now {
                    Control::Run => {}
                    Control::Drain => draining = Some(Instant::now() + DRAIN_IDLE),
                    Control::Close => {
                        close(&mut ws).await;
                        break MediaExit::Closed;
                    }
                }
            }
            frame = conn::next(&mut ws) => {
                live.seen();
                if draining.is_some() {
                    draining = Some(Instant::now() + DRAIN_IDLE);
                }
                match frame {
                    Frame::Data(bytes) => {
                        if let Some(reply) = handle(&shared, mask, &bytes) {
                            if let Err(e) = conn::send(&mut ws, &reply).await {
                                break MediaExit::Lost(e.to_string());
                            }
                        }
                    }
                    Frame::Control => {}
                    Frame::Closed => break MediaExit::PeerClosed,
                    Frame::Lost(e) => break MediaExit::Lost(e),
                }
            }
            _ = tokio::time::sleep_until(deadline), if draining.is_some() => {
                close(&mut ws).await;
                break MediaExit::Closed;
            }
            _ = tokio::time::sleep_until(deadline), if draining.is_none() => match live.expired() {
                Silence::SendPing => { let _ = ws.send(WsMessage::Ping(Default::default())).await; }
                Silence::Dead => break MediaExit::Lost(format!("no traffic for {:?}", live.timeout() * 2)),
            }
        }
    };
    debug!(media = mask.key(), ?exit, "media connection ended");
    (mask, exit)
}

/// Sends a close frame, without waiting on a peer that stopped reading.
async fn close(ws: &mut Ws) {
    let _ = tokio::time::timeout(Duration::from_millis(500), ws.close(None)).await;
}

/// Handles one frame; returns a reply to send, if any.
fn handle(shared: &Shared, mask: MediaType, frame: &bytes::Bytes) -> Option<Message> {
    let msg = match Message::decode_bytes(frame) {
        Ok(m) => m,
        Err(e) => {
            shared.stats.skipped();
            warn!(media = mask.key(), error = %e, "skipped a media frame");
            return None;
        }
    };
    shared.stats.frame(msg.msg_type());
    match msg {
        Message::Media(kind, mut content) => {
            shared.stats.media(kind, content.data.len());
            let mut attributed = false;
            if kind == MediaType::AUDIO && content.user_id == 0 && content.channel_id.is_none() {
                if let Some((id, name)) = shared.active_speaker() {
                    content.user_id = id;
                    content.user_name = name;
                    attributed = true;
                }
            }
            shared.sinks.emit(Event::Media(Media { kind, content, attributed }));
            None
        }
        Message::KeepAliveReq(k) => {
            shared.stats.keepalive();
            Some(conn::keepalive_reply(k))
        }
        Message::AudioMetadata(m) => {
            shared.sinks.emit(Event::AudioMetadata(m.interpreter));
            None
        }
        Message::Unknown { msg_type, .. } => {
            shared.stats.unknown();
            debug!(media = mask.key(), msg_type, "unknown msg_type on a media socket, ignored");
            None
        }
        other => {
            debug!(media = mask.key(), msg_type = other.msg_type(), "unexpected message on a media socket, ignored");
            None
        }
    }
}
