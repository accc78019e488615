import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { ReplyError, type Redis } from 'ioredis';
import { ACTION_KINDS, LIMITS, MemberSchema, type Member, type MemberStatus, type Replies, type SequencedEvent } from '../../shared/protocol';
import { searchMembers } from '../../shared/member-search';
import { seedRoster } from '../roster';
import { DEFAULT_CAPACITY, DEFAULT_MAX_VISIT_MS, type GymOptions } from '../gym';
import { boundScanTime, StorageUnavailable, type ActionResult, type CheckinExtras, type CheckinSource, type GymStore, type Replay, type StoreEvents } from '../store';
import { connectRedis } from './connect';
import * as S from './scripts';

export interface RedisGymOptions extends GymOptions {
  url: URL;
  /** Every key starts with this, so one Redis can hold several gyms, or a gym beside other apps. */
  keyPrefix?: string;
  /** How long a request id and its reply are remembered (seconds). */
  idempotencyTtlSec?: number;
  /** Who its stderr lines are from: each instance process has its own RedisGym, and says so. */
  speaker?: string;
}

const SCRIPTS = { gymCheckin: S.CHECKIN, gymCheckout: S.CHECKOUT, gymSweep: S.SWEEP, gymAction: S.ACTION, gymReplay: S.REPLAY, gymSnapshot: S.SNAPSHOT, gymSeed: S.SEED, gymSetMember: S.SET_MEMBER, gymNumbering: S.NUMBERING };
type ScriptName = keyof typeof SCRIPTS;
type StreamEntry = [id: string, fields: string[]];

/** How often a tail checks the numbering with no outage to prompt it. */
const NUMBERING_CHECK_MS = 1_000;

const seqOf = (id: string): number => Number(id.slice(0, id.indexOf('-')));

function eventOf([id, fields]: StreamEntry): SequencedEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return { seq: seqOf(id), ts: Number(f.ts), body: JSON.parse(f.body!) };
}

/** Connection trouble, Redis saying it cannot serve yet, and a roster emptied under us (NOROSTER, scripts.ts) are retryable; any other reply error is our bug. */
function storageError(e: unknown): Error {
  if (e instanceof (ReplyError as typeof Error) && !/^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|NOROSTER)/.test(e.message)) return e;
  return new StorageUnavailable(`shared storage unavailable: ${(e as Error).message}`, { cause: e });
}

/**
 * The gym's shared state in Redis, for instances in separate processes: an event stream with MAXLEN,
 * seq and verdict decided atomically in Lua, idempotency keys with an expiry, and a tail (XREAD BLOCK)
 * that hands every process every event in seq order.
 */
export class RedisGym extends EventEmitter<StoreEvents> implements GymStore {
  readonly capacity: number;
  private readonly k: Record<'seq' | 'events' | 'inside' | 'last' | 'members' | 'cards' | 'overrides' | 'actions' | 'roster' | 'meta' | 'req' | 'epoch', string>;
  private readonly byId = new Map<string, Member>();
  private readonly maxlen: number;
  private readonly ttl: number;
  private readonly duplicateWindowMs: number;
  private readonly maxVisitMs: number;
  private readonly now: () => number;
  private tailSeq = 0;
  /** The numbering `tailSeq` belongs to; another in Redis means its log started over. */
  private epoch: string | null = null;
  /** The tail lost its connection: Redis may have come back empty, so check the numbering before reading on. */
  private recheck = false;
  /** When the numbering was last checked: a Redis emptied while connected (FLUSHALL) shows no outage to notice. */
  private checkedAt = 0;
  private rosterId = '$';
  private closed = false;
  private sweeper: NodeJS.Timeout | null = null;

  private constructor(
    private readonly client: Redis,
    private readonly blocking: Redis,
    private readonly opts: RedisGymOptions,
  ) {
    super();
    const p = opts.keyPrefix ?? 'avgym:';
    this.k = Object.fromEntries(['seq', 'events', 'inside', 'last', 'members', 'cards', 'overrides', 'actions', 'roster', 'meta', 'req', 'epoch'].map((n) => [n, p + n])) as RedisGym['k'];
    this.capacity = opts.capacity ?? DEFAULT_CAPACITY;
    this.maxlen = opts.replayRetention ?? LIMITS.replayRetention;
    this.ttl = opts.idempotencyTtlSec ?? 86_400;
    this.duplicateWindowMs = opts.duplicateWindowMs ?? 2 * 60_000;
    this.maxVisitMs = opts.maxVisitMs ?? DEFAULT_MAX_VISIT_MS;
    this.now = opts.now ?? Date.now;
    for (const [name, def] of Object.entries(SCRIPTS)) client.defineCommand(name, def);
  }

