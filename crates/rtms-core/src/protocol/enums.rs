//! Every enum the official SDK exposes, with Zoom's numeric values (see `docs/protocol.md` §13).
//!
//! Wire structs keep raw integers so that a value unknown today never fails a decode; these
//! enums give those integers names. Each has `from_i32`, `as_i32` and `name` (the official
//! constant name without prefix).

macro_rules! rtms_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:expr),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(i32)]
        pub enum $name {
            $($(#[$vmeta])* $variant = $value),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The enum value for a wire integer, if known.
            pub fn from_i32(value: i32) -> Option<Self> {
                match value {
                    $(v if v == $value => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The wire integer.
            pub fn as_i32(self) -> i32 {
                self as i32
            }

            /// The official constant name (e.g. `"MEETING_ENDED"`).
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => stringify!($variant),)+
                }
            }
        }

        impl From<$name> for i32 {
            fn from(v: $name) -> i32 {
                v as i32
            }
        }
    };
}

rtms_enum! {
    /// Message types, `msg_type` in every frame.
    #[allow(non_camel_case_types)]
    MsgType {
        UNDEFINED = 0,
        SIGNALING_HAND_SHAKE_REQ = 1,
        SIGNALING_HAND_SHAKE_RESP = 2,
        DATA_HAND_SHAKE_REQ = 3,
        DATA_HAND_SHAKE_RESP = 4,
        EVENT_SUBSCRIPTION = 5,
        EVENT_UPDATE = 6,
        CLIENT_READY_ACK = 7,
        STREAM_STATE_UPDATE = 8,
        SESSION_STATE_UPDATE = 9,
        SESSION_STATE_REQ = 10,
        SESSION_STATE_RESP = 11,
        KEEP_ALIVE_REQ = 12,
        KEEP_ALIVE_RESP = 13,
        MEDIA_DATA_AUDIO = 14,
        MEDIA_DATA_VIDEO = 15,
        MEDIA_DATA_SHARE = 16,
        MEDIA_DATA_TRANSCRIPT = 17,
        MEDIA_DATA_CHAT = 18,
        STREAM_STATE_REQ = 19,
        STREAM_STATE_RESP = 20,
        STREAM_CLOSE_REQ = 21,
        STREAM_CLOSE_RESP = 22,
        META_DATA_AUDIO = 23,
        META_DATA_VIDEO = 24,
        META_DATA_SHARE = 25,
        META_DATA_TRANSCRIPT = 26,
        META_DATA_CHAT = 27,
        VIDEO_SUBSCRIPTION_REQ = 28,
        VIDEO_SUBSCRIPTION_RESP = 29,
    }
}

rtms_enum! {
    /// Meeting/webinar/session event types (`event.event_type` in msg 6).
    #[allow(non_camel_case_types)]
    EventType {
        UNDEFINED = 0,
        FIRST_PACKET_TIMESTAMP = 1,
        ACTIVE_SPEAKER_CHANGE = 2,
        PARTICIPANT_JOIN = 3,
        PARTICIPANT_LEAVE = 4,
        SHARING_START = 5,
        SHARING_STOP = 6,
        MEDIA_CONNECTION_INTERRUPTED = 7,
        PARTICIPANT_VIDEO_ON = 8,
        PARTICIPANT_VIDEO_OFF = 9,
        USER_ANSWERED = 10,
        USER_END = 11,
        USER_HOLD = 12,
        USER_UNHOLD = 13,
    }
}

rtms_enum! {
    /// Contact Center voice event types; they share numbers with [`EventType`] from 8 on.
    #[allow(non_camel_case_types)]
    ZccVoiceEventType {
        CONSUMER_ANSWERED = 8,
        CONSUMER_END = 9,
        USER_ANSWERED = 10,
        USER_END = 11,
        USER_HOLD = 12,
        USER_UNHOLD = 13,
        MONITOR_STARTED = 14,
        MONITOR_TRANSITIONED = 15,
        MONITOR_ENDED = 16,
        TAKEOVER_STARTED = 17,
        TRANSFER_INITIATED = 18,
        TRANSFER_CANCELED = 19,
        TRANSFER_ACCEPTED = 20,
        TRANSFER_COMPLETED = 21,
        TRANSFER_REJECTED = 22,
        TRANSFER_TIMEOUT = 23,
        CONFERENCE_CANCELED = 24,
        CONFERENCE_PARTICIPANT_CANCELED = 25,
        CONFERENCE_PARTICIPANT_INVITED = 26,
        CONFERENCE_PARTICIPANT_REJECTED = 27,
        CONFERENCE_PARTICIPANT_TIMEOUT = 28,
    }
}

