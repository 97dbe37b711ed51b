//! Media messages (14-18): the `content` object, decoded into bytes.

use std::borrow::Cow;

use base64::Engine as _;
use bytes::Bytes;
use serde::{Deserialize, Serialize, Serializer};

use super::{DecodeError, MediaType};

/// One media packet: audio, video, deskshare, transcript or chat.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MediaContent {
    /// Zoom user id; 0 for mixed streams and for ZCC (`channel_id`).
    pub user_id: i64,
    /// ZCC channel id, when the server identifies the source by channel.
    pub channel_id: Option<String>,
    pub user_name: String,
    /// Decoded payload: audio samples, an image, H.264 NAL units, or UTF-8 text.
    pub data: Bytes,
    /// Media timestamp, Unix ms.
    pub timestamp: u64,
    /// Transcript start/end, Unix ms.
    pub start_time: Option<u64>,
    pub end_time: Option<u64>,
    /// Transcript language id.
    pub language: Option<i32>,
    /// Transcript sentence status.
    pub attribute: Option<i32>,
    pub sentence_id: Option<i64>,
    /// rtms-sim's send stamp in Unix microseconds (`sim_sent_us`), for latency measurement.
    pub sent_at_us: Option<u64>,
}

/// A string that borrows from the frame when it has no escapes (serde borrows a `Cow` only
/// when the attribute sits on the `Cow` itself, not inside an `Option`).
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

#[derive(Deserialize)]
struct ContentWire<'a> {
    #[serde(default)]
    user_id: Option<i64>,
    #[serde(default, borrow)]
    channel_id: Option<Text<'a>>,
    #[serde(default, borrow)]
    user_name: Option<Text<'a>>,
    #[serde(default, borrow)]
    data: Option<Text<'a>>,
    #[serde(default)]
    timestamp: Option<u64>,
    #[serde(default)]
    start_time: Option<u64>,
    #[serde(default)]
    end_time: Option<u64>,
    #[serde(default)]
    language: Option<i32>,
    #[serde(default)]
    attribute: Option<i32>,
    #[serde(default)]
    sentence_id: Option<i64>,
    #[serde(default)]
    sim_sent_us: Option<u64>,
}

#[derive(Deserialize)]
struct MediaWire<'a> {
    #[serde(borrow)]
    content: Option<ContentWire<'a>>,
}

impl MediaContent {
    /// Decodes the `content` of a media frame of type `kind`. Audio, video and deskshare
    /// payloads are base64; transcript and chat payloads are text.
    pub fn decode(frame: &[u8], kind: MediaType) -> Result<MediaContent, DecodeError> {
        MediaContent::decode_in(frame, None, kind)
    }

    /// Like [`MediaContent::decode`], but text payloads (transcript, chat) become slices of
    /// `frame` instead of copies.
    pub fn decode_shared(frame: &Bytes, kind: MediaType) -> Result<MediaContent, DecodeError> {
        MediaContent::decode_in(frame, Some(frame), kind)
    }

    fn decode_in(frame: &[u8], owner: Option<&Bytes>, kind: MediaType) -> Result<MediaContent, DecodeError> {
        let msg_type = kind.msg_type().map(|m| m.as_i32() as i64).unwrap_or(0);
        let wire: MediaWire<'_> = serde_json::from_slice(frame).map_err(|e| DecodeError::Json(e.to_string()))?;
        let c = wire.content.ok_or(DecodeError::MissingField { msg_type, field: "content" })?;
        let data = c.data.ok_or(DecodeError::MissingField { msg_type, field: "content.data" })?.0;
        let data = if kind.is_binary() {
            let text = data.as_bytes();
            let text = strip_data_url(text);
            let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
            base64::engine::general_purpose::STANDARD
                .decode_vec(text, &mut out)
                .map_err(|e| DecodeError::Base64 { msg_type, detail: e.to_string() })?;
            Bytes::from(out)
        } else {
            match data {
                Cow::Borrowed(s) => match owner {
                    Some(owner) => owner.slice_ref(s.as_bytes()),
                    None => Bytes::copy_from_slice(s.as_bytes()),
                },
                Cow::Owned(s) => Bytes::from(s.into_bytes()),
            }
        };
        if c.user_id.is_none() && c.channel_id.is_none() {
            return Err(DecodeError::MissingField { msg_type, field: "content.user_id" });
        }
        Ok(MediaContent {
            user_id: c.user_id.unwrap_or(0),
            channel_id: c.channel_id.map(|t| t.0.into_owned()),
            user_name: c.user_name.map(|t| t.0.into_owned()).unwrap_or_default(),
            data,
            timestamp: c.timestamp.unwrap_or(0),
            start_time: c.start_time,
            end_time: c.end_time,
            language: c.language,
            attribute: c.attribute,
            sentence_id: c.sentence_id,
            sent_at_us: c.sim_sent_us,
        })
    }

    /// Encodes a complete media frame (`{"msg_type":N,"content":{...}}`) of type `kind`.
    pub fn encode(&self, kind: MediaType) -> Vec<u8> {
        let msg_type = kind.msg_type().map(|m| m.as_i32()).unwrap_or(0);
        let frame = MediaFrameOut { msg_type, content: ContentOut { c: self, binary: kind.is_binary() } };
        serde_json::to_vec(&frame).unwrap_or_default()
    }
}

/// Zoom's JS sample strips an optional `data:...;base64,` prefix from share data; so do we.
fn strip_data_url(text: &[u8]) -> &[u8] {
    if text.starts_with(b"data:") {
        if let Some(pos) = text.iter().position(|&b| b == b',') {
            return &text[pos + 1..];
        }
    }
    text
}

#[derive(Serialize)]
struct MediaFrameOut<'a> {
    msg_type: i32,
    content: ContentOut<'a>,
}

struct ContentOut<'a> {
    c: &'a MediaContent,
    binary: bool,
}

impl Serialize for ContentOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let c = self.c;
        let mut m = s.serialize_map(None)?;
        match &c.channel_id {
            Some(ch) => m.serialize_entry("channel_id", ch)?,
            None => m.serialize_entry("user_id", &c.user_id)?,
        }
        m.serialize_entry("user_name", &c.user_name)?;
        if self.binary {
            m.serialize_entry("data", &base64::engine::general_purpose::STANDARD.encode(&c.data))?;
        } else {
            m.serialize_entry("data", &String::from_utf8_lossy(&c.data))?;
        }
        m.serialize_entry("timestamp", &c.timestamp)?;
        if let Some(v) = c.start_time {
            m.serialize_entry("start_time", &v)?;
        }
        if let Some(v) = c.end_time {
            m.serialize_entry("end_time", &v)?;
        }
        if let Some(v) = c.language {
            m.serialize_entry("language", &v)?;
        }
        if let Some(v) = c.attribute {
            m.serialize_entry("attribute", &v)?;
        }
        if let Some(v) = c.sentence_id {
            m.serialize_entry("sentence_id", &v)?;
        }
        if self.binary {
            m.serialize_entry("length", &c.data.len())?;
        }
        if let Some(v) = c.sent_at_us {
            m.serialize_entry("sim_sent_us", &v)?;
        }
        m.end()
    }
}