  /** Connects (failing fast on a bad or unreachable address), seeds the roster once, and starts tailing. */
  static async open(opts: RedisGymOptions): Promise<RedisGym> {
    const client = await connectRedis(opts.url);
    const blocking = await connectRedis(opts.url, true).catch((e: Error) => {
      client.disconnect();
      throw e;
    });
    const gym = new RedisGym(client, blocking, opts);
    try {
      await gym.seed();
      [gym.tailSeq, gym.epoch] = await gym.numbering();
    } catch (e) {
      await gym.close();
      throw e;
    }
    client.on('ready', () => void gym.checkReset());
    reportOutages(client, opts.url.host, opts.speaker ?? 'gym-server');
    void gym.tail();
    gym.sweeper = setInterval(() => void gym.sweep().catch(() => {}), 30_000);
    gym.sweeper.unref();
    return gym;
  }

  get available(): boolean {
    return this.client.status === 'ready';
  }

  get members(): IterableIterator<Member> {
    return this.byId.values();
  }

  head(): number {
    return this.tailSeq;
  }

  async replay(after: number): Promise<Replay> {
    const [head, first, entries, epoch] = (await this.run('gymReplay', [this.k.seq, this.k.events, this.k.epoch], [after])) as [number, number, StreamEntry[], string | null];
    // A console ahead of the log is one whose log was reset: a gap too (as EventLog.since).
    return { head, gap: after + 1 < first || after > head, events: entries.map(eventOf), ...(epoch ? { epoch } : {}) };
  }

  async checkIn(cardId: string, source: CheckinSource, requestId?: string, { override, scannedAt, decidedOffline }: CheckinExtras = {}): Promise<Replies['checkin']> {
    const k = this.k;
    const now = this.now();
    const scan = scannedAt === undefined ? null : boundScanTime(scannedAt, now);
    const keys = [k.seq, k.events, k.inside, k.last, k.members, k.cards, requestId ? `${k.req}:${requestId}` : k.req, k.overrides, k.epoch, k.meta];
    const args = [cardId, source, now, this.duplicateWindowMs, this.capacity, this.maxlen, this.ttl, requestId ? 1 : 0, override ? 1 : 0, override?.note ?? '', override?.staff ?? '', randomUUID(), scan ?? now, scan === null ? 0 : 1, decidedOffline ? JSON.stringify({ allowed: decidedOffline.allowed, reason: decidedOffline.reason }) : '', requestId ?? ''];
    const [, reply] = (await this.run('gymCheckin', keys, args)) as [number, string];
    return JSON.parse(reply) as Replies['checkin'];
  }

  async checkOut(memberId: string, auto = false): Promise<boolean> {
    return (await this.run('gymCheckout', [this.k.seq, this.k.events, this.k.inside, this.k.members, this.k.epoch], [memberId, auto ? 1 : 0, this.now(), this.maxlen, randomUUID()])) === 1;
  }

  /** Checks out everyone past the maximum visit length; safe to run from every process at once. */
  async sweep(): Promise<number> {
    const now = this.now();
    return (await this.run('gymSweep', [this.k.seq, this.k.events, this.k.inside, this.k.members, this.k.epoch], [now - this.maxVisitMs, now, this.maxlen, randomUUID()])) as number;
  }

  async action(key: string, kind: string, data: string): Promise<ActionResult> {
    if (!(ACTION_KINDS as readonly string[]).includes(kind)) return { ok: false, code: 'unknown-action', message: `This backend does not know the action "${kind}".` };
    const applied = await this.run('gymAction', [`${this.k.req}:action:${key}`, this.k.actions], [key, kind, data, this.ttl, LIMITS.idempotencyWindow]);
    return { ok: true, applied: applied === 1 };
  }

  async snapshot(recent = 50): Promise<Replies['snapshot']> {
    const [head, occupancy, entries, epoch] = (await this.run('gymSnapshot', [this.k.seq, this.k.events, this.k.inside, this.k.epoch], [recent])) as [number, number, StreamEntry[], string | null];
    return { head, occupancy, capacity: this.capacity, recent: entries.map(eventOf).reverse(), ...(epoch ? { epoch } : {}) };
  }

  async setMemberStatus(memberId: string, status: MemberStatus): Promise<boolean> {
    return (await this.run('gymSetMember', [this.k.members, this.k.roster], [memberId, status])) === 1;
  }

  /** Actions applied, oldest first (tests read it to prove exactly-once). */
  async actions(): Promise<{ key: string; kind: string; data: string }[]> {
    return (await this.client.lrange(this.k.actions, 0, -1)).map((a) => JSON.parse(a));
  }

  search(query: string, limit = 20): Replies['lookup'] {
    return searchMembers(this.byId.values(), query, limit);
  }

