//! The JSON messages of both channels (signaling and media), field by field.
//!
//! Decoding is lenient (unknown fields are ignored, optional fields may be missing) and
//! encoding is exact (the fields Zoom's SDK requires are always written).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::params::MediaParams;

/// `SIGNALING_HAND_SHAKE_REQ` (1, client to server).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SignalingHandshakeReq {
    #[serde(default = "one")]
    pub protocol_version: i64,
    /// The instance id (meeting, webinar, session or engagement id) always travels here.
    #[serde(default, alias = "session_id", alias = "webinar_uuid", alias = "engagement_id")]
    pub meeting_uuid: String,
    #[serde(default)]
    pub rtms_stream_id: String,
    #[serde(default)]
    pub signature: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtms_client_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buffer_data: Option<bool>,
}

/// Per-media-type URLs in the signaling handshake response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerUrls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deskshare: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<String>,
}

impl ServerUrls {
    /// The URL for a single media type key (`"audio"`, ..., `"all"`).
    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            "audio" => self.audio.as_deref(),
            "video" => self.video.as_deref(),
            "deskshare" => self.deskshare.as_deref(),
            "transcript" => self.transcript.as_deref(),
            "chat" => self.chat.as_deref(),
            "all" => self.all.as_deref(),
            _ => None,
        }
    }
}

/// `media_server` in the signaling handshake response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MediaServer {
    #[serde(default)]
    pub server_urls: ServerUrls,
}

/// `SIGNALING_HAND_SHAKE_RESP` (2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SignalingHandshakeResp {
    #[serde(default = "one")]
    pub protocol_version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<Value>,
    /// Required by Zoom's SDK; a response without it is a protocol violation.
    #[serde(default)]
    pub status_code: Option<i64>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_server: Option<MediaServer>,
}

/// `DATA_HAND_SHAKE_REQ` (3), first message on every media socket.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataHandshakeReq {
    #[serde(default = "one")]
    pub protocol_version: i64,
    #[serde(default, alias = "session_id", alias = "webinar_uuid", alias = "engagement_id")]
    pub meeting_uuid: String,
    #[serde(default)]
    pub rtms_stream_id: String,
    #[serde(default)]
    pub signature: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<Value>,
    /// Bitmask of [`crate::protocol::MediaType`].
    #[serde(default)]
    pub media_type: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_encryption: Option<bool>,
    #[serde(default)]
    pub media_params: Option<MediaParams>,
}

/// `DATA_HAND_SHAKE_RESP` (4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataHandshakeResp {
    #[serde(default = "one")]
    pub protocol_version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<Value>,
    #[serde(default)]
    pub status_code: Option<i64>,
    #[serde(default)]
    pub reason: Option<String>,
    /// Required by Zoom's SDK.
    #[serde(default)]
    pub payload_encrypted: bool,
    #[serde(default)]
    pub media_params: Option<MediaParams>,
}

/// One entry of `EVENT_SUBSCRIPTION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSubscriptionItem {
    pub event_type: i32,
    pub subscribe: bool,
}

/// `EVENT_SUBSCRIPTION` (5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventSubscription {
    #[serde(default)]
    pub events: Vec<EventSubscriptionItem>,
}

/// `EVENT_UPDATE` (6). `event` is kept as raw JSON (`event_type`, `timestamp` and the
/// type's own fields) so that event types unknown today are still delivered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventUpdate {
    #[serde(default)]
    pub event: Map<String, Value>,
}

impl EventUpdate {
    /// `event.event_type`, if it is an integer.
    pub fn event_type(&self) -> Option<i32> {
        self.event.get("event_type").and_then(Value::as_i64).map(|v| v as i32)
    }

    /// `event.timestamp`, if it is an integer.
    pub fn timestamp(&self) -> u64 {
        self.event.get("timestamp").and_then(Value::as_u64).unwrap_or(0)
    }
}

/// `CLIENT_READY_ACK` (7).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientReadyAck {
    #[serde(default)]
    pub rtms_stream_id: String,
}

/// `STREAM_STATE_UPDATE` (8) and `STREAM_STATE_RESP` (20).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamStateUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtms_stream_id: Option<String>,
    #[serde(default)]
    pub state: i32,
    /// Zoom's SDK reads `reason`; samples spell it `stop_reason`. Both are accepted.
    #[serde(default, alias = "stop_reason")]
    pub reason: i32,
    #[serde(default)]
    pub timestamp: u64,
}

/// `SESSION_STATE_UPDATE` (9) and `SESSION_STATE_RESP` (11).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionStateUpdate {
    #[serde(default)]
    pub rtms_session_id: String,
    #[serde(default)]
    pub state: i32,
    #[serde(default, alias = "stop_reason")]
    pub reason: i32,
    #[serde(default)]
    pub timestamp: u64,
}

/// `SESSION_STATE_REQ` (10).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionStateReq {
    #[serde(default)]
    pub rtms_session_id: String,
}

/// `STREAM_STATE_REQ` (19) and `STREAM_CLOSE_REQ` (21).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamRef {
    #[serde(default)]
    pub rtms_stream_id: String,
}

/// `STREAM_CLOSE_RESP` (22).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamCloseResp {
    #[serde(default)]
    pub rtms_stream_id: String,
    #[serde(default)]
    pub status_code: Option<i64>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `KEEP_ALIVE_REQ` (12) and `KEEP_ALIVE_RESP` (13). Fields are kept as they arrived so the
/// answer echoes them exactly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeepAlive {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Value>,
}

/// `VIDEO_SUBSCRIPTION_REQ` (28).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VideoSubscriptionReq {
    #[serde(default)]
    pub user_id: i64,
    #[serde(default)]
    pub subscribe: bool,
    #[serde(default)]
    pub timestamp: u64,
}

/// `VIDEO_SUBSCRIPTION_RESP` (29).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VideoSubscriptionResp {
    #[serde(default)]
    pub user_id: i64,
    #[serde(default)]
    pub status_code: i64,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub timestamp: u64,
}

/// `META_DATA_AUDIO` (23): AI-interpreter metadata, kept raw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AudioMetadata {
    #[serde(default)]
    pub interpreter: Value,
}

fn one() -> i64 {
    1
}
