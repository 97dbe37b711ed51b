'use strict';
// `Client`: the official @zoom/rtms client over the native one. Events arrive through one
// dispatcher per join (a thread-safe function in the addon, no polling) and are handed to the
// registered callbacks with the official argument shapes.
const native = require('../native.cjs');
const { RtmsError, guard } = require('./error.cjs');
const { flat, dictionaries } = require('./constants.cjs');
const { generateSignature } = require('./signature.cjs');

const M = dictionaries.MediaDataType;
const MEDIA_KINDS = { audio: M.AUDIO, video: M.VIDEO, deskshare: M.DESKSHARE, transcript: M.TRANSCRIPT, chat: M.CHAT };
// `metadata.aiInterpreter` (this SDK does not deliver interpreter metadata with media).
const NO_INTERPRETER = Object.freeze({ lid: 0, timestamp: 0, channelNum: 0, sampleRate: 0, targets: Object.freeze([]) });

let initialized = false;

function fn(cb) {
  if (typeof cb !== 'function') throw new TypeError('Function argument expected');
  return cb;
}

function obj(p) {
  if (p === null || typeof p !== 'object') throw new TypeError('Object argument expected');
  return p;
}

/** The instance id and product of join options (meeting > webinar > session > engagement). */
function instance(o) {
  if (o.meeting_uuid) return ['meeting', o.meeting_uuid];
  if (o.webinar_uuid) return ['webinar', o.webinar_uuid];
  if (o.session_id) return ['session', o.session_id];
  if (o.engagement_id) return ['engagement', o.engagement_id];
  return [null, null];
}

class Client extends native.Client {
  #handlers = Object.create(null);
  #streams = Object.create(null);
  #uuid = '';
  #streamId = '';
  #released = false;
  #pending = null;
  /** Resolves when this session's leave callback has run (the leave event reached JS). */
  #left = null;
  #resolveLeft = null;
  #dispatch = (d) => this.#deliver(d);
  /** Resolves once joined; rejects with an `RtmsError` when the join failed. */
  joined = Promise.resolve();

  static initialize() {
    return true;
  }

  static uninitialize() {
    return true;
  }

  // ---- join / leave -------------------------------------------------------------------------

