//! Media parameters as C structs, their official defaults and the client setters. Validation
//! is the core's (`rtms_core::params`).

use rtms_core::params::{AudioParams, ChatParams, DeskshareParams, TranscriptParams, VideoParams};
use rtms_core::protocol::MediaType;

use crate::client::{client_ref, rtms_client_t};
use crate::error::{rtms_code_t, rtms_error_t, FfiError};
use crate::guard::call;

/// Audio (`media_params.audio`); values as the official `AudioContentType`, `AudioSampleRate`,
/// `AudioChannel`, `MediaCodec` and `AudioDataOption` constants.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct rtms_audio_params_t {
    pub content_type: i32,
    pub sample_rate: i32,
    pub channel: i32,
    pub codec: i32,
    pub data_opt: i32,
    /// Packet interval in ms (the official `duration`).
    pub send_rate: i32,
}

/// Video (`media_params.video`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct rtms_video_params_t {
    pub content_type: i32,
    pub codec: i32,
    pub resolution: i32,
    pub data_opt: i32,
    pub fps: i32,
}

/// Screen share (`media_params.deskshare`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct rtms_deskshare_params_t {
    pub content_type: i32,
    pub codec: i32,
    pub resolution: i32,
    pub fps: i32,
}

/// Transcript (`media_params.transcript`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct rtms_transcript_params_t {
    pub content_type: i32,
    /// A transcript language id; -1 lets Zoom detect it.
    pub src_language: i32,
    /// Language identification; false locks to `src_language`.
    pub enable_lid: bool,
}

/// Chat (`media_params.chat`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct rtms_chat_params_t {
    pub content_type: i32,
}

/// Audio (a media type bit for `rtms_client_enable_media` and `rtms_media_t.media_type`).
pub const RTMS_MEDIA_AUDIO: u32 = 1;
/// Video.
pub const RTMS_MEDIA_VIDEO: u32 = 2;
/// Screen share.
pub const RTMS_MEDIA_DESKSHARE: u32 = 4;
/// Transcript.
pub const RTMS_MEDIA_TRANSCRIPT: u32 = 8;
/// Chat.
pub const RTMS_MEDIA_CHAT: u32 = 16;
/// Every media type on one connection.
pub const RTMS_MEDIA_ALL: u32 = 32;

impl From<rtms_audio_params_t> for AudioParams {
    fn from(p: rtms_audio_params_t) -> Self {
        AudioParams {
            content_type: p.content_type,
            sample_rate: p.sample_rate,
            channel: p.channel,
            codec: p.codec,
            data_opt: p.data_opt,
            send_rate: p.send_rate,
        }
    }
}

impl From<AudioParams> for rtms_audio_params_t {
    fn from(p: AudioParams) -> Self {
        rtms_audio_params_t {
            content_type: p.content_type,
            sample_rate: p.sample_rate,
            channel: p.channel,
            codec: p.codec,
            data_opt: p.data_opt,
            send_rate: p.send_rate,
        }
    }
}

impl From<rtms_video_params_t> for VideoParams {
    fn from(p: rtms_video_params_t) -> Self {
        VideoParams { content_type: p.content_type, codec: p.codec, resolution: p.resolution, data_opt: p.data_opt, fps: p.fps }
    }
}

impl From<rtms_deskshare_params_t> for DeskshareParams {
    fn from(p: rtms_deskshare_params_t) -> Self {
        DeskshareParams { content_type: p.content_type, codec: p.codec, resolution: p.resolution, fps: p.fps }
    }
}

impl From<rtms_transcript_params_t> for TranscriptParams {
    fn from(p: rtms_transcript_params_t) -> Self {
        TranscriptParams { content_type: p.content_type, src_language: p.src_language, enable_lid: p.enable_lid }
    }
}

/// The official SDK's audio default: OPUS, 48 kHz, stereo, one stream per participant, 20 ms.
#[no_mangle]
pub extern "C" fn rtms_audio_params_default() -> rtms_audio_params_t {
    AudioParams::sdk_default().into()
}

/// The official SDK's video default: H.264, HD, active speaker, 30 fps.
#[no_mangle]
pub extern "C" fn rtms_video_params_default() -> rtms_video_params_t {
    let p = VideoParams::sdk_default();
    rtms_video_params_t { content_type: p.content_type, codec: p.codec, resolution: p.resolution, data_opt: p.data_opt, fps: p.fps }
}

