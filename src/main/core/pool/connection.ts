import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import {
  LIMITS,
  ReplyBodies,
  SUPPORTED_VERSIONS,
  STREAM,
  firstIssue,
  readServerFrame,
  type ClientFrame,
  type InstanceLoad,
  type Op,
  type Replies,
  type RequestBodies,
  type SequencedEvent,
  type ServerFrame,
  type UnreadableEvent,
} from '../../../shared/protocol';
import type { z } from 'zod';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from '../../../shared/pools';
import { systemClock, type Clock } from '../clock';
import { UserError } from '../../../shared/result';
import type { FailureCause } from '../../../shared/pools';
import { cause, causeOfBadGreeting, causeOfCaFile, causeOfUnopenable, causeOfClose, causeOfHttpAnswer, causeOfNoToken, causeOfNoWelcome, causeOfOwnRefusal, causeOfRefusal, causeOfSocketError, causeOfStalledConnect } from './failure-cause';
import { Heartbeat, type ProgramLink } from './heartbeat';
import { certificateSpan } from './cert-dates';
import { ackId, actionReply, pongFrame, replyId, welcomeFrame } from './fast-frames';
import { backendRefusal, backendText } from '../../../shared/backend-text';
import { meaningOf, STORAGE_DOWN_CODE } from '../../../shared/failure-codes';

/** The server answered and said no: retrying elsewhere will not change that, and the user should hear why. */
export class RequestRejected extends UserError {}

/** Staff see one plain line of a refusal or failure; the whole answer (a stack trace, JSON) is kept as `detail` for the log. */
const inWords = (message: string): { line: string; detail?: string } => {
  const { line, developer } = backendRefusal(message);
  return developer ? { line, detail: backendText(message.replace(/\n/g, ' | ')) } : { line };
};
const refused = (code: string, message: string): RequestRejected => {
  const { line, detail } = inWords(message);
  return new RequestRejected(code, line, detail === undefined ? undefined : { detail });
};

export type SocketFactory = (url: string) => WebSocket;
/** No `handshakeTimeout`: the connection keeps the one handshake deadline (the pool's setting), see `armHandshake`. */
export const defaultSocketFactory: SocketFactory = (url) => new WebSocket(url, { maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });

export interface ConnectionOptions {
  token: string;
  /** With no token: why the saved token file, which is there, could not be used (said instead of "none is saved"). */
  tokenUnreadable?: string | null;
  clientName?: string;
  clock?: Clock;
  socketFactory?: SocketFactory;
  /** How often to probe (the pool's health-check interval). */
  heartbeatMs?: number;
  /** Where in the interval this socket's beats fall (0 to 1), so a pool's sockets do not all beat at once. */
  beatPhase?: number;
  /** Once open, declared dead after at most this long with no inbound frame of any kind (the adaptive deadline's ceiling). */
  deadAfterMs?: number;
  /** The backend program behind it, as the pool knows it from every socket to its instance (the heartbeat judges it as one). */
  program?: ProgramLink;
  requestTimeoutMs?: number;
  /** Heartbeat reply gaps an earlier socket to this endpoint learned (same link): the deadline adapts from the start. */
  learnedGaps?: readonly number[];
  /**
   * The handshake deadline (the pool's setting; DEFAULT_HANDSHAKE_TIMEOUT_MS when it says none): the socket is closed
   * as failed when the WebSocket upgrade takes longer, or no `welcome` follows it this soon. Nothing else judges a
   * socket still connecting: the heartbeat's silence deadline (4 beats, 1 s at 250 ms) cut off slow welcomes.
   */
  welcomeTimeoutMs?: number;
}

/** What a bad frame was, for counting and for a manager to read: never the frame's content. */
export interface ProtocolFault {
  reason: string;
  /** The frame's `t` when it had a readable one, else what it was (`binary`, `not JSON`, …). */
  frameType: string;
  bytes: number;
  /** `reason` is a schema's or a library's wording ("Too big: expected int…"): the log's, never a screen's. */
  schema?: true;
}

/** The socket went away (closed, timed out, refused the handshake) before the request was answered. */
/** How long a request waits for its reply when the caller does not say. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/**
 * Frames handled in one run before the rest wait a turn of the event loop, so a screen's request
 * (a check-in) and the replies it waits for are not held behind a burst of events.
 */
const EVENT_SLICE_MS = 8;
/**
 * The slice while a request waits on this socket: its answer comes behind frames still in the socket, and the
 * socket is read only between slices. At 8 ms a slice a 100,000-event replay took 1.5 to 3.8 s to read through to
 * a check-in's reply (probe-hostile15 R2); reading comes first now and the events are handled meanwhile.
 */
const ANSWER_OWED_SLICE_MS = 1;
/** Bytes of frames waiting to be handled at which the socket stops reading until the console catches up. */
const MAX_LATER_BYTES = 32 * 1024 * 1024;
/**
 * The same while a request waits for its answer on this socket: the answer is behind those frames in the stream,
 * and a socket that stops reading cannot read it (a check-in held there was decided offline, probe-hostile15 R2).
 */
