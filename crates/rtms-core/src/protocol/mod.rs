//! The RTMS wire protocol v1: message types, enums, messages, and one decoder/encoder.
//!
//! Every frame is one JSON object with an integer `msg_type`. [`Message::decode`] turns a frame
//! into a typed [`Message`]; a type unknown today becomes [`Message::Unknown`] (never an
//! error), while malformed JSON, a missing `msg_type` or bad base64 are [`DecodeError`]s.

mod enums;
mod media;
mod messages;

pub use enums::*;
pub use media::MediaContent;
pub use messages::*;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a frame could not be decoded. The frame is skipped, logged and counted; the
/// connection goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("malformed JSON: {0}")]
    Json(String),
    #[error("frame has no integer msg_type")]
    MissingMsgType,
    #[error("msg_type {msg_type}: missing or invalid field `{field}`")]
    MissingField { msg_type: i64, field: &'static str },
    #[error("msg_type {msg_type}: invalid base64 payload: {detail}")]
    Base64 { msg_type: i64, detail: String },
    #[error("frame of {size} bytes exceeds the {limit}-byte limit")]
    TooLarge { size: usize, limit: usize },
}

/// Every RTMS message, both directions, both channels.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    SignalingHandshakeReq(SignalingHandshakeReq),
    SignalingHandshakeResp(SignalingHandshakeResp),
    DataHandshakeReq(DataHandshakeReq),
    DataHandshakeResp(DataHandshakeResp),
    EventSubscription(EventSubscription),
    EventUpdate(EventUpdate),
    ClientReadyAck(ClientReadyAck),
    StreamStateUpdate(StreamStateUpdate),
    SessionStateUpdate(SessionStateUpdate),
    SessionStateReq(SessionStateReq),
    SessionStateResp(SessionStateUpdate),
    KeepAliveReq(KeepAlive),
    KeepAliveResp(KeepAlive),
    /// Media 14-18; the [`MediaType`] tells which.
    Media(MediaType, MediaContent),
    StreamStateReq(StreamRef),
    StreamStateResp(StreamStateUpdate),
    StreamCloseReq(StreamRef),
    StreamCloseResp(StreamCloseResp),
    AudioMetadata(AudioMetadata),
    VideoSubscriptionReq(VideoSubscriptionReq),
    VideoSubscriptionResp(VideoSubscriptionResp),
    /// A `msg_type` this version does not know (or reserved 24-27), kept raw.
    Unknown {
        msg_type: i64,
        raw: Value,
    },
}

#[derive(Deserialize)]
struct Peek {
    #[serde(default)]
    msg_type: Option<Value>,
}

fn typed<T: DeserializeOwned>(frame: &[u8]) -> Result<T, DecodeError> {
    serde_json::from_slice(frame).map_err(|e| DecodeError::Json(e.to_string()))
}

impl Message {
    /// Reads only `msg_type` from a frame (the rest is skipped, not built).
    pub fn peek_type(frame: &[u8]) -> Result<i64, DecodeError> {
        if let Some(t) = fast_peek(frame) {
            return Ok(t);
        }
        let peek: Peek = typed(frame)?;
        peek.msg_type.as_ref().and_then(Value::as_i64).ok_or(DecodeError::MissingMsgType)
    }

    /// Decodes one frame (text or binary WebSocket payload holding UTF-8 JSON).
    pub fn decode(frame: &[u8]) -> Result<Message, DecodeError> {
        let msg_type = Message::peek_type(frame)?;
        if let Some(kind) = MediaType::from_msg_type(msg_type) {
            return MediaContent::decode(frame, kind).map(|c| Message::Media(kind, c));
        }
        Ok(match msg_type {
            1 => Message::SignalingHandshakeReq(typed(frame)?),
            2 => Message::SignalingHandshakeResp(typed(frame)?),
            3 => Message::DataHandshakeReq(typed(frame)?),
            4 => Message::DataHandshakeResp(typed(frame)?),
            5 => Message::EventSubscription(typed(frame)?),
            6 => Message::EventUpdate(typed(frame)?),
            7 => Message::ClientReadyAck(typed(frame)?),
            8 => Message::StreamStateUpdate(typed(frame)?),
            9 => Message::SessionStateUpdate(typed(frame)?),
            10 => Message::SessionStateReq(typed(frame)?),
            11 => Message::SessionStateResp(typed(frame)?),
            12 => Message::KeepAliveReq(typed(frame)?),
            13 => Message::KeepAliveResp(typed(frame)?),
            19 => Message::StreamStateReq(typed(frame)?),
            20 => Message::StreamStateResp(typed(frame)?),
            21 => Message::StreamCloseReq(typed(frame)?),
            22 => Message::StreamCloseResp(typed(frame)?),
            23 => Message::AudioMetadata(typed(frame)?),
            28 => Message::VideoSubscriptionReq(typed(frame)?),
            29 => Message::VideoSubscriptionResp(typed(frame)?),
            other => Message::Unknown { msg_type: other, raw: typed(frame)? },
        })
    }

