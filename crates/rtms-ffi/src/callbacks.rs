//! The callback vtable and the structs callbacks receive.
//!
//! Every pointer handed to a callback (structs, strings, media bytes) is valid only during the
//! call: copy what you keep. Callbacks run one at a time on the client's dispatcher thread and
//! must not block for long (media queues up behind them). Any entry may be NULL.

use std::ffi::{c_char, c_void};

use crate::error::rtms_error_t;

/// One participant.
#[repr(C)]
pub struct rtms_participant_t {
    pub user_id: i64,
    pub user_name: *const c_char,
}

/// The session of `on_session_update`.
#[repr(C)]
pub struct rtms_session_t {
    pub session_id: *const c_char,
    pub stream_id: *const c_char,
    /// The instance id the client joined with (meeting uuid, webinar uuid, session or engagement id).
    pub meeting_id: *const c_char,
    /// Session start, Unix ms.
    pub stat_time: u64,
    /// A session state value.
    pub state: i32,
    pub is_paused: bool,
}

/// One media packet: audio samples, a video or screen-share frame, or UTF-8 text (transcript,
/// chat; not NUL-terminated: use `len`).
#[repr(C)]
pub struct rtms_media_t {
    /// One `RTMS_MEDIA_*` bit.
    pub media_type: u32,
    pub data: *const u8,
    pub len: usize,
    /// Zoom user id; 0 for mixed streams.
    pub user_id: i64,
    pub user_name: *const c_char,
    /// Contact Center channel id, or NULL.
    pub channel_id: *const c_char,
    /// Media timestamp, Unix ms.
    pub timestamp: u64,
    /// Transcript start and end, Unix ms (0 when absent).
    pub start_time: u64,
    pub end_time: u64,
    /// Transcript language id, sentence status and sentence id (-1 when absent).
    pub language: i32,
    pub attribute: i32,
    pub sentence_id: i64,
    /// True when the client attributed mixed audio to the active speaker.
    pub attributed: bool,
}

/// Callbacks for one client, set with `rtms_client_set_callbacks`. Zero-initialise the struct
/// and fill in what you need. `user_data` is passed to every callback; `free_user_data`, if
/// set, is called once when the callbacks are replaced or the client is freed.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct rtms_callbacks_t {
    pub user_data: *mut c_void,
    pub free_user_data: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
    /// The join finished: 0 on success, else the official join code.
    pub on_join_confirm: Option<unsafe extern "C" fn(user_data: *mut c_void, reason: i64)>,
    /// The stream ended with a stop reason; `error` (NULL when the server ended it) says what
    /// failed when the client ended it.
    pub on_leave: Option<unsafe extern "C" fn(user_data: *mut c_void, reason: i32, error: *const rtms_error_t)>,
    /// Any media packet (see `rtms_media_t.media_type`).
    pub on_media: Option<unsafe extern "C" fn(user_data: *mut c_void, media: *const rtms_media_t)>,
    /// Session added, paused, resumed or stopped (`op`: the official session event op).
    pub on_session_update: Option<unsafe extern "C" fn(user_data: *mut c_void, op: i32, session: *const rtms_session_t)>,
    /// A stream state change other than the final one.
    pub on_stream_state: Option<unsafe extern "C" fn(user_data: *mut c_void, state: i32, reason: i32, timestamp: u64)>,
    /// One participant joined (`op` 0) or left (1).
    pub on_user_update: Option<unsafe extern "C" fn(user_data: *mut c_void, op: i32, participant: *const rtms_participant_t)>,
    /// Participants joined or left, as one event.
    pub on_participants: Option<
        unsafe extern "C" fn(user_data: *mut c_void, joined: bool, timestamp: u64, participants: *const rtms_participant_t, count: usize),
    >,
    pub on_active_speaker: Option<unsafe extern "C" fn(user_data: *mut c_void, timestamp: u64, user_id: i64, user_name: *const c_char)>,
    /// Sharing started or stopped; `user_id` is 0 and `user_name` NULL when unknown.
    pub on_sharing:
        Option<unsafe extern "C" fn(user_data: *mut c_void, started: bool, timestamp: u64, user_id: i64, user_name: *const c_char)>,
    pub on_media_interrupted: Option<unsafe extern "C" fn(user_data: *mut c_void, timestamp: u64)>,
    pub on_participant_video:
        Option<unsafe extern "C" fn(user_data: *mut c_void, on: bool, timestamp: u64, user_ids: *const i64, count: usize)>,
    /// The answer to `rtms_client_subscribe_video`.
    pub on_video_subscribed: Option<unsafe extern "C" fn(user_data: *mut c_void, user_id: i64, status: i64, reason: *const c_char)>,
    /// Every meeting event, known or not, as compact JSON (the official `onEventEx`).
    pub on_event_ex: Option<unsafe extern "C" fn(user_data: *mut c_void, event_type: i32, json: *const c_char)>,
    /// AI-interpreter metadata, as JSON.
    pub on_audio_metadata: Option<unsafe extern "C" fn(user_data: *mut c_void, json: *const c_char)>,
    /// A stream-state or session-state answer.
    pub on_state_response: Option<unsafe extern "C" fn(user_data: *mut c_void, msg_type: i64, state: i32, timestamp: u64)>,
}

/// A vtable owned by a client: `Send` because the C side promises that its callbacks and
/// `user_data` may be used from the dispatcher thread (documented in the header).
pub(crate) struct Vtable(pub(crate) rtms_callbacks_t);

// SAFETY: the header requires callbacks and user_data to be usable from another thread.
unsafe impl Send for Vtable {}

impl Drop for Vtable {
    fn drop(&mut self) {
        if let Some(free) = self.0.free_user_data {
            // SAFETY: the C side gave us this destructor for this user_data; called once.
            unsafe { free(self.0.user_data) };
        }
    }
}
