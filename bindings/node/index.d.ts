// Typings of @rtms-rs/rtms: the @zoom/rtms 1.1.0 surface plus our extras (marked "extra").
/// <reference types="node" />
import type { IncomingMessage, ServerResponse, Server } from 'node:http';

export declare const LogLevel: { readonly ERROR: 0; readonly WARN: 1; readonly INFO: 2; readonly DEBUG: 3; readonly TRACE: 4 };
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];
export declare const LogFormat: { readonly PROGRESSIVE: 'progressive'; readonly JSON: 'json' };
export type LogFormat = (typeof LogFormat)[keyof typeof LogFormat];

export interface LoggerConfig {
  level: LogLevel | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  format: LogFormat;
  enabled: boolean;
}

export interface AiTargetLanguage { lid: number; toneId: number; voiceId: string; engine: string }
export interface AiInterpreter { lid: number; timestamp: number; channelNum: number; sampleRate: number; targets: AiTargetLanguage[] }

export interface Metadata {
  userName: string;
  userId: number;
  startTs: number;
  endTs: number;
  aiInterpreter: AiInterpreter;
  /** extra: Contact Center channel id. */
  channelId?: string | null;
  /** extra: transcript language id. */
  language?: number | null;
  /** extra: transcript sentence id. */
  sentenceId?: number | null;
  /** extra: mixed audio attributed to the active speaker. */
  attributed?: boolean;
}

export interface ParticipantInfo { id: number; name: string }
export interface EventParticipantInfo { userId: number; userName?: string }
export interface SessionInfo {
  sessionId: string;
  streamId: string;
  meetingId: string;
  statTime: number;
  status: number;
  isActive: boolean;
  isPaused: boolean;
}

export interface AudioParams { contentType?: number; codec?: number; sampleRate?: number; channel?: number; dataOpt?: number; duration?: number; frameSize?: number }
export interface VideoParams { contentType?: number; codec?: number; resolution?: number; dataOpt?: number; fps?: number }
export interface DeskshareParams { contentType?: number; codec?: number; resolution?: number; fps?: number }
export interface TranscriptParams { srcLanguage?: number; enableLid?: boolean }

export interface JoinParams {
  meeting_uuid?: string;
  webinar_uuid?: string;
  session_id?: string;
  engagement_id?: string;
  rtms_stream_id: string;
  server_urls: string;
  signature?: string;
  client?: string;
  secret?: string;
  ca?: string;
  timeout?: number;
  pollInterval?: number;
  is_verify_cert?: number;
  agent?: string;
  [extra: string]: unknown;
}

export interface SignatureParams { client?: string; secret?: string; uuid: string; streamId: string }

export type WebhookCallback = (payload: Record<string, any>) => void;
export type RawWebhookCallback = (payload: Record<string, any>, req: IncomingMessage, res: ServerResponse) => void;
export type JoinConfirmCallback = (reason: number) => void;
export type SessionUpdateCallback = (op: number, sessionInfo: SessionInfo) => void;
export type UserUpdateCallback = (op: number, participant: ParticipantInfo) => void;
export type ParticipantEventCallback = (event: 'join' | 'leave', timestamp: number, participants: EventParticipantInfo[]) => void;
export type ActiveSpeakerEventCallback = (timestamp: number, userId: number, userName: string) => void;
export type SharingEventCallback = (event: 'start' | 'stop', timestamp: number, userId?: number, userName?: string) => void;
export type MediaDataCallback = (buffer: Buffer, size: number, timestamp: number, metadata: Metadata) => void;
export type AudioDataCallback = MediaDataCallback;
export type VideoDataCallback = MediaDataCallback;
export type DeskshareCallback = MediaDataCallback;
export type DeskshareDataCallback = MediaDataCallback;
export type TranscriptDataCallback = MediaDataCallback;
export type ChatDataCallback = MediaDataCallback;
export type LeaveCallback = (reason: number) => void;
export type EventExCallback = (eventData: string) => void;

