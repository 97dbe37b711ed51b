//! The official camelCase params objects (`setAudioParams({codec, sampleRate, ...})`) → core
//! params. Unset fields take the official SDK's defaults; validation is the core's.

use napi_derive::napi;
use rtms_core::params::{AudioParams, DeskshareParams, TranscriptParams, VideoParams};

/// `AudioParams` of the official SDK (every field optional).
#[napi(object, js_name = "AudioParams")]
pub struct JsAudioParams {
    pub content_type: Option<i32>,
    pub codec: Option<i32>,
    pub sample_rate: Option<i32>,
    pub channel: Option<i32>,
    pub data_opt: Option<i32>,
    /// Packet interval in ms (sent as `send_rate`).
    pub duration: Option<i32>,
    /// Samples per frame; accepted for compatibility, not sent (as the official SDK).
    pub frame_size: Option<i32>,
}

/// `VideoParams` of the official SDK.
#[napi(object, js_name = "VideoParams")]
pub struct JsVideoParams {
    pub content_type: Option<i32>,
    pub codec: Option<i32>,
    pub resolution: Option<i32>,
    pub data_opt: Option<i32>,
    pub fps: Option<i32>,
}

/// `DeskshareParams` of the official SDK.
#[napi(object, js_name = "DeskshareParams")]
pub struct JsDeskshareParams {
    pub content_type: Option<i32>,
    pub codec: Option<i32>,
    pub resolution: Option<i32>,
    pub fps: Option<i32>,
}

/// `TranscriptParams` of the official SDK.
#[napi(object, js_name = "TranscriptParams")]
pub struct JsTranscriptParams {
    pub content_type: Option<i32>,
    pub src_language: Option<i32>,
    pub enable_lid: Option<bool>,
}

impl From<JsAudioParams> for AudioParams {
    fn from(p: JsAudioParams) -> AudioParams {
        let d = AudioParams::sdk_default();
        AudioParams {
            content_type: p.content_type.unwrap_or(d.content_type),
            codec: p.codec.unwrap_or(d.codec),
            sample_rate: p.sample_rate.unwrap_or(d.sample_rate),
            channel: p.channel.unwrap_or(d.channel),
            data_opt: p.data_opt.unwrap_or(d.data_opt),
            send_rate: p.duration.unwrap_or(d.send_rate),
        }
    }
}

impl From<JsVideoParams> for VideoParams {
    fn from(p: JsVideoParams) -> VideoParams {
        let d = VideoParams::sdk_default();
        VideoParams {
            content_type: p.content_type.unwrap_or(d.content_type),
            codec: p.codec.unwrap_or(d.codec),
            resolution: p.resolution.unwrap_or(d.resolution),
            data_opt: p.data_opt.unwrap_or(d.data_opt),
            fps: p.fps.unwrap_or(d.fps),
        }
    }
}

impl From<JsDeskshareParams> for DeskshareParams {
    fn from(p: JsDeskshareParams) -> DeskshareParams {
        let d = DeskshareParams::sdk_default();
        DeskshareParams {
            content_type: p.content_type.unwrap_or(d.content_type),
            codec: p.codec.unwrap_or(d.codec),
            resolution: p.resolution.unwrap_or(d.resolution),
            fps: p.fps.unwrap_or(d.fps),
        }
    }
}

impl From<JsTranscriptParams> for TranscriptParams {
    fn from(p: JsTranscriptParams) -> TranscriptParams {
        let d = TranscriptParams::default();
        TranscriptParams {
            content_type: p.content_type.unwrap_or(d.content_type),
            src_language: p.src_language.unwrap_or(d.src_language),
            enable_lid: p.enable_lid.unwrap_or(d.enable_lid),
        }
    }
}
