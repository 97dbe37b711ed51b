//! Core events as the one object the JS dispatcher receives per event.
//!
//! `bindings/node/index.js` turns a [`Delivery`] into the official callback arguments, e.g.
//! media `(buffer, size, timestamp, metadata)`. Media payloads become `Buffer`s that own the
//! decoded bytes (no copy where the runtime allows external buffers).

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use rtms_core::{Event, Media};

/// `metadata` of the media callbacks (official camelCase names).
#[napi(object)]
pub struct Metadata {
    pub user_id: i64,
    pub user_name: String,
    /// Start of the packet (transcripts: sentence start), Unix ms.
    pub start_ts: i64,
    /// End of the packet (transcripts: sentence end), Unix ms.
    pub end_ts: i64,
    /// Contact Center channel id, when the source is identified by channel.
    pub channel_id: Option<String>,
    /// Transcript language id.
    pub language: Option<i32>,
    /// Transcript sentence id.
    pub sentence_id: Option<i64>,
    /// True when the client attributed mixed audio to the current active speaker.
    pub attributed: bool,
}

/// `sessionInfo` of `onSessionUpdate`.
#[napi(object)]
pub struct SessionInfo {
    pub session_id: String,
    pub stream_id: String,
    pub meeting_id: String,
    pub stat_time: i64,
    pub status: i32,
    pub is_active: bool,
    pub is_paused: bool,
}

/// One participant (`{userId, userName}`).
#[napi(object)]
pub struct Participant {
    pub user_id: i64,
    pub user_name: String,
}

/// One event for the JS dispatcher: `kind` is [`Event::name`]; the other fields are set as the
/// kind needs them.
#[napi(object)]
pub struct Delivery {
    pub kind: String,
    pub buffer: Option<Buffer>,
    pub timestamp: Option<i64>,
    pub metadata: Option<Metadata>,
    pub reason: Option<i64>,
    pub op: Option<i32>,
    pub session: Option<SessionInfo>,
    pub participants: Option<Vec<Participant>>,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub user_ids: Option<Vec<i64>>,
    /// Participant event joined, sharing started, video on.
    pub on: Option<bool>,
    pub status: Option<i64>,
    /// `onVideoSubscribed`'s error text; for `leave`, what failed when the client ended it.
    pub error: Option<String>,
    pub error_code: Option<String>,
    /// `onEventEx`'s JSON.
    pub json: Option<String>,
    pub state: Option<i32>,
}

impl Delivery {
    fn new(kind: &str) -> Delivery {
        Delivery {
            kind: kind.to_owned(),
            buffer: None,
            timestamp: None,
            metadata: None,
            reason: None,
            op: None,
            session: None,
            participants: None,
            user_id: None,
            user_name: None,
            user_ids: None,
            on: None,
            status: None,
            error: None,
            error_code: None,
            json: None,
            state: None,
        }
    }
}

fn ms(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn participant(p: &rtms_core::Participant) -> Participant {
    Participant { user_id: p.user_id, user_name: p.user_name.clone() }
}

fn media(m: Media) -> Delivery {
    let c = m.content;
    let mut d = Delivery::new(m.kind.key());
    d.timestamp = Some(ms(c.timestamp));
    d.metadata = Some(Metadata {
        user_id: c.user_id,
        user_name: c.user_name,
        start_ts: ms(c.start_time.unwrap_or(c.timestamp)),
        end_ts: ms(c.end_time.unwrap_or(c.timestamp)),
        channel_id: c.channel_id,
        language: c.language,
        sentence_id: c.sentence_id,
        attributed: m.attributed,
    });
    // `Vec::from(Bytes)` takes the allocation over when the bytes are not shared.
    d.buffer = Some(Buffer::from(Vec::<u8>::from(c.data)));
    d
}

/// The delivery of one event; `None` for events without a JS callback.
pub fn to_delivery(event: Event) -> Option<Delivery> {
    let mut d = Delivery::new(event.name());
    match event {
        Event::JoinConfirm { reason } => d.reason = Some(reason),
        Event::Leave { reason, error } => {
            d.reason = Some(i64::from(reason));
            if let Some(e) = error {
                d.error_code = Some(e.kind().name().to_owned());
                d.error = Some(e.message().to_owned());
            }
        }
        Event::SessionUpdate { op, session } => {
            d.op = Some(op.as_i32());
            d.session = Some(SessionInfo {
                is_active: !session.is_paused && session.state != 5,
                session_id: session.session_id,
                stream_id: session.stream_id,
                meeting_id: session.meeting_id,
                stat_time: ms(session.stat_time),
                status: session.state,
                is_paused: session.is_paused,
            });
        }
        Event::StreamState { state, reason, timestamp } => {
            d.state = Some(state);
            d.reason = Some(i64::from(reason));
            d.timestamp = Some(ms(timestamp));
        }
        Event::UserUpdate { op, participant: p } => {
            d.op = Some(op);
            d.user_id = Some(p.user_id);
            d.user_name = Some(p.user_name);
        }
        Event::Participants { joined, timestamp, participants } => {
            d.on = Some(joined);
            d.timestamp = Some(ms(timestamp));
            d.participants = Some(participants.iter().map(participant).collect());
        }
        Event::ActiveSpeaker { timestamp, user_id, user_name } => {
            d.timestamp = Some(ms(timestamp));
            d.user_id = Some(user_id);
            d.user_name = Some(user_name);
        }
        Event::Sharing { started, timestamp, user_id, user_name } => {
            d.on = Some(started);
            d.timestamp = Some(ms(timestamp));
            d.user_id = user_id;
            d.user_name = user_name;
        }
        Event::MediaConnectionInterrupted { timestamp } => d.timestamp = Some(ms(timestamp)),
        Event::ParticipantVideo { on, timestamp, user_ids } => {
            d.on = Some(on);
            d.timestamp = Some(ms(timestamp));
            d.user_ids = Some(user_ids);
        }
        Event::VideoSubscribed { user_id, status, reason } => {
            d.user_id = Some(user_id);
            d.status = Some(status);
            d.error = Some(reason);
        }
        Event::Raw { json, .. } => d.json = Some(json.to_string()),
        Event::Media(m) => return Some(media(m)),
        Event::AudioMetadata(_) | Event::StateResponse { .. } => return None,
    }
    Some(d)
}

/// True for the last event of a session.
pub fn is_final(event: &Event) -> bool {
    matches!(event, Event::Leave { .. }) || matches!(event, Event::JoinConfirm { reason } if *reason != 0)
}
