/**
 * A gym backend written from docs/protocol.md alone (it imports nothing from src/): instances that
 * share one event log and behave, except the ones told to attack the console with malformed,
 * oversized, deeply nested, binary, out-of-order, duplicated, flooding or slow-handshake traffic.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const ATTACKS = [
  'malformed', // not JSON, unknown types, wrong field types
  'oversized', // a frame past the 64 KiB limit
  'deep', // events and replies nested 20,000 levels
  'binary', // binary frames
  'huge-fields', // events whose strings are 50 KB
  'out-of-order', // every event, shuffled in small windows
  'duplicated', // every event two or three times
  'early-flood', // valid events far past a hole, as many as the socket takes
  'welcome-flood', // welcome, again and again
  'silent-handshake', // takes the socket, answers pings, never welcomes
  'bad-replies', // replies whose bodies break the protocol
  'stray-flood', // valid-looking frames nobody asked for: pongs, acks, replies, subbed
  'roster-endless', // every roster page 200 members never sent before, and more to come
  'roster-stuck', // every roster page the same members, and more to come
  'silent-requests', // answers pings, takes requests and never answers them (a stuck database)
  'head-ahead', // every pong says the head is 1,000,000 past the log's; its replays tell the truth
  'snapshot-fails', // every snapshot answered with an `internal` error; all else honest (one bad row its serializer chokes on)
  'no-pongs', // never answers a protocol ping (an old build, a proxy that filters them); all else honest
  'ack-then-refuse', // acknowledges every check-in and staff action, then refuses it with a stack trace (against the protocol)
] as const;
export type Attack = (typeof ATTACKS)[number];

interface Conn {
  ws: WebSocket;
  instance: number;
  welcomed: boolean;
  subscribed: boolean;
  timer: NodeJS.Timeout | null;
  /** Its program answers nothing (freezeApp): frames in are ignored, none go out; ws still answers pings. */
  mute: boolean;
}

interface Event {
  seq: number;
  ts: number;
  body: Record<string, unknown>;
}

export interface HostileBackend {
  urls: string[];
  token: string;
  /** Frames sent by attacking instances (honest traffic not counted). */
  readonly attackFrames: number;
  readonly head: number;
  /** `sub` frames received, from every console on every instance. */
  readonly subs: number;
  setAttack(instance: number, attack: Attack | null): void;
  /** Appends check-ins to the shared log and streams them to subscribers. */
  emit(count: number): void;
  /** Appends one event with this body and time, exactly as given, and streams it to subscribers. */
  emitEvent(body: Record<string, unknown>, ts: number): void;
  /** The card of every check-in request, exactly as it came (a roster given: each checked against it). */
  readonly checkins: readonly string[];
  /** The request id of every check-in request, once each: a resend of one (at-least-once delivery) is not another. */
  readonly checkinIds: ReadonlySet<string>;
  /** Check-in requests that came on a socket carrying the event stream with over 1 MB of it still queued to send: the answer waits behind it. */
  readonly checkinsBehindFeed: number;
  /**
   * Every instance fails on check-ins of this card as a backend with a bug on one record does (null: none). By default
   * with `error internal` and the request's id, every time; `as: 'reply'` answers `{ok:false, error:{code}}` instead
   * (`code`: `internal` unless given), and `times` fails only that many of them, then takes the check-in.
   */
  failCard(card: string | null, how?: CardFailure): void;
  /** Check-ins of the failed card it answered so. */
  readonly failedOn: number;
  /**
   * Check-ins applied and their events streamed at once, acked and answered `ms` later (0: at once): a backend
   * whose database answers slowly. Its events then reach the console before its replies.
   */
  lateCheckins(ms: number): void;
  /**
   * Before each check-in, an event for the same card and station carrying the request's id, denied (frozen) and
   * naming nobody: a backend that sends two events for one request, the first one wrong (probe-hostile15 R3).
   */
  stealIds(on: boolean): void;
  /** Every `action` (a door release, a staff note) refused with `{ok:false, error:{code}}` (null: taken as usual). */
  refuseActions(code: string | null): void;
  /**
   * The instance's program stops answering (on: true), as a Go or Java server deadlocked in its handler does: each of
   * its sockets, once welcomed, takes frames and sends nothing back, while its WebSocket layer (ws's own autoPong)
   * still answers WebSocket pings. New sockets are still welcomed first (probe-hostile18 F3).
   */
  freezeApp(instance: number, on: boolean): void;
  /** Numbers `count` seqs that hold no event, for good (a Postgres sequence after rolled-back inserts): a hole no replay fills. */
  skip(count: number): void;
  close(): Promise<void>;
}