  /**
   * `join(options)` or `join(meetingUuid, rtmsStreamId, signature, serverUrls, timeout?)`.
   * Returns true once connecting started; the outcome reaches `onJoinConfirm` (and `joined`).
   */
  join(options, rtmsStreamId, signature, serverUrls, timeout) {
    if (typeof options === 'string') {
      options = { meeting_uuid: options, rtms_stream_id: rtmsStreamId, signature, server_urls: serverUrls, timeout };
    }
    obj(options);
    if (this.#released) throw new RtmsError('join after release(): create a new Client', 'INVALID_STATUS');
    const [product, instanceId] = instance(options);
    if (!instanceId) {
      throw new RtmsError('Either meeting_uuid, webinar_uuid, session_id, or engagement_id must be provided', 'INVALID_ARGS');
    }
    const streamId = options.rtms_stream_id ?? '';
    let sig = options.signature || undefined;
    if (!sig && (options.client || options.secret)) {
      sig = generateSignature({ client: options.client, secret: options.secret, uuid: instanceId, streamId });
    }
    const timeoutMs = typeof options.timeout === 'number' && options.timeout > 0 ? Math.round(options.timeout) : undefined;
    const pending = guard(() =>
      super.join(
        {
          product,
          instanceId,
          streamId,
          serverUrls: options.server_urls ?? '',
          signature: sig,
          timeout: timeoutMs,
          ca: options.ca || process.env.ZM_RTMS_CA || undefined,
          agent: options.agent,
        },
        this.#dispatch,
      ),
    );
    initialized = true;
    this.#left = new Promise((resolve) => (this.#resolveLeft = resolve));
    this.#uuid = instanceId;
    this.#streamId = streamId;
    this.#pending = pending;
    this.joined = pending.then((err) => {
      if (err) throw RtmsError.fromInfo(err);
    });
    this.joined.catch(() => {}); // reported through onJoinConfirm; awaiting is optional
    return true;
  }

  /** Leaves the stream. Resolves to true once left and the leave callback has run, false when
   * not joined; never rejects. Truthy at once, like the official `true`. */
  leave() {
    const pending = this.#pending;
    const left = this.#left;
    return (async () => {
      if (pending) await pending;
      const err = await super.leave();
      // The native promise and the event dispatcher are separate queues into JS: wait for the
      // leave event itself, so onLeave has run when this resolves.
      if (!err && left) await left;
      return !err;
    })();
  }

  /** Leaves (when joined) and makes the client unusable, as the official `release()`. */
  release() {
    this.#released = true;
    return this.leave();
  }

  /** Kept for compatibility: events are pushed, nothing to poll. */
  poll() {
    return true;
  }

  uuid() {
    return this.#uuid;
  }

  streamId() {
    return this.#streamId;
  }

  /** Resolves when the current stream has ended. */
  closed() {
    return super.closed();
  }

  // ---- configuration ------------------------------------------------------------------------

  setAudioParams(params) {
    return guard(() => super.setAudioParams(obj(params)));
  }

  setVideoParams(params) {
    return guard(() => super.setVideoParams(obj(params)));
  }

  setDeskshareParams(params) {
    return guard(() => super.setDeskshareParams(obj(params)));
  }

  setTranscriptParams(params) {
    return guard(() => super.setTranscriptParams(obj(params)));
  }

  /** `setProxy(type, url)`; only `http://` proxies (CONNECT) are supported. */
  setProxy(proxyType, proxyUrl) {
    if (typeof proxyType !== 'string' || typeof proxyUrl !== 'string') {
      throw new TypeError('Two string arguments expected: proxy_type, proxy_url');
    }
    return guard(() => super.setProxy(proxyUrl));
  }

  subscribeEvent(events) {
    if (!Array.isArray(events)) throw new TypeError('Array of event types expected');
    return events.length === 0 ? true : guard(() => super.subscribeEvents(events));
  }

  unsubscribeEvent(events) {
    if (!Array.isArray(events)) throw new TypeError('Array of event types expected');
    return events.length === 0 ? true : guard(() => super.unsubscribeEvents(events));
  }

  subscribeVideo(userId, subscribe) {
    return guard(() => super.subscribeVideo(userId, Boolean(subscribe)));
  }

  // ---- callbacks ------------------------------------------------------------------------------

  #on(kind, cb, events) {
    this.#handlers[kind] = fn(cb);
    if (MEDIA_KINDS[kind]) super.enableMedia(MEDIA_KINDS[kind]);
    if (events) guard(() => super.subscribeEvents(events));
    return true;
  }

  onJoinConfirm(cb) {
    return this.#on('join_confirm', cb);
  }
  onSessionUpdate(cb) {
    return this.#on('session_update', cb);
  }
  onUserUpdate(cb) {
    return this.#on('user_update', cb, [flat.EVENT_ACTIVE_SPEAKER_CHANGE, flat.EVENT_PARTICIPANT_JOIN, flat.EVENT_PARTICIPANT_LEAVE]);
  }
  onParticipantEvent(cb) {
    return this.#on('participant_event', cb, [flat.EVENT_PARTICIPANT_JOIN, flat.EVENT_PARTICIPANT_LEAVE]);
  }
  onActiveSpeakerEvent(cb) {
    return this.#on('active_speaker', cb, [flat.EVENT_ACTIVE_SPEAKER_CHANGE]);
  }
  onSharingEvent(cb) {
    return this.#on('sharing', cb, [flat.EVENT_SHARING_START, flat.EVENT_SHARING_STOP]);
  }
  onMediaConnectionInterrupted(cb) {
    return this.#on('media_connection_interrupted', cb, [flat.EVENT_MEDIA_CONNECTION_INTERRUPTED]);
  }
  onParticipantVideo(cb) {
    return this.#on('participant_video', cb, [flat.EVENT_PARTICIPANT_VIDEO_ON, flat.EVENT_PARTICIPANT_VIDEO_OFF]);
  }
  onVideoSubscribed(cb) {
    return this.#on('video_subscribed', cb);
  }
  onEventEx(cb) {
    return this.#on('event_ex', cb);
  }
  onStreamStateUpdate(cb) {
    return this.#on('stream_state', cb);
  }
  onAudioData(cb) {
    return this.#on('audio', cb);
  }
  onVideoData(cb) {
    return this.#on('video', cb);
  }
  onDeskshareData(cb) {
    return this.#on('deskshare', cb);
  }
  onTranscriptData(cb) {
    return this.#on('transcript', cb);
  }
  onChatData(cb) {
    return this.#on('chat', cb);
  }
  onLeave(cb) {
    return this.#on('leave', cb);
  }

