import type { Op } from '../../../shared/protocol';
import type { Lane } from './lanes';

/** What becomes of one send; exactly one of `acked` or `failed` is called, `replied` maybe after `acked`. */
export interface SendHandlers {
  acked(): void;
  /** RequestRejected for a refusal, ConnectionLost for a lost socket, RequestTimedOut for no answer, StorageUnavailable, or another Error the backend sent. */
  failed(e: Error): void;
  replied(reply: unknown): void;
  /** Refused after its ack (a protocol error, told for IT): counted as delivered, and no reply will come. */
  refusedAfterAck?(): void;
}

/** A socket as the outbox sees it. */
export interface Channel {
  readonly id: string;
  /** Open, in rotation, its window has room for this lane, and its send buffer is under the watermark. */
  ready(lane: Lane): boolean;
  /** Sends a body that is already JSON; callbacks rather than a promise, since this runs per message. */
  send(op: Op, bodyJson: string, key: string, h: SendHandlers): void;
}

export interface ChannelSource {
  get(id: string): Channel | null;
  /** A channel chosen by the pool's strategy, preferring one no other lane is using; null when offline. */
  pick(lane: Lane, avoid: ReadonlySet<string>): Channel | null;
}
