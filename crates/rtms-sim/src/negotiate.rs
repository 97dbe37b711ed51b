//! The data handshake's media parameters: fill in what the client left out, refuse what the
//! simulator cannot serve with the matching status code, and pick the encoders.

use rtms_core::params::{AudioParams, DeskshareParams, MediaParams, VideoParams};
use rtms_core::protocol::{DataHandshakeReq, MediaType, Resolution, SampleRate};

use crate::meeting::Refusal;
use crate::synth::{AudioCodec, AudioFormat, VideoCodec, VideoFormat};

/// What a media socket will carry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Negotiated {
    /// Single-type bits.
    pub mask: u32,
    /// Opened with `media_type: 32`.
    pub all: bool,
    /// The complete parameters the response echoes.
    pub params: MediaParams,
    /// Audio format and whether it is the mixed stream.
    pub audio: Option<(AudioFormat, bool)>,
    /// Video format and `data_opt`.
    pub video: Option<(VideoFormat, i32)>,
    pub deskshare: Option<VideoFormat>,
    pub transcript: bool,
    pub chat: bool,
}

fn refuse<T>(status: i64, reason: impl Into<String>) -> Result<T, Refusal> {
    Err((status, reason.into()))
}

fn audio(p: &AudioParams) -> Result<(AudioFormat, bool), Refusal> {
    if p.content_type != 2 {
        return refuse(19, format!("audio content_type {} not served (only RAW_AUDIO 2)", p.content_type));
    }
    let Some(rate) = SampleRate::from_i32(p.sample_rate) else {
        return refuse(20, format!("invalid audio sample_rate {}", p.sample_rate));
    };
    if p.channel != 1 && p.channel != 2 {
        return refuse(21, format!("invalid audio channel {}", p.channel));
    }
    if p.data_opt != 1 && p.data_opt != 2 {
        return refuse(23, format!("invalid audio data_opt {}", p.data_opt));
    }
    if !(1..=1000).contains(&p.send_rate) {
        return refuse(24, format!("invalid audio send_rate {} (1..=1000 ms)", p.send_rate));
    }
    let codec = match p.codec {
        1 => AudioCodec::L16,
        2 if rate == SampleRate::SR_8K => AudioCodec::G711,
        2 => return refuse(20, "G711 needs sample_rate 0 (8 kHz)"),
        3 => return refuse(22, "G722 is not supported by rtms-sim"),
        4 if rate != SampleRate::SR_48K => return refuse(20, "OPUS needs sample_rate 3 (48 kHz)"),
        4 if !AudioFormat::opus_frame_ok(p.send_rate as u32) => {
            return refuse(24, format!("OPUS send_rate must be 10, 20, 40 or 60 ms, got {}", p.send_rate))
        }
        4 => AudioCodec::Opus,
        c => return refuse(22, format!("invalid audio codec {c}")),
    };
    let fmt = AudioFormat { codec, rate: rate.hz(), channels: p.channel as u16, frame_ms: p.send_rate as u32 };
    Ok((fmt, p.data_opt == 1))
}

/// Status codes of one visual type: (content type, codec, resolution, fps).
struct VisualCodes {
    kind: &'static str,
    content_type: i64,
    codec: i64,
    resolution: i64,
    fps: i64,
}

const VIDEO_CODES: VisualCodes = VisualCodes { kind: "video", content_type: 26, codec: 27, resolution: 28, fps: 30 };
const SHARE_CODES: VisualCodes = VisualCodes { kind: "deskshare", content_type: 32, codec: 33, resolution: 34, fps: 35 };

fn visual(codes: &VisualCodes, content_type: i32, codec: i32, resolution: i32, fps: i32) -> Result<VideoFormat, Refusal> {
    let kind = codes.kind;
    if content_type != 3 {
        return refuse(codes.content_type, format!("{kind} content_type {content_type} not served (only RAW_VIDEO 3)"));
    }
    let codec = match codec {
        5 => VideoCodec::Jpg,
        6 => VideoCodec::Png,
        7 => VideoCodec::H264,
        c => return refuse(codes.codec, format!("invalid {kind} codec {c}")),
    };
    let Some(res) = Resolution::from_i32(resolution) else {
        return refuse(codes.resolution, format!("invalid {kind} resolution {resolution}"));
    };
    let max_fps = if codec == VideoCodec::H264 { 30 } else { 5 };
    if !(1..=max_fps).contains(&fps) {
        return refuse(codes.fps, format!("{kind} fps {fps} out of range (1..={max_fps} for {codec:?})"));
    }
    let (width, height) = res.size();
    Ok(VideoFormat { codec, width, height, fps: fps as u32 })
}