rtms_enum! {
    /// Media content types.
    #[allow(non_camel_case_types)]
    ContentType {
        UNDEFINED = 0,
        RTP = 1,
        RAW_AUDIO = 2,
        RAW_VIDEO = 3,
        FILE_STREAM = 4,
        TEXT = 5,
    }
}

rtms_enum! {
    /// Codecs (payload types).
    #[allow(non_camel_case_types)]
    Codec {
        UNDEFINED = 0,
        L16 = 1,
        G711 = 2,
        G722 = 3,
        OPUS = 4,
        JPG = 5,
        PNG = 6,
        H264 = 7,
    }
}

rtms_enum! {
    /// Audio sample rates.
    #[allow(non_camel_case_types)]
    SampleRate {
        SR_8K = 0,
        SR_16K = 1,
        SR_32K = 2,
        SR_48K = 3,
    }
}

impl SampleRate {
    /// The rate in Hz.
    pub fn hz(self) -> u32 {
        match self {
            SampleRate::SR_8K => 8_000,
            SampleRate::SR_16K => 16_000,
            SampleRate::SR_32K => 32_000,
            SampleRate::SR_48K => 48_000,
        }
    }
}

rtms_enum! {
    /// Audio channel layouts.
    #[allow(non_camel_case_types)]
    Channel {
        MONO = 1,
        STEREO = 2,
    }
}

rtms_enum! {
    /// Data options: how streams are mixed.
    #[allow(non_camel_case_types)]
    DataOption {
        UNDEFINED = 0,
        AUDIO_MIXED_STREAM = 1,
        AUDIO_MULTI_STREAMS = 2,
        VIDEO_SINGLE_ACTIVE_STREAM = 3,
        VIDEO_SINGLE_INDIVIDUAL_STREAM = 4,
        VIDEO_MIXED_GALLERY_VIEW = 5,
    }
}

rtms_enum! {
    /// Video and deskshare resolutions.
    #[allow(non_camel_case_types)]
    Resolution {
        SD = 1,
        HD = 2,
        FHD = 3,
        QHD = 4,
    }
}

impl Resolution {
    /// Width and height in pixels.
    pub fn size(self) -> (u32, u32) {
        match self {
            Resolution::SD => (640, 360),
            Resolution::HD => (1280, 720),
            Resolution::FHD => (1920, 1080),
            Resolution::QHD => (2560, 1440),
        }
    }
}

rtms_enum! {
    /// RTMS session states (msg 9).
    #[allow(non_camel_case_types)]
    SessionState {
        INACTIVE = 0,
        INITIALIZE = 1,
        STARTED = 2,
        PAUSED = 3,
        RESUMED = 4,
        STOPPED = 5,
    }
}

rtms_enum! {
    /// RTMS stream states (msg 8).
    #[allow(non_camel_case_types)]
    StreamState {
        INACTIVE = 0,
        ACTIVE = 1,
        INTERRUPTED = 2,
        TERMINATING = 3,
        TERMINATED = 4,
        PAUSED = 5,
        RESUMED = 6,
    }
}

rtms_enum! {
    /// Why a stream stopped (`reason` in msg 8, `stop_reason` in `*.rtms_stopped`).
    #[allow(non_camel_case_types)]
    StopReason {
        UNDEFINED = 0,
        HOST_TRIGGERED = 1,
        USER_TRIGGERED = 2,
        USER_LEFT = 3,
        USER_EJECTED = 4,
        HOST_DISABLED_APP = 5,
        MEETING_ENDED = 6,
        STREAM_CANCELED = 7,
        STREAM_REVOKED = 8,
        ALL_APPS_DISABLED = 9,
        INTERNAL_EXCEPTION = 10,
        CONNECTION_TIMEOUT = 11,
        INSTANCE_CONNECTION_INTERRUPTED = 12,
        SIGNAL_CONNECTION_INTERRUPTED = 13,
        DATA_CONNECTION_INTERRUPTED = 14,
        SIGNAL_CONNECTION_CLOSED_ABNORMALLY = 15,
        DATA_CONNECTION_CLOSED_ABNORMALLY = 16,
        EXIT_SIGNAL = 17,
        AUTHENTICATION_FAILURE = 18,
        AWAIT_RECONNECTION_TIMEOUT = 19,
        RECEIVER_REQUEST_CLOSE = 20,
        CUSTOMER_DISCONNECTED = 21,
        AGENT_DISCONNECTED = 22,
        ADMIN_DISABLED_APP = 23,
        KEEP_ALIVE_TIMEOUT = 24,
        MANUAL_API_TRIGGERED = 25,
        STREAMING_NOT_SUPPORTED = 26,
    }
}

