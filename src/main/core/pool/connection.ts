import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  LIMITS,
  PROTOCOL_VERSION,
  ServerFrameSchema,
  STREAM,
  parseFrame,
  type ClientFrame,
  type Op,
  type Replies,
  type RequestBodies,
  type SequencedEvent,
  type ServerFrame,
} from '../../../shared/protocol';
import type { z } from 'zod';
import { systemClock, type Clock } from '../clock';
import type { FailureCause } from '../../../shared/pools';
import { cause, causeOfRefusal, causeOfSocketError } from './failure-cause';

/** The server answered and said no: retrying elsewhere will not change that. */
export class RequestRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type SocketFactory = (url: string) => WebSocket;
export const defaultSocketFactory: SocketFactory = (url) =>
  new WebSocket(url, { maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false, handshakeTimeout: 3_000 });

export interface ConnectionOptions {
  token: string;
  clientName?: string;
  clock?: Clock;
  socketFactory?: SocketFactory;
  /** How often to probe (the pool's health-check interval). */
  heartbeatMs?: number;
  /** Declared dead after this long with no inbound frame of any kind. */
  deadAfterMs?: number;
  requestTimeoutMs?: number;
  /** Open socket, no `welcome` within this long: the handshake went unanswered. */
  welcomeMs?: number;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface Pending {
  resolve(body: unknown): void;
  reject(err: Error): void;
  onAck?: () => void;
  timer: unknown;
}

export interface RequestOptions {
  /** The idempotency key; reuse it to resend the same request on another socket. */
  id?: string;
  timeoutMs?: number;
  onAck?: () => void;
}

type ConnectionEvents = {
  open: [];
  event: [SequencedEvent];
  subbed: [{ head: number; gap: boolean }];
  close: [reason: string];
  protocolError: [detail: string];
  pong: [{ rttMs: number; head: number }];
};

/** One socket to one backend instance: handshake, heartbeat, requests with ack and reply, and events. */
export class BackendConnection extends EventEmitter<ConnectionEvents> {
  state: ConnectionState = 'connecting';
  rttMs: number | null = null;
  instance: string | null = null;
  /** Why it ended, when the console did not end it itself; set before `close` is emitted. */
  failure: FailureCause | null = null;
  private ws: WebSocket | null = null;
  private lastInbound = 0;
  private beat: unknown = null;
  private welcomeTimer: unknown = null;
  private readonly pending = new Map<string, Pending>();
  private readonly clock: Clock;
  private heartbeatMs: number;
  private deadAfterMs: number;
  private probeDeadline: number | null = null;
  readonly createdAt: number;

  constructor(
    readonly url: string,
    private readonly opts: ConnectionOptions,
  ) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.heartbeatMs = opts.heartbeatMs ?? 250;
    this.deadAfterMs = opts.deadAfterMs ?? 4 * this.heartbeatMs;
    this.createdAt = this.clock.mono();
  }

  /** Hot change of the probe interval; the dead-peer deadline follows it. */
  setHeartbeat(ms: number): void {
    this.heartbeatMs = ms;
    this.deadAfterMs = 4 * ms;
  }

  /** Probes now (after a wake or a network change): no sign of life within `withinMs` means dead. */
  probe(withinMs = 1_000): void {
    if (this.state === 'closed') return;
    const sentAt = this.clock.mono();
    this.probeDeadline = sentAt + withinMs;
    this.ping();
    this.clock.setTimeout(() => {
      if (this.probeDeadline === null || this.lastInbound >= sentAt) return;
      // Late ourselves: the answer may be waiting unread behind this timer, so ask again.
      if (this.clock.mono() - (sentAt + withinMs) > this.heartbeatMs) return this.probe(withinMs);
      this.shut('no answer to a probe after wake or network change', cause('unreachable', 'no answer to a probe'));
    }, withinMs);
  }

