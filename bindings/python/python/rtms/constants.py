"""Every constant and ``IntEnum`` of the official SDK, with the official names and values.

The values come from rtms-core's protocol enums (through the native module), so Python and the
core can never disagree. The audio/video subsets (``AudioCodec``, ``VideoContentType``...) are
the official SDK's views of the core's ``Codec`` and ``ContentType``.
"""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Dict, Iterable

from . import _rtms

_T: Dict[str, Dict[str, int]] = _rtms.enums()


def _subset(table: Dict[str, int], names: Iterable[str]) -> Dict[str, int]:
    return {n: table[n] for n in names}


AudioContentType = IntEnum("AudioContentType", _subset(_T["ContentType"], ["UNDEFINED", "RTP", "RAW_AUDIO", "FILE_STREAM", "TEXT"]))  # type: ignore[misc]
VideoContentType = IntEnum("VideoContentType", _subset(_T["ContentType"], ["UNDEFINED", "RTP", "RAW_VIDEO", "FILE_STREAM", "TEXT"]))  # type: ignore[misc]
AudioCodec = IntEnum("AudioCodec", _subset(_T["Codec"], ["UNDEFINED", "L16", "G711", "G722", "OPUS"]))  # type: ignore[misc]
VideoCodec = IntEnum("VideoCodec", _subset(_T["Codec"], ["UNDEFINED", "JPG", "PNG", "H264"]))  # type: ignore[misc]
AudioSampleRate = IntEnum("AudioSampleRate", _T["AudioSampleRate"])  # type: ignore[misc]
AudioChannel = IntEnum("AudioChannel", _T["AudioChannel"])  # type: ignore[misc]
DataOption = IntEnum("DataOption", _T["DataOption"])  # type: ignore[misc]
AudioDataOption = DataOption
VideoDataOption = DataOption
VideoResolution = IntEnum("VideoResolution", _T["VideoResolution"])  # type: ignore[misc]
MediaDataType = IntEnum("MediaDataType", _T["MediaDataType"])  # type: ignore[misc]
SessionState = IntEnum("SessionState", _T["SessionState"])  # type: ignore[misc]
StreamState = IntEnum("StreamState", _T["StreamState"])  # type: ignore[misc]
EventType = IntEnum("EventType", _T["EventType"])  # type: ignore[misc]
MessageType = IntEnum("MessageType", _T["MessageType"])  # type: ignore[misc]
StopReason = IntEnum("StopReason", _T["StopReason"])  # type: ignore[misc]
TranscriptLanguage = IntEnum("TranscriptLanguage", _T["TranscriptLanguage"])  # type: ignore[misc]
#: Zoom's handshake status codes (``STATUS_OK``, ``STATUS_INVALID_SIGNATURE``...); not in the official SDK.
StatusCode = IntEnum("StatusCode", _T["StatusCode"])  # type: ignore[misc]
#: Contact Center voice event types (8 and up mean these for ``engagement_id`` streams).
ZccVoiceEventType = IntEnum("ZccVoiceEventType", _T["ZccVoiceEventType"])  # type: ignore[misc]


class LogLevel(IntEnum):
    """Log levels, numbered as the official SDK."""

    ERROR = 0
    WARN = 1
    INFO = 2
    DEBUG = 3
    TRACE = 4


class LogFormat(str, Enum):
    """Log output formats."""

    PROGRESSIVE = "progressive"
    JSON = "json"


_media = _T["MediaDataType"]
MEDIA_TYPE_AUDIO: int = _media["AUDIO"]
MEDIA_TYPE_VIDEO: int = _media["VIDEO"]
MEDIA_TYPE_DESKSHARE: int = _media["DESKSHARE"]
MEDIA_TYPE_TRANSCRIPT: int = _media["TRANSCRIPT"]
MEDIA_TYPE_CHAT: int = _media["CHAT"]
MEDIA_TYPE_ALL: int = _media["ALL"]

_ops = _T["SessionEventOp"]
SESSION_EVENT_ADD: int = _ops["SESSION_EVENT_ADD"]
SESSION_EVENT_STOP: int = _ops["SESSION_EVENT_STOP"]
SESSION_EVENT_PAUSE: int = _ops["SESSION_EVENT_PAUSE"]
SESSION_EVENT_RESUME: int = _ops["SESSION_EVENT_RESUME"]

USER_JOIN: int = _T["UserEventOp"]["USER_JOIN"]
USER_LEAVE: int = _T["UserEventOp"]["USER_LEAVE"]

_ev = _T["EventType"]
EVENT_UNDEFINED: int = _ev["UNDEFINED"]
EVENT_FIRST_PACKET_TIMESTAMP: int = _ev["FIRST_PACKET_TIMESTAMP"]
EVENT_ACTIVE_SPEAKER_CHANGE: int = _ev["ACTIVE_SPEAKER_CHANGE"]
EVENT_PARTICIPANT_JOIN: int = _ev["PARTICIPANT_JOIN"]
EVENT_PARTICIPANT_LEAVE: int = _ev["PARTICIPANT_LEAVE"]
EVENT_SHARING_START: int = _ev["SHARING_START"]
EVENT_SHARING_STOP: int = _ev["SHARING_STOP"]
EVENT_MEDIA_CONNECTION_INTERRUPTED: int = _ev["MEDIA_CONNECTION_INTERRUPTED"]
EVENT_PARTICIPANT_VIDEO_ON: int = _ev["PARTICIPANT_VIDEO_ON"]
EVENT_PARTICIPANT_VIDEO_OFF: int = _ev["PARTICIPANT_VIDEO_OFF"]
_zcc = _T["ZccVoiceEventType"]
EVENT_CONSUMER_ANSWERED: int = _zcc["CONSUMER_ANSWERED"]
EVENT_CONSUMER_END: int = _zcc["CONSUMER_END"]
EVENT_USER_ANSWERED: int = _zcc["USER_ANSWERED"]
EVENT_USER_END: int = _zcc["USER_END"]
EVENT_USER_HOLD: int = _zcc["USER_HOLD"]
EVENT_USER_UNHOLD: int = _zcc["USER_UNHOLD"]

_sdk = _T["SdkResult"]
RTMS_SDK_FAILURE: int = _sdk["FAILURE"]
RTMS_SDK_OK: int = _sdk["OK"]
RTMS_SDK_TIMEOUT: int = _sdk["TIMEOUT"]
RTMS_SDK_NOT_EXIST: int = _sdk["NOT_EXIST"]
RTMS_SDK_WRONG_TYPE: int = _sdk["WRONG_TYPE"]
RTMS_SDK_INVALID_STATUS: int = _sdk["INVALID_STATUS"]
RTMS_SDK_INVALID_ARGS: int = _sdk["INVALID_ARGS"]

SESS_STATUS_ACTIVE: int = 0
SESS_STATUS_PAUSED: int = 1

__all__ = [n for n in list(globals()) if not n.startswith("_") and n not in ("annotations", "Enum", "IntEnum", "Dict", "Iterable")]
