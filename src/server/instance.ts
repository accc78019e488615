import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ClientFrameSchema,
  LIMITS,
  STREAM,
  SUPPORTED_VERSIONS,
  parseFrame,
  type ClientFrame,
  type InstanceLoad,
  type SequencedEvent,
  type ServerFrame,
} from '../shared/protocol';
import { StorageUnavailable, settle, type GymStore } from './store';
import { LOOPBACK, reachNote, wsUrl } from './listen-address';

export interface Faults {
  hung: boolean;
  delayMs: number;
  dropFraction: number;
  /** Extra event-loop lag to report (v2 load), as a busy process would: instances in one process share a loop. */
  lagMs: number;
}

interface Session {
  ws: WebSocket;
  authed: boolean;
  /** The protocol version agreed in the handshake. */
  version: number;
  subscribed: boolean;
  /** Live events that arrived while this session's replay was being read; sent after it, in order. */
  held: SequencedEvent[] | null;
  /** Newest seq sent to this session, so a live event the replay already carried is not sent twice. */
  sentSeq: number;
  alive: boolean;
  /** Which of the reaper's REAP_SLOTS ticks pings it: a tenth of the sessions a second, not all of them at once. */
  slot: number;
  /** Deadline of the last delayed frame, so a delay change never reorders frames. */
  sendAt: number;
}

const HEARTBEAT_MS = 1_000;
/**
 * Each session is pinged every REAP_SLOTS heartbeats and dropped if it did not answer the last ping; a slice a beat.
 * All at once, a thousand pings every 10 s held every reply behind them (prof28 P4: the bench's p99 was those spikes).
 */
const REAP_SLOTS = 10;
const STORAGE_DOWN = 'The backend cannot reach its shared storage (Redis) right now. Nothing was applied; send it again shortly.';
const LAG_RESOLUTION_MS = 20;

/** One event-loop delay monitor per process, read once a second: the lag every instance in it reports. */
let lagMonitor: { histogram: IntervalHistogram; lagMs: number } | null = null;
function processLagMs(): number {
  if (!lagMonitor) {
    const histogram = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    histogram.enable();
    const m = { histogram, lagMs: 0 };
    setInterval(() => {
      // The histogram holds whole timer periods; the lag is what they ran over the resolution.
      m.lagMs = Math.round(Math.max(0, histogram.percentile(90) / 1e6 - LAG_RESOLUTION_MS) * 10) / 10;
      histogram.reset();
    }, 1_000).unref();
    lagMonitor = m;
  }
  return lagMonitor.lagMs;
}

export interface InstanceOptions {
  random?: () => number;
  /** PEM key and certificate: serve wss:// instead of ws://. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** An IP address of this machine (default 127.0.0.1); 0.0.0.0 or :: for all interfaces. */
  host?: string;
}

/** One backend instance: a protocol endpoint over the shared gym, with faults that tests and the demo can inject. */
export class GymInstance {
  readonly faults: Faults = { hung: false, delayMs: 0, dropFraction: 0, lagMs: 0 };
  /** Protocol versions this instance speaks: [1] for an instance not yet upgraded (tests, mixed clusters). */
  versions: readonly number[] = SUPPORTED_VERSIONS;
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly sessions = new Set<Session>();
  private readonly onEvent = (e: SequencedEvent): void => this.broadcast(e);
  /** The shared log started over (storage lost its data): close every session, so consoles resume and see the gap. */
  private readonly onReset = (): void => {
    for (const s of this.sessions) s.ws.close(1012, 'event log reset');
  };
  private reaper: NodeJS.Timeout | null = null;
  private reaps = 0;
  private opened = 0;
  port: number;
  /** The address it listens on (`--host`); the admin channel stays on loopback whatever this is. */
  readonly host: string;
  private readonly random: () => number;
  private readonly tls?: InstanceOptions['tls'];

  constructor(
    readonly index: number,
    private readonly gym: GymStore,
    private readonly token: string,
    port: number,
    opts: InstanceOptions = {},
  ) {
    this.port = port;
    this.random = opts.random ?? Math.random;
    this.tls = opts.tls;
    this.host = opts.host ?? LOOPBACK;
  }

  get name(): string {
    return `instance-${this.index}`;
  }

  get url(): string {
    return wsUrl(this.tls ? 'wss' : 'ws', this.host, this.port);
  }

  /** What a "listening" line says: the url, and on all interfaces, the addresses other machines would use. */
  get reach(): string {
    return this.url + reachNote(this.tls ? 'wss' : 'ws', this.host, this.port);
  }

  get listening(): boolean {
    return this.http !== null;
  }

  get clients(): number {
    return this.sessions.size;
  }

