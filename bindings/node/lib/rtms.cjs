'use strict';
// The package: the official @zoom/rtms 1.1.0 surface (default export holding everything, the
// same names as named exports), the seed-era global singleton, and our extras.
const native = require('../native.cjs');
const { Client, isInitialized } = require('./client.cjs');
const { RtmsError } = require('./error.cjs');
const { dictionaries, flat, LogLevel, LogFormat } = require('./constants.cjs');
const { generateSignature } = require('./signature.cjs');
const { createWebhookHandler, onWebhookEvent } = require('./webhook.cjs');

// ---- logging: the core's log output, configured from ZM_RTMS_LOG_* at load ----------------------
const logger = {
  level: process.env.ZM_RTMS_LOG_LEVEL || 'info',
  format: process.env.ZM_RTMS_LOG_FORMAT || 'progressive',
  enabled: (process.env.ZM_RTMS_LOG_ENABLED || 'true').toLowerCase() !== 'false',
};
try {
  native.configureLoggerFromEnv();
} catch {
  // a malformed ZM_RTMS_LOG_* leaves logging off; configureLogger reports it
}

/** `configureLogger({level, format, enabled})`; merges into the current configuration. */
function configureLogger(options = {}) {
  if (options.level !== undefined) logger.level = typeof options.level === 'number' ? LogLevel[options.level] ?? String(options.level) : options.level;
  if (options.format !== undefined) logger.format = options.format;
  if (options.enabled !== undefined) logger.enabled = Boolean(options.enabled);
  const { guard } = require('./error.cjs');
  guard(() => native.configureLogger(logger.enabled, String(logger.level), String(logger.format)));
}

// ---- the global singleton (seed-era API: rtms.join(...), rtms.onAudioData(...)) -----------------
let global = null;
const instance = () => (global ??= new Client());
const SINGLETON = [
  'join', 'leave', 'release', 'poll', 'uuid', 'streamId', 'setAudioParams', 'setVideoParams', 'setDeskshareParams',
  'setTranscriptParams', 'setProxy', 'subscribeVideo', 'subscribeEvent', 'unsubscribeEvent', 'onJoinConfirm',
  'onSessionUpdate', 'onUserUpdate', 'onParticipantEvent', 'onActiveSpeakerEvent', 'onSharingEvent',
  'onMediaConnectionInterrupted', 'onParticipantVideo', 'onVideoSubscribed', 'onEventEx', 'onAudioData', 'onVideoData',
  'onDeskshareData', 'onTranscriptData', 'onChatData', 'onLeave',
];
const singleton = {};
for (const name of SINGLETON) singleton[name] = (...args) => instance()[name](...args);

const rtms = {
  Client,
  RtmsError,
  onWebhookEvent,
  createWebhookHandler,
  generateSignature,
  isInitialized,
  configureLogger,
  LogLevel,
  LogFormat,
  ...dictionaries,
  ...flat,
  ...singleton,
  USER_EVENT_JOIN: flat.USER_JOIN,
  USER_EVENT_LEAVE: flat.USER_LEAVE,
  version: native.version(),
};

module.exports = rtms;
