//! A media socket: the data handshake (3/4), then the media producers for the negotiated
//! types, keep-alives, and nothing else from the client.

use std::sync::Arc;

use futures_util::StreamExt;
use rtms_core::params::MediaParams;
use rtms_core::protocol::{DataHandshakeReq, DataHandshakeResp, Message};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::meeting::{Meeting, Refusal};
use crate::negotiate::{negotiate, Negotiated};
use crate::server::link::{frame_bytes, keepalive_timer, Flow, Link, Outbound};
use crate::server::{record_handshake, Shared};
use crate::streams;

/// Producers may queue this many packets ahead of the socket (flood mode's back-pressure).
const MEDIA_QUEUE: usize = 64;

struct Session {
    shared: Arc<Shared>,
    hint: Option<usize>,
    ctl: mpsc::UnboundedSender<Outbound>,
    media_tx: mpsc::Sender<Outbound>,
    conn_id: Option<u64>,
    producers: JoinSet<()>,
}

/// Serves one media connection until it closes.
pub(crate) async fn run(mut link: Link, shared: Arc<Shared>, hint: Option<usize>) {
    let (ctl, mut ctl_rx) = mpsc::unbounded_channel();
    let (media_tx, mut media_rx) = mpsc::channel(MEDIA_QUEUE);
    if let Some(m) = hint.and_then(|i| shared.meetings.get(i)) {
        link.meeting = Some(m.clone());
        m.record(|r| r.summary.observed.connections += 1);
    }
    let mut shutdown = shared.shutdown.clone();
    let mut ka = keepalive_timer(shared.cfg.keepalive_interval);
    let mut s = Session { shared, hint, ctl, media_tx, conn_id: None, producers: JoinSet::new() };
    loop {
        let flow = tokio::select! {
            biased;
            out = ctl_rx.recv() => match out {
                Some(out) => link.deliver(out).await,
                None => Flow::Stop,
            },
            frame = link.ws.next() => match frame {
                Some(Ok(msg)) => match frame_bytes(&msg) {
                    Some(bytes) => {
                        let was_joined = link.joined;
                        let flow = on_frame(&mut link, &mut s, bytes).await;
                        if link.joined && !was_joined {
                            ka.reset();
                        }
                        flow
                    }
                    None if msg.is_close() => Flow::Stop,
                    None => Flow::Continue,
                },
                _ => Flow::Stop,
            },
            Some(out) = media_rx.recv() => link.deliver(out).await,
            _ = ka.tick(), if link.joined => link.keepalive_tick().await,
            Some(_) = s.producers.join_next(), if !s.producers.is_empty() => Flow::Continue,
            _ = shutdown.changed() => {
                link.close().await;
                Flow::Stop
            }
        };
        if flow == Flow::Stop {
            break;
        }
    }
    if let (Some(m), Some(id)) = (&link.meeting, s.conn_id) {
        tracing::info!(stream = %m.info.rtms_stream_id, conn = %link.label, "media connection closed");
        m.unregister_media(id);
    }
}

async fn on_frame(link: &mut Link, s: &mut Session, frame: &[u8]) -> Flow {
    let msg = match Message::decode(frame) {
        Ok(m) => m,
        Err(e) => {
            if Message::peek_type(frame).ok() == Some(3) && !link.joined {
                return answer(link, s, frame, None, Err((4, format!("malformed data handshake: {e}")))).await;
            }
            link.malformed(&e.to_string());
            return Flow::Continue;
        }
    };
    match msg {
        Message::DataHandshakeReq(req) => handshake(link, s, frame, req).await,
        Message::KeepAliveReq(k) => link.answer_keepalive(k).await,
        Message::KeepAliveResp(k) => {
            link.keepalive_answered(&k);
            Flow::Continue
        }
        other => {
            link.unknown(other.msg_type());
            Flow::Continue
        }
    }
}

fn decide(link: &Link, s: &Session, req: &DataHandshakeReq) -> Result<(Arc<Meeting>, Negotiated), Refusal> {
    if link.joined {
        return Err((16, "duplicate data handshake on this connection".into()));
    }
    let m = s.shared.find_meeting(s.hint, &req.rtms_stream_id)?;
    if !m.has_signaling() {
        return Err((40, "no signaling session for this stream".into()));
    }
    s.shared.check_signature(&m, &req.meeting_uuid, &req.signature)?;
    if let Some(status) = s.shared.flags.take_refusal() {
        return Err((status, "refused by fault injection".into()));
    }
    let n = negotiate(req)?;
    Ok((m, n))
}

async fn handshake(link: &mut Link, s: &mut Session, frame: &[u8], req: DataHandshakeReq) -> Flow {
    if s.shared.flags.ignoring_handshakes() {
        tracing::info!("fault: leaving the data handshake unanswered");
        if let Some(m) = &link.meeting {
            record_handshake(m, link, "media", frame, None);
        }
        return Flow::Continue;
    }
    let decided = decide(link, s, &req).and_then(|(m, n)| {
        let id = m.register_media(n.mask, n.all, s.ctl.clone())?;
        Ok((m, n, id))
    });
    match decided {
        Ok((m, n, id)) => {
            tracing::info!(stream = %m.info.rtms_stream_id, conn = %link.label, mask = n.mask, "data handshake accepted");
            s.conn_id = Some(id);
            link.meeting = Some(m.clone());
            link.joined = true;
            let flow = answer(link, s, frame, req.sequence.clone(), Ok(n.params.clone())).await;
            streams::spawn_all(&mut s.producers, &m, &n, s.media_tx.clone());
            flow
        }
        Err(refusal) => answer(link, s, frame, req.sequence.clone(), Err(refusal)).await,
    }
}

/// Sends msg 4; after a refusal the connection is closed.
async fn answer(link: &mut Link, s: &Session, frame: &[u8], sequence: Option<Value>, outcome: Result<MediaParams, Refusal>) -> Flow {
    let (status, reason, params) = match outcome {
        Ok(p) => (0, String::new(), Some(p)),
        Err((status, reason)) => {
            tracing::info!(status, %reason, conn = %link.label, "data handshake refused");
            (status, reason, None)
        }
    };
    let m = link.meeting.clone().or_else(|| s.hint.and_then(|i| s.shared.meetings.get(i).cloned()));
    if let Some(m) = &m {
        record_handshake(m, link, "media", frame, Some(status));
    }
    let resp = DataHandshakeResp {
        protocol_version: 1,
        sequence,
        status_code: Some(status),
        reason: Some(reason),
        payload_encrypted: false,
        media_params: Some(params.unwrap_or_default()),
    };
    let flow = link.deliver(Outbound::Frame(Message::DataHandshakeResp(resp).encode())).await;
    if status != 0 {
        link.close().await;
        return Flow::Stop;
    }
    flow
}