/** extra: one media packet from an async iterator. */
export interface MediaChunk { buffer: Buffer; size: number; timestamp: number; metadata: Metadata }
/** extra: options of the media iterators. */
export interface StreamOptions { signal?: AbortSignal }

/** extra: the error class of the package; `code` is a stable name (`'TIMEOUT'`, `'INVALID_ARGS'`...). */
export declare class RtmsError extends Error {
  constructor(message: string, code?: string, options?: { rawCode?: number; status?: number | null; cause?: unknown });
  code: string;
  /** The stable number (official RTMS_SDK_* values where they exist). */
  rawCode: number;
  /** Zoom's status code for a refused handshake. */
  status?: number;
}

export declare class Client {
  constructor();
  static initialize(caPath?: string): boolean;
  static uninitialize(): boolean;
  /** extra: resolves once joined; rejects with an RtmsError when the join failed. */
  joined: Promise<void>;
  join(options: JoinParams): boolean;
  join(meetingUuid: string, rtmsStreamId: string, signature: string, serverUrls: string, timeout?: number): boolean;
  poll(): boolean;
  /** Resolves to true once left, false when not joined (truthy at once, like the official `true`). */
  release(): Promise<boolean>;
  leave(): Promise<boolean>;
  /** extra: resolves when the current stream has ended. */
  closed(): Promise<void>;
  uuid(): string;
  streamId(): string;
  setAudioParams(params: AudioParams): boolean;
  setVideoParams(params: VideoParams): boolean;
  setDeskshareParams(params: DeskshareParams): boolean;
  setTranscriptParams(params: TranscriptParams): boolean;
  setProxy(proxy_type: string, proxy_url: string): boolean;
  subscribeVideo(userId: number, subscribe: boolean): boolean;
  subscribeEvent(events: number[]): boolean;
  unsubscribeEvent(events: number[]): boolean;
  onJoinConfirm(callback: JoinConfirmCallback): boolean;
  onSessionUpdate(callback: SessionUpdateCallback): boolean;
  onUserUpdate(callback: UserUpdateCallback): boolean;
  onParticipantEvent(callback: ParticipantEventCallback): boolean;
  onActiveSpeakerEvent(callback: ActiveSpeakerEventCallback): boolean;
  onSharingEvent(callback: SharingEventCallback): boolean;
  onMediaConnectionInterrupted(callback: (timestamp: number) => void): boolean;
  onParticipantVideo(callback: (users: number[], isOn: boolean) => void): boolean;
  onVideoSubscribed(callback: (userId: number, status: number, error: string) => void): boolean;
  onEventEx(callback: EventExCallback): boolean;
  /** extra: stream state changes `(state, reason, timestamp)`. */
  onStreamStateUpdate(callback: (state: number, reason: number, timestamp: number) => void): boolean;
  onAudioData(callback: AudioDataCallback): boolean;
  onVideoData(callback: VideoDataCallback): boolean;
  onDeskshareData(callback: DeskshareDataCallback): boolean;
  onTranscriptData(callback: TranscriptDataCallback): boolean;
  onChatData(callback: ChatDataCallback): boolean;
  onLeave(callback: LeaveCallback): boolean;
  /** extra: media as async iterators; they end on leave or when `signal` aborts. */
  audio(options?: StreamOptions): AsyncIterableIterator<MediaChunk>;
  video(options?: StreamOptions): AsyncIterableIterator<MediaChunk>;
  deskshare(options?: StreamOptions): AsyncIterableIterator<MediaChunk>;
  transcript(options?: StreamOptions): AsyncIterableIterator<MediaChunk>;
  chat(options?: StreamOptions): AsyncIterableIterator<MediaChunk>;
}