const MAX_LATER_BYTES_ANSWER_OWED = 4 * MAX_LATER_BYTES;
/** A handshake deadline firing this late was held up by the console's own loop (a busy start-up): it starts afresh. */
const OWN_STALL_MS = 1_000;
/** How many of our own stalls a handshake deadline forgives before it judges all the same. */
const MAX_OWN_STALLS = 3;

export class ConnectionLost extends Error {
  /** The backend closed or reset the socket (not the console's own decision): the outbox weighs a message it chokes on. */
  constructor(
    message: string,
    readonly byBackend = false,
  ) {
    super(message);
  }
}

/** The instance answered with a reply this console cannot read: resending gets the same reply (idempotency), so it is not an outage. */
export class MalformedReply extends ConnectionLost {}

/** No ack or reply in time on a socket that stayed open: the instance accepts but does not answer (stuck, or its database hangs). */
export class RequestTimedOut extends Error {}

/**
 * The instance read the request and failed on it (`internal`, as an `error` frame with its id or a `reply` with
 * `ok:false`): nothing was applied, and the same request may be sent again. Not an outage (it answers) and not a
 * refusal (it did not say no): the message's own trouble. `known`: false for a code the protocol does not define
 * (failure-codes.ts), which may as well be a refusal: the outbox tries it fewer times.
 */
export class RequestFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly known = true,
    /** The backend's whole answer when it was a developer's text (a stack trace, JSON): for the log, as a refusal's. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** The instance is up but its shared storage is not: nothing was applied, and the same request may be sent again. */
export class StorageUnavailable extends Error {}

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** How a request's outcome is told: an object (called as a method) so a caller can answer with one per request, no closures. */
export interface RequestCallbacks {
  onAck?(): void;
  /** What is wrong with a well-formed reply given what was asked (a roster page that does not move on); null when nothing. */
  check?(body: unknown): string | null;
  resolve(body: unknown): void;
  reject(err: Error): void;
}

/** As the ping round trips are smoothed (health.ts). */
const REPLY_ALPHA = 0.3;
/** How long a reply time stands for the instance's speed with no newer one. */
const REPLY_FRESH_MS = 2 * 60_000;

interface Pending {
  op: Op;
  cb: RequestCallbacks;
  /** Monotonic ms at which it fails as timed out, and the timeout it was given (for the message). */
  due: number;
  ms: number;
  /** Answered on another socket (a hedge): its answer here is still taken, but the program no longer owes it. */
  elsewhere?: true;
}

export interface RequestOptions {
  /** The idempotency key; reuse it to resend the same request on another socket. */
  id?: string;
  timeoutMs?: number;
  onAck?: () => void;
}

type ConnectionEvents = {
  open: [];
  /** `bytes`: the frame's size, so buffers of early events can be bounded by memory. */
  event: [SequencedEvent, bytes: number];
  /** An event whose body breaks the protocol, its place readable: the feed steps past it and counts the fault once per seq. */
  unreadable: [UnreadableEvent];
  subbed: [{ head: number; gap: boolean; epoch?: string; capacity?: number }];
  close: [reason: string];
  protocolError: [ProtocolFault];
  /** `ours`: the pong waited behind the console's own backlog, so its round trip is the console's lag, not the backend's. */
  pong: [{ rttMs: number; head: number; ours?: true }];
  /** The instance said its shared storage is down (with its words), or showed it is back (null). */
  storage: [down: string | null];
};

/** One socket to one backend instance: handshake, heartbeat, requests with ack and reply, and events. */
export class BackendConnection extends EventEmitter<ConnectionEvents> {
  state: ConnectionState = 'connecting';
  rttMs: number | null = null;
  /**
   * Smoothed time from sending a check-in or lookup to its reply: what the desk waits. Pongs alone said "about
   * 0 ms" of a backend whose storage took 2.5 s to record each check-in. Other requests (a roster page) may
   * rightly take long, and are not counted.
   */
  get replyMs(): number | null {
    // A slow spell over, with no check-in since to say so, is not kept as this instance's speed for good.
    return this.replyAt !== null && this.clock.mono() - this.replyAt <= REPLY_FRESH_MS ? this.replyEwma : null;
  }
  private replyEwma: number | null = null;
  private replyAt: number | null = null;
  instance: string | null = null;
  /** The protocol version agreed in the handshake. */
  version: number | null = null;
  /** The instance's load as it last reported it (v2); null from a v1 instance. */
  load: InstanceLoad | null = null;
  /** Why it ended, when the console did not end it itself; set before `close` is emitted. */
  failure: FailureCause | null = null;
  /** Why the console ended it itself, in staff words; null when it did not (see `failure`). */
  closedBecause: string | null = null;
  /** The instance's own words while its shared storage is down; null while it answers normally. */
  storageDown: string | null = null;
  private ws: WebSocket | null = null;
  readonly heartbeat: Heartbeat;
  private welcomeTimer: unknown = null;
  private readonly pending = new Map<string, Pending>();
  private deadlineTimer: unknown = null;
  /** TCP got through: a connect that then stalls met something at the address, not a dead network. */
  private tcpConnected = false;
  /** When a wss:// backend's certificate began and runs out (wall ms), as read at the upgrade; null for ws:// or unread. */
  certSpan: { from: number; to: number } | null = null;
  /** When connect() began: how long a stalled connect waited, in its words. */
  private connectAt = 0;
  /** When the deadline timer fires; null when none is set. */
  private deadlineAt: number | null = null;
  private readonly clock: Clock;
  private corked = false;
  /**
   * Requests sent on this socket, and acks and replies it brought. A backend acks and answers each
   * request once, so an answer to an id no longer pending is a late one (after a timeout, or a hedge
   * answered elsewhere) until there are more answers than requests: from then on, answers to nothing
   * we asked. Counters, not a list of ids: a busy socket finishes thousands of requests a second.
   */
  private asked = 0;
  private acks = 0;
  private replies = 0;
  /** Subscribed to the event stream: its pongs say how far the stream has gone, so it pings every beat. */
  private streaming = false;
  readonly createdAt: number;

