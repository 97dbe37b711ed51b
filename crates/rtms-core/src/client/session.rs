//! A joined session: the signaling loop that supervises the media connections and decides
//! how and why the stream ends.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures_util::SinkExt;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tracing::{debug, info, warn};

use super::conn::{self, Frame, Liveness, Silence};
use super::media::{Control, MediaExit};
use super::sink::Sinks;
use super::stats::Stats;
use crate::error::{Error, ErrorKind};
use crate::event::{self, Event};
use crate::protocol::{MediaType, Message, StopReason, StreamRef};
use crate::transport::{Ws, WsMessage};

/// State the session's tasks share. Read-mostly; the only lock guards the active speaker,
/// read only for mixed audio that arrives without a speaker.
pub(crate) struct Shared {
    pub(crate) sinks: Sinks,
    pub(crate) stats: Arc<Stats>,
    pub(crate) meeting_id: String,
    pub(crate) stream_id: String,
    pub(crate) zcc: bool,
    pub(crate) keepalive_timeout: Duration,
    pub(crate) close_timeout: Duration,
    speaker: RwLock<Option<(i64, String)>>,
}

impl Shared {
    pub(crate) fn new(
        sinks: Sinks,
        stats: Arc<Stats>,
        meeting_id: String,
        stream_id: String,
        zcc: bool,
        keepalive_timeout: Duration,
        close_timeout: Duration,
    ) -> Shared {
        Shared { sinks, stats, meeting_id, stream_id, zcc, keepalive_timeout, close_timeout, speaker: RwLock::new(None) }
    }

    pub(crate) fn active_speaker(&self) -> Option<(i64, String)> {
        self.speaker.read().ok().and_then(|s| s.clone())
    }

    fn set_speaker(&self, id: i64, name: &str) {
        if let Ok(mut s) = self.speaker.write() {
            *s = Some((id, name.to_owned()));
        }
    }
}

/// Requests from the application to a joined session.
pub(crate) enum Command {
    Send(Box<Message>),
    Leave,
}

/// How the session ended.
struct Outcome {
    reason: i32,
    error: Option<Error>,
    /// The server ended it (TERMINATED): let media drain before closing.
    by_server: bool,
}

/// Grace given to the signaling socket to explain a closed media socket (the server may
/// close media a moment before TERMINATED arrives).
const MEDIA_LOSS_GRACE: Duration = Duration::from_millis(500);
/// The longest media sockets may keep draining after the stream ended.
const DRAIN: Duration = Duration::from_secs(1);