  async start(): Promise<void> {
    if (this.http) return;
    const refuse = (_req: unknown, res: { writeHead(n: number): { end(s: string): void } }) => res.writeHead(426).end('WebSocket only\n');
    const http: Server = this.tls ? createTlsServer(this.tls, refuse) : createServer(refuse);
    const wss = new WebSocketServer({ server: http, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
    wss.on('connection', (ws) => this.accept(ws));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.port, this.host, () => resolve());
    });
    this.port = (http.address() as AddressInfo).port;
    this.http = http;
    this.wss = wss;
    this.gym.on('event', this.onEvent);
    this.gym.on('reset', this.onReset);
    // Drop clients that stopped answering pings, so dead peers do not pile up.
    this.reaper = setInterval(() => this.reap(), HEARTBEAT_MS);
    this.reaper.unref();
  }

  private reap(): void {
    if (this.faults.hung) return;
    const slot = this.reaps++ % REAP_SLOTS;
    for (const s of this.sessions) {
      if (s.slot !== slot) continue;
      if (!s.alive) s.ws.terminate();
      s.alive = false;
      s.ws.ping();
    }
  }

  /** Closes every socket and stops listening: what a crashed process looks like from outside. */
  async kill(): Promise<void> {
    const { http, wss } = this;
    if (!http || !wss) return;
    this.http = null;
    this.wss = null;
    this.gym.off('event', this.onEvent);
    this.gym.off('reset', this.onReset);
    if (this.reaper) clearInterval(this.reaper);
    for (const s of this.sessions) s.ws.terminate();
    this.sessions.clear();
    wss.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  /** TCP stays open, nothing is read or written: a half-open peer. */
  hang(): void {
    this.faults.hung = true;
    for (const s of this.sessions) s.ws.pause();
  }

  delay(ms: number): void {
    this.faults.delayMs = Math.max(0, ms);
  }

  drop(fraction: number): void {
    this.faults.dropFraction = Math.min(1, Math.max(0, fraction));
  }

  lag(ms: number): void {
    this.faults.lagMs = Math.min(600_000, Math.max(0, ms));
  }

  /** What v2 reports in welcome and pong: handshaken console sockets and event-loop lag. */
  load(): InstanceLoad {
    let sessions = 0;
    for (const s of this.sessions) if (s.authed) sessions++;
    return { sessions, lagMs: processLagMs() + this.faults.lagMs };
  }

  async restore(): Promise<void> {
    const wasHung = this.faults.hung;
    Object.assign(this.faults, { hung: false, delayMs: 0, dropFraction: 0, lagMs: 0 });
    if (wasHung) for (const s of this.sessions) s.ws.resume();
    await this.start();
  }

  private accept(ws: WebSocket): void {
    const session: Session = { ws, authed: false, version: 0, subscribed: false, held: null, sentSeq: 0, alive: true, slot: this.opened++ % REAP_SLOTS, sendAt: 0 };
    ws.on('pong', () => (session.alive = true));
    this.sessions.add(session);
    if (this.faults.hung) ws.pause();
    const helloTimer = setTimeout(() => {
      if (!session.authed && !this.faults.hung) this.refuse(session, 'not-ready', 'No hello within the time limit.');
    }, LIMITS.helloTimeoutMs);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return this.send(session, { t: 'error', code: 'bad-frame', message: 'Binary frames are not part of the protocol.' });
      this.handle(session, data.toString());
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(helloTimer);
      this.sessions.delete(session);
    });
  }

  private handle(session: Session, raw: string): void {
    if (this.faults.dropFraction > 0 && this.random() < this.faults.dropFraction) return;
    const parsed = parseFrame(ClientFrameSchema, raw);
    if (!parsed.ok) return this.send(session, { t: 'error', code: 'bad-frame', message: parsed.error });
    const frame = parsed.frame;
    if (frame.t === 'hello') return this.hello(session, frame);
    if (!session.authed) return this.refuse(session, 'not-ready', 'Send hello first.');
    switch (frame.t) {
      case 'ping':
        // No pong while storage is down: the console shows why this instance is degraded until pongs resume.
        if (!this.gym.available) return this.send(session, { t: 'error', code: 'backend-storage-unavailable', message: STORAGE_DOWN });
        return this.send(session, { t: 'pong', ts: frame.ts, head: this.gym.head(), ...this.loadFor(session) });
      case 'sub':
        return this.subscribe(session, frame.after);
      case 'unsub':
        session.subscribed = false;
        session.held = null;
        return;
      case 'req':
        return this.request(session, frame);
    }
  }

  private hello(session: Session, frame: Extract<ClientFrame, { t: 'hello' }>): void {
    if (frame.token !== this.token) return this.refuse(session, 'unauthorized', 'The backend token is wrong.');
    const version = Math.max(...frame.versions.filter((v) => this.versions.includes(v)));
    if (!Number.isFinite(version)) {
      return this.refuse(session, 'unsupported-version', `This server speaks protocol ${this.versions.join(', ')}.`);
    }
    session.authed = true;
    session.version = version;
    this.send(session, {
      t: 'welcome',
      version,
      instance: this.name,
      heartbeatMs: HEARTBEAT_MS,
      limits: { maxFrameBytes: LIMITS.maxFrameBytes },
      ...this.loadFor(session),
    });
  }

  /** Replays from `after`, holding live events that arrive meanwhile, so the session gets every seq once, in order. */
  private subscribe(session: Session, after: number): void {
    session.subscribed = true;
    session.held = [];
    settle(
      () => this.gym.replay(after),
      ({ gap, events, head, epoch }) => {
        const held = session.held ?? [];
        session.held = null;
        if (!session.subscribed) return;
        this.send(session, { t: 'subbed', stream: STREAM, head, gap, ...(epoch ? { epoch } : {}), capacity: this.gym.capacity });
        for (const e of events) this.send(session, { t: 'event', stream: STREAM, ...e });
        session.sentSeq = Math.max(head, events.at(-1)?.seq ?? 0);
        for (const e of held) this.deliver(session, e);
      },
      (e) => {
        session.subscribed = false;
        session.held = null;
        this.failed(session, undefined, e);
      },
    );
  }

  /** A v1 peer never sees the load: its schema predates it. */
  private loadFor(session: Session): { load?: InstanceLoad } {
    return session.version >= 2 ? { load: this.load() } : {};
  }

  private request(session: Session, frame: Extract<ClientFrame, { t: 'req' }>): void {
    const { id } = frame;
    // Ack only once applied: the console's outbox forgets an acked message, so an ack before a storage failure would lose it.
    const ok = (body: unknown): void => {
      this.send(session, { t: 'ack', id });
      this.send(session, { t: 'reply', id, ok: true, body });
    };
    const fail = (e: unknown): void => this.failed(session, id, e);
    switch (frame.op) {
      case 'action':
        return settle(
          () => this.gym.action(id, frame.body.kind, frame.body.data),
          // A refusal is never acked: ack means "accepted", and the console drops acked messages.
          (r) => (r.ok ? ok({ applied: r.applied }) : this.send(session, { t: 'reply', id, ok: false, error: { code: r.code, message: r.message } })),
          fail,
        );
      case 'checkin':
        return settle(() => this.gym.checkIn(frame.body.cardId, frame.body.source, id, { override: frame.body.override, scannedAt: frame.body.scannedAt, decidedOffline: frame.body.decidedOffline }), ok, fail);
      case 'lookup':
        return settle(() => this.gym.search(frame.body.query), ok, fail);
      case 'roster':
        return settle(() => this.gym.rosterPage(frame.body.afterId, frame.body.limit), ok, fail);
      case 'snapshot':
        return settle(() => this.gym.snapshot(), ok, fail);
    }
  }

  /** Storage down is retryable and said in its own code; anything else is our bug, said as `internal`. */
  private failed(session: Session, id: string | undefined, e: unknown): void {
    if (e instanceof StorageUnavailable) return this.send(session, { t: 'error', code: 'backend-storage-unavailable', message: STORAGE_DOWN, id });
    console.error(`gym-server ${this.name}: ${(e as Error).stack ?? String(e)}`);
    this.send(session, { t: 'error', code: 'internal', message: 'The backend failed on this request; it was not applied.', id });
  }

  private refuse(session: Session, code: 'unauthorized' | 'unsupported-version' | 'not-ready', message: string): void {
    this.send(session, { t: 'error', code, message });
    session.ws.close(4000, code);
  }

  private broadcast(e: SequencedEvent): void {
    const text = JSON.stringify({ t: 'event', stream: STREAM, ...e } satisfies ServerFrame);
    for (const s of this.sessions) if (s.subscribed) this.deliver(s, e, text);
  }

  private deliver(s: Session, e: SequencedEvent, text = JSON.stringify({ t: 'event', stream: STREAM, ...e } satisfies ServerFrame)): void {
    if (s.held) return void s.held.push(e);
    if (e.seq <= s.sentSeq) return;
    s.sentSeq = e.seq;
    this.sendText(s, text);
  }

  private send(session: Session, frame: ServerFrame): void {
    this.sendText(session, JSON.stringify(frame));
  }

  private sendText(session: Session, text: string): void {
    if (this.faults.hung) return;
    if (this.faults.dropFraction > 0 && this.random() < this.faults.dropFraction) return;
    const { ws } = session;
    const now = Date.now();
    const at = Math.max(now + this.faults.delayMs, session.sendAt);
    if (at <= now) {
      if (ws.readyState === ws.OPEN) ws.send(text);
      return;
    }
    session.sendAt = at;
    setTimeout(() => ws.readyState === ws.OPEN && ws.send(text), at - now);
  }
}