  constructor(
    readonly url: string,
    private readonly opts: ConnectionOptions,
  ) {
    super();
    this.clock = opts.clock ?? systemClock;
    const host = {
      clock: this.clock,
      ping: (ts: number) => this.ping(ts),
      state: () => this.state,
      condemn: (r: string, f: FailureCause) => this.shut(r, this.judged(f)),
      mustBeat: () => this.streaming,
      waitedOnUs: (since: number) => this.waitedOnUs(since),
      program: opts.program,
    };
    this.heartbeat = new Heartbeat(host, opts.heartbeatMs ?? 250, opts.deadAfterMs, opts.learnedGaps);
    this.createdAt = this.clock.mono();
  }

  /** Hot change of the probe interval; the dead-peer deadline follows it. */
  setHeartbeat(ms: number): void {
    this.heartbeat.setInterval(ms);
  }

  /** Ms since the last frame of any kind arrived (0 before it opens). */
  get silentForMs(): number {
    return this.state === 'open' ? this.heartbeat.silentForMs : 0;
  }

  /** Probes now (after a wake or a network change): no sign of life within `withinMs` means dead. */
  probe(withinMs = 1_000): void {
    this.heartbeat.probe(withinMs);
  }

  private ping(ts: number): void {
    const ws = this.ws;
    if (ws?.readyState !== WebSocket.OPEN) return;
    this.cork(ws); // the ws ping and the protocol ping in one write, not two
    ws.ping(pingPayload(ts)); // its pong brings `ts` back: the answer to this ping, not to an earlier one
    if (this.state === 'open') this.send({ t: 'ping', ts });
  }