  private ping(): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.ping();
    if (this.state === 'open') this.send({ t: 'ping', ts: this.clock.mono() });
  }

  connect(): void {
    const ws = (this.opts.socketFactory ?? defaultSocketFactory)(this.url);
    this.ws = ws;
    this.lastInbound = this.clock.mono();
    ws.on('open', () => {
      this.lastInbound = this.clock.mono();
      this.send({ t: 'hello', versions: [PROTOCOL_VERSION], token: this.opts.token, client: this.opts.clientName ?? 'av-gym-console' });
      const welcomeMs = this.opts.welcomeMs ?? 5_000;
      this.welcomeTimer = this.clock.setTimeout(() => this.state === 'connecting' && this.shut('no welcome', cause('no-welcome', `no welcome within ${welcomeMs} ms`)), welcomeMs);
    });
    ws.on('message', (data, isBinary) => this.receive(isBinary ? null : data.toString()));
    ws.on('pong', () => this.alive());
    ws.on('error', (e) => this.shut(`socket error: ${e.message}`, causeOfSocketError(e)));
    ws.on('close', (code, reason) => {
      const why = `closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`;
      this.shut(why, cause('closed-by-backend', why));
    });
    this.scheduleBeat();
  }

  /** Bytes queued in the socket but not yet handed to the OS: the backpressure signal. */
  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  request<O extends Op>(op: O, body: z.input<(typeof RequestBodies)[O]>, opts: RequestOptions = {}): Promise<Replies[O]> {
    if (this.state !== 'open') return Promise.reject(new Error(`${this.url} is not open`));
    const id = opts.id ?? randomUUID();
    const timeoutMs = opts.timeoutMs ?? this.opts.requestTimeoutMs ?? 5_000;
    return new Promise<Replies[O]>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${op} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (b: unknown) => void, reject, timer, onAck: opts.onAck });
      this.send({ t: 'req', id, op, body } as ClientFrame);
    });
  }

  subscribe(after: number): void {
    this.send({ t: 'sub', stream: STREAM, after });
  }

  unsubscribe(): void {
    this.send({ t: 'unsub', stream: STREAM });
  }

  close(reason = 'closed by console'): void {
    this.shut(reason);
  }

  /** Any inbound frame is a sign of life. */
  private alive(): void {
    this.lastInbound = this.clock.mono();
    this.probeDeadline = null;
  }

  private receive(raw: string | null): void {
    this.alive();
    const parsed = raw === null ? { ok: false as const, error: 'binary frame' } : parseFrame(ServerFrameSchema, raw);
    if (!parsed.ok) return void this.emit('protocolError', parsed.error);
    this.handle(parsed.frame);
  }

  private handle(frame: ServerFrame): void {
    switch (frame.t) {
      case 'welcome':
        this.instance = frame.instance;
        this.clock.clearTimeout(this.welcomeTimer);
        this.state = 'open';
        this.emit('open');
        return;
      case 'pong':
        this.rttMs = this.clock.mono() - frame.ts;
        this.emit('pong', { rttMs: this.rttMs, head: frame.head });
        return;
      case 'event':
        return void this.emit('event', { seq: frame.seq, ts: frame.ts, body: frame.body });
      case 'subbed':
        return void this.emit('subbed', { head: frame.head, gap: frame.gap });
      case 'ack':
        return this.pending.get(frame.id)?.onAck?.();
      case 'reply': {
        const p = this.pending.get(frame.id);
        if (!p) return;
        this.pending.delete(frame.id);
        this.clock.clearTimeout(p.timer);
        return frame.ok ? p.resolve(frame.body) : p.reject(new RequestRejected(frame.error.code, frame.error.message));
      }
      case 'error':
        if (frame.id) this.pending.get(frame.id)?.reject(new Error(frame.message));
        this.emit('protocolError', `${frame.code}: ${frame.message}`);
        if (frame.code === 'unauthorized' || frame.code === 'unsupported-version') this.shut(frame.message, causeOfRefusal(frame.code, frame.message));
        return;
    }
  }

  /**
   * Deadlines use the monotonic clock, so a throttled or sleeping timer cannot hide a dead peer.
   * A beat that fires more than a beat late means we were asleep or our own event loop stalled:
   * frames may be waiting unread, so probe instead of judging by stale silence.
   */
  private scheduleBeat(): void {
    const due = this.clock.mono() + this.heartbeatMs;
    this.beat = this.clock.setTimeout(() => {
      if (this.state === 'closed') return;
      const now = this.clock.mono();
      if (now - due > this.heartbeatMs) this.probe();
      else if (now - this.lastInbound > this.deadAfterMs) return this.shut('no sign of life (heartbeat timeout)', cause('unreachable', 'heartbeat timeout'));
      else this.ping();
      this.scheduleBeat();
    }, this.heartbeatMs);
  }

  private send(frame: ClientFrame): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private shut(reason: string, failure: FailureCause | null = null): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.failure = failure;
    this.clock.clearTimeout(this.beat);
    this.clock.clearTimeout(this.welcomeTimer);
    for (const p of this.pending.values()) {
      this.clock.clearTimeout(p.timer);
      p.reject(new Error(`connection lost: ${reason}`));
    }
    this.pending.clear();
    const ws = this.ws;
    this.ws = null;
    ws?.removeAllListeners();
    ws?.on('error', () => {}); // a late error after terminate must not crash the process
    ws?.terminate();
    this.emit('close', reason);
    this.removeAllListeners();
  }
}