pub(crate) async fn run(
    mut ws: Ws,
    shared: Arc<Shared>,
    mut commands: mpsc::UnboundedReceiver<Command>,
    mut media: JoinSet<(MediaType, MediaExit)>,
    close_media: watch::Sender<Control>,
    done: watch::Sender<bool>,
) {
    let mut live = Liveness::new(shared.keepalive_timeout);
    let mut leave_deadline: Option<Instant> = None;
    let mut media_lost: Option<(Instant, String)> = None;

    let outcome = loop {
        let mut deadline = live.deadline();
        if let Some(d) = leave_deadline {
            deadline = deadline.min(d);
        }
        if let Some((d, _)) = &media_lost {
            deadline = deadline.min(*d);
        }
        tokio::select! {
            frame = conn::next(&mut ws) => {
                live.seen();
                match frame {
                    Frame::Data(bytes) => {
                        if let Some(outcome) = handle(&shared, &mut ws, &bytes, leave_deadline.is_some()).await {
                            break outcome;
                        }
                    }
                    Frame::Control => {}
                    Frame::Closed | Frame::Lost(_) if leave_deadline.is_some() => {
                        break Outcome { reason: StopReason::RECEIVER_REQUEST_CLOSE.as_i32(), error: None, by_server: false };
                    }
                    Frame::Closed => break lost(StopReason::SIGNAL_CONNECTION_CLOSED_ABNORMALLY, "the server closed the signaling connection without ending the stream".into()),
                    Frame::Lost(e) => break lost(StopReason::SIGNAL_CONNECTION_CLOSED_ABNORMALLY, format!("signaling connection lost: {e}")),
                }
            }
            cmd = commands.recv() => match cmd {
                Some(Command::Send(msg)) => {
                    let msg = *msg;
                    if let Err(e) = conn::send(&mut ws, &msg).await {
                        break lost(StopReason::SIGNAL_CONNECTION_CLOSED_ABNORMALLY, e.to_string());
                    }
                }
                Some(Command::Leave) | None => {
                    if leave_deadline.is_none() {
                        info!(stream = %shared.stream_id, "leaving: sending STREAM_CLOSE_REQ");
                        let req = Message::StreamCloseReq(StreamRef { rtms_stream_id: shared.stream_id.clone() });
                        if conn::send(&mut ws, &req).await.is_err() {
                            break Outcome { reason: StopReason::RECEIVER_REQUEST_CLOSE.as_i32(), error: None, by_server: false };
                        }
                        leave_deadline = Some(Instant::now() + shared.close_timeout);
                    }
                    if cmd.is_none() {
                        // The client is gone: nobody can send more commands.
                        commands = mpsc::unbounded_channel().1;
                    }
                }
            },
            Some(joined) = media.join_next(), if !media.is_empty() => {
                let (mask, exit) = joined.unwrap_or((MediaType::UNDEFINED, MediaExit::Lost("media task failed".into())));
                if leave_deadline.is_none() && media_lost.is_none() {
                    let why = match exit {
                        MediaExit::Lost(e) => format!("{} media connection lost: {e}", mask.key()),
                        _ => format!("the server closed the {} media connection", mask.key()),
                    };
                    debug!(%why, "waiting briefly for the server to end the stream");
                    media_lost = Some((Instant::now() + MEDIA_LOSS_GRACE, why));
                }
            }
            _ = tokio::time::sleep_until(deadline) => {
                let now = Instant::now();
                if leave_deadline.is_some_and(|d| d <= now) {
                    warn!("no STREAM_CLOSE_RESP within {:?}; closing anyway", shared.close_timeout);
                    break Outcome { reason: StopReason::RECEIVER_REQUEST_CLOSE.as_i32(), error: None, by_server: false };
                }
                if let Some((d, why)) = &media_lost {
                    if *d <= now {
                        break lost(StopReason::DATA_CONNECTION_CLOSED_ABNORMALLY, why.clone());
                    }
                }
                if live.deadline() <= now {
                    match live.expired() {
                        Silence::SendPing => { let _ = ws.send(WsMessage::Ping(Default::default())).await; }
                        Silence::Dead => break Outcome {
                            reason: StopReason::CONNECTION_TIMEOUT.as_i32(),
                            error: Some(Error::new(ErrorKind::Timeout, format!("the signaling server sent nothing for {:?}", live.timeout() * 2))),
                            by_server: false,
                        },
                    }
                }
            }
        }
    };

    // Media: after a server stop every socket first delivers what it already holds; otherwise
    // they close at once. Either way, nothing already received is dropped.
    let _ = close_media.send(if outcome.by_server { Control::Drain } else { Control::Close });
    let drained = tokio::time::timeout(DRAIN, async { while media.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        let _ = close_media.send(Control::Close);
        let _ = tokio::time::timeout(Duration::from_millis(500), async { while media.join_next().await.is_some() {} }).await;
        media.abort_all();
    }
    let _ = tokio::time::timeout(Duration::from_millis(500), ws.close(None)).await;

    match &outcome.error {
        Some(e) => warn!(reason = outcome.reason, error = %e, "stream ended"),
        None => info!(reason = outcome.reason, "stream ended"),
    }
    shared.sinks.emit(Event::Leave { reason: outcome.reason, error: outcome.error });
    let _ = done.send(true);
}

fn lost(reason: StopReason, message: String) -> Outcome {
    Outcome { reason: reason.as_i32(), error: Some(Error::new(ErrorKind::ConnectionLost, message)), by_server: false }
}

/// Handles one signaling frame; returns the outcome when the stream ended.
async fn handle(shared: &Shared, ws: &mut Ws, frame: &[u8], leaving: bool) -> Option<Outcome> {
    let msg = match Message::decode(frame) {
        Ok(m) => m,
        Err(e) => {
            shared.stats.skipped();
            warn!(error = %e, "skipped a signaling frame");
            return None;
        }
    };
    shared.stats.frame(msg.msg_type());
    match msg {
        Message::EventUpdate(update) => {
            for ev in event::from_event_update(&update.event, shared.zcc) {
                if let Event::ActiveSpeaker { user_id, user_name, .. } = &ev {
                    shared.set_speaker(*user_id, user_name);
                }
                shared.sinks.emit(ev);
            }
        }
        Message::StreamStateUpdate(s) if s.state == crate::protocol::StreamState::TERMINATED.as_i32() => {
            return Some(Outcome { reason: s.reason, error: None, by_server: true });
        }
        Message::StreamStateUpdate(s) => shared.sinks.emit(Event::StreamState { state: s.state, reason: s.reason, timestamp: s.timestamp }),
        Message::SessionStateUpdate(s) => {
            if let Some(ev) = event::session_update(&s, &shared.stream_id, &shared.meeting_id) {
                shared.sinks.emit(ev);
            }
        }
        Message::KeepAliveReq(k) => {
            shared.stats.keepalive();
            if let Err(e) = conn::send(ws, &conn::keepalive_reply(k)).await {
                return Some(lost(StopReason::SIGNAL_CONNECTION_CLOSED_ABNORMALLY, e.to_string()));
            }
        }
        Message::SessionStateResp(s) => shared.sinks.emit(Event::StateResponse { msg_type: 11, state: s.state, timestamp: s.timestamp }),
        Message::StreamStateResp(s) => shared.sinks.emit(Event::StateResponse { msg_type: 20, state: s.state, timestamp: s.timestamp }),
        Message::StreamCloseResp(r) => {
            debug!(status = ?r.status_code, "STREAM_CLOSE_RESP");
            if leaving {
                return Some(Outcome { reason: StopReason::RECEIVER_REQUEST_CLOSE.as_i32(), error: None, by_server: true });
            }
        }
        Message::VideoSubscriptionResp(r) => {
            shared.sinks.emit(Event::VideoSubscribed { user_id: r.user_id, status: r.status_code, reason: r.reason })
        }
        Message::AudioMetadata(m) => shared.sinks.emit(Event::AudioMetadata(m.interpreter)),
        Message::Unknown { msg_type, .. } => {
            shared.stats.unknown();
            debug!(msg_type, "unknown msg_type on signaling, ignored");
        }
        other => debug!(msg_type = other.msg_type(), "unexpected message on signaling, ignored"),
    }
    None
}