  // ---- async iterators ----------------------------------------------------------------------

  /** `for await (const { buffer, size, timestamp, metadata } of client.audio())`; ends on leave
   * or when `signal` aborts. Enables the media type. */
  audio(options) {
    return this.#stream('audio', options);
  }
  video(options) {
    return this.#stream('video', options);
  }
  deskshare(options) {
    return this.#stream('deskshare', options);
  }
  transcript(options) {
    return this.#stream('transcript', options);
  }
  chat(options) {
    return this.#stream('chat', options);
  }

  #stream(kind, { signal } = {}) {
    super.enableMedia(MEDIA_KINDS[kind]);
    const queue = [];
    let wake = null;
    let done = false;
    const sub = {
      push(item) {
        queue.push(item);
        if (wake) wake();
      },
      end() {
        done = true;
        if (wake) wake();
      },
    };
    (this.#streams[kind] ??= new Set()).add(sub);
    const streams = this.#streams[kind];
    const finish = () => {
      streams.delete(sub);
      sub.end();
    };
    signal?.addEventListener('abort', finish, { once: true });
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        while (queue.length === 0 && !done) await new Promise((r) => (wake = r));
        wake = null;
        if (queue.length) return { value: queue.shift(), done: false };
        signal?.removeEventListener('abort', finish);
        return { value: undefined, done: true };
      },
      async return() {
        finish();
        queue.length = 0;
        return { value: undefined, done: true };
      },
    };
  }

  // ---- the dispatcher -----------------------------------------------------------------------

  #deliver(d) {
    const h = this.#handlers[d.kind];
    switch (d.kind) {
      case 'audio':
      case 'video':
      case 'deskshare':
      case 'transcript':
      case 'chat': {
        const m = d.metadata;
        m.aiInterpreter = NO_INTERPRETER;
        const streams = this.#streams[d.kind];
        if (streams) for (const s of streams) s.push({ buffer: d.buffer, size: d.buffer.length, timestamp: d.timestamp, metadata: m });
        if (h) h(d.buffer, d.buffer.length, d.timestamp, m);
        return;
      }
      case 'join_confirm':
        if (h) h(d.reason);
        return;
      case 'leave':
        for (const set of Object.values(this.#streams)) for (const s of set) s.end();
        this.#streams = Object.create(null);
        try {
          if (h) h(d.reason);
        } finally {
          this.#resolveLeft?.();
        }
        return;
      case 'session_update':
        if (h) h(d.op, d.session);
        return;
      case 'stream_state':
        if (h) h(d.state, d.reason, d.timestamp);
        return;
      case 'user_update':
        if (h) h(d.op, { id: d.userId, name: d.userName });
        return;
      case 'participant_event':
        if (h) h(d.on ? 'join' : 'leave', d.timestamp, d.participants);
        return;
      case 'active_speaker':
        if (h) h(d.timestamp, d.userId, d.userName);
        return;
      case 'sharing':
        if (h) h(d.on ? 'start' : 'stop', d.timestamp, d.userId ?? undefined, d.userName ?? undefined);
        return;
      case 'media_connection_interrupted':
        if (h) h(d.timestamp);
        return;
      case 'participant_video':
        if (h) h(d.userIds, d.on);
        return;
      case 'video_subscribed':
        if (h) h(d.userId, d.status, d.error ?? '');
        return;
      case 'event_ex':
        if (h) h(d.json);
        return;
      default:
    }
  }
}

module.exports = { Client, isInitialized: () => initialized };