  rosterPage(afterId: string, limit: number): { members: Member[]; done: boolean } {
    const all = [...this.byId.values()];
    const start = afterId ? all.findIndex((m) => m.id === afterId) + 1 : 0;
    return { members: all.slice(start, start + limit), done: start + limit >= all.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.blocking.disconnect();
    this.client.disconnect();
  }

  private async run(name: ScriptName, keys: string[], args: (string | number)[]): Promise<unknown> {
    const call = (this.client as unknown as Record<ScriptName, (...a: (string | number)[]) => Promise<unknown>>)[name];
    try {
      return await call.call(this.client, ...keys, ...args);
    } catch (e) {
      throw storageError(e);
    }
  }

  /** The same seed gives every process the same first roster; Redis keeps it, and its changes, from then on. */
  private async seed(): Promise<void> {
    const { rosterSize, seed } = this.opts;
    const args: string[] = [`${rosterSize ?? 2400}:${seed ?? 42}`];
    for (const m of seedRoster(rosterSize, seed, this.now())) args.push(m.id, m.cardId, JSON.stringify(m));
    await this.run('gymSeed', [this.k.members, this.k.cards, this.k.meta], args);
    this.rosterId = (await this.client.xrevrange(this.k.roster, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
    const all = await this.client.hgetall(this.k.members);
    for (const json of Object.values(all).sort()) this.learn(json);
  }

  private learn(json: string): void {
    const m = MemberSchema.safeParse(JSON.parse(json));
    if (m.success) this.byId.set(m.data.id, m.data);
  }

  /** Every event, in seq order, from one blocking connection; roster changes ride along on the same read. */
  private async tail(): Promise<void> {
    while (!this.closed) {
      try {
        if (this.recheck || Date.now() - this.checkedAt > NUMBERING_CHECK_MS) await this.checkNumbering();
        const res = (await this.blocking.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', this.k.events, this.k.roster, `${this.tailSeq}-0`, this.rosterId)) as [string, StreamEntry[]][] | null;
        for (const [stream, entries] of res ?? []) {
          if (stream === this.k.roster) {
            for (const [id, fields] of entries) {
              this.rosterId = id;
              this.learn(fields[1]!);
            }
            continue;
          }
          for (const entry of entries) {
            const e = eventOf(entry);
            this.tailSeq = e.seq;
            this.emit('event', e);
          }
        }
      } catch {
        if (this.closed) return;
        this.recheck = true;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Back from an outage: see whether Redis lost its data (checkNumbering). */
  private async checkReset(): Promise<void> {
    try {
      await this.checkNumbering();
    } catch {
      return; // down again; the next 'ready' retries, and the tail checks before it reads on
    }
  }

  /**
   * A Redis that lost its data, in an outage or emptied while connected (FLUSHALL), has no roster: seeded again, or
   * every card would be answered unknown until a process restarted (probe25 Q1; check-ins meanwhile are answered
   * storage unavailable, and consoles send them again). A new epoch means the log started over (its seq alone may
   * already be past ours, so it cannot tell): follow the new numbering from its head and tell sessions, so their
   * consoles resync.
   */
  private async checkNumbering(): Promise<void> {
    if (!(await this.client.exists(this.k.meta))) await this.seed();
    const [head, epoch] = await this.numbering();
    this.recheck = false;
    this.checkedAt = Date.now();
    if (epoch === this.epoch) return;
    this.epoch = epoch;
    this.tailSeq = head;
    this.emit('reset');
  }

  private async numbering(): Promise<[head: number, epoch: string]> {
    return (await this.run('gymNumbering', [this.k.seq, this.k.epoch], [randomUUID()])) as [number, string];
  }
}

/**
 * Says on standard error when Redis goes away and when it is back, once each: IT watching this
 * process sees why consoles show the backend as degraded, and when it ends.
 */
function reportOutages(client: Redis, host: string, speaker: string): void {
  let lostAt: number | null = null;
  client.on('close', () => {
    if (lostAt !== null) return;
    lostAt = Date.now();
    process.stderr.write(`${speaker}: lost Redis at ${host}; check-ins are answered "storage unavailable" (consoles keep them and resend) until it is back\n`);
  });
  // Back only once it has stayed up a second: a Redis shutting down can take one more connection first.
  client.on('ready', () => {
    if (lostAt === null) return;
    setTimeout(() => {
      if (lostAt === null || client.status !== 'ready') return;
      process.stderr.write(`${speaker}: Redis at ${host} is back after ${Math.round((Date.now() - lostAt) / 1000)} s; check-ins are recorded again\n`);
      lostAt = null;
    }, 1_000).unref();
  });
}