/// The official SDK's screen-share default: H.264, HD, 30 fps.
#[no_mangle]
pub extern "C" fn rtms_deskshare_params_default() -> rtms_deskshare_params_t {
    let p = DeskshareParams::sdk_default();
    rtms_deskshare_params_t { content_type: p.content_type, codec: p.codec, resolution: p.resolution, fps: p.fps }
}

/// The transcript default: text, language detected by Zoom.
#[no_mangle]
pub extern "C" fn rtms_transcript_params_default() -> rtms_transcript_params_t {
    let p = TranscriptParams::default();
    rtms_transcript_params_t { content_type: p.content_type, src_language: p.src_language, enable_lid: p.enable_lid }
}

/// Reads a params struct, or fails for NULL.
///
/// # Safety
/// `p` is NULL or points to a valid `T`.
unsafe fn read<T: Copy>(p: *const T, name: &str) -> Result<T, FfiError> {
    // SAFETY: forwarded from the caller's contract.
    unsafe { p.as_ref() }.copied().ok_or_else(|| FfiError::null(name))
}

/// Sets audio params (validated with the official rules; `RTMS_ERR_INVALID_ARGS` says why).
///
/// # Safety
/// `c` is a live client; `p` points to a valid struct; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_set_audio_params(
    c: *const rtms_client_t,
    p: *const rtms_audio_params_t,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe { call(err, || Ok(client_ref(c)?.core().set_audio_params(read(p, "params")?.into())?)) }
}

/// Sets video params.
///
/// # Safety
/// As `rtms_client_set_audio_params`.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_set_video_params(
    c: *const rtms_client_t,
    p: *const rtms_video_params_t,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe { call(err, || Ok(client_ref(c)?.core().set_video_params(read(p, "params")?.into())?)) }
}

/// Sets screen-share params.
///
/// # Safety
/// As `rtms_client_set_audio_params`.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_set_deskshare_params(
    c: *const rtms_client_t,
    p: *const rtms_deskshare_params_t,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe { call(err, || Ok(client_ref(c)?.core().set_deskshare_params(read(p, "params")?.into())?)) }
}

/// Sets transcript params.
///
/// # Safety
/// As `rtms_client_set_audio_params`.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_set_transcript_params(
    c: *const rtms_client_t,
    p: *const rtms_transcript_params_t,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe { call(err, || Ok(client_ref(c)?.core().set_transcript_params(read(p, "params")?.into())?)) }
}

/// Sets chat params.
///
/// # Safety
/// As `rtms_client_set_audio_params`.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_set_chat_params(
    c: *const rtms_client_t,
    p: *const rtms_chat_params_t,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        call(err, || {
            let p = read(p, "params")?;
            Ok(client_ref(c)?.core().set_chat_params(ChatParams { content_type: p.content_type })?)
        })
    }
}

/// Enables media types (`RTMS_MEDIA_*` bits). Types without explicit params get the official
/// defaults.
///
/// # Safety
/// `c` is a live client; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_client_enable_media(c: *const rtms_client_t, types: u32, err: *mut *mut rtms_error_t) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        call(err, || {
            if types
                & !(RTMS_MEDIA_AUDIO | RTMS_MEDIA_VIDEO | RTMS_MEDIA_DESKSHARE | RTMS_MEDIA_TRANSCRIPT | RTMS_MEDIA_CHAT | RTMS_MEDIA_ALL)
                != 0
            {
                return Err(FfiError::invalid(format!("unknown media type bits in {types:#x}")));
            }
            client_ref(c)?.core().enable_media(MediaType(types));
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_bits_are_the_cores() {
        let pairs = [
            (RTMS_MEDIA_AUDIO, MediaType::AUDIO),
            (RTMS_MEDIA_VIDEO, MediaType::VIDEO),
            (RTMS_MEDIA_DESKSHARE, MediaType::DESKSHARE),
            (RTMS_MEDIA_TRANSCRIPT, MediaType::TRANSCRIPT),
            (RTMS_MEDIA_CHAT, MediaType::CHAT),
            (RTMS_MEDIA_ALL, MediaType::ALL),
        ];
        for (c, core) in pairs {
            assert_eq!(c, core.0);
        }
    }

    #[test]
    fn defaults_validate() {
        assert!(AudioParams::from(rtms_audio_params_default()).validate().is_ok());
        assert_eq!(rtms_audio_params_default().codec, 4);
        assert_eq!(rtms_video_params_default().codec, 7);
    }
}