export interface WebhookOptions { secret?: string; maxSkewSecs?: number }
export declare function createWebhookHandler(callback: RawWebhookCallback, path: string, options?: WebhookOptions): (req: IncomingMessage, res: ServerResponse) => void;
export declare function createWebhookHandler(callback: WebhookCallback, path: string, options?: WebhookOptions): (req: IncomingMessage, res: ServerResponse) => void;
/** Starts the webhook server on ZM_RTMS_PORT / ZM_RTMS_PATH; returns it (extra). */
export declare function onWebhookEvent(callback: RawWebhookCallback): Server;
export declare function onWebhookEvent(callback: WebhookCallback): Server;
export declare function configureLogger(options: Partial<LoggerConfig>): void;
export declare function generateSignature(params: SignatureParams): string;
export declare function isInitialized(): boolean;

type Dict<K extends string> = { readonly [P in K]: number };
export declare const AudioContentType: Dict<'UNDEFINED' | 'RTP' | 'RAW_AUDIO' | 'FILE_STREAM' | 'TEXT'>;
export declare const AudioCodec: Dict<'UNDEFINED' | 'L16' | 'G711' | 'G722' | 'OPUS'>;
export declare const AudioSampleRate: Dict<'SR_8K' | 'SR_16K' | 'SR_32K' | 'SR_48K'>;
export declare const AudioChannel: Dict<'MONO' | 'STEREO'>;
export declare const AudioDataOption: Dict<'UNDEFINED' | 'AUDIO_MIXED_STREAM' | 'AUDIO_MULTI_STREAMS'>;
export declare const VideoContentType: Dict<'UNDEFINED' | 'RTP' | 'RAW_VIDEO' | 'FILE_STREAM' | 'TEXT'>;
export declare const VideoCodec: Dict<'UNDEFINED' | 'JPG' | 'PNG' | 'H264'>;
export declare const VideoResolution: Dict<'SD' | 'HD' | 'FHD' | 'QHD'>;
export declare const VideoDataOption: Dict<'UNDEFINED' | 'VIDEO_SINGLE_ACTIVE_STREAM' | 'VIDEO_SINGLE_INDIVIDUAL_STREAM' | 'VIDEO_MIXED_SPEAKER_VIEW' | 'VIDEO_MIXED_GALLERY_VIEW'>;
export declare const MediaDataType: Dict<'UNDEFINED' | 'AUDIO' | 'VIDEO' | 'DESKSHARE' | 'TRANSCRIPT' | 'CHAT' | 'ALL'>;
export declare const SessionState: Dict<'INACTIVE' | 'INITIALIZE' | 'STARTED' | 'PAUSED' | 'RESUMED' | 'STOPPED'>;
export declare const StreamState: Dict<'INACTIVE' | 'ACTIVE' | 'INTERRUPTED' | 'TERMINATING' | 'TERMINATED' | 'PAUSED' | 'RESUMED'>;
export declare const EventType: Dict<
  | 'UNDEFINED' | 'FIRST_PACKET_TIMESTAMP' | 'ACTIVE_SPEAKER_CHANGE' | 'PARTICIPANT_JOIN' | 'PARTICIPANT_LEAVE' | 'SHARING_START'
  | 'SHARING_STOP' | 'MEDIA_CONNECTION_INTERRUPTED' | 'PARTICIPANT_VIDEO_ON' | 'PARTICIPANT_VIDEO_OFF' | 'CONSUMER_ANSWERED'
  | 'CONSUMER_END' | 'USER_ANSWERED' | 'USER_END' | 'USER_HOLD' | 'USER_UNHOLD'
>;
export declare const MessageType: { readonly [name: string]: number };
export declare const StopReason: { readonly [name: string]: number };
export declare const TranscriptLanguage: { readonly [name: string]: number };