    /// Like [`Message::decode`] for a frame held in [`bytes::Bytes`]: text media payloads
    /// then share the frame's memory instead of being copied.
    pub fn decode_bytes(frame: &bytes::Bytes) -> Result<Message, DecodeError> {
        match MediaType::from_msg_type(Message::peek_type(frame)?) {
            Some(kind) => MediaContent::decode_shared(frame, kind).map(|c| Message::Media(kind, c)),
            None => Message::decode(frame),
        }
    }

    /// The message's `msg_type`.
    pub fn msg_type(&self) -> i64 {
        match self {
            Message::SignalingHandshakeReq(_) => 1,
            Message::SignalingHandshakeResp(_) => 2,
            Message::DataHandshakeReq(_) => 3,
            Message::DataHandshakeResp(_) => 4,
            Message::EventSubscription(_) => 5,
            Message::EventUpdate(_) => 6,
            Message::ClientReadyAck(_) => 7,
            Message::StreamStateUpdate(_) => 8,
            Message::SessionStateUpdate(_) => 9,
            Message::SessionStateReq(_) => 10,
            Message::SessionStateResp(_) => 11,
            Message::KeepAliveReq(_) => 12,
            Message::KeepAliveResp(_) => 13,
            Message::Media(kind, _) => kind.msg_type().map(|m| m.as_i32() as i64).unwrap_or(0),
            Message::StreamStateReq(_) => 19,
            Message::StreamStateResp(_) => 20,
            Message::StreamCloseReq(_) => 21,
            Message::StreamCloseResp(_) => 22,
            Message::AudioMetadata(_) => 23,
            Message::VideoSubscriptionReq(_) => 28,
            Message::VideoSubscriptionResp(_) => 29,
            Message::Unknown { msg_type, .. } => *msg_type,
        }
    }

    /// Encodes the message as one compact JSON frame.
    pub fn encode(&self) -> Vec<u8> {
        let t = self.msg_type();
        match self {
            Message::SignalingHandshakeReq(m) => tagged(t, m),
            Message::SignalingHandshakeResp(m) => tagged(t, m),
            Message::DataHandshakeReq(m) => tagged(t, m),
            Message::DataHandshakeResp(m) => tagged(t, m),
            Message::EventSubscription(m) => tagged(t, m),
            Message::EventUpdate(m) => tagged(t, m),
            Message::ClientReadyAck(m) => tagged(t, m),
            Message::StreamStateUpdate(m) => tagged(t, m),
            Message::SessionStateUpdate(m) => tagged(t, m),
            Message::SessionStateReq(m) => tagged(t, m),
            Message::SessionStateResp(m) => tagged(t, m),
            Message::KeepAliveReq(m) => tagged(t, m),
            Message::KeepAliveResp(m) => tagged(t, m),
            Message::Media(kind, c) => c.encode(*kind),
            Message::StreamStateReq(m) => tagged(t, m),
            Message::StreamStateResp(m) => tagged(t, m),
            Message::StreamCloseReq(m) => tagged(t, m),
            Message::StreamCloseResp(m) => tagged(t, m),
            Message::AudioMetadata(m) => tagged(t, m),
            Message::VideoSubscriptionReq(m) => tagged(t, m),
            Message::VideoSubscriptionResp(m) => tagged(t, m),
            Message::Unknown { raw, .. } => serde_json::to_vec(raw).unwrap_or_default(),
        }
    }
}

/// Reads `msg_type` without parsing when it is the first key of a compact frame
/// (`{"msg_type":14,...`), as servers send it. Anything else takes the full parse.
fn fast_peek(frame: &[u8]) -> Option<i64> {
    const PREFIX: &[u8] = b"{\"msg_type\":";
    let rest = frame.strip_prefix(PREFIX)?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 9 || !matches!(rest.get(digits), Some(b',') | Some(b'}')) {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    msg_type: i64,
    #[serde(flatten)]
    body: &'a T,
}

fn tagged<T: Serialize>(msg_type: i64, body: &T) -> Vec<u8> {
    serde_json::to_vec(&Tagged { msg_type, body }).unwrap_or_default()
}

#[cfg(test)]
mod tests;
