// The client against rtms-sim over loopback: every callback with the values the simulator sent.
import './setup.mjs';
import test from 'node:test';
import assert from 'node:assert/strict';
import rtms, { Client, RtmsError } from '../index.js';
import { Simulator, mediaTally, once } from './helpers.mjs';

/** A client with every media type (L16 per participant, JPG, PNG, transcript, chat). */
function fullClient() {
  const c = new Client();
  c.setAudioParams({ contentType: rtms.AudioContentType.RAW_AUDIO, codec: rtms.AudioCodec.L16, sampleRate: rtms.AudioSampleRate.SR_16K, channel: rtms.AudioChannel.MONO, dataOpt: rtms.AudioDataOption.AUDIO_MULTI_STREAMS, duration: 20 });
  c.setVideoParams({ contentType: rtms.VideoContentType.RAW_VIDEO, codec: rtms.VideoCodec.JPG, resolution: rtms.VideoResolution.SD, dataOpt: rtms.VideoDataOption.VIDEO_SINGLE_ACTIVE_STREAM, fps: 5 });
  c.setDeskshareParams({ contentType: rtms.VideoContentType.RAW_VIDEO, codec: rtms.VideoCodec.PNG, resolution: rtms.VideoResolution.SD, fps: 1 });
  c.setTranscriptParams({ srcLanguage: rtms.TranscriptLanguage.NONE, enableLid: true });
  return c;
}

test('every callback fires with the values the simulator sent', async () => {
  const sim = await Simulator.start({ scenario: 'quick', speed: 4 });
  const c = fullClient();
  const { acc, add } = mediaTally();
  const seen = { transcripts: [], chats: [], events: [], raw: 0, users: [], sessions: [], speakers: [], sharing: [], video: [], metas: [] };
  const kinds = { audio: 'onAudioData', video: 'onVideoData', deskshare: 'onDeskshareData', transcript: 'onTranscriptData', chat: 'onChatData' };
  for (const [kind, reg] of Object.entries(kinds)) {
    const tally = add(kind);
    assert.equal(
      c[reg]((buffer, size, timestamp, metadata) => {
        assert.ok(Buffer.isBuffer(buffer));
        assert.equal(size, buffer.length);
        assert.equal(typeof timestamp, 'number');
        seen.metas.push(metadata);
        tally(buffer, size);
        if (kind === 'transcript') seen.transcripts.push(buffer.toString('utf8'));
        if (kind === 'chat') seen.chats.push(buffer.toString('utf8'));
      }),
      true,
    );
  }
  const confirm = once((cb) => c.onJoinConfirm(cb));
  c.onSessionUpdate((op, info) => seen.sessions.push([op, info]));
  c.onUserUpdate((op, p) => seen.users.push([op, p]));
  c.onParticipantEvent((event, ts, participants) => seen.events.push([event, ts, participants]));
  c.onActiveSpeakerEvent((ts, userId, userName) => seen.speakers.push([ts, userId, userName]));
  c.onSharingEvent((event, ts, userId, userName) => seen.sharing.push([event, ts, userId, userName]));
  c.onParticipantVideo((userIds, isOn) => seen.video.push([userIds, isOn]));
  c.onMediaConnectionInterrupted(() => {});
  c.onEventEx((json) => {
    assert.equal(typeof JSON.parse(json).event_type, 'number');
    seen.raw += 1;
  });
  const left = once((cb) => c.onLeave(cb));
  assert.equal(c.join(sim.joinOptions()), true);
  assert.deepEqual(await confirm, [0]);
  await c.joined;
  assert.equal(c.uuid(), sim.meetings()[0].meeting_uuid);
  assert.equal(c.streamId(), sim.meetings()[0].rtms_stream_id);
  assert.equal(c.poll(), true);
  const [reason] = await left;
  const m = (await sim.wait(30000)).meetings[0];
  await sim.shutdown();

  assert.equal(reason, m.stop_reason);
  for (const kind of Object.keys(kinds)) {
    assert.ok(m.media[kind].packets > 0, `the simulator sent no ${kind}`);
    assert.deepEqual(acc[kind], m.media[kind], `${kind}: received != sent`);
  }
  assert.deepEqual(seen.transcripts, m.transcripts);
  assert.deepEqual(seen.chats, m.chats);
  assert.equal(seen.raw, m.events.length, 'every event reaches onEventEx');
  for (const md of seen.metas) {
    assert.equal(typeof md.userId, 'number');
    assert.equal(typeof md.userName, 'string');
    assert.equal(typeof md.startTs, 'number');
    assert.equal(typeof md.endTs, 'number');
    assert.ok(md.aiInterpreter && Array.isArray(md.aiInterpreter.targets));
  }
  assert.ok(seen.metas.some((md) => md.userName !== '' && md.userId !== 0));
  const [op, info] = seen.sessions[0];
  assert.equal(op, rtms.SESSION_EVENT_ADD);
  for (const k of ['sessionId', 'streamId', 'meetingId', 'statTime', 'status', 'isActive', 'isPaused']) assert.ok(k in info, k);
  assert.ok(seen.speakers.some(([, id, name]) => id !== 0 && name));
  assert.ok(seen.events.some(([e, , ps]) => e === 'join' && ps.length > 0 && typeof ps[0].userId === 'number'));
  assert.ok(seen.users.some(([op, p]) => op === rtms.USER_LEAVE && typeof p.id === 'number' && typeof p.name === 'string'));
  assert.ok(seen.sharing.some(([e]) => e === 'start'));
  assert.ok(seen.sharing.some(([e]) => e === 'stop'));
  assert.ok(seen.video.some(([ids, on]) => on === true && Array.isArray(ids)));
});