/** How failCard's check-ins are failed. */
export interface CardFailure {
  as?: 'error' | 'reply';
  code?: string;
  message?: string;
  times?: number;
}

const RETAIN = 20_000;
const nested = (n: number): string => '['.repeat(n) + ']'.repeat(n);

const MALFORMED = [
  'not json {',
  '{"t":"nope"}',
  '{"t":"event","stream":"gym","seq":"seven","ts":1,"body":{}}',
  '{"t":"pong"}',
  '[]',
  'null',
  '{"t":"reply","id":123,"ok":true}',
  '{"t":"event","stream":"other","seq":1,"ts":1,"body":{"kind":"checkin"}}',
  '{"t":"error","code":"no-such-code","message":"x"}',
  '{"t":"welcome","version":"one"}',
  `{"t":"pong","ts":1,"head":-5}`,
  '{"t":"subbed","stream":"gym","head":1.5,"gap":false}',
];

/** A member as the protocol sends one. */
export interface WireMember {
  id: string;
  cardId: string;
  name: string;
  phone: string;
  status: string;
  expiresOn: string;
}

/**
 * `members`: the roster its honest instances serve (lookups and roster pages of `rosterPage` members at most), and
 * check-ins of a card it holds (matched exactly) are let in. Without one it knows one member and says every card is unknown.
 */
