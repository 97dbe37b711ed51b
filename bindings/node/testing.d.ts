// Typings of @rtms-rs/rtms/testing: the simulator (rtms-sim).
export interface SimulatorOptions {
  scenario?: 'quick' | 'minimal' | 'demo' | string;
  scenarioToml?: string;
  speed?: number;
  meetings?: number;
  tls?: boolean;
  clientId?: string;
  clientSecret?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  validateWebhook?: boolean;
}
export interface SimMeeting { index: number; meeting_uuid: string; rtms_stream_id: string; server_urls: string; product: string; session_id: string }
export interface MediaStats { packets: number; bytes: number; crc32: number }
export interface MeetingSummary {
  meeting_uuid: string;
  rtms_stream_id: string;
  stop_reason: number | null;
  media: Record<string, MediaStats>;
  transcripts: string[];
  chats: string[];
  events: Record<string, unknown>[];
  observed: Record<string, any>;
  [key: string]: unknown;
}
export interface Summary { meetings: MeetingSummary[] }
export declare class Simulator {
  static start(options?: SimulatorOptions): Promise<Simulator>;
  readonly signalingUrl: string;
  readonly caPem: string | null;
  meetings(): SimMeeting[];
  joinOptions(index?: number, extra?: Record<string, unknown>): import('./index.js').JoinParams;
  summary(): Summary;
  wait(timeoutMs?: number): Promise<Summary | null>;
  endMeeting(stopReason?: number, index?: number): void;
  refuseNextHandshake(status: number): void;
  shutdown(): Promise<void>;
}
export default Simulator;