test('await joined, async iterator, and leave() resolving after the leave callback', async () => {
  const sim = await Simulator.start({ scenario: 'quick', speed: 1 });
  const c = new Client();
  let leaveReason = null;
  c.onLeave((r) => (leaveReason = r));
  const ac = new AbortController();
  const audio = c.audio({ signal: ac.signal });
  c.join(sim.joinOptions());
  await c.joined;
  let n = 0;
  for await (const chunk of audio) {
    assert.ok(Buffer.isBuffer(chunk.buffer) && chunk.size === chunk.buffer.length && chunk.metadata);
    if (++n === 5) break;
  }
  assert.equal(await c.leave(), true);
  assert.equal(leaveReason, rtms.StopReason.RECEIVER_REQUEST_CLOSE);
  assert.equal(await c.leave(), false, 'leave when not joined resolves false');
  assert.equal(sim.summary().meetings[0].observed.stream_close_requests, 1);
  await sim.shutdown();
});

test('a refused signature reaches onJoinConfirm and rejects joined with a coded error', async () => {
  const sim = await Simulator.start({ scenario: 'minimal', speed: 4 });
  const c = new Client();
  const confirm = once((cb) => c.onJoinConfirm(cb));
  c.join(sim.joinOptions(0, { secret: 'wrong-secret' }));
  assert.deepEqual(await confirm, [3]);
  await assert.rejects(c.joined, (e) => e instanceof RtmsError && e.code === 'HANDSHAKE_REFUSED' && e.status === 3 && /refused/.test(e.message));
  await sim.shutdown();
});

test('errors are RtmsErrors with codes; bad argument types are TypeErrors', () => {
  const c = new Client();
  assert.throws(() => c.setAudioParams({ codec: rtms.AudioCodec.OPUS, sampleRate: rtms.AudioSampleRate.SR_16K }), (e) => e instanceof RtmsError && e.code === 'INVALID_ARGS' && e.rawCode === rtms.RTMS_SDK_INVALID_ARGS && /OPUS/.test(e.message));
  assert.throws(() => c.join({ rtms_stream_id: 's', server_urls: 'ws://x' }), (e) => e.code === 'INVALID_ARGS');
  assert.throws(() => c.subscribeVideo(1, true), (e) => e.code === 'INVALID_STATUS');
  assert.throws(() => c.setProxy('http'), TypeError);
  assert.throws(() => c.setProxy('socks', 'socks5://127.0.0.1:1'), (e) => e.code === 'INVALID_ARGS');
  assert.throws(() => c.subscribeEvent(3), TypeError);
  assert.throws(() => c.onAudioData('nope'), TypeError);
  assert.equal(c.subscribeEvent([]), true);
  assert.equal(c.setProxy('http', 'http://127.0.0.1:3128'), true);
});

test('two clients in one process, and the positional join of the singleton', async () => {
  const sim = await Simulator.start({ scenario: 'minimal', speed: 4, meetings: 2 });
  const [m0, m1] = sim.meetings();
  const a = new Client();
  const ta = mediaTally();
  a.onAudioData(ta.add('audio'));
  const leftA = once((cb) => a.onLeave(cb));
  a.join(sim.joinOptions(0));

  const tb = mediaTally();
  rtms.onAudioData(tb.add('audio'));
  const leftB = once((cb) => rtms.onLeave(cb));
  const sig = rtms.generateSignature({ client: 'sim-client-id', secret: 'sim-client-secret', uuid: m1.meeting_uuid, streamId: m1.rtms_stream_id });
  assert.equal(rtms.join(m1.meeting_uuid, m1.rtms_stream_id, sig, m1.server_urls), true);
  assert.equal(rtms.uuid(), m1.meeting_uuid);
  await Promise.all([leftA, leftB]);
  const s = await sim.wait(30000);
  await sim.shutdown();
  const byUuid = Object.fromEntries(s.meetings.map((m) => [m.meeting_uuid, m]));
  assert.deepEqual(ta.acc.audio, byUuid[m0.meeting_uuid].media.audio);
  assert.deepEqual(tb.acc.audio, byUuid[m1.meeting_uuid].media.audio);
  assert.equal(rtms.isInitialized(), true);
});
