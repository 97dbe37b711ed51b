//! What a joined client delivers: media, meeting events, state changes, join and leave.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::protocol::{EventType, MediaContent, MediaType, SessionEventOp, SessionStateUpdate};

/// One participant in an event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Participant {
    pub user_id: i64,
    pub user_name: String,
}

/// The session object of `onSessionUpdate`. Every field always holds a valid value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionInfo {
    pub session_id: String,
    pub stream_id: String,
    /// The instance id the client joined with (meeting/webinar uuid, session or engagement id).
    pub meeting_id: String,
    /// Session start time, Unix ms (not truncated).
    pub stat_time: u64,
    /// [`crate::protocol::SessionState`] value.
    pub state: i32,
    /// True while the session is paused.
    pub is_paused: bool,
}

/// One media packet with its type. `attributed` is true when the server sent mixed audio
/// without a speaker and the client filled in the current active speaker (as Zoom's SDK does).
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub kind: MediaType,
    pub content: MediaContent,
    pub attributed: bool,
}

/// Everything a client reports, in arrival order per socket.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The join finished: 0 on success, else the official join code (server status,
    /// 1 timeout, 6 malformed response).
    JoinConfirm {
        reason: i64,
    },
    /// Session state change (msg 9), with the official op code.
    SessionUpdate {
        op: SessionEventOp,
        session: SessionInfo,
    },
    /// Stream state change other than the final TERMINATED (msg 8).
    StreamState {
        state: i32,
        reason: i32,
        timestamp: u64,
    },
    /// One participant joined (op `USER_JOIN` = 0) or left (`USER_LEAVE` = 1); fired once
    /// per participant of a participant event.
    UserUpdate {
        op: i32,
        participant: Participant,
    },
    /// Participants joined (`joined`) or left, as one event.
    Participants {
        joined: bool,
        timestamp: u64,
        participants: Vec<Participant>,
    },
    ActiveSpeaker {
        timestamp: u64,
        user_id: i64,
        user_name: String,
    },
    Sharing {
        started: bool,
        timestamp: u64,
        user_id: Option<i64>,
        user_name: Option<String>,
    },
    MediaConnectionInterrupted {
        timestamp: u64,
    },
    ParticipantVideo {
        on: bool,
        timestamp: u64,
        user_ids: Vec<i64>,
    },
    /// Answer to a video subscription (msg 29).
    VideoSubscribed {
        user_id: i64,
        status: i64,
        reason: String,
    },
    /// Every meeting event (msg 6), known or not, as compact JSON with sorted keys
    /// (`onEventEx`). Typed events above are delivered in addition.
    Raw {
        event_type: i32,
        json: Arc<str>,
    },
    Media(Media),
    /// AI-interpreter metadata (msg 23), raw.
    AudioMetadata(Value),
    /// A stream-state answer (msg 20) or session-state answer (msg 11).
    StateResponse {
        msg_type: i64,
        state: i32,
        timestamp: u64,
    },
    /// The stream ended. `reason` is a [`crate::protocol::StopReason`] value; `error` says
    /// what failed when the client (not the server) ended it.
    Leave {
        reason: i32,
        error: Option<Error>,
    },
}

impl Event {
    /// Short name for logs and bindings (`"audio"`, `"join_confirm"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Event::JoinConfirm { .. } => "join_confirm",
            Event::SessionUpdate { .. } => "session_update",
            Event::StreamState { .. } => "stream_state",
            Event::UserUpdate { .. } => "user_update",
            Event::Participants { .. } => "participant_event",
            Event::ActiveSpeaker { .. } => "active_speaker",
            Event::Sharing { .. } => "sharing",
            Event::MediaConnectionInterrupted { .. } => "media_connection_interrupted",
            Event::ParticipantVideo { .. } => "participant_video",
            Event::VideoSubscribed { .. } => "video_subscribed",
            Event::Raw { .. } => "event_ex",
            Event::Media(m) => m.kind.key(),
            Event::AudioMetadata(_) => "audio_metadata",
            Event::StateResponse { .. } => "state_response",
            Event::Leave { .. } => "leave",
        }
    }
}

fn participants(event: &Map<String, Value>) -> Vec<Participant> {
    let one = |v: &Value| Participant {
        user_id: v.get("user_id").and_then(Value::as_i64).unwrap_or(0),
        user_name: v.get("user_name").and_then(Value::as_str).unwrap_or("").to_owned(),
    };
    match event.get("participants") {
        Some(Value::Array(list)) => list.iter().map(one).collect(),
        // Tolerated: a single object (Zoom's SDK throws on this shape).
        Some(v @ Value::Object(_)) => vec![one(v)],
        _ => Vec::new(),
    }
}