export declare const MEDIA_TYPE_AUDIO: number;
export declare const MEDIA_TYPE_VIDEO: number;
export declare const MEDIA_TYPE_DESKSHARE: number;
export declare const MEDIA_TYPE_TRANSCRIPT: number;
export declare const MEDIA_TYPE_CHAT: number;
export declare const MEDIA_TYPE_ALL: number;
export declare const SESSION_EVENT_ADD: number;
export declare const SESSION_EVENT_STOP: number;
export declare const SESSION_EVENT_PAUSE: number;
export declare const SESSION_EVENT_RESUME: number;
export declare const USER_JOIN: number;
export declare const USER_LEAVE: number;
export declare const USER_EVENT_JOIN: number;
export declare const USER_EVENT_LEAVE: number;
export declare const EVENT_UNDEFINED: number;
export declare const EVENT_FIRST_PACKET_TIMESTAMP: number;
export declare const EVENT_ACTIVE_SPEAKER_CHANGE: number;
export declare const EVENT_PARTICIPANT_JOIN: number;
export declare const EVENT_PARTICIPANT_LEAVE: number;
export declare const EVENT_SHARING_START: number;
export declare const EVENT_SHARING_STOP: number;
export declare const EVENT_MEDIA_CONNECTION_INTERRUPTED: number;
export declare const EVENT_PARTICIPANT_VIDEO_ON: number;
export declare const EVENT_PARTICIPANT_VIDEO_OFF: number;
export declare const EVENT_CONSUMER_ANSWERED: number;
export declare const EVENT_CONSUMER_END: number;
export declare const EVENT_USER_ANSWERED: number;
export declare const EVENT_USER_END: number;
export declare const EVENT_USER_HOLD: number;
export declare const EVENT_USER_UNHOLD: number;
export declare const RTMS_SDK_FAILURE: number;
export declare const RTMS_SDK_OK: number;
export declare const RTMS_SDK_TIMEOUT: number;
export declare const RTMS_SDK_NOT_EXIST: number;
export declare const RTMS_SDK_WRONG_TYPE: number;
export declare const RTMS_SDK_INVALID_STATUS: number;
export declare const RTMS_SDK_INVALID_ARGS: number;
export declare const SESS_STATUS_ACTIVE: number;
export declare const SESS_STATUS_PAUSED: number;
/** extra: the package version. */
export declare const version: string;

// The seed-era global singleton (every Client method on the module).
export declare const join: Client['join'];
export declare const leave: Client['leave'];
export declare const release: Client['release'];
export declare const poll: Client['poll'];
export declare const uuid: Client['uuid'];
export declare const streamId: Client['streamId'];
export declare const setAudioParams: Client['setAudioParams'];
export declare const setVideoParams: Client['setVideoParams'];
export declare const setDeskshareParams: Client['setDeskshareParams'];
export declare const setTranscriptParams: Client['setTranscriptParams'];
export declare const setProxy: Client['setProxy'];
export declare const subscribeVideo: Client['subscribeVideo'];
export declare const subscribeEvent: Client['subscribeEvent'];
export declare const unsubscribeEvent: Client['unsubscribeEvent'];
export declare const onJoinConfirm: Client['onJoinConfirm'];
export declare const onSessionUpdate: Client['onSessionUpdate'];
export declare const onUserUpdate: Client['onUserUpdate'];
export declare const onParticipantEvent: Client['onParticipantEvent'];
export declare const onActiveSpeakerEvent: Client['onActiveSpeakerEvent'];
export declare const onSharingEvent: Client['onSharingEvent'];
export declare const onMediaConnectionInterrupted: Client['onMediaConnectionInterrupted'];
export declare const onParticipantVideo: Client['onParticipantVideo'];
export declare const onVideoSubscribed: Client['onVideoSubscribed'];
export declare const onEventEx: Client['onEventEx'];
export declare const onAudioData: Client['onAudioData'];
export declare const onVideoData: Client['onVideoData'];
export declare const onDeskshareData: Client['onDeskshareData'];
export declare const onTranscriptData: Client['onTranscriptData'];
export declare const onChatData: Client['onChatData'];
export declare const onLeave: Client['onLeave'];

import * as self from './index.js';
declare const rtms: typeof self;
export default rtms;