/// Decides what a `DATA_HAND_SHAKE_REQ` gets.
pub(crate) fn negotiate(req: &DataHandshakeReq) -> Result<Negotiated, Refusal> {
    let requested = req.media_type;
    if requested == 0 || requested & !0x3F != 0 {
        return refuse(7, format!("invalid media_type {requested}"));
    }
    let all = requested & MediaType::ALL.0 != 0;
    let mask = if all { 0x1F } else { requested };
    let asked = req.media_params.clone().unwrap_or_default();
    let has = |t: MediaType| mask & t.0 != 0;
    let mut n = Negotiated {
        mask,
        all,
        params: MediaParams::default(),
        audio: None,
        video: None,
        deskshare: None,
        transcript: has(MediaType::TRANSCRIPT),
        chat: has(MediaType::CHAT),
    };
    if has(MediaType::AUDIO) {
        let p = asked.audio.unwrap_or_default();
        n.audio = Some(audio(&p)?);
        n.params.audio = Some(p);
    }
    if has(MediaType::VIDEO) {
        let p = asked.video.unwrap_or_else(VideoParams::sdk_default);
        let fmt = visual(&VIDEO_CODES, p.content_type, p.codec, p.resolution, p.fps)?;
        if !(3..=5).contains(&p.data_opt) {
            return refuse(29, format!("invalid video data_opt {}", p.data_opt));
        }
        n.video = Some((fmt, p.data_opt));
        n.params.video = Some(p);
    }
    if has(MediaType::DESKSHARE) {
        let p = asked.deskshare.unwrap_or_else(DeskshareParams::sdk_default);
        n.deskshare = Some(visual(&SHARE_CODES, p.content_type, p.codec, p.resolution, p.fps)?);
        n.params.deskshare = Some(p);
    }
    if has(MediaType::TRANSCRIPT) {
        let p = asked.transcript.unwrap_or_default();
        if p.content_type != 5 {
            return refuse(37, format!("invalid transcript content_type {}", p.content_type));
        }
        if !(-1..=36).contains(&p.src_language) {
            return refuse(43, format!("invalid transcript src_language {}", p.src_language));
        }
        n.params.transcript = Some(p);
    }
    if has(MediaType::CHAT) {
        let p = asked.chat.unwrap_or_default();
        if p.content_type != 5 {
            return refuse(39, format!("invalid chat content_type {}", p.content_type));
        }
        n.params.chat = Some(p);
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtms_core::params::TranscriptParams;

    fn req(json: &str) -> DataHandshakeReq {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn sdk_defaults_are_served() {
        let n = negotiate(&req(r#"{"media_type":1,"media_params":{"audio":{"channel":2,"codec":4,"content_type":2,"data_opt":2,"sample_rate":3,"send_rate":20}}}"#)).unwrap();
        let (fmt, mixed) = n.audio.unwrap();
        assert_eq!((fmt.codec, fmt.rate, fmt.channels, fmt.frame_ms, mixed), (AudioCodec::Opus, 48_000, 2, 20, false));
        let n = negotiate(&req(r#"{"media_type":8,"media_params":null}"#)).unwrap();
        assert_eq!(n.params.transcript, Some(TranscriptParams::default()));
    }

    #[test]
    fn missing_fields_are_filled() {
        let n = negotiate(&req(r#"{"media_type":3,"media_params":{"audio":{"codec":1},"video":{"fps":5,"codec":5}}}"#)).unwrap();
        assert_eq!(n.params.audio, Some(AudioParams::default()));
        let v = n.params.video.unwrap();
        assert_eq!((v.codec, v.fps, v.resolution, v.data_opt), (5, 5, 2, 3));
    }

    #[test]
    fn combined_and_all() {
        let n = negotiate(&req(r#"{"media_type":32}"#)).unwrap();
        assert!(n.all && n.mask == 0x1F && n.audio.is_some() && n.video.is_some() && n.chat);
        let n = negotiate(&req(r#"{"media_type":9}"#)).unwrap();
        assert!(n.audio.is_some() && n.transcript && n.video.is_none());
    }

    #[test]
    fn refusals_carry_the_right_status() {
        let status = |j: &str| negotiate(&req(j)).unwrap_err().0;
        assert_eq!(status(r#"{"media_type":0}"#), 7);
        assert_eq!(status(r#"{"media_type":64}"#), 7);
        assert_eq!(status(r#"{"media_type":2,"media_params":{"video":{"codec":5,"fps":30}}}"#), 30);
        assert_eq!(status(r#"{"media_type":4,"media_params":{"deskshare":{"codec":6,"fps":10}}}"#), 35);
        assert_eq!(status(r#"{"media_type":2,"media_params":{"video":{"codec":9}}}"#), 27);
        assert_eq!(status(r#"{"media_type":2,"media_params":{"video":{"resolution":7}}}"#), 28);
        assert_eq!(status(r#"{"media_type":2,"media_params":{"video":{"data_opt":1}}}"#), 29);
        assert_eq!(status(r#"{"media_type":1,"media_params":{"audio":{"codec":3}}}"#), 22);
        assert_eq!(status(r#"{"media_type":1,"media_params":{"audio":{"codec":4,"sample_rate":1}}}"#), 20);
        assert_eq!(status(r#"{"media_type":1,"media_params":{"audio":{"content_type":1}}}"#), 19);
        assert_eq!(status(r#"{"media_type":1,"media_params":{"audio":{"channel":3}}}"#), 21);
        assert_eq!(status(r#"{"media_type":1,"media_params":{"audio":{"data_opt":4}}}"#), 23);
        assert_eq!(status(r#"{"media_type":1,"media_params":{"audio":{"codec":4,"sample_rate":3,"send_rate":25}}}"#), 24);
        assert_eq!(status(r#"{"media_type":8,"media_params":{"transcript":{"src_language":99}}}"#), 43);
        assert_eq!(status(r#"{"media_type":16,"media_params":{"chat":{"content_type":2}}}"#), 39);
    }
}