rtms_enum! {
    /// Handshake status codes (Table A of the data-types docs).
    #[allow(non_camel_case_types)]
    StatusCode {
        STATUS_OK = 0,
        STATUS_INVALID_MESSAGE_TYPE = 1,
        STATUS_INVALID_RTMS_STREAM_ID = 2,
        STATUS_INVALID_SIGNATURE = 3,
        STATUS_INVALID_PAYLOAD = 4,
        STATUS_INVALID_EVENTS = 5,
        STATUS_INVALID_EVENT_TYPE = 6,
        STATUS_INVALID_MEDIA_TYPE = 7,
        STATUS_DUPLICATE_SIGNAL_REQUEST = 8,
        STATUS_MEDIA_TYPE_AUDIO_NOT_SUPPORT = 9,
        STATUS_MEDIA_TYPE_VIDEO_NOT_SUPPORT = 10,
        STATUS_MEDIA_TYPE_DESKSHARE_NOT_SUPPORT = 11,
        STATUS_MEDIA_TYPE_TRANSCRIPT_NOT_SUPPORT = 12,
        STATUS_MEDIA_TYPE_CHAT_NOT_SUPPORT = 13,
        STATUS_MEDIA_TYPE_INVALID_VALUE = 14,
        STATUS_MEDIA_DATA_ALL_CONNECTION_EXIST = 15,
        STATUS_DUPLICATE_MEDIA_DATA_CONNECTION = 16,
        STATUS_INVALID_MEDIA_PARAMS = 17,
        STATUS_INVALID_MEDIA_AUDIO_PARAMS = 18,
        STATUS_INVALID_MEDIA_AUDIO_CONTENT_TYPE = 19,
        STATUS_INVALID_MEDIA_AUDIO_SAMPLE_RATE = 20,
        STATUS_INVALID_MEDIA_AUDIO_CHANNEL = 21,
        STATUS_INVALID_MEDIA_AUDIO_CODEC = 22,
        STATUS_INVALID_MEDIA_AUDIO_DATA_OPT = 23,
        STATUS_INVALID_MEDIA_AUDIO_SEND_RATE = 24,
        STATUS_INVALID_MEDIA_VIDEO_PARAMS = 25,
        STATUS_INVALID_MEDIA_VIDEO_CONTENT_TYPE = 26,
        STATUS_INVALID_MEDIA_VIDEO_CODEC = 27,
        STATUS_INVALID_MEDIA_VIDEO_RESOLUTION = 28,
        STATUS_INVALID_MEDIA_VIDEO_DATA_OPT = 29,
        STATUS_INVALID_MEDIA_VIDEO_FPS = 30,
        STATUS_INVALID_MEDIA_DESKSHARE_PARAMS = 31,
        STATUS_INVALID_MEDIA_DESKSHARE_CONTENT_TYPE = 32,
        STATUS_INVALID_MEDIA_DESKSHARE_CODEC = 33,
        STATUS_INVALID_MEDIA_DESKSHARE_RESOLUTION = 34,
        STATUS_INVALID_MEDIA_DESKSHARE_FPS = 35,
        STATUS_INVALID_MEDIA_TRANSCRIPT_PARAMS = 36,
        STATUS_INVALID_MEDIA_TRANSCRIPT_CONTENT_TYPE = 37,
        STATUS_INVALID_MEDIA_CHAT_PARAMS = 38,
        STATUS_INVALID_MEDIA_CHAT_CONTENT_TYPE = 39,
        STATUS_INVALID_RTMS_SESSION_ID = 40,
        STATUS_INVALID_CLIENT_READY_ACK = 41,
        STATUS_INVALID_EVENT_SUBSCRIBE = 42,
        STATUS_INVALID_MEDIA_TRANSCRIPT_SROUCE_LANGUAGE = 43,
    }
}

