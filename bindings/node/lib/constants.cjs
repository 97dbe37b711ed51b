'use strict';
// The official constants and enums, built from the core's enum tables (one source of truth).
const native = require('../native.cjs');

const core = JSON.parse(native.enums());

const pick = (table, names, extra = {}) => {
  const out = {};
  for (const n of names) out[n] = table[n];
  return Object.freeze(Object.assign(out, extra));
};
const byValue = (table) => Object.freeze(Object.fromEntries(Object.entries(table).sort((a, b) => a[1] - b[1])));

const AudioContentType = pick(core.ContentType, ['UNDEFINED', 'RTP', 'RAW_AUDIO', 'FILE_STREAM', 'TEXT']);
const VideoContentType = pick(core.ContentType, ['UNDEFINED', 'RTP', 'RAW_VIDEO', 'FILE_STREAM', 'TEXT']);
const AudioCodec = pick(core.Codec, ['UNDEFINED', 'L16', 'G711', 'G722', 'OPUS']);
const VideoCodec = pick(core.Codec, ['UNDEFINED', 'JPG', 'PNG', 'H264']);
const AudioSampleRate = byValue(core.AudioSampleRate);
const AudioChannel = byValue(core.AudioChannel);
const AudioDataOption = pick(core.DataOption, ['UNDEFINED', 'AUDIO_MIXED_STREAM', 'AUDIO_MULTI_STREAMS']);
const VideoDataOption = pick(
  core.DataOption,
  ['UNDEFINED', 'VIDEO_SINGLE_ACTIVE_STREAM', 'VIDEO_SINGLE_INDIVIDUAL_STREAM', 'VIDEO_MIXED_GALLERY_VIEW'],
  { VIDEO_MIXED_SPEAKER_VIEW: core.DataOption.VIDEO_SINGLE_INDIVIDUAL_STREAM },
);
const VideoResolution = byValue(core.VideoResolution);
const MediaDataType = byValue(core.MediaDataType);
const SessionState = byValue(core.SessionState);
const StreamState = byValue(core.StreamState);
// Meeting events plus the Contact Center names (8 and 9 mean different things per product).
const EventType = byValue({
  ...core.EventType,
  CONSUMER_ANSWERED: core.ZccVoiceEventType.CONSUMER_ANSWERED,
  CONSUMER_END: core.ZccVoiceEventType.CONSUMER_END,
});
const MessageType = byValue(core.MessageType);
// The 1.1.0 runtime names, plus the `STOP_BC_*` names of the official typings.
const stopAliases = {};
for (const [name, value] of Object.entries(core.StopReason)) {
  if (name !== 'UNDEFINED') stopAliases[`STOP_BC_${name}`] = value;
}
stopAliases.STOP_BC_APP_DISABLED_BY_HOST = core.StopReason.HOST_DISABLED_APP;
stopAliases.STOP_BC_MEETING_CONNECTION_INTERRUPTED = core.StopReason.INSTANCE_CONNECTION_INTERRUPTED;
const StopReason = Object.freeze({ ...byValue(core.StopReason), ...stopAliases });
const TranscriptLanguage = byValue(core.TranscriptLanguage);

const LogLevel = Object.freeze({ ERROR: 0, WARN: 1, INFO: 2, DEBUG: 3, TRACE: 4, 0: 'ERROR', 1: 'WARN', 2: 'INFO', 3: 'DEBUG', 4: 'TRACE' });
const LogFormat = Object.freeze({ PROGRESSIVE: 'progressive', JSON: 'json' });

const flat = {};
for (const [name, value] of Object.entries(MediaDataType)) if (name !== 'UNDEFINED') flat[`MEDIA_TYPE_${name}`] = value;
Object.assign(flat, core.SessionEventOp, core.UserEventOp);
for (const [name, value] of Object.entries(EventType)) flat[`EVENT_${name}`] = value;
for (const [name, value] of Object.entries(core.SdkResult)) flat[`RTMS_SDK_${name}`] = value;
flat.SESS_STATUS_ACTIVE = 0;
flat.SESS_STATUS_PAUSED = 1;

module.exports = {
  dictionaries: {
    AudioContentType,
    AudioCodec,
    AudioSampleRate,
    AudioChannel,
    AudioDataOption,
    VideoContentType,
    VideoCodec,
    VideoResolution,
    VideoDataOption,
    MediaDataType,
    SessionState,
    StreamState,
    EventType,
    MessageType,
    StopReason,
    TranscriptLanguage,
  },
  flat: Object.freeze(flat),
  LogLevel,
  LogFormat,
  core,
};
