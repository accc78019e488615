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

export type SocketFactory = (url: string) => WebSocket;
export const defaultSocketFactory: SocketFactory = (url) =>
  new WebSocket(url, { maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false, handshakeTimeout: 3_000 });

export interface ConnectionOptions {
  token: string;
  clientName?: string;
  clock?: Clock;
  socketFactory?: SocketFactory;
  /** How often to probe; the server's welcome may ask for more often. */
  heartbeatMs?: number;
  /** Declared dead after this long with no inbound frame of any kind. */
  deadAfterMs?: number;
  requestTimeoutMs?: number;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface Pending {
  resolve(body: unknown): void;
  reject(err: Error): void;
  timer: unknown;
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
  private ws: WebSocket | null = null;
  private lastInbound = 0;
  private beat: unknown = null;
  private readonly pending = new Map<string, Pending>();
  private readonly clock: Clock;
  private readonly heartbeatMs: number;
  private readonly deadAfterMs: number;

  constructor(
    readonly url: string,
    private readonly opts: ConnectionOptions,
  ) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.heartbeatMs = opts.heartbeatMs ?? 500;
    this.deadAfterMs = opts.deadAfterMs ?? 1_500;
  }

  connect(): void {
    const ws = (this.opts.socketFactory ?? defaultSocketFactory)(this.url);
    this.ws = ws;
    this.lastInbound = this.clock.mono();
    ws.on('open', () => {
      this.lastInbound = this.clock.mono();
      this.send({ t: 'hello', versions: [PROTOCOL_VERSION], token: this.opts.token, client: this.opts.clientName ?? 'av-gym-console' });
    });
    ws.on('message', (data, isBinary) => this.receive(isBinary ? null : data.toString()));
    ws.on('pong', () => (this.lastInbound = this.clock.mono()));
    ws.on('error', (e) => this.shut(`socket error: ${e.message}`));
    ws.on('close', (code, reason) => this.shut(`closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`));
    this.scheduleBeat();
  }

  request<O extends Op>(op: O, body: z.input<(typeof RequestBodies)[O]>, timeoutMs = this.opts.requestTimeoutMs ?? 5_000): Promise<Replies[O]> {
    if (this.state !== 'open') return Promise.reject(new Error(`${this.url} is not open`));
    const id = randomUUID();
    return new Promise<Replies[O]>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${op} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (b: unknown) => void, reject, timer });
      this.send({ t: 'req', id, op, body } as ClientFrame);
    });
  }

  subscribe(after: number): void {
    this.send({ t: 'sub', stream: STREAM, after });
  }

  close(reason = 'closed by console'): void {
    this.shut(reason);
  }

  private receive(raw: string | null): void {
    this.lastInbound = this.clock.mono();
    const parsed = raw === null ? { ok: false as const, error: 'binary frame' } : parseFrame(ServerFrameSchema, raw);
    if (!parsed.ok) return void this.emit('protocolError', parsed.error);
    this.handle(parsed.frame);
  }

  private handle(frame: ServerFrame): void {
    switch (frame.t) {
      case 'welcome':
        this.instance = frame.instance;
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
        return;
      case 'reply': {
        const p = this.pending.get(frame.id);
        if (!p) return;
        this.pending.delete(frame.id);
        this.clock.clearTimeout(p.timer);
        return frame.ok ? p.resolve(frame.body) : p.reject(new Error(frame.error.message));
      }
      case 'error':
        if (frame.id) this.pending.get(frame.id)?.reject(new Error(frame.message));
        this.emit('protocolError', `${frame.code}: ${frame.message}`);
        if (frame.code === 'unauthorized' || frame.code === 'unsupported-version') this.shut(frame.message);
        return;
    }
  }

  /** Deadlines use the monotonic clock, so a throttled or sleeping timer cannot hide a dead peer. */
  private scheduleBeat(): void {
    this.beat = this.clock.setTimeout(() => {
      if (this.state === 'closed') return;
      if (this.clock.mono() - this.lastInbound > this.deadAfterMs) return this.shut('no sign of life (heartbeat timeout)');
      if (this.ws?.readyState === WebSocket.OPEN) {
        this.ws.ping();
        if (this.state === 'open') this.send({ t: 'ping', ts: this.clock.mono() });
      }
      this.scheduleBeat();
    }, this.heartbeatMs);
  }

  private send(frame: ClientFrame): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private shut(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.clock.clearTimeout(this.beat);
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
