import type { Lane } from './lanes';

/** A socket as the outbox sees it. */
export interface Channel {
  readonly id: string;
  /** Open, in rotation, its window has room for this lane, and its send buffer is under the watermark. */
  ready(lane: Lane): boolean;
  /** Resolves on the server's ack; rejects with RequestRejected for a refusal, another Error for a lost socket. */
  send(op: string, body: unknown, key: string, onReply?: (reply: unknown) => void): Promise<void>;
}

export interface ChannelSource {
  get(id: string): Channel | null;
  /** A channel chosen by the pool's strategy, preferring one no other lane is using; null when offline. */
  pick(lane: Lane, avoid: ReadonlySet<string>): Channel | null;
}