/// Turns one `EVENT_UPDATE` into the typed events it implies, followed by the raw event.
/// `zcc` selects the Contact Center meaning of event types 8 and up.
pub(crate) fn from_event_update(event: &Map<String, Value>, zcc: bool) -> Vec<Event> {
    let event_type = event.get("event_type").and_then(Value::as_i64).unwrap_or(0) as i32;
    let ts = event.get("timestamp").and_then(Value::as_u64).unwrap_or(0);
    let uid = event.get("user_id").and_then(Value::as_i64);
    let uname = event.get("user_name").and_then(Value::as_str).map(str::to_owned);
    let mut out = Vec::with_capacity(3);
    let typed = if zcc && event_type >= 8 { None } else { EventType::from_i32(event_type) };
    match typed {
        Some(EventType::ACTIVE_SPEAKER_CHANGE) => {
            out.push(Event::ActiveSpeaker { timestamp: ts, user_id: uid.unwrap_or(0), user_name: uname.unwrap_or_default() })
        }
        Some(t @ (EventType::PARTICIPANT_JOIN | EventType::PARTICIPANT_LEAVE)) => {
            let joined = t == EventType::PARTICIPANT_JOIN;
            let list = participants(event);
            for p in &list {
                out.push(Event::UserUpdate { op: if joined { 0 } else { 1 }, participant: p.clone() });
            }
            out.push(Event::Participants { joined, timestamp: ts, participants: list });
        }
        Some(EventType::SHARING_START) => out.push(Event::Sharing { started: true, timestamp: ts, user_id: uid, user_name: uname }),
        Some(EventType::SHARING_STOP) => out.push(Event::Sharing { started: false, timestamp: ts, user_id: uid, user_name: uname }),
        Some(EventType::MEDIA_CONNECTION_INTERRUPTED) => out.push(Event::MediaConnectionInterrupted { timestamp: ts }),
        Some(t @ (EventType::PARTICIPANT_VIDEO_ON | EventType::PARTICIPANT_VIDEO_OFF)) => out.push(Event::ParticipantVideo {
            on: t == EventType::PARTICIPANT_VIDEO_ON,
            timestamp: ts,
            user_ids: participants(event).into_iter().map(|p| p.user_id).collect(),
        }),
        _ => {}
    }
    let json: Arc<str> = serde_json::to_string(event).unwrap_or_default().into();
    out.push(Event::Raw { event_type, json });
    out
}

/// Maps a session state update to the official `onSessionUpdate` op, if it has one.
pub(crate) fn session_update(msg: &SessionStateUpdate, stream_id: &str, meeting_id: &str) -> Option<Event> {
    let op = match msg.state {
        2 => SessionEventOp::SESSION_EVENT_ADD,
        3 => SessionEventOp::SESSION_EVENT_PAUSE,
        4 => SessionEventOp::SESSION_EVENT_RESUME,
        5 => SessionEventOp::SESSION_EVENT_STOP,
        _ => return None,
    };
    Some(Event::SessionUpdate {
        op,
        session: SessionInfo {
            session_id: msg.rtms_session_id.clone(),
            stream_id: stream_id.to_owned(),
            meeting_id: meeting_id.to_owned(),
            stat_time: msg.timestamp,
            state: msg.state,
            is_paused: msg.state == 3,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn participant_leave_reaches_the_typed_callback() {
        let ev = from_event_update(&obj(json!({"event_type":4,"timestamp":7,"participants":[{"user_id":5,"user_name":"Bo"}]})), false);
        assert_eq!(ev[0], Event::UserUpdate { op: 1, participant: Participant { user_id: 5, user_name: "Bo".into() } });
        assert!(matches!(&ev[1], Event::Participants { joined: false, participants, .. } if participants.len() == 1));
        assert!(matches!(&ev[2], Event::Raw { event_type: 4, json } if json.contains("\"participants\"")));
        // A single object instead of an array is tolerated.
        let ev = from_event_update(&obj(json!({"event_type":4,"timestamp":7,"participants":{"user_id":5}})), false);
        assert!(matches!(&ev[0], Event::UserUpdate { op: 1, .. }));
    }

    #[test]
    fn unknown_and_zcc_events_stay_raw() {
        let ev = from_event_update(&obj(json!({"event_type":77,"timestamp":1,"x":1})), false);
        assert_eq!(ev.len(), 1);
        let ev = from_event_update(&obj(json!({"event_type":8,"timestamp":1,"participants":[{"user_id":1}]})), true);
        assert_eq!(ev.len(), 1);
        let ev = from_event_update(&obj(json!({"event_type":8,"timestamp":1,"participants":[{"user_id":1}]})), false);
        assert!(matches!(&ev[0], Event::ParticipantVideo { on: true, user_ids, .. } if user_ids == &vec![1]));
    }

    #[test]
    fn session_info_is_always_valid() {
        let msg = SessionStateUpdate { rtms_session_id: "sess".into(), state: 3, reason: 0, timestamp: 1_732_000_000_000 };
        let Some(Event::SessionUpdate { op, session }) = session_update(&msg, "stream", "meeting") else { panic!() };
        assert_eq!(op, SessionEventOp::SESSION_EVENT_PAUSE);
        assert!(session.is_paused);
        assert_eq!(session.stat_time, 1_732_000_000_000);
        assert_eq!((session.stream_id.as_str(), session.meeting_id.as_str()), ("stream", "meeting"));
    }
}
