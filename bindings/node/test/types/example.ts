// Uses the whole public API, checked with `tsc --noEmit` (never run).
import rtms, { Client, RtmsError, type Metadata, type JoinParams } from '../../index.js';
import { Simulator } from '../../testing.js';
import http from 'node:http';

async function main(): Promise<void> {
  const sim: Simulator = await Simulator.start({ scenario: 'quick', speed: 2 });
  const client = new rtms.Client();
  const c2: Client = new Client();
  client.setAudioParams({ contentType: rtms.AudioContentType.RAW_AUDIO, codec: rtms.AudioCodec.OPUS, sampleRate: rtms.AudioSampleRate.SR_48K, channel: rtms.AudioChannel.STEREO, dataOpt: rtms.AudioDataOption.AUDIO_MULTI_STREAMS, duration: 20, frameSize: 960 });
  client.setVideoParams({ contentType: rtms.VideoContentType.RAW_VIDEO, codec: rtms.VideoCodec.H264, resolution: rtms.VideoResolution.HD, dataOpt: rtms.VideoDataOption.VIDEO_SINGLE_ACTIVE_STREAM, fps: 30 });
  client.setDeskshareParams({ codec: rtms.VideoCodec.JPG, fps: 5 });
  client.setTranscriptParams({ srcLanguage: rtms.TranscriptLanguage.ENGLISH, enableLid: false });
  client.setProxy('http', 'http://127.0.0.1:3128');
  client.subscribeEvent([rtms.EVENT_PARTICIPANT_JOIN]);
  client.unsubscribeEvent([rtms.EVENT_PARTICIPANT_JOIN]);
  client.onJoinConfirm((reason: number) => reason === rtms.RTMS_SDK_OK);
  client.onSessionUpdate((op, info) => op === rtms.SESSION_EVENT_ADD && info.isActive && info.sessionId.length);
  client.onUserUpdate((op, p) => op === rtms.USER_JOIN && p.id + p.name.length);
  client.onParticipantEvent((event, ts, ps) => event === 'join' && ps[0]?.userId);
  client.onActiveSpeakerEvent((ts, id, name) => ts + id + name.length);
  client.onSharingEvent((event, ts, id, name) => event === 'start' && id && name);
  client.onMediaConnectionInterrupted((ts) => ts);
  client.onParticipantVideo((users, on) => users.length && on);
  client.onVideoSubscribed((id, status, error) => id + status + error.length);
  client.onEventEx((json) => JSON.parse(json));
  const media = (buffer: Buffer, size: number, timestamp: number, md: Metadata): void => {
    void [buffer.length, size, timestamp, md.userId, md.userName, md.startTs, md.endTs, md.aiInterpreter.targets.length];
  };
  client.onAudioData(media);
  client.onVideoData(media);
  client.onDeskshareData(media);
  client.onTranscriptData(media);
  client.onChatData(media);
  client.onLeave((reason) => reason === rtms.StopReason.MEETING_ENDED);
  const opts: JoinParams = sim.joinOptions();
  const ok: boolean = client.join(opts);
  client.join('uuid', 'stream', 'sig', 'wss://x', 5000);
  try {
    await client.joined;
  } catch (e) {
    if (e instanceof RtmsError) void [e.code, e.rawCode, e.status];
  }
  for await (const chunk of client.audio({ signal: AbortSignal.timeout(1000) })) void chunk.metadata.userName;
  void [ok, client.poll(), client.uuid(), client.streamId(), client.subscribeVideo(1, true)];
  const left: boolean = await client.leave();
  await c2.release();
  void left;
  rtms.onAudioData(media);
  rtms.join({ meeting_uuid: 'u', rtms_stream_id: 's', server_urls: 'wss://x' });
  rtms.leave();
  const server: http.Server = rtms.onWebhookEvent((payload) => payload.event);
  rtms.onWebhookEvent((payload, req, res) => res.end(JSON.stringify(payload) + req.url));
  http.createServer(rtms.createWebhookHandler((p) => p, '/zoom')).close();
  server.close();
  rtms.configureLogger({ level: rtms.LogLevel.DEBUG, format: rtms.LogFormat.JSON, enabled: true });
  const sig: string = rtms.generateSignature({ client: 'c', secret: 's', uuid: 'u', streamId: 's' });
  const init: boolean = rtms.isInitialized();
  void [sig, init, rtms.MEDIA_TYPE_AUDIO, rtms.MediaDataType.ALL, rtms.SessionState.PAUSED, rtms.StreamState.ACTIVE, rtms.EventType.SHARING_START, rtms.MessageType.KEEP_ALIVE_REQ, rtms.SESS_STATUS_PAUSED];
  const summary = await sim.wait(1000);
  void summary?.meetings[0]?.media.audio?.crc32;
  await sim.shutdown();
}

void main;
