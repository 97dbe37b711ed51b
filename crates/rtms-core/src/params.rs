//! Media parameters: what the client asks for in the data handshake (`media_params`), with the
//! official SDK's defaults and validation rules.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::protocol::{Codec, ContentType, MediaType, Resolution, SampleRate};

/// Audio parameters (`media_params.audio`). Missing fields take the documented server defaults
/// (L16, 16 kHz, mono, mixed, 20 ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AudioParams {
    pub content_type: i32,
    pub sample_rate: i32,
    pub channel: i32,
    pub codec: i32,
    pub data_opt: i32,
    /// Packet interval in ms (the official SDK's `duration` argument).
    pub send_rate: i32,
}

impl Default for AudioParams {
    fn default() -> Self {
        AudioParams { content_type: 2, sample_rate: 1, channel: 1, codec: 1, data_opt: 1, send_rate: 20 }
    }
}

impl AudioParams {
    /// What the official SDK sends when the app registers an audio callback without params:
    /// OPUS, 48 kHz, stereo, one stream per participant, 20 ms.
    pub fn sdk_default() -> Self {
        AudioParams { content_type: 2, sample_rate: 3, channel: 2, codec: 4, data_opt: 2, send_rate: 20 }
    }

    /// The official validation rules.
    pub fn validate(&self) -> Result<(), Error> {
        check(
            ContentType::from_i32(self.content_type).is_some_and(|c| matches!(c, ContentType::RTP | ContentType::RAW_AUDIO)),
            "audio content_type must be RTP (1) or RAW_AUDIO (2)",
        )?;
        let codec = Codec::from_i32(self.codec).filter(|c| c.as_i32() >= 1 && c.as_i32() <= 4);
        check(codec.is_some(), "audio codec must be L16 (1), G711 (2), G722 (3) or OPUS (4)")?;
        let rate = SampleRate::from_i32(self.sample_rate);
        check(rate.is_some(), "audio sample_rate must be 0 (8k), 1 (16k), 2 (32k) or 3 (48k)")?;
        check(self.channel == 1 || self.channel == 2, "audio channel must be 1 (mono) or 2 (stereo)")?;
        check(self.data_opt == 1 || self.data_opt == 2, "audio data_opt must be AUDIO_MIXED_STREAM (1) or AUDIO_MULTI_STREAMS (2)")?;
        check(self.send_rate > 0 && self.send_rate <= 1000, "audio send_rate (duration) must be between 1 and 1000 ms")?;
        if codec == Some(Codec::OPUS) {
            check(rate == Some(SampleRate::SR_48K), "OPUS audio requires sample_rate SR_48K (3)")?;
        }
        Ok(())
    }
}

/// Video parameters (`media_params.video`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoParams {
    pub content_type: i32,
    pub codec: i32,
    pub resolution: i32,
    pub data_opt: i32,
    pub fps: i32,
}

impl Default for VideoParams {
    fn default() -> Self {
        VideoParams::sdk_default()
    }
}

impl VideoParams {
    /// The official SDK's default: H.264, HD, active speaker, 30 fps.
    pub fn sdk_default() -> Self {
        VideoParams { content_type: 3, codec: 7, resolution: 2, data_opt: 3, fps: 30 }
    }

    pub fn validate(&self) -> Result<(), Error> {
        validate_visual("video", self.content_type, self.codec, self.resolution, self.fps)?;
        check((3..=5).contains(&self.data_opt), "video data_opt must be 3 (single active), 4 (single individual) or 5 (gallery)")
    }
}

/// Screen-share parameters (`media_params.deskshare`); no `data_opt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeskshareParams {
    pub content_type: i32,
    pub codec: i32,
    pub resolution: i32,
    pub fps: i32,
}

impl Default for DeskshareParams {
    fn default() -> Self {
        DeskshareParams::sdk_default()
    }
}

impl DeskshareParams {
    /// The official SDK's default: H.264, HD, 30 fps.
    pub fn sdk_default() -> Self {
        DeskshareParams { content_type: 3, codec: 7, resolution: 2, fps: 30 }
    }

    pub fn validate(&self) -> Result<(), Error> {
        validate_visual("deskshare", self.content_type, self.codec, self.resolution, self.fps)
    }
}

/// Transcript parameters (`media_params.transcript`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TranscriptParams {
    pub content_type: i32,
    /// A [`crate::protocol::TranscriptLanguage`] id; -1 lets Zoom detect it.
    pub src_language: i32,
    /// Language identification; `false` locks to `src_language` and turns off revisions.
    pub enable_lid: bool,
}

impl Default for TranscriptParams {
    fn default() -> Self {
        TranscriptParams { content_type: 5, src_language: -1, enable_lid: true }
    }
}