rtms_enum! {
    /// Transcript languages (`src_language`, transcript `language`).
    #[allow(non_camel_case_types)]
    TranscriptLanguage {
        NONE = -1,
        ARABIC = 0,
        BENGALI = 1,
        CANTONESE = 2,
        CATALAN = 3,
        CHINESE_SIMPLIFIED = 4,
        CHINESE_TRADITIONAL = 5,
        CZECH = 6,
        DANISH = 7,
        DUTCH = 8,
        ENGLISH = 9,
        ESTONIAN = 10,
        FINNISH = 11,
        FRENCH_CANADA = 12,
        FRENCH_FRANCE = 13,
        GERMAN = 14,
        HEBREW = 15,
        HINDI = 16,
        HUNGARIAN = 17,
        INDONESIAN = 18,
        ITALIAN = 19,
        JAPANESE = 20,
        KOREAN = 21,
        MALAY = 22,
        PERSIAN = 23,
        POLISH = 24,
        PORTUGUESE = 25,
        ROMANIAN = 26,
        RUSSIAN = 27,
        SPANISH = 28,
        SWEDISH = 29,
        TAGALOG = 30,
        TAMIL = 31,
        TELUGU = 32,
        THAI = 33,
        TURKISH = 34,
        UKRAINIAN = 35,
        VIETNAMESE = 36,
    }
}

rtms_enum! {
    /// The official SDK's result codes (`RTMS_SDK_*`).
    #[allow(non_camel_case_types)]
    SdkResult {
        FAILURE = -1,
        OK = 0,
        TIMEOUT = 1,
        NOT_EXIST = 2,
        WRONG_TYPE = 3,
        INVALID_STATUS = 4,
        INVALID_ARGS = 5,
    }
}

rtms_enum! {
    /// `onSessionUpdate` op codes.
    #[allow(non_camel_case_types)]
    SessionEventOp {
        SESSION_EVENT_ADD = 1,
        SESSION_EVENT_STOP = 2,
        SESSION_EVENT_PAUSE = 3,
        SESSION_EVENT_RESUME = 4,
    }
}

rtms_enum! {
    /// `onUserUpdate` op codes.
    #[allow(non_camel_case_types)]
    UserEventOp {
        USER_JOIN = 0,
        USER_LEAVE = 1,
    }
}

/// Media type bits (`media_type` in the data handshake). Combine with `|`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MediaType(pub u32);

impl MediaType {
    pub const UNDEFINED: MediaType = MediaType(0);
    pub const AUDIO: MediaType = MediaType(1);
    pub const VIDEO: MediaType = MediaType(2);
    pub const DESKSHARE: MediaType = MediaType(4);
    pub const TRANSCRIPT: MediaType = MediaType(8);
    pub const CHAT: MediaType = MediaType(16);
    pub const ALL: MediaType = MediaType(32);
    /// The five single media types, in bit order.
    pub const SINGLES: [MediaType; 5] = [MediaType::AUDIO, MediaType::VIDEO, MediaType::DESKSHARE, MediaType::TRANSCRIPT, MediaType::CHAT];

    /// True when every bit of `other` is set (ALL contains every type).
    pub fn contains(self, other: MediaType) -> bool {
        other.0 != 0 && (self.0 & MediaType::ALL.0 != 0 || self.0 & other.0 == other.0)
    }

    /// The single types this mask covers (ALL expands to all five).
    pub fn singles(self) -> impl Iterator<Item = MediaType> {
        MediaType::SINGLES.into_iter().filter(move |t| self.contains(*t))
    }

    /// The `server_urls` / `media_params` key of a single type.
    pub fn key(self) -> &'static str {
        match self.0 {
            1 => "audio",
            2 => "video",
            4 => "deskshare",
            8 => "transcript",
            16 => "chat",
            32 => "all",
            _ => "unknown",
        }
    }

    /// The media message type a single type is delivered with.
    pub fn msg_type(self) -> Option<MsgType> {
        match self.0 {
            1 => Some(MsgType::MEDIA_DATA_AUDIO),
            2 => Some(MsgType::MEDIA_DATA_VIDEO),
            4 => Some(MsgType::MEDIA_DATA_SHARE),
            8 => Some(MsgType::MEDIA_DATA_TRANSCRIPT),
            16 => Some(MsgType::MEDIA_DATA_CHAT),
            _ => None,
        }
    }

    /// The single type a media message type carries.
    pub fn from_msg_type(msg_type: i64) -> Option<MediaType> {
        match msg_type {
            14 => Some(MediaType::AUDIO),
            15 => Some(MediaType::VIDEO),
            16 => Some(MediaType::DESKSHARE),
            17 => Some(MediaType::TRANSCRIPT),
            18 => Some(MediaType::CHAT),
            _ => None,
        }
    }

    /// True when payloads of this type travel as base64 (audio, video, deskshare).
    pub fn is_binary(self) -> bool {
        matches!(self.0, 1 | 2 | 4)
    }
}

