//! What the simulator sent and what it saw the client do, per meeting, so a test can compare
//! it with what the client received.

use std::collections::{BTreeMap, HashMap};

use rtms_core::protocol::{MediaContent, MediaType};
use serde::Serialize;
use serde_json::Value;

use crate::scenario::Product;

/// Packets, payload bytes and the CRC32 of the concatenated payloads (in send order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MediaStats {
    pub packets: u64,
    pub bytes: u64,
    pub crc32: u32,
}

/// [`MediaStats`] of one user on one media type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserMediaStats {
    /// `audio`, `video`, `deskshare`, `transcript` or `chat`.
    pub media: String,
    pub user_id: i64,
    pub user_name: String,
    pub packets: u64,
    pub bytes: u64,
    pub crc32: u32,
}

/// One handshake the client made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandshakeRecord {
    /// `signaling` or `media`.
    pub channel: String,
    /// Request path and query of the WebSocket upgrade.
    pub path: String,
    /// Upgrade request headers (names lower-case).
    pub headers: BTreeMap<String, String>,
    /// The handshake message as received, with `signature` redacted.
    pub request: Value,
    /// The status the simulator answered with (`None` when it did not answer).
    pub status_code: Option<i64>,
}

/// One webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookRecord {
    pub event: String,
    pub attempts: u32,
    /// The final HTTP status, if any answer came.
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// What the client did, as the simulator saw it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Observed {
    pub handshakes: Vec<HandshakeRecord>,
    /// The `events` array of every `EVENT_SUBSCRIPTION`, in order.
    pub subscriptions: Vec<Value>,
    pub ready_acks: u32,
    /// `KEEP_ALIVE_REQ`s the simulator sent / the client answered.
    pub keepalives_sent: u64,
    pub keepalives_answered: u64,
    /// `KEEP_ALIVE_REQ`s the client sent (answered with 13).
    pub client_keepalives: u64,
    pub stream_close_requests: u32,
    pub session_state_requests: u32,
    pub stream_state_requests: u32,
    /// Every `VIDEO_SUBSCRIPTION_REQ`, as received.
    pub video_subscriptions: Vec<Value>,
    /// `msg_type`s the simulator does not handle, in order.
    pub unknown_msg_types: Vec<i64>,
    /// Frames that were not a JSON object with an integer `msg_type`.
    pub malformed_frames: u64,
    /// WebSocket connections for this meeting (signaling and media).
    pub connections: u32,
}

/// Everything about one meeting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingSummary {
    pub meeting_uuid: String,
    pub rtms_stream_id: String,
    pub product: Product,
    /// The scenario started (the client was ready).
    pub started: bool,
    /// The stream ended and the stop was sent (or there was no signaling socket to send it on).
    pub ended: bool,
    pub stop_reason: Option<i32>,
    /// Per media type (`audio`, `video`, ...).
    pub media: BTreeMap<String, MediaStats>,
    /// Per media type and user, sorted.
    pub users: Vec<UserMediaStats>,
    /// Transcript texts sent, in order.
    pub transcripts: Vec<String>,
    /// Chat texts sent, in order.
    pub chats: Vec<String>,
    /// The `event` objects of every `EVENT_UPDATE` sent.
    pub events: Vec<Value>,
    /// Session and stream state messages sent (msg 9, 8, 11, 20), whole.
    pub states: Vec<Value>,
    /// Faults injected, in order.
    pub faults: Vec<String>,
    pub webhooks: Vec<WebhookRecord>,
    pub observed: Observed,
}

impl MeetingSummary {
    /// Stats of one media type (`"audio"`, ...); zero when nothing was sent.
    pub fn media_stats(&self, key: &str) -> MediaStats {
        self.media.get(key).copied().unwrap_or_default()
    }

    /// Stats of one user on one media type.
    pub fn user_stats(&self, key: &str, user_id: i64) -> Option<&UserMediaStats> {
        self.users.iter().find(|u| u.media == key && u.user_id == user_id)
    }

    /// The `event_type`s of the events sent, in order.
    pub fn event_types(&self) -> Vec<i64> {
        self.events.iter().filter_map(|e| e.get("event_type").and_then(Value::as_i64)).collect()
    }
}

/// The summary of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub meetings: Vec<MeetingSummary>,
}

#[derive(Default)]
struct Acc {
    stats: MediaStats,
    hasher: crc32fast::Hasher,
    user_name: String,
}

impl Acc {
    fn add(&mut self, data: &[u8]) {
        self.stats.packets += 1;
        self.stats.bytes += data.len() as u64;
        self.hasher.update(data);
    }

    fn snapshot(&self) -> MediaStats {
        MediaStats { crc32: self.hasher.clone().finalize(), ..self.stats }
    }
}

/// The live accumulator behind a [`MeetingSummary`].
pub(crate) struct Recorder {
    pub summary: MeetingSummary,
    media: HashMap<&'static str, Acc>,
    users: HashMap<(&'static str, i64), Acc>,
}

impl Recorder {
    pub fn new(meeting_uuid: &str, rtms_stream_id: &str, product: Product) -> Self {
        let summary = MeetingSummary {
            meeting_uuid: meeting_uuid.to_owned(),
            rtms_stream_id: rtms_stream_id.to_owned(),
            product,
            started: false,
            ended: false,
            stop_reason: None,
            media: BTreeMap::new(),
            users: Vec::new(),
            transcripts: Vec::new(),
            chats: Vec::new(),
            events: Vec::new(),
            states: Vec::new(),
            faults: Vec::new(),
            webhooks: Vec::new(),
            observed: Observed::default(),
        };
        Recorder { summary, media: HashMap::new(), users: HashMap::new() }
    }

    /// Counts one media packet that went out.
    pub fn media(&mut self, kind: MediaType, c: &MediaContent) {
        let key = kind.key();
        self.media.entry(key).or_default().add(&c.data);
        let user = self.users.entry((key, c.user_id)).or_default();
        user.add(&c.data);
        if user.user_name.is_empty() {
            user.user_name.clone_from(&c.user_name);
        }
        if kind == MediaType::TRANSCRIPT {
            self.summary.transcripts.push(String::from_utf8_lossy(&c.data).into_owned());
        } else if kind == MediaType::CHAT {
            self.summary.chats.push(String::from_utf8_lossy(&c.data).into_owned());
        }
    }

    pub fn snapshot(&self) -> MeetingSummary {
        let mut s = self.summary.clone();
        s.media = self.media.iter().map(|(k, a)| ((*k).to_owned(), a.snapshot())).collect();
        let mut users: Vec<UserMediaStats> = self
            .users
            .iter()
            .map(|((k, id), a)| {
                let m = a.snapshot();
                UserMediaStats {
                    media: (*k).to_owned(),
                    user_id: *id,
                    user_name: a.user_name.clone(),
                    packets: m.packets,
                    bytes: m.bytes,
                    crc32: m.crc32,
                }
            })
            .collect();
        users.sort_by(|a, b| (&a.media, a.user_id).cmp(&(&b.media, b.user_id)));
        s.users = users;
        s
    }
}