impl TranscriptParams {
    pub fn validate(&self) -> Result<(), Error> {
        check(self.content_type == 5, "transcript content_type must be TEXT (5)")?;
        check((-1..=36).contains(&self.src_language), "transcript src_language must be a TranscriptLanguage id (-1..=36)")
    }
}

/// Chat parameters (`media_params.chat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChatParams {
    pub content_type: i32,
}

impl Default for ChatParams {
    fn default() -> Self {
        ChatParams { content_type: 5 }
    }
}

impl ChatParams {
    pub fn validate(&self) -> Result<(), Error> {
        check(self.content_type == 5, "chat content_type must be TEXT (5)")
    }
}

/// `media_params`: one entry per media type carried on a socket.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MediaParams {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub audio: Option<AudioParams>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub video: Option<VideoParams>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub deskshare: Option<DeskshareParams>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub transcript: Option<TranscriptParams>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub chat: Option<ChatParams>,
}

impl MediaParams {
    /// The entries of `self` that `media_type` covers.
    pub fn subset(&self, media_type: MediaType) -> MediaParams {
        MediaParams {
            audio: self.audio.filter(|_| media_type.contains(MediaType::AUDIO)),
            video: self.video.filter(|_| media_type.contains(MediaType::VIDEO)),
            deskshare: self.deskshare.filter(|_| media_type.contains(MediaType::DESKSHARE)),
            transcript: self.transcript.filter(|_| media_type.contains(MediaType::TRANSCRIPT)),
            chat: self.chat.filter(|_| media_type.contains(MediaType::CHAT)),
        }
    }

    /// Validates every present entry.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(p) = &self.audio {
            p.validate()?;
        }
        if let Some(p) = &self.video {
            p.validate()?;
        }
        if let Some(p) = &self.deskshare {
            p.validate()?;
        }
        if let Some(p) = &self.transcript {
            p.validate()?;
        }
        if let Some(p) = &self.chat {
            p.validate()?;
        }
        Ok(())
    }
}

fn validate_visual(kind: &str, content_type: i32, codec: i32, resolution: i32, fps: i32) -> Result<(), Error> {
    check(content_type == 1 || content_type == 3, &format!("{kind} content_type must be RTP (1) or RAW_VIDEO (3)"))?;
    let codec = Codec::from_i32(codec).filter(|c| c.as_i32() >= 5);
    check(codec.is_some(), &format!("{kind} codec must be JPG (5), PNG (6) or H264 (7)"))?;
    check(Resolution::from_i32(resolution).is_some(), &format!("{kind} resolution must be SD (1), HD (2), FHD (3) or QHD (4)"))?;
    check((1..=30).contains(&fps), &format!("{kind} fps must be between 1 and 30"))?;
    if matches!(codec, Some(Codec::JPG) | Some(Codec::PNG)) {
        check(fps <= 5, &format!("{kind} fps must be at most 5 with JPG or PNG (H264 allows 30)"))?;
    }
    Ok(())
}

fn check(ok: bool, message: &str) -> Result<(), Error> {
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_defaults_serialize_like_the_official_sdk() {
        let json = serde_json::to_string(&AudioParams::sdk_default()).unwrap();
        assert_eq!(json, r#"{"content_type":2,"sample_rate":3,"channel":2,"codec":4,"data_opt":2,"send_rate":20}"#);
        assert!(AudioParams::sdk_default().validate().is_ok());
        assert!(VideoParams::sdk_default().validate().is_ok());
        assert!(TranscriptParams::default().validate().is_ok());
    }

    #[test]
    fn validation_rules() {
        let jpg30 = VideoParams { codec: 5, fps: 30, ..VideoParams::sdk_default() };
        assert!(jpg30.validate().unwrap_err().to_string().contains("at most 5"));
        let jpg5 = VideoParams { codec: 5, fps: 5, ..VideoParams::sdk_default() };
        assert!(jpg5.validate().is_ok());
        let opus16k = AudioParams { sample_rate: 1, ..AudioParams::sdk_default() };
        assert!(opus16k.validate().is_err());
        let missing: AudioParams = serde_json::from_str(r#"{"codec":1}"#).unwrap();
        assert_eq!(missing, AudioParams::default());
    }

    #[test]
    fn subset_keeps_only_the_socket_types() {
        let all = MediaParams {
            audio: Some(AudioParams::default()),
            video: Some(VideoParams::default()),
            transcript: Some(TranscriptParams::default()),
            ..Default::default()
        };
        let s = all.subset(MediaType::AUDIO);
        assert!(s.audio.is_some() && s.video.is_none() && s.transcript.is_none());
        assert_eq!(all.subset(MediaType::ALL), all);
    }
}