impl std::ops::BitOr for MediaType {
    type Output = MediaType;
    fn bitor(self, rhs: MediaType) -> MediaType {
        MediaType(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for MediaType {
    fn bitor_assign(&mut self, rhs: MediaType) {
        self.0 |= rhs.0;
    }
}

/// One enum as the official SDK names it (`"EventType"`, `"AudioSampleRate"`, ...), with every
/// constant and value. Bindings build their constant tables from [`tables`], so the list of
/// enums lives in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumTable {
    pub name: &'static str,
    pub values: Vec<(&'static str, i32)>,
}

fn table<T: Copy>(name: &'static str, all: &[T], constant: fn(T) -> &'static str, value: fn(T) -> i32) -> EnumTable {
    EnumTable { name, values: all.iter().map(|v| (constant(*v), value(*v))).collect() }
}

/// Every enum the official SDK exposes, under the official SDK's names.
pub fn tables() -> Vec<EnumTable> {
    macro_rules! tables {
        ($($name:literal => $ty:ty),+ $(,)?) => {
            vec![$(table($name, <$ty>::ALL, <$ty>::name, <$ty>::as_i32)),+]
        };
    }
    let mut out = tables!(
        "MessageType" => MsgType,
        "EventType" => EventType,
        "ZccVoiceEventType" => ZccVoiceEventType,
        "ContentType" => ContentType,
        "Codec" => Codec,
        "AudioSampleRate" => SampleRate,
        "AudioChannel" => Channel,
        "DataOption" => DataOption,
        "VideoResolution" => Resolution,
        "SessionState" => SessionState,
        "StreamState" => StreamState,
        "StopReason" => StopReason,
        "StatusCode" => StatusCode,
        "TranscriptLanguage" => TranscriptLanguage,
        "SdkResult" => SdkResult,
        "SessionEventOp" => SessionEventOp,
        "UserEventOp" => UserEventOp,
    );
    let media = [
        ("UNDEFINED", MediaType::UNDEFINED),
        ("AUDIO", MediaType::AUDIO),
        ("VIDEO", MediaType::VIDEO),
        ("DESKSHARE", MediaType::DESKSHARE),
        ("TRANSCRIPT", MediaType::TRANSCRIPT),
        ("CHAT", MediaType::CHAT),
        ("ALL", MediaType::ALL),
    ];
    out.push(EnumTable { name: "MediaDataType", values: media.iter().map(|(n, t)| (*n, t.0 as i32)).collect() });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_values() {
        assert_eq!(MsgType::VIDEO_SUBSCRIPTION_RESP.as_i32(), 29);
        assert_eq!(StopReason::KEEP_ALIVE_TIMEOUT.as_i32(), 24);
        assert_eq!(StopReason::ALL.len(), 27);
        assert_eq!(StatusCode::ALL.len(), 44);
        assert_eq!(TranscriptLanguage::from_i32(9), Some(TranscriptLanguage::ENGLISH));
        assert_eq!(TranscriptLanguage::NONE.as_i32(), -1);
        assert_eq!(Codec::H264.name(), "H264");
        assert_eq!(EventType::from_i32(99), None);
    }

    #[test]
    fn tables_cover_every_enum_once() {
        let t = tables();
        let mut names: Vec<&str> = t.iter().map(|e| e.name).collect();
        names.dedup();
        assert_eq!(names.len(), 18);
        let stop = t.iter().find(|e| e.name == "StopReason").unwrap();
        assert_eq!(stop.values.len(), 27);
        assert!(stop.values.contains(&("MEETING_ENDED", 6)));
        let media = t.iter().find(|e| e.name == "MediaDataType").unwrap();
        assert!(media.values.contains(&("ALL", 32)));
    }

    #[test]
    fn media_type_bits() {
        let m = MediaType::AUDIO | MediaType::TRANSCRIPT;
        assert_eq!(m.0, 9);
        assert_eq!(m.singles().collect::<Vec<_>>(), vec![MediaType::AUDIO, MediaType::TRANSCRIPT]);
        assert_eq!(MediaType::ALL.singles().count(), 5);
        assert!(!MediaType::AUDIO.contains(MediaType::VIDEO));
    }
}
