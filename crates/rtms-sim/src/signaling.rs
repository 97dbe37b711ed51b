//! The signaling socket: handshake (1/2), ready (7), subscriptions (5), state requests
//! (10/19), close request (21), video subscription (28) and keep-alives.

use std::sync::Arc;

use futures_util::StreamExt;
use rtms_core::protocol::{MediaServer, Message, SignalingHandshakeReq, SignalingHandshakeResp, VideoSubscriptionReq};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::meeting::Meeting;
use crate::scenario::Timeline;
use crate::server::link::{frame_bytes, keepalive_timer, Flow, Link, Outbound};
use crate::server::{record_handshake, Shared};
use crate::util::unix_ms;

struct Session {
    shared: Arc<Shared>,
    hint: Option<usize>,
    ctl: mpsc::UnboundedSender<Outbound>,
    conn_id: Option<u64>,
    tasks: JoinSet<()>,
}

/// Serves one signaling connection until it closes.
pub(crate) async fn run(mut link: Link, shared: Arc<Shared>, hint: Option<usize>) {
    let (ctl, mut ctl_rx) = mpsc::unbounded_channel();
    if let Some(m) = hint.and_then(|i| shared.meetings.get(i)) {
        m.record(|r| r.summary.observed.connections += 1);
    }
    let mut shutdown = shared.shutdown.clone();
    let mut ka = keepalive_timer(shared.cfg.keepalive_interval);
    let mut s = Session { shared, hint, ctl, conn_id: None, tasks: JoinSet::new() };
    loop {
        let flow = tokio::select! {
            biased;
            out = ctl_rx.recv() => match out {
                Some(out) => link.deliver(out).await,
                None => Flow::Stop,
            },
            frame = link.ws.next() => match frame {
                Some(Ok(msg)) => match frame_bytes(&msg) {
                    Some(bytes) => on_frame(&mut link, &mut s, &mut ka, bytes).await,
                    None if msg.is_close() => Flow::Stop,
                    None => Flow::Continue,
                },
                _ => Flow::Stop,
            },
            _ = ka.tick(), if link.joined => link.keepalive_tick().await,
            Some(_) = s.tasks.join_next(), if !s.tasks.is_empty() => Flow::Continue,
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
        tracing::info!(stream = %m.info.rtms_stream_id, "signaling connection closed");
        m.unregister_signaling(id);
    }
}

async fn on_frame(link: &mut Link, s: &mut Session, ka: &mut tokio::time::Interval, frame: &[u8]) -> Flow {
    let msg = match Message::decode(frame) {
        Ok(m) => m,
        Err(e) => {
            if Message::peek_type(frame).ok() == Some(1) {
                return refuse_malformed_handshake(link, s, frame, &e.to_string()).await;
            }
            link.malformed(&e.to_string());
            return Flow::Continue;
        }
    };
    let meeting = link.meeting.clone();
    match (msg, meeting) {
        (Message::SignalingHandshakeReq(req), _) => {
            let was_joined = link.joined;
            let flow = handshake(link, s, frame, req).await;
            if link.joined && !was_joined {
                ka.reset();
            }
            flow
        }
        (Message::KeepAliveReq(k), _) => link.answer_keepalive(k).await,
        (Message::KeepAliveResp(k), _) => {
            link.keepalive_answered(&k);
            Flow::Continue
        }
        (Message::ClientReadyAck(_), Some(m)) => {
            tracing::info!(stream = %m.info.rtms_stream_id, "client ready");
            let again = m.is_running();
            m.mark_ready();
            if again {
                s.tasks.spawn(catch_up(m));
            }
            Flow::Continue
        }
        (Message::EventSubscription(sub), Some(m)) => {
            let raw = serde_json::from_slice::<Value>(frame).ok().and_then(|v| v.get("events").cloned()).unwrap_or(Value::Null);
            m.apply_subscription(&sub.events, raw);
            Flow::Continue
        }
        (Message::SessionStateReq(_), Some(m)) => {
            m.record(|r| r.summary.observed.session_state_requests += 1);
            let msg = json!({"msg_type": 11, "rtms_session_id": m.info.session_id, "state": m.session_state(), "timestamp": unix_ms()});
            link.deliver(Outbound::State(msg)).await
        }
        (Message::StreamStateReq(_), Some(m)) => {
            m.record(|r| r.summary.observed.stream_state_requests += 1);
            let msg = json!({"msg_type": 20, "rtms_stream_id": m.info.rtms_stream_id, "state": m.stream_state(), "reason": 0, "timestamp": unix_ms()});
            link.deliver(Outbound::State(msg)).await
        }
        (Message::StreamCloseReq(_), Some(m)) => {
            tracing::info!(stream = %m.info.rtms_stream_id, "client asked to close the stream");
            m.record(|r| r.summary.observed.stream_close_requests += 1);
            let msg = json!({"msg_type": 22, "rtms_stream_id": m.info.rtms_stream_id, "status_code": 0, "reason": ""});
            let flow = link.send_json(&msg).await;
            m.request_end(20);
            flow
        }
        (Message::VideoSubscriptionReq(v), Some(m)) => video_subscription(link, &m, frame, v).await,
        (other, _) => {
            link.unknown(other.msg_type());
            Flow::Continue
        }
    }
}

/// The response to msg 1; `media_server` only on success.
fn response(req_sequence: Option<Value>, status: i64, reason: &str, m: Option<&Meeting>) -> Vec<u8> {
    let resp = SignalingHandshakeResp {
        protocol_version: 1,
        sequence: req_sequence,
        status_code: Some(status),
        reason: Some(reason.to_owned()),
        media_server: m.map(|m| MediaServer { server_urls: m.media_urls.clone() }),
    };
    Message::SignalingHandshakeResp(resp).encode()
}

async fn handshake(link: &mut Link, s: &mut Session, frame: &[u8], req: SignalingHandshakeReq) -> Flow {
    if link.joined {
        let m = link.meeting.clone();
        if let Some(m) = &m {
            record_handshake(m, link, "signaling", frame, Some(8));
        }
        return link.deliver(Outbound::Frame(response(req.sequence, 8, "duplicate signaling handshake", None))).await;
    }
    let found = s.shared.find_meeting(s.hint, &req.rtms_stream_id);
    if s.shared.flags.ignoring_handshakes() {
        tracing::info!("fault: leaving the signaling handshake unanswered");
        if let Ok(m) = &found {
            record_handshake(m, link, "signaling", frame, None);
        }
        return Flow::Continue;
    }
    let checked = found.and_then(|m| s.shared.check_signature(&m, &req.meeting_uuid, &req.signature).map(|()| m));
    let checked = checked.and_then(|m| match s.shared.flags.take_refusal() {
        Some(status) => Err((status, "refused by fault injection".to_owned())),
        None => Ok(m),
    });
    match checked {
        Ok(m) => {
            tracing::info!(stream = %m.info.rtms_stream_id, "signaling handshake accepted");
            s.conn_id = Some(m.register_signaling(s.ctl.clone()));
            link.meeting = Some(m.clone());
            link.joined = true;
            record_handshake(&m, link, "signaling", frame, Some(0));
            link.deliver(Outbound::Frame(response(req.sequence, 0, "", Some(&m)))).await
        }
        Err((status, reason)) => {
            tracing::info!(status, %reason, "signaling handshake refused");
            if let Some(m) = s
                .hint
                .and_then(|i| s.shared.meetings.get(i))
                .or_else(|| s.shared.meetings.iter().find(|m| m.info.rtms_stream_id == req.rtms_stream_id))
            {
                record_handshake(m, link, "signaling", frame, Some(status));
            }
            let _ = link.deliver(Outbound::Frame(response(req.sequence, status, &reason, None))).await;
            link.close().await;
            Flow::Stop
        }
    }
}

async fn refuse_malformed_handshake(link: &mut Link, s: &Session, frame: &[u8], detail: &str) -> Flow {
    tracing::info!(detail, "malformed signaling handshake");
    if let Some(m) = s.hint.and_then(|i| s.shared.meetings.get(i)) {
        record_handshake(m, link, "signaling", frame, Some(4));
    }
    let _ = link.deliver(Outbound::Frame(response(None, 4, &format!("malformed handshake: {detail}"), None))).await;
    link.close().await;
    Flow::Stop
}

async fn video_subscription(link: &mut Link, m: &Meeting, frame: &[u8], v: VideoSubscriptionReq) -> Flow {
    let raw = serde_json::from_slice::<Value>(frame).unwrap_or(Value::Null);
    m.record(|r| r.summary.observed.video_subscriptions.push(raw));
    let exists = m.scenario.participant(v.user_id).is_some();
    let (status, reason) = if exists { (0, String::new()) } else { (4, format!("no participant with user_id {}", v.user_id)) };
    if exists {
        m.set_video_subscription(v.user_id, v.subscribe);
    }
    let msg = json!({"msg_type": 29, "user_id": v.user_id, "status_code": status, "reason": reason, "timestamp": unix_ms()});
    link.send_json(&msg).await
}

/// A client that became ready again (a re-join) gets the session state and the meeting as it
/// is now, after the settle wait for its subscriptions.
async fn catch_up(m: Arc<Meeting>) {
    m.settle().await;
    if !m.is_running() {
        return;
    }
    let now = m.now_ms() as u64;
    m.send_session_state(2, 0, m.stamp(now));
    let mut first = serde_json::Map::new();
    first.insert("event_type".into(), json!(1));
    m.send_event(first, m.stamp(0));
    for ev in Timeline::catch_up(&m.scenario, now) {
        m.send_event(ev, m.stamp(now));
    }
}