  connect(): void {
    let ws: WebSocket;
    try {
      ws = (this.opts.socketFactory ?? defaultSocketFactory)(this.url);
    } catch (e) {
      // The pool's CA file cannot be read, or the address cannot be opened as written: this socket fails and says
      // why; the console carries on (a throw here ended every start, probe26b B1). Told on the next turn, as a
      // failed connect is, not from inside the pool's own open.
      const message = e instanceof Error ? e.message : String(e);
      const why = e instanceof UserError && e.code === 'bad-ca-file' ? causeOfCaFile(message) : causeOfUnopenable(message);
      return this.clock.defer(() => this.shut(message, why));
    }
    this.ws = ws;
    this.connectAt = this.clock.mono();
    onTcpConnect(ws, () => (this.tcpConnected = true));
    const ms = this.opts.welcomeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    this.armHandshake(ms);
    ws.on('open', () => {
      this.heartbeat.alive(false); // the upgrade: the backend's web server, not yet its program
      // The deadline armed at connect holds on (upgrade and welcome within it, as the words and Test connection say):
      // a peer that accepts the socket and answers pings but never welcomes us is not a backend.
      this.send({ t: 'hello', versions: [...SUPPORTED_VERSIONS], token: this.opts.token, client: this.opts.clientName ?? 'av-gym-console' });
    });
    // A wss:// backend's certificate: its end date, so Health can warn IT before it runs out (a renewal forgotten).
    ws.on('upgrade', (res: IncomingMessage) => (this.certSpan = certificateSpan(res.socket)));
    ws.on('message', (data, isBinary) => this.receive(isBinary ? null : data.toString(), rawLength(data)));
    // A WebSocket pong proves the link, not the backend program (a server deadlocked in its handler still answers them
    // from its I/O thread): it keeps the silence deadline at bay and answers a probe; the program's silence is judged apart.
    ws.on('pong', (data: Buffer) => {
      this.heartbeat.alive(false);
      const ts = pongTs(data);
      if (ts !== null) this.heartbeat.proves(ts);
    });
    ws.on('error', (e: Error & { code?: string }) => {
      // ws's own frame checks (oversized, bad UTF-8, bad opcode): the peer broke the protocol.
      if (e.code?.startsWith('WS_ERR_')) this.fault(e.message, e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'too large' : 'malformed', 0, true);
      this.shut(`socket error: ${e.message}`, this.judged(causeOfSocketError(e, this.url)), true);
    });
    // An HTTP answer instead of the upgrade (a proxy's 502, a redirect, a login): its status and headers say
    // what answered. Listening means ws leaves the abort to us: shut ends the request.
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      const header = (name: string): string | undefined => (typeof res.headers[name] === 'string' ? (res.headers[name] as string) : undefined);
      const failure = causeOfHttpAnswer({ status: res.statusCode ?? 0, location: header('location'), retryAfter: header('retry-after') }, this.url, this.clock.now());
      res.resume(); // its body is not read: drained, not kept
      this.shut(`socket error: ${failure.detail}`, failure, true);
    });
    ws.on('close', (code, reason) => {
      const failure = causeOfClose(code, reason.length ? backendText(reason.toString()) : '');
      this.shut(failure.detail, failure, true);
    });
    this.heartbeat.start(this.opts.beatPhase);
  }

  /**
   * The one deadline of a socket still connecting: the upgrade gets `ms` from connect, the welcome `ms` from the
   * upgrade (a pool's handshake deadline and Test connection's are the same fact, in the same words).
   */
  private armHandshake(ms: number, stalls = 0): void {
    this.clock.clearTimeout(this.welcomeTimer);
    const due = this.clock.mono() + ms;
    this.welcomeTimer = this.clock.setTimeout(() => {
      if (this.state !== 'connecting') return;
      // Our stall, not the backend's: it gets its time afresh, a few times (a loop that stalls for good would never judge).
      if (this.clock.mono() - due > OWN_STALL_MS && stalls < MAX_OWN_STALLS) return this.armHandshake(ms, stalls + 1);
      // A welcome already readable is read before the verdict.
      this.clock.defer(() => this.state === 'connecting' && this.handshakeTimedOut(ms));
    }, ms);
  }

  private handshakeTimedOut(ms: number): void {
    // Answered, but never with a welcome it could read: said so, not as a greeting left unanswered (probe-hostile21 J11).
    if (this.greetingProblem !== null) return this.shut(`no readable welcome within ${ms} ms: ${this.greetingProblem}`, causeOfBadGreeting(this.greetingProblem));
    if (this.ws?.readyState === WebSocket.OPEN) return this.shut(`no welcome from the backend within ${ms} ms`, causeOfNoWelcome(ms));
    const why = `opening handshake has timed out after ${ms} ms`;
    this.shut(why, this.judged(cause('unreachable', why)));
  }

  /** Bytes queued in the socket but not yet handed to the OS: the backpressure signal. */
  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  request<O extends Op>(op: O, body: z.input<(typeof RequestBodies)[O]>, opts: RequestOptions = {}): Promise<Replies[O]> {
    if (this.state !== 'open') return Promise.reject(new ConnectionLost(`${this.url} is not open`));
    const id = opts.id ?? randomUUID();
    const timeoutMs = opts.timeoutMs ?? this.opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    return new Promise<Replies[O]>((resolve, reject) => {
      const cb: RequestCallbacks = { resolve: resolve as (b: unknown) => void, reject, onAck: opts.onAck };
      this.track(id, { op, cb, due: this.clock.mono() + timeoutMs, ms: timeoutMs });
      this.send({ t: 'req', id, op, body } as ClientFrame);
    });
  }

  /**
   * A request whose body is already JSON (the outbox keeps it so), answered through callbacks: no
   * promise and no second encoding per message. A socket that is not open fails it on the next tick.
   */
  requestJson(op: Op, id: string, bodyJson: string, timeoutMs: number, cb: RequestCallbacks): void {
    if (this.state !== 'open') return queueMicrotask(() => cb.reject(new ConnectionLost(`${this.url} is not open`)));
    this.track(id, { op, cb, due: this.clock.mono() + timeoutMs, ms: timeoutMs });
    const ws = this.ws;
    if (ws?.readyState !== WebSocket.OPEN) return;
    this.cork(ws);
    ws.send(`{"t":"req","id":${JSON.stringify(id)},"op":"${op}","body":${bodyJson}}`);
  }

  /**
   * Holds this turn's frames in the TCP socket and writes them together when the turn ends: one
   * system call for a burst instead of one per frame. ws has no API for it; without `_socket` it is a no-op.
   */
  private cork(ws: WebSocket): void {
    if (this.corked) return;
    const sock = (ws as unknown as { _socket?: { cork?(): void; uncork?(): void } })._socket;
    if (!sock?.cork || !sock.uncork) return;
    this.corked = true;
    sock.cork();
    process.nextTick(() => {
      this.corked = false;
      sock.uncork!();
    });
  }

  /** A check-in or lookup answered: its time to reply (sent at `due - ms`) joins replyMs. */
  private timed(p: Pending): void {
    const now = this.clock.mono();
    // A reply that waited on the console's own backlog says nothing of the backend's speed (probe-hostile15 R2).
    if (this.waitedOnUs(p.due - p.ms)) return;
    const ms = Math.max(0, now - (p.due - p.ms));
    this.replyEwma = this.replyMs === null ? ms : this.replyEwma! + REPLY_ALPHA * (ms - this.replyEwma!);
    this.replyAt = now;
  }

  private track(id: string, p: Pending): void {
    this.asked++;
    this.heartbeat.asked();
    this.pending.set(id, p);
    // Its answer will come behind what the socket holds: read on, so it is read when it comes.
    if (this.laterBytes < MAX_LATER_BYTES_ANSWER_OWED) this.ws?.resume?.();
    if (this.deadlineAt === null || p.due < this.deadlineAt) this.armDeadline(p.due);
  }

  /**
   * One timer for every request's deadline, set for the earliest: a timer per request was a third
   * of what a request allocated. When it fires, what is due fails and it is set for the next. The
   * verdict, too, waits until the frames already waiting are read: on a busy console the reply can
   * sit unread behind the timer, and a caller that retries a request the backend already has may
   * outlive the backend's idempotency window and apply it twice.
   */
  private armDeadline(at: number): void {
    this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineAt = at;
    this.deadlineTimer = this.clock.setTimeout(() => this.clock.defer(() => this.expire()), Math.max(0, at - this.clock.mono()));
  }

  private expire(): void {
    this.deadlineAt = null;
    this.deadlineTimer = null;
    if (this.state === 'closed') return;
    const now = this.clock.mono();
    let next = Infinity;
    for (const [id, p] of this.pending) {
      if (p.due > now) {
        next = Math.min(next, p.due);
        continue;
      }
      this.pending.delete(id);
      if (!p.elsewhere) this.heartbeat.expired(sentAt(p));
      p.cb.reject(new RequestTimedOut(`${p.op} timed out after ${p.ms} ms`));
    }
    // A failure's caller may have sent again on this socket meanwhile, and set the timer for that.
    if (next < (this.deadlineAt ?? Infinity)) this.armDeadline(next);
  }

  /** Request `id` was answered on another socket: this socket's program owes it no more (heartbeat.ts). */
  settledElsewhere(id: string): void {
    const p = this.pending.get(id);
    if (!p || p.elsewhere) return;
    p.elsewhere = true;
    // A closed socket's program is judged no more (its requests, failed over, are settled one by one: prof28 P3).
    if (this.state === 'closed') return;
    this.heartbeat.settledElsewhereAt(sentAt(p), () => this.owedSentAts());
  }

  private *owedSentAts(): Generator<number> {
    for (const p of this.pending.values()) if (!p.elsewhere) yield sentAt(p);
  }

  subscribe(after: number): void {
    this.streaming = true;
    this.send({ t: 'sub', stream: STREAM, after });
  }

  unsubscribe(): void {
    this.streaming = false;
    this.send({ t: 'unsub', stream: STREAM });
  }

  /**
   * A well-formed frame that a later answer of this instance showed wrong, or an event the feed could not read: a
   * protocol error too. `schema`: the reason holds a schema's wording (the log's only).
   */
  contradicted(reason: string, frameType: string, schema = false): void {
    this.fault(reason, frameType, 0, schema);
  }

  /** A failure while still connecting, told apart by whether anything took the connection. */
  private judged(f: FailureCause): FailureCause {
    return this.state === 'connecting' ? causeOfStalledConnect(f, this.tcpConnected, this.clock.mono() - this.connectAt, this.ws?.readyState === WebSocket.OPEN) : f;
  }

  /** Ends it: `reason` is for the log file, `words` for the screens' event log. */
  close(reason = 'closed by console', words = 'Closed by the console.'): void {
    this.closedBecause = words;
    this.shut(reason);
  }

  /** Frames read but not yet handled, in order: what came past a slice's time (see EVENT_SLICE_MS). */
  private later: { raw: string; bytes: number }[] = [];
  /** The next of `later` to handle: an index, as shifting a long array is slow. */
  private laterAt = 0;
  private laterBytes = 0;
  /** When (clock.mono) this socket last had frames read and not yet handled: what came then waited on the console. */
  private backlogAt = -Infinity;
  /** When (performance.now) the current run of frames began; null: the next frame begins one. */
  private sliceStart: number | null = null;

  /**
   * Whether this frame waits its turn: once a run of frames has taken EVENT_SLICE_MS, or while others
   * wait. Answers never do (replies, acks, a request's error, pongs): a check-in's verdict behind 30,000
   * flooded events took 6.1 s and was decided offline while connected (probe-hostile14 E1), and an ack
   * held behind them would reach the outbox after its reply.
   */
  private deferred(raw: string, bytes: number): boolean {
    const t = frameTypeOf(raw);
    if (t === 'reply' || t === 'ack' || t === 'error' || t === 'pong') return false;
    const now = performance.now();
    if (this.sliceStart === null) {
      this.sliceStart = now;
      setImmediate(() => void (this.sliceStart = null));
    }
    const waiting = this.later.length > this.laterAt;
    if (!waiting && now - this.sliceStart < EVENT_SLICE_MS) return false;
    this.later.push({ raw, bytes });
    this.laterBytes += bytes;
    this.backlogAt = this.clock.mono();
    if (!waiting) setImmediate(() => this.handleLater());
    // Too far behind: the socket stops reading until the console catches up (TCP holds the rest), later while an answer is owed.
    if (this.laterBytes >= (this.pending.size ? MAX_LATER_BYTES_ANSWER_OWED : MAX_LATER_BYTES)) this.ws?.pause?.();
    return true;
  }

  /** Frames that waited, a slice at a time, then a turn of the event loop for what else is waiting. */
  private handleLater(all = false): void {
    const start = performance.now();
    this.backlogAt = this.clock.mono();
    const slice = this.pending.size ? ANSWER_OWED_SLICE_MS : EVENT_SLICE_MS;
    while (this.laterAt < this.later.length && (all || performance.now() - start < slice)) {
      const f = this.later[this.laterAt++]!;
      this.laterBytes -= f.bytes;
      this.receiveNow(f.raw, f.bytes);
    }
    if (this.laterAt < this.later.length) return void setImmediate(() => this.handleLater());
    this.later = [];
    this.laterAt = 0;
    this.ws?.resume?.();
  }

  /**
   * Frames this socket brought are still waiting for the console to handle them (and, past the bound, to read
   * them): it is the console that is behind, and the socket is not silent.
   */
  get backlogged(): boolean {
    return this.laterAt < this.later.length;
  }

  /**
   * Whether an answer to what was sent at `sentAt` (clock.mono) may have waited on the console rather than the
   * backend: this socket had frames waiting to be handled since. Its time is then the console's, not the backend's.
   */
  waitedOnUs(sentAt: number): boolean {
    return this.backlogged || this.backlogAt >= sentAt;
  }

  private receive(raw: string | null, bytes: number): void {
    this.heartbeat.alive(); // any inbound frame is a sign of life
    if (raw === null) return this.state === 'connecting' ? this.badGreeting(null, 'binary frame', 'binary', bytes) : this.fault('binary frame', 'binary', bytes);
    if (this.deferred(raw, bytes)) return;
    this.receiveNow(raw, bytes);
  }

  private get ended(): boolean {
    return this.state === 'closed';
  }

  private receiveNow(raw: string, bytes: number): void {
    if (this.ended) return;
    // Acks are half of all traffic under load: the exact shape the schema accepts is read without JSON or zod.
    const ack = ackId(raw);
    if (ack !== null) return this.handle({ t: 'ack', id: ack }, bytes);
    // Likewise an action's reply, the other half, when it answers a pending action.
    const reply = this.state === 'open' ? actionReply(raw) : null;
    const p = reply ? this.pending.get(reply.id) : undefined;
    if (reply && p?.op === 'action') {
      this.replies++;
      this.pending.delete(reply.id);
      this.heartbeat.answered(sentAt(p));
      this.storage(null); // as any good reply: the instance's storage answers again
      return p.cb.resolve({ applied: reply.applied });
    }
    // A reply to nothing pending is dropped before its body is parsed: a flood of them must cost little.
    const id = this.state === 'open' ? (reply?.id ?? replyId(raw)) : null;
    if (id !== null && !this.pending.has(id)) return this.unasked('reply', ++this.replies, bytes);
    // A pong on every socket every beat, and a welcome on every socket at once when a pool opens:
    // their exact shapes read without zod, as acks and replies are.
    const quick = pongFrame(raw) ?? (this.state === 'connecting' ? welcomeFrame(raw) : null);
    if (quick) return this.handle(quick, bytes);
    const parsed = readServerFrame(raw);
    if (!parsed.ok && parsed.unreadable && this.state === 'open') return void this.emit('unreadable', parsed.unreadable);
    if (!parsed.ok) return this.state === 'connecting' ? this.badGreeting(raw, parsed.error, frameTypeOf(raw), bytes, true) : this.fault(parsed.error, frameTypeOf(raw), bytes, true);
    this.handle(parsed.frame, bytes);
  }

  /** A frame before the welcome this console could not read: if no readable welcome follows, what the deadline says. */
  private greetingProblem: string | null = null;

  /**
   * A frame before the welcome this console cannot read. A refusal in a code of the backend's own ("license-expired")
   * ends the handshake at once, in its words: they are the one reason IT needs (probe-hostile21 J11). Anything else
   * is counted, and said at the handshake's deadline if no readable welcome came after it (rather than "did not
   * answer its greeting … restart it", when it had answered at once).
   */
  private badGreeting(raw: string | null, problem: string, frameType: string, bytes: number, schema = false): void {
    this.fault(problem, frameType, bytes, schema); // counted first: a closed socket tells nobody
    const own = raw === null ? null : ownRefusal(raw);
    if (own) this.shut(`greeting refused: ${own.code}`, causeOfOwnRefusal(own.code, own.message));
    else this.greetingProblem ??= problem;
  }

  private fault(reason: string, frameType: string, bytes: number, schema = false): void {
    this.emit('protocolError', schema ? { reason: reason.slice(0, 200), frameType, bytes, schema } : { reason: reason.slice(0, 200), frameType, bytes });
  }

  private handle(frame: ServerFrame, bytes: number): void {
    // Before the handshake only its answer (or a refusal) makes sense.
    if (this.state !== 'open' && frame.t !== 'welcome' && frame.t !== 'error') return this.fault('frame before welcome', frame.t, bytes);
    switch (frame.t) {
      case 'welcome':
        if (this.state === 'open') return this.fault('a second welcome on one socket', frame.t, bytes);
        this.clock.clearTimeout(this.welcomeTimer);
        if (!SUPPORTED_VERSIONS.includes(frame.version)) {
          const why = `the backend chose protocol ${frame.version}; this console speaks ${SUPPORTED_VERSIONS.join(', ')}`;
          return this.shut(why, causeOfRefusal('unsupported-version', why));
        }
        this.instance = frame.instance;
        this.version = frame.version;
        this.load = frame.version >= 2 ? (frame.load ?? null) : null;
        this.state = 'open';
        // The welcome answers our hello: proof both ways, as a reply is, so the next beat rests (no probe runs before it).
        this.heartbeat.answered(-Infinity);
        this.emit('open');
        return;
      case 'pong': {
        // Only a pong for a ping of ours is a round trip: a made-up ts would read as any latency at all.
        const answers = this.heartbeat.reply(frame.ts);
        if (answers === 'never-sent') return this.fault('a pong for a ping this console never sent, or a second pong for one', frame.t, bytes);
        this.storage(null);
        if (answers === 'forgotten') return; // ours, but too old to time; its head and load are stale too
        if (this.version !== null && this.version >= 2 && frame.load) this.load = frame.load;
        const rttMs = this.clock.mono() - frame.ts;
        // Behind the console's own backlog, its round trip is the console's: not the backend's speed.
        if (answers === 'ours') return void this.emit('pong', { rttMs, head: frame.head, ours: true });
        this.rttMs = rttMs;
        this.emit('pong', { rttMs, head: frame.head });
        return;
      }
      case 'event':
        return void this.emit('event', { seq: frame.seq, ts: frame.ts, body: frame.body }, bytes);
      case 'subbed':
        return void this.emit('subbed', { head: frame.head, gap: frame.gap, epoch: frame.epoch, capacity: frame.capacity });
      case 'ack': {
        const p = this.pending.get(frame.id);
        if (!p) return this.unasked('ack', ++this.acks, bytes);
        this.acks++;
        this.heartbeat.answered(sentAt(p));
        return p.cb.onAck?.();
      }
      case 'reply': {
        const p = this.pending.get(frame.id);
        if (!p) return this.unasked('reply', ++this.replies, bytes);
        this.replies++;
        this.pending.delete(frame.id);
        this.heartbeat.answered(sentAt(p)); // even a refusal: the instance read the request and answered it
        if (p.op === 'checkin' || p.op === 'lookup') this.timed(p);
        if (!frame.ok) return this.answeredNo(p, frame.error.code, frame.error.message);
        this.storage(null);
        const body = ReplyBodies[p.op].safeParse(frame.body);
        const problem = body.success ? (p.cb.check?.(body.data) ?? null) : firstIssue(body.error);
        if (problem === null) return p.cb.resolve(body.data);
        // Another instance may answer properly: the caller retries as for a lost socket.
        this.fault(`${p.op} reply: ${problem}`, frame.t, bytes, !body.success);
        return p.cb.reject(new MalformedReply(`${this.url} sent a malformed ${p.op} reply`));
      }
      case 'error': {
        if (frame.code === STORAGE_DOWN_CODE) return this.storageFailed(backendText(frame.message, 200), this.answer(frame.id));
        // A refused token or version is a clear answer, not a broken protocol: counting it as one sent IT the wrong way.
        if (frame.code === 'unauthorized' || frame.code === 'unsupported-version') {
          // Closing, it is this socket's token or version that is wrong, not a request's (even one it names): they all
          // fail as a lost connection, and wait for one that works; as a refusal, it would bury a check-in for good.
          const message = backendText(frame.message, 200);
          // No token to send is a different fix from a wrong one: say which.
          return this.shut(message, frame.code === 'unauthorized' && !this.opts.token ? causeOfNoToken(message, this.opts.tokenUnreadable ?? null) : causeOfRefusal(frame.code, message));
        }
        // With a request's id it is that request's answer (the reference backend's `internal` for a bug on one request):
        // not a broken protocol, so it never counts toward quarantine, which closes every socket of the endpoint.
        if (frame.id) {
          if (!this.pending.has(frame.id)) return this.unasked('reply', ++this.replies, bytes);
          this.replies++;
          this.heartbeat.answered(sentAt(this.pending.get(frame.id)!));
          return this.answerFailed(frame.id, frame.code, frame.message);
        }
        this.fault(`error frame: ${frame.code}`, frame.t, bytes);
        // Its answer to the greeting: a refusal, said in its own words rather than as no answer at all.
        if (this.state === 'connecting') this.shut(`greeting refused: ${frame.code}`, causeOfOwnRefusal(frame.code, backendText(frame.message, 200)));
        return;
      }
    }
  }

  /** The backend failed on this request and said so: it is answered (no longer pending) and its caller told. */
  private answerFailed(id: string, code: string, message: string): void {
    const p = this.answer(id);
    if (p) this.answeredNo(p, code, message);
  }

  /** The request `id` answers, taken off the pending list; undefined for none (or none pending). */
  private answer(id: string | undefined): Pending | undefined {
    const p = id === undefined ? undefined : this.pending.get(id);
    if (p) this.pending.delete(id!);
    return p;
  }

  /** A request answered with a failure code (no longer pending): its caller is told what the code means (failure-codes.ts). */
  private answeredNo(p: Pending, code: string, message: string): void {
    const meaning = meaningOf(code);
    switch (meaning) {
      case 'refused':
        return p.cb.reject(refused(code, message));
      case 'storage-down':
        return this.storageFailed(backendText(message, 200), p);
      default: {
        const { line, detail } = inWords(message);
        return p.cb.reject(new RequestFailed(code, line, meaning === 'failed', detail));
      }
    }
  }

  /** An ack or reply to no pending request: late, so ignored, unless this socket has had more of them than it sent requests. */
  private unasked(kind: 'ack' | 'reply', answers: number, bytes: number): void {
    if (answers > this.asked) this.fault(kind === 'ack' ? 'more acks than requests sent: an ack to a request this console never sent' : 'more replies than requests sent: a reply to a request this console never sent', kind, bytes);
  }

  /** Not a protocol fault: the instance is telling the truth about its storage, and the request may be resent. */
  private storageFailed(message: string, p: Pending | undefined): void {
    // It answers pings with this instead of pongs: the gap until pongs resume is its storage's, not the link's rhythm.
    // Such an answer to a ping names no ping, so it proves nothing to a probe; the probe's own WebSocket ping is
    // answered by the backend's WebSocket library all the same. An answer to a request sent since the probe is proof.
    this.heartbeat.outage();
    if (p) this.heartbeat.proves(sentAt(p));
    p?.cb.reject(new StorageUnavailable(message.slice(0, 200)));
    this.storage(message.slice(0, 200));
  }

  private storage(down: string | null): void {
    if (this.storageDown === down) return;
    this.storageDown = down;
    this.emit('storage', down);
  }

  private send(frame: ClientFrame): void {
    const ws = this.ws;
    if (ws?.readyState !== WebSocket.OPEN) return;
    this.cork(ws);
    ws.send(JSON.stringify(frame));
  }

  private shut(reason: string, failure: FailureCause | null = null, byBackend = false): void {
    if (this.state === 'closed') return;
    // What was read before the end is handled, as it was when every frame was handled on arrival.
    if (this.laterAt < this.later.length) {
      this.handleLater(true);
      if (this.ended) return; // one of them ended it
    }
    this.state = 'closed';
    this.failure = failure;
    this.heartbeat.stop();
    this.clock.clearTimeout(this.welcomeTimer);
    this.clock.clearTimeout(this.deadlineTimer);
    for (const p of this.pending.values()) {
      p.cb.reject(new ConnectionLost(`connection lost: ${reason}`, byBackend));
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

/** ws tells nothing between "connecting" and the upgrade; its request's socket does (fakes have none: never called). */
function onTcpConnect(ws: WebSocket, then: () => void): void {
  const req = (ws as unknown as { _req?: ClientRequest | null })._req;
  req?.once('socket', (s: NetSocket) => (s.connecting ? s.once('connect', then) : then()));
}

/** When a request went out (monotonic). */
const sentAt = (p: Pending): number => p.due - p.ms;

/** An `error` frame the schema refused (a code of the backend's own), read for its code and message alone; null otherwise. */
function ownRefusal(raw: string): { code: string; message: string } | null {
  if (frameTypeOf(raw) !== 'error') return null;
  try {
    const f = JSON.parse(raw) as { code?: unknown; message?: unknown };
    return typeof f.code === 'string' && typeof f.message === 'string' ? { code: backendText(f.code, 40), message: backendText(f.message, 200) } : null;
  } catch {
    return null;
  }
}

/** A WebSocket ping's payload: its `ts` as 8 bytes (a control frame carries at most 125). */
function pingPayload(ts: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeDoubleBE(ts);
  return b;
}

/** The `ts` a WebSocket pong brings back; null for any other payload (empty: an unsolicited pong, or another client's). */
function pongTs(data: Buffer | undefined): number | null {
  if (!Buffer.isBuffer(data) || data.length !== 8) return null;
  const ts = data.readDoubleBE(0);
  return Number.isFinite(ts) ? ts : null;
}

function rawLength(data: WebSocket.RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

/** A bad frame's `t`, read without trusting it: letters, digits and dashes only, at most 20. */
function frameTypeOf(raw: string): string {
  const t = /^\s*\{\s*"t"\s*:\s*"([\w-]{1,20})"/.exec(raw)?.[1];
  return t ?? (raw.trimStart().startsWith('{') ? 'object' : 'not JSON');
}