export async function startHostileBackend(
  opts: {
    instances?: number;
    token?: string;
    members?: WireMember[];
    rosterPage?: number;
    /** The member as a check-in's reply sends it (as-is by default): a backend whose reply path writes records its roster does not. */
    replyMember?: (m: WireMember) => unknown;
    /** The member as a check-in's event names them (id, name and status as-is by default). */
    eventMember?: (m: WireMember) => unknown;
    /** wss:// with this key and certificate (tests/helpers/test-ca.ts); ws:// without. */
    tls?: { key: Buffer; cert: Buffer };
    /**
     * Streams each check-in's event to the subscribers, as the reference backend does. Without it a check-in's event is
     * only in the log: a hole in the live stream that the console fills with a replay of everything after it.
     */
    streamCheckins?: boolean;
  } = {},
): Promise<HostileBackend> {
  const token = opts.token ?? 'hostile-token';
  const attacks: (Attack | null)[] = [];
  const log: Event[] = [];
  const conns = new Set<Conn>();
  const servers: { http: Server; wss: WebSocketServer }[] = [];
  let head = 0;
  let subs = 0;
  let attackFrames = 0;
  let occupancy = 0;
  let failCard: string | null = null;
  let failHow: CardFailure = {};
  let failedOn = 0;
  let lateMs = 0;
  let refuseCode: string | null = null;
  let stealIds = false;

  const frozenApps = new Set<number>();
  const send = (c: Conn, frame: string | Buffer, attacking: boolean): void => {
    if (c.ws.readyState !== c.ws.OPEN || c.mute) return;
    c.ws.send(frame);
    if (attacking) attackFrames++;
  };
  const json = (c: Conn, frame: object, attacking = false): void => send(c, JSON.stringify(frame), attacking);
  const eventFrame = (e: Event): string => JSON.stringify({ t: 'event', stream: 'gym', ...e });

  const member = { id: 'M00001', cardId: '4000000001', name: 'Ada Example', phone: '555-0100', status: 'active', expiresOn: '2030-01-01' };
  const roster = opts.members;
  const checkins: string[] = [];
  const checkinIds = new Set<string>();
  let checkinsBehindFeed = 0;
  const honestReply = (op: string, body: Record<string, unknown>): unknown => {
    switch (op) {
      case 'checkin': {
        const card = String(body.cardId);
        checkins.push(card);
        const m = roster?.find((x) => x.cardId === card);
        const verdict = m ? { allowed: true, reason: 'ok' } : { allowed: false, reason: 'unknown-card' };
        head++;
        occupancy++;
        log.push({ seq: head, ts: Date.now(), body: { kind: 'checkin', cardId: card, member: m ? (opts.eventMember?.(m) ?? { id: m.id, name: m.name, status: m.status }) : null, verdict, source: String(body.source), occupancy } });
        return { verdict, member: m ? (opts.replyMember?.(m) ?? m) : null, occupancy, seq: head };
      }
      case 'lookup': {
        if (!roster) return { members: [member] };
        const q = String(body.query).toLowerCase();
        return { members: roster.filter((m) => m.id.toLowerCase() === q || m.cardId.toLowerCase() === q || m.name.toLowerCase().includes(q)) };
      }
      case 'roster': {
        // Pages of `rosterPage` members at most (the request's limit else), in the roster's order, after the member named.
        const all = roster ?? [member];
        const from = body.afterId ? all.findIndex((m) => m.id === body.afterId) + 1 : 0;
        if (body.afterId && from === 0) return { members: [], done: true };
        const to = from + Math.min(opts.rosterPage ?? Infinity, Number(body.limit) || 200);
        return { members: all.slice(from, to), done: to >= all.length };
      }
      case 'snapshot':
        return { head, occupancy, capacity: 300, recent: log.slice(-20) };
      default:
        return { applied: true };
    }
  };
  /** Raw JSON text: a body nested 20,000 deep cannot even be built with JSON.stringify. */
  const badReply = (op: string): string => {
    const pick = Math.floor(Math.random() * 4);
    // One 40 KB nesting, under the 64 KiB frame cap: the shapes that once crashed lookups and the state stream.
    if (pick === 0 && op === 'snapshot') return `{"head":${head},"occupancy":${nested(20_000)},"capacity":1,"recent":[]}`;
    if (pick === 0) return `{"members":[${JSON.stringify(member).slice(0, -1)},"notes":${nested(20_000)}}],"done":true}`;
    if (pick === 1) return JSON.stringify({ head: 'a lot', occupancy: -1, members: [{ id: 7 }] });
    if (pick === 2) return JSON.stringify({ members: Array.from({ length: 500 }, () => member), done: 'maybe' });
    return JSON.stringify(op === 'snapshot' ? { head, occupancy, capacity: 300, recent: [{ seq: 0, ts: 'now', body: null }] } : null);
  };

  let rosterNext = 1;
  const rosterAttack = (attack: 'roster-endless' | 'roster-stuck'): unknown => {
    const start = attack === 'roster-stuck' ? 1 : rosterNext;
    if (attack === 'roster-endless') rosterNext += 200;
    const members = Array.from({ length: attack === 'roster-stuck' ? 2 : 200 }, (_, i) => ({ ...member, id: `X${start + i}`, cardId: `9${start + i}` }));
    return { members, done: false };
  };

  const onHello = (c: Conn, frame: { token?: unknown }): void => {
    const attack = attacks[c.instance];
    if (frame.token !== token) {
      json(c, { t: 'error', code: 'unauthorized', message: 'The backend token is wrong.' });
      return void c.ws.close(4000, 'unauthorized');
    }
    if (attack === 'silent-handshake') return;
    c.welcomed = true;
    json(c, { t: 'welcome', version: 1, instance: `hostile-${c.instance}`, heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
    c.mute = frozenApps.has(c.instance);
  };

  const onFrame = (c: Conn, raw: string): void => {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return json(c, { t: 'error', code: 'bad-frame', message: 'not JSON' });
    }
    if (c.mute) return;
    if (frame.t === 'hello') return onHello(c, frame);
    if (!c.welcomed) return;
    const attack = attacks[c.instance];
    switch (frame.t) {
      case 'ping':
        if (attack === 'no-pongs') return;
        return json(c, { t: 'pong', ts: frame.ts, head: attack === 'head-ahead' ? head + 1_000_000 : head }, attack === 'head-ahead');
      case 'sub': {
        subs++;
        const after = Number(frame.after);
        const gap = after > head || (log.length > 0 && after < log[0]!.seq - 1);
        c.subscribed = true;
        json(c, { t: 'subbed', stream: 'gym', head, gap });
        if (!gap) for (const e of log) if (e.seq > after) send(c, eventFrame(e), false);
        return;
      }
      case 'unsub':
        c.subscribed = false;
        return;
      case 'req': {
        const id = String(frame.id);
        const op = String(frame.op);
        if (attack === 'silent-requests') return;
        if (op === 'checkin' && failCard !== null && (frame.body as { cardId?: unknown } | undefined)?.cardId === failCard && failedOn < (failHow.times ?? Infinity)) {
          failedOn++;
          const code = failHow.code ?? 'internal';
          const message = failHow.message ?? 'The backend failed on this request; it was not applied.';
          if (failHow.as === 'reply') return json(c, { t: 'reply', id, ok: false, error: { code, message } });
          return json(c, { t: 'error', code, message, id });
        }
        if (op === 'action' && refuseCode !== null) return json(c, { t: 'reply', id, ok: false, error: { code: refuseCode, message: 'This backend does not allow that action here.' } });
        if (op === 'checkin' && stealIds) {
          const b = (frame.body ?? {}) as Record<string, unknown>;
          const e = { seq: ++head, ts: Date.now(), body: { kind: 'checkin', cardId: b.cardId, member: null, verdict: { allowed: false, reason: 'frozen' }, source: b.source, occupancy, requestId: id } };
          log.push(e);
          for (const s of conns) if (s.subscribed) send(s, eventFrame(e), false);
        }
        if (op === 'checkin' && lateMs > 0) {
          const body = honestReply(op, (frame.body ?? {}) as Record<string, unknown>);
          const e = log.at(-1)!;
          for (const s of conns) if (s.subscribed) send(s, eventFrame(e), false);
          return void setTimeout(() => {
            json(c, { t: 'ack', id });
            json(c, { t: 'reply', id, ok: true, body });
          }, lateMs);
        }
        if (op === 'snapshot' && attack === 'snapshot-fails') return json(c, { t: 'reply', id, ok: false, error: { code: 'internal', message: 'The snapshot could not be built.' } }, true);
        if (op === 'checkin') checkinIds.add(String(id));
        if (op === 'checkin' && c.subscribed && c.ws.bufferedAmount > 1 << 20) checkinsBehindFeed++;
        json(c, { t: 'ack', id });
        if (attack === 'ack-then-refuse' && (op === 'checkin' || op === 'action')) {
          return json(c, { t: 'reply', id, ok: false, error: { code: 'internal', message: 'TypeError: Cannot read properties of undefined (reading \'card\')\n    at apply (/srv/gym/apply.js:42:7)' } }, true);
        }
        if (attack === 'bad-replies' || attack === 'deep') return send(c, `{"t":"reply","id":${JSON.stringify(id)},"ok":true,"body":${badReply(op)}}`, true);
        if (op === 'roster' && (attack === 'roster-endless' || attack === 'roster-stuck')) return json(c, { t: 'reply', id, ok: true, body: rosterAttack(attack) }, true);
        const reply = honestReply(op, (frame.body ?? {}) as Record<string, unknown>);
        if (op === 'checkin' && opts.streamCheckins) for (const s of conns) if (s.subscribed) send(s, eventFrame(log.at(-1)!), false);
        return json(c, { t: 'reply', id, ok: true, body: reply });
      }
    }
  };

  /** What an attacking connection sends on its own, a batch per tick, as fast as the socket drains. */
  const barrage = (c: Conn): void => {
    const attack = attacks[c.instance];
    if (!attack || c.ws.readyState !== c.ws.OPEN || c.ws.bufferedAmount > 1 << 20) return;
    for (let i = 0; i < 50; i++) {
      switch (attack) {
        case 'malformed':
          send(c, MALFORMED[(attackFrames + i) % MALFORMED.length]!, true);
          break;
        case 'oversized':
          send(c, JSON.stringify({ t: 'pong', ts: 1, head, pad: 'x'.repeat(70_000) }), true);
          return;
        case 'deep':
          send(c, `{"t":"event","stream":"gym","seq":${head + 1},"ts":1,"body":${nested(20_000)}}`, true);
          break;
        case 'binary':
          send(c, Buffer.from([0xff, 0x00, 0x7b, 0x22]), true);
          break;
        case 'huge-fields':
          if (!c.welcomed) return;
          send(c, eventFrame({ seq: head + 2 + i, ts: Date.now(), body: { kind: 'checkout', memberId: 'M1', name: 'x'.repeat(50_000), auto: false, occupancy: 1 } }), true);
          break;
        case 'early-flood':
          if (!c.subscribed) return;
          send(c, eventFrame({ seq: head + 1_000 + ((attackFrames + i) % 50_000), ts: Date.now(), body: { kind: 'checkout', memberId: 'M00001', name: 'y'.repeat(200), auto: false, occupancy: 1 } }), true);
          break;
        case 'welcome-flood':
          if (!c.welcomed) return;
          json(c, { t: 'welcome', version: 1, instance: `hostile-${c.instance}`, heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } }, true);
          break;
        case 'stray-flood': {
          if (!c.welcomed) return;
          const k = (attackFrames + i) % 4;
          if (k === 0) json(c, { t: 'pong', ts: Math.random() * 1e6, head }, true);
          else if (k === 1) json(c, { t: 'ack', id: `stray-${attackFrames}` }, true);
          else if (k === 2) json(c, { t: 'reply', id: `stray-${attackFrames}`, ok: true, body: { applied: true } }, true);
          else json(c, { t: 'subbed', stream: 'gym', head, gap: true }, true);
          break;
        }
        default:
          return; // the others bend honest traffic instead (see emit)
      }
    }
  };

  const accept = (ws: WebSocket, instance: number): void => {
    const c: Conn = { ws, instance, welcomed: false, subscribed: false, timer: null, mute: false };
    conns.add(c);
    c.timer = setInterval(() => barrage(c), 2);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) onFrame(c, data.toString());
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearInterval(c.timer!);
      conns.delete(c);
    });
  };

  const count = opts.instances ?? 2;
  for (let i = 0; i < count; i++) {
    attacks.push(null);
    const upgradeOnly = (_req: unknown, res: { writeHead(code: number): { end(): void } }) => res.writeHead(426).end();
    const http: Server = opts.tls ? createTlsServer(opts.tls, upgradeOnly) : createServer(upgradeOnly);
    // No maxPayload on our side of a hostile server: it must be able to send what it likes.
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
    wss.on('connection', (ws) => accept(ws, i));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    servers.push({ http, wss });
  }

  return {
    urls: servers.map((s) => `${opts.tls ? 'wss' : 'ws'}://127.0.0.1:${(s.http.address() as AddressInfo).port}`),
    token,
    get attackFrames() {
      return attackFrames;
    },
    get head() {
      return head;
    },
    get subs() {
      return subs;
    },
    skip(n) {
      head += n;
    },
    freezeApp(instance, on) {
      if (on) frozenApps.add(instance);
      else frozenApps.delete(instance);
      for (const c of conns) if (c.instance === instance && c.welcomed) c.mute = on;
    },
    failCard(card, how = {}) {
      failCard = card;
      failHow = how;
      failedOn = 0;
    },
    get failedOn() {
      return failedOn;
    },
    lateCheckins(ms) {
      lateMs = ms;
    },
    stealIds(on) {
      stealIds = on;
    },
    refuseActions(code) {
      refuseCode = code;
    },
    setAttack(instance, attack) {
      attacks[instance] = attack;
    },
    get checkins() {
      return checkins;
    },
    get checkinIds() {
      return checkinIds;
    },
    get checkinsBehindFeed() {
      return checkinsBehindFeed;
    },
    emitEvent(body, ts) {
      const e = { seq: ++head, ts, body };
      log.push(e);
      for (const c of conns) if (c.subscribed) send(c, eventFrame(e), false);
    },
    emit(n) {
      const fresh: Event[] = [];
      for (let i = 0; i < n; i++) {
        head++;
        occupancy = (occupancy + 1) % 200;
        const e = { seq: head, ts: Date.now(), body: { kind: 'checkin', cardId: `40000${head % 100_000}`, member: { id: 'M00001', name: 'Ada Example', status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy } };
        log.push(e);
        fresh.push(e);
      }
      if (log.length > RETAIN) log.splice(0, log.length - RETAIN);
      for (const c of conns) {
        if (!c.subscribed) continue;
        const attack = attacks[c.instance];
        let out = fresh;
        if (attack === 'out-of-order') out = shuffledInWindows(fresh, 4);
        if (attack === 'duplicated') out = fresh.flatMap((e) => (e.seq % 2 ? [e, e] : [e, e, e]));
        for (const e of out) send(c, eventFrame(e), attack === 'out-of-order' || attack === 'duplicated');
      }
    },
    async close() {
      for (const c of conns) c.ws.terminate();
      for (const { http, wss } of servers) {
        wss.close();
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      }
    },
  };
}

function shuffledInWindows<T>(items: T[], size: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...items.slice(i, i + size).reverse());
  return out;
}
