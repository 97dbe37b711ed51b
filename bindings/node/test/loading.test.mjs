// Loading (ESM and CommonJS), constants with the official values, the process exiting by itself
// after leave, and the typings.
import './setup.mjs';
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import rtms, * as named from '../index.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const require = createRequire(import.meta.url);

test('CommonJS require(...).default and ESM default/named exports are the same API', () => {
  const cjs = require('../index.cjs');
  assert.equal(cjs.default.Client, rtms.Client);
  assert.equal(cjs.Client, rtms.Client);
  assert.equal(named.Client, rtms.Client);
  assert.equal(named.onWebhookEvent, rtms.onWebhookEvent);
  for (const k of Object.keys(rtms)) assert.ok(k in named, `named export ${k}`);
  const client = new cjs.default.Client();
  assert.equal(typeof client.onAudioData, 'function');
});

test('constants and enums carry the official values', () => {
  assert.deepEqual([rtms.MEDIA_TYPE_AUDIO, rtms.MEDIA_TYPE_VIDEO, rtms.MEDIA_TYPE_DESKSHARE, rtms.MEDIA_TYPE_TRANSCRIPT, rtms.MEDIA_TYPE_CHAT, rtms.MEDIA_TYPE_ALL], [1, 2, 4, 8, 16, 32]);
  assert.deepEqual([rtms.SESSION_EVENT_ADD, rtms.SESSION_EVENT_STOP, rtms.SESSION_EVENT_PAUSE, rtms.SESSION_EVENT_RESUME], [1, 2, 3, 4]);
  assert.deepEqual([rtms.USER_JOIN, rtms.USER_LEAVE], [0, 1]);
  assert.deepEqual([rtms.EVENT_ACTIVE_SPEAKER_CHANGE, rtms.EVENT_PARTICIPANT_JOIN, rtms.EVENT_SHARING_STOP, rtms.EVENT_MEDIA_CONNECTION_INTERRUPTED, rtms.EVENT_CONSUMER_ANSWERED, rtms.EVENT_USER_UNHOLD], [2, 3, 6, 7, 8, 13]);
  assert.deepEqual([rtms.RTMS_SDK_FAILURE, rtms.RTMS_SDK_OK, rtms.RTMS_SDK_TIMEOUT, rtms.RTMS_SDK_INVALID_ARGS], [-1, 0, 1, 5]);
  assert.deepEqual([rtms.SESS_STATUS_ACTIVE, rtms.SESS_STATUS_PAUSED], [0, 1]);
  assert.deepEqual(rtms.AudioCodec, { UNDEFINED: 0, L16: 1, G711: 2, G722: 3, OPUS: 4 });
  assert.deepEqual(rtms.VideoCodec, { UNDEFINED: 0, JPG: 5, PNG: 6, H264: 7 });
  assert.deepEqual(rtms.AudioContentType, { UNDEFINED: 0, RTP: 1, RAW_AUDIO: 2, FILE_STREAM: 4, TEXT: 5 });
  assert.deepEqual(rtms.VideoContentType, { UNDEFINED: 0, RTP: 1, RAW_VIDEO: 3, FILE_STREAM: 4, TEXT: 5 });
  assert.deepEqual(rtms.AudioSampleRate, { SR_8K: 0, SR_16K: 1, SR_32K: 2, SR_48K: 3 });
  assert.equal(rtms.VideoDataOption.VIDEO_MIXED_SPEAKER_VIEW, 4);
  assert.equal(rtms.VideoResolution.FHD, 3);
  assert.equal(rtms.StreamState.TERMINATED, 4);
  assert.equal(rtms.SessionState.STOPPED, 5);
  assert.equal(rtms.MessageType.VIDEO_SUBSCRIPTION_RESP, 29);
  assert.equal(rtms.StopReason.MEETING_ENDED, 6);
  assert.equal(rtms.StopReason.STOP_BC_MEETING_ENDED, 6);
  assert.equal(rtms.StopReason.STOP_BC_APP_DISABLED_BY_HOST, 5);
  assert.equal(rtms.StopReason.STREAMING_NOT_SUPPORTED, 26);
  assert.equal(rtms.TranscriptLanguage.NONE, -1);
  assert.equal(rtms.TranscriptLanguage.ENGLISH, 9);
  assert.equal(rtms.TranscriptLanguage.VIETNAMESE, 36);
  assert.equal(rtms.LogLevel.DEBUG, 3);
  assert.equal(rtms.LogFormat.JSON, 'json');
});

test('generateSignature, configureLogger, isInitialized', () => {
  const sig = rtms.generateSignature({ client: 'c', secret: 's', uuid: 'u', streamId: 'st' });
  assert.match(sig, /^[0-9a-f]{64}$/);
  assert.throws(() => rtms.generateSignature({ secret: 's', uuid: 'u', streamId: 'st' }), ReferenceError);
  rtms.configureLogger({ level: rtms.LogLevel.ERROR, format: rtms.LogFormat.PROGRESSIVE, enabled: true });
  assert.throws(() => rtms.configureLogger({ format: 'xml' }), (e) => e.code === 'INVALID_ARGS');
  rtms.configureLogger({ format: 'progressive' });
  assert.equal(typeof rtms.isInitialized(), 'boolean');
});

test('the process exits by itself once the client has left', () => {
  const script = `
    import { Client } from ${JSON.stringify(join(pkg, 'index.js'))};
    import { Simulator } from ${JSON.stringify(join(pkg, 'testing.js'))};
    const sim = await Simulator.start({ scenario: 'quick', speed: 1 });
    const c = new Client();
    c.onAudioData(() => {});
    c.onJoinConfirm(() => setTimeout(() => c.leave(), 200));
    c.onLeave((r) => console.log('left', r));
    c.join(sim.joinOptions());
    await c.closed?.();
  `;
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000, env: { ...process.env, ZM_RTMS_LOG_LEVEL: 'error' } });
  assert.equal(r.signal, null, `killed: the process did not exit by itself\n${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /left 20/);
  assert.ok(Date.now() - started < 15000);
});

test('the typings check with tsc --noEmit on an example using the whole API', { skip: !existsSync(join(pkg, 'node_modules/typescript/bin/tsc')) }, () => {
  const r = spawnSync(process.execPath, [join(pkg, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', join(here, 'types')], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
