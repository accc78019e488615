import { statSync } from 'node:fs';
import { DateTime } from 'luxon';
import { CATEGORIES, MAYBE_UNKNOWN, METRICS, SAMPLE_MS, type Category, type EventQuery, type MetricValues, type SeriesPoint, type StoredEvent } from '../../../shared/analytics';
import type { Statement } from 'better-sqlite3';
import { isDamagedDb, type Db } from './db';
import { MAX_METRIC, mostPerSample } from './analytics-schema';
import { diskProblem, DISK_WORDS } from '../disk-words';

export interface Sample {
  ts: number;
  values: MetricValues;
  allowed: number;
  denied: number;
  /** Whether each backend instance (by address) answered at the sample; '' is the backend as a whole. */
  up?: Record<string, boolean>;
}

/** The last backend event counted here, by its number in the backend's log (and that log's epoch): written with the events. */
export interface FeedMark {
  seq: number;
  epoch?: string;
}

export interface NewEvent {
  ts: number;
  category: Category;
  type: string;
  source: string;
  detail: string;
  stack?: string | null;
}

const HOUR = 3_600_000;

/** A metric as stored: a value no sample can have (NaN, negative, absurdly large) is stored as 0, never written as damage or refused by NOT NULL. */
const metricValue = (v: number): number => (v >= 0 && v <= MAX_METRIC ? v : 0);
/** A metric as stored in a sample: unknown stays NULL (no one counted is not 0 inside, no reply is not 0 ms). */
const sampleValue = (v: number | null): number | null => (v === null ? null : metricValue(v));
const cat = (c: Category): number => CATEGORIES.indexOf(c);
const cols = METRICS.join(', ');
const sums = METRICS.map((m) => `sum_${m}`).join(', ');
const marks = (n: number): string => Array(n).fill('?').join(', ');
const addUp = METRICS.map((m) => `sum_${m} = sum_${m} + excluded.sum_${m}`).join(', ');
/** Per rollup, the samples that knew each metric that may be unknown (NULL in a row from before: all n did). */
const knewCols = MAYBE_UNKNOWN.map((m) => `n_${m}`).join(', ');

type Tier = '10s' | 'hour' | 'day';

/** Events kept in memory while they cannot be written (a few MB), and how often the write is retried. */
const MAX_PENDING = 50_000;
const RETRY_MS = 1_000;

/** The local analytics store: one writer, batched inserts, rollups kept up to date as samples arrive. */
export class AnalyticsStore {
  private pending: NewEvent[] = [];
  /** The feed's event the pending events reach through: written in their transaction, so a restart knows what was counted. */
  private mark: FeedMark | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Set while writing events fails: how many were dropped meanwhile. */
  private refused: { dropped: number; why: string } | null = null;
  /** Where a spell of failed writes is told (stderr lands in the console's log). */
  report: (line: string) => void = (line) => void process.stderr.write(`console: ${line}\n`);
  private readonly s;
  /** When the WAL was last checkpointed by this console (wall ms); null before the first. */
  lastCheckpoint: number | null = null;
  /**
   * SQLite's words once it has said this file's pages are broken (a bad sector, a copy taken while
   * in use); null until then. Reads and writes still go on: those that miss the broken pages work.
   */
  damaged: string | null = null;
  /** Told once, when the damage is first noticed. */
  onDamaged: (detail: string) => void = () => {};

  constructor(
    readonly db: Db,
    readonly file: string,
    public timezone: string,
  ) {
    const upsertRollup = (table: 'hours' | 'days', key: string) =>
      db.prepare(
        `INSERT INTO ${table} (${key === 'day' ? 'day, ts' : 'ts'}, n, ${sums}, allowed, denied, max_latencyMs, ${knewCols})
         VALUES (${marks(key === 'day' ? 2 : 1)}, 1, ${marks(METRICS.length)}, ?, ?, ?, ${marks(MAYBE_UNKNOWN.length)})
         ON CONFLICT(${key}) DO UPDATE SET n = n + 1, ${addUp}, allowed = allowed + excluded.allowed,
           denied = denied + excluded.denied, max_latencyMs = MAX(max_latencyMs, excluded.max_latencyMs),
           ${MAYBE_UNKNOWN.map((m) => `n_${m} = COALESCE(n_${m}, n) + excluded.n_${m}`).join(', ')}`,
      );
    this.s = {
      event: db.prepare('INSERT INTO events (ts, category, type, source, detail, stack) VALUES (?, ?, ?, ?, ?, ?)'),
      eventHour: db.prepare('INSERT INTO event_hours (hour, category, n) VALUES (?, ?, ?) ON CONFLICT(hour, category) DO UPDATE SET n = n + excluded.n'),
      // Two samples in one 10 s slot (a stop's last part, then the restart's first): the check-ins add up, as in the
      // hour's and day's rollups; the gauges are the later one's. Replaced, the stop's check-ins were lost (probe22 K2).
      sample: db.prepare(
        `INSERT INTO samples (ts, ${cols}, allowed, denied) VALUES (?, ${marks(METRICS.length)}, ?, ?)
         ON CONFLICT(ts) DO UPDATE SET ${METRICS.map((m) => `${m} = excluded.${m}`).join(', ')}, allowed = allowed + excluded.allowed, denied = denied + excluded.denied`,
      ),
      hour: upsertRollup('hours', 'ts'),
      day: upsertRollup('days', 'day'),
      uptime: db.prepare('INSERT INTO uptime (hour, target, up, n) VALUES (?, ?, ?, 1) ON CONFLICT(hour, target) DO UPDATE SET up = up + excluded.up, n = n + 1'),
      putMark: db.prepare("INSERT INTO meta (key, value) VALUES ('feed-counted', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
      getMark: db.prepare("SELECT value FROM meta WHERE key = 'feed-counted'").pluck(),
      firstSample: db.prepare('SELECT ts FROM samples WHERE ts >= ? AND ts < ? ORDER BY ts LIMIT 1'),
      // Two of each: a column name cannot be a parameter.
      late: Object.fromEntries(
        (['allowed', 'denied'] as const).map((c) => [
          c,
          [
            db.prepare(`UPDATE samples SET ${c} = ${c} + 1 WHERE ts = ?`),
            db.prepare(`UPDATE hours SET ${c} = ${c} + 1 WHERE ts = ?`),
            db.prepare(`UPDATE days SET ${c} = ${c} + 1 WHERE day = ?`),
          ],
        ]),
      ) as Record<'allowed' | 'denied', Statement[]>,
    };
  }

  /** Queues an event; they are written in batches, off the hot path. `mark`: the backend event it came from. */
  record(e: NewEvent, mark?: FeedMark): void {
    if (!this.db.open) return; // stopping: what comes after the close has nowhere to go
    this.pending.push(e);
    if (mark) this.mark = mark;
    if (this.pending.length > MAX_PENDING) this.dropOldest();
    // While writes fail, the retry timer writes them, not every event that arrives.
    if (this.pending.length >= 2_000 && !this.refused) this.flush();
    else this.later();
  }

  /**
   * Writes the queued events in one transaction. A failed write (the connection busy, the disk full)
   * keeps them queued and retries; nothing is dropped unless MAX_PENDING is passed. Said once per spell.
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending.length) return;
    try {
      this.insertEvents(this.pending);
    } catch (e) {
      if (!this.refused) {
        // The disk's words when it is the disk (readme24 R4: "database or disk is full"; "1 are kept").
        const disk = diskProblem(e);
        const why = disk ? DISK_WORDS[disk] : e instanceof Error ? e.message : String(e);
        this.refused = { dropped: 0, why };
        const n = this.pending.length;
        this.report(`analytics events could not be stored (${why}); ${n === 1 ? '1 is' : `${n} are`} kept and retried every ${RETRY_MS / 1000} s, up to ${MAX_PENDING}.`);
      }
      this.noteFailure(e);
      this.later();
      return;
    }
    const n = this.pending.length;
    this.pending = [];
    if (this.refused) {
      const lost = this.refused.dropped ? `; ${this.refused.dropped} older ones were dropped while it could not` : '';
      this.report(`analytics events are stored again: ${n} kept meanwhile were written${lost}.`);
      this.refused = null;
    }
  }

  /** Whether `e` is SQLite saying this file is damaged; the first time, it is kept and told. */
  /**
   * Why events are not being written now, for Health's Local databases check, with what waits in memory; null while
   * they are (readme24 R4: Health said "Saving works" while none was saved).
   */
  get notStoring(): string | null {
    if (!this.refused) return null;
    const n = this.pending.length;
    return `Analytics are not being saved: ${this.refused.why}. Check-ins are not affected; ${n === 1 ? '1 event waits' : `${n} events wait`} in memory and ${n === 1 ? 'is' : 'are'} saved once it can be. Tell the gym's IT.`;
  }

  noteFailure(e: unknown): boolean {
    if (!isDamagedDb(e)) return false;
    if (this.damaged === null) {
      this.damaged = e instanceof Error ? e.message : String(e);
      this.onDamaged(this.damaged);
    }
    return true;
  }

  private later(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.refused ? RETRY_MS : 250);
    this.timer.unref();
  }

  /** Memory is bounded while the database refuses writes: the oldest tenth goes, counted. */
  private dropOldest(): void {
    const n = Math.ceil(MAX_PENDING / 10);
    this.pending.splice(0, n);
    if (this.refused) this.refused.dropped += n;
  }

  /** The last backend event counted here before this start (FeedMark); null: none, or not readable. */
  countedThrough(): FeedMark | null {
    try {
      const v = JSON.parse(String(this.s.getMark.get() ?? 'null')) as FeedMark | null;
      return v && Number.isSafeInteger(v.seq) && (v.epoch === undefined || typeof v.epoch === 'string') ? { seq: v.seq, ...(v.epoch !== undefined && { epoch: v.epoch }) } : null;
    } catch {
      return null;
    }
  }

  insertEvents(batch: NewEvent[]): void {
    const perHour = new Map<string, number>();
    const mark = this.mark;
    this.db.transaction(() => {
      if (mark) this.s.putMark.run(JSON.stringify(mark));
      for (const e of batch) {
        this.s.event.run(e.ts, cat(e.category), e.type, e.source, e.detail, e.stack ?? null);
        const k = `${Math.floor(e.ts / HOUR) * HOUR}:${cat(e.category)}`;
        perHour.set(k, (perHour.get(k) ?? 0) + 1);
      }
      for (const [k, n] of perHour) {
        const [h, c] = k.split(':');
        this.s.eventHour.run(Number(h), Number(c), n);
      }
    })();
  }

  /** A 10 s sample, and its share of the hourly and daily rollups (the gym's local day). */
  addSamples(samples: Sample[]): void {
    this.db.transaction(() => {
      for (const x of samples) {
        const v = METRICS.map((m) => sampleValue(x.values[m]));
        this.s.sample.run(x.ts, ...v, x.allowed, x.denied);
        // Rollups sum what was known and count the samples that knew each metric that may be unknown.
        const sums = v.map((n) => n ?? 0);
        const knew = MAYBE_UNKNOWN.map((m) => (x.values[m] === null ? 0 : 1));
        const worst = sampleValue(x.values.latencyMs) ?? 0; // a max: no reply raises it by nothing
        this.s.hour.run(Math.floor(x.ts / HOUR) * HOUR, ...sums, x.allowed, x.denied, worst, ...knew);
        const local = DateTime.fromMillis(x.ts, { zone: this.timezone });
        this.s.day.run(local.toISODate(), local.startOf('day').toMillis(), ...sums, x.allowed, x.denied, worst, ...knew);
        for (const [target, up] of Object.entries(x.up ?? {})) this.s.uptime.run(Math.floor(x.ts / HOUR) * HOUR, target, up ? 1 : 0);
      }
    })();
  }

  /**
   * A check-in that reached the console late, counted in the first sample taken in [from, to) (the one
   * that covered its scan) and in that sample's hour and day, as if it had come then. False when there
   * is no such sample (the console was off then): the caller counts it now instead.
   */
  addLateCheckin(from: number, to: number, allowed: boolean): boolean {
    return this.db.transaction(() => {
      const at = (this.s.firstSample.get(from, to) as { ts: number } | undefined)?.ts;
      if (at === undefined) return false;
      const [sample, hour, day] = this.s.late[allowed ? 'allowed' : 'denied'];
      sample!.run(at);
      hour!.run(Math.floor(at / HOUR) * HOUR);
      day!.run(DateTime.fromMillis(at, { zone: this.timezone }).toISODate());
      return true;
    })();
  }

  /** The coarsest tier that still draws the range well: raw 10 s (grouped), hours, or days. */
  series(from: number, to: number): { tier: Tier; points: SeriesPoint[] } {
    const span = to - from;
    if (span <= 3 * 86_400_000) {
      // Bound, not written into the SQL; a BigInt so SQLite divides whole numbers (a JS number binds as REAL).
      const ms = Math.max(SAMPLE_MS, Math.ceil(span / 720 / SAMPLE_MS) * SAMPLE_MS);
      const bucket = BigInt(ms);
      const rows = this.db
        .prepare(
          `SELECT (ts / :bucket) * :bucket AS ts, COUNT(*) AS n, ${METRICS.map((m) => `AVG(${m}) AS ${m}`).join(', ')}, SUM(allowed) AS allowed, SUM(denied) AS denied
           FROM samples WHERE ts >= :from AND ts < :to GROUP BY ts / :bucket ORDER BY 1`,
        )
        .all({ bucket, from, to }) as Record<string, number>[];
      return { tier: '10s', points: rows.map(toPoint('', ms)) };
    }
    const tier: Tier = span <= 62 * 86_400_000 ? 'hour' : 'day';
    const table = tier === 'hour' ? 'hours' : 'days';
    const rows = this.db
      .prepare(`SELECT ts, n, ${sums}, allowed, denied, ${MAYBE_UNKNOWN.map((m) => `COALESCE(n_${m}, n) AS n_${m}`).join(', ')} FROM ${table} WHERE ts >= ? AND ts < ? ORDER BY ts`)
      .all(tier === 'hour' ? Math.floor(from / HOUR) * HOUR : from - 86_400_000, to) as Record<string, number>[];
    return { tier, points: rows.map(toPoint('sum_', tier === 'hour' ? HOUR : 25 * HOUR)) };
  }

  /** When the range's 10 s samples start and end (the last one's 10 s included); null when it has none. */
  sampledSpan(from: number, to: number): { from: number; to: number } | null {
    const r = this.db.prepare('SELECT MIN(ts) AS a, MAX(ts) AS b FROM samples WHERE ts >= ? AND ts < ?').get(from, to) as { a: number | null; b: number | null };
    return r.a === null || r.b === null ? null : { from: r.a, to: Math.min(to, r.b + SAMPLE_MS) };
  }

  /** Events per category in a range: whole hours from the rollup, the ragged edges counted exactly. */
  eventCounts(from: number, to: number): Record<Category, number> {
    const out = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
    const firstHour = Math.ceil(from / HOUR) * HOUR;
    const lastHour = Math.floor(to / HOUR) * HOUR;
    const add = (rows: { category: number; n: number }[]): void => {
      for (const r of rows) out[CATEGORIES[r.category]!] += r.n;
    };
    if (firstHour < lastHour) {
      add(this.db.prepare('SELECT category, SUM(n) AS n FROM event_hours WHERE hour >= ? AND hour < ? GROUP BY category').all(firstHour, lastHour) as never);
      const edge = this.db.prepare('SELECT category, COUNT(*) AS n FROM events WHERE ts >= ? AND ts < ? GROUP BY category');
      add(edge.all(from, firstHour) as never);
      add(edge.all(lastHour, to) as never);
    } else {
      add(this.db.prepare('SELECT category, COUNT(*) AS n FROM events WHERE ts >= ? AND ts < ? GROUP BY category').all(from, to) as never);
    }
    return out;
  }

  events(q: { from: number; to: number; categories?: Category[]; text?: string; beforeId?: number; limit: number }): StoredEvent[] {
    const where = ['ts >= ?', 'ts < ?'];
    const args: (number | string)[] = [q.from, q.to];
    if (q.categories?.length) {
      where.push(`category IN (${marks(q.categories.length)})`);
      args.push(...q.categories.map(cat));
    }
    if (q.text) {
      where.push(`(type || ' ' || source || ' ' || detail) LIKE ? ESCAPE '\\'`);
      args.push(`%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (q.beforeId) {
      // Keyset paging on (ts, id): walks the ts index backwards instead of sorting the range.
      const anchor = this.db.prepare('SELECT ts FROM events WHERE id = ?').get(q.beforeId) as { ts: number } | undefined;
      if (anchor) {
        where.push('(ts < ? OR (ts = ? AND id < ?))');
        args.push(anchor.ts, anchor.ts, q.beforeId);
      }
    }
    const rows = this.db.prepare(`SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY ts DESC, id DESC LIMIT ?`).all(...args, q.limit) as (Omit<StoredEvent, 'category'> & { category: number })[];
    return rows.map((r) => ({ ...r, category: CATEGORIES[r.category]! }));
  }

  /** Check-ins per hour, oldest first, with the samples taken in it (`n`: an hour recorded in part is not a whole one): the history the predictor learns from. */
  hourlyCheckins(from: number, to: number): { ts: number; checkins: number; connections: number; n: number }[] {
    return this.db
      .prepare('SELECT ts, allowed + denied AS checkins, sum_connections / n AS connections, n FROM hours WHERE ts >= ? AND ts < ? ORDER BY ts')
      .all(from, to) as { ts: number; checkins: number; connections: number; n: number }[];
  }

  /**
   * When the oldest record kept starts; null for an empty store. The first sample or event, unless
   * rollups kept from before them (samples and events are kept for less long) go back further: the
   * first day's rollup starts at midnight, before its first sample, and does not count for that.
   */
  earliest(): number | null {
    const { fine, coarse } = this.db
      .prepare(
        `SELECT (SELECT MIN(t) FROM (SELECT MIN(ts) AS t FROM samples UNION ALL SELECT MIN(ts) FROM events)) AS fine,
                (SELECT MIN(t) FROM (SELECT MIN(ts) AS t FROM hours UNION ALL SELECT MIN(ts) FROM days)) AS coarse`,
      )
      .get() as { fine: number | null; coarse: number | null };
    return fine !== null && (coarse === null || fine - coarse < 86_400_000) ? fine : coarse;
  }

  /** Samples up and taken per target since `from` (whole hours). */
  uptime(from: number): { target: string; up: number; n: number }[] {
    return this.db.prepare('SELECT target, SUM(up) AS up, SUM(n) AS n FROM uptime WHERE hour >= ? GROUP BY target ORDER BY target').all(Math.floor(from / HOUR) * HOUR) as { target: string; up: number; n: number }[];
  }

  /**
   * When the gym system was unreachable in a range: runs of 10 s samples with no connection open, in
   * hours whose uptime row says the backend as a whole was down (so a console with nothing set up, which
   * also has no connection, counts no outage). Hours with no samples left (past their keeping) add their
   * down time from the uptime rows alone, with no times to show.
   */
  downtime(from: number, to: number): { spells: { from: number; to: number }[]; unplacedMs: number } {
    const rows = this.db
      .prepare(
        `SELECT s.ts FROM samples s JOIN uptime u ON u.hour = (s.ts / ${HOUR}) * ${HOUR} AND u.target = '' AND u.up < u.n
         WHERE s.ts >= ? AND s.ts < ? AND s.connections = 0 ORDER BY s.ts`,
      )
      .all(from, to) as { ts: number }[];
    const spells: { from: number; to: number }[] = [];
    for (const { ts } of rows) {
      const last = spells.at(-1);
      // One missed sample (a busy moment) does not split a spell in two.
      if (last && ts - last.to <= SAMPLE_MS) last.to = ts + SAMPLE_MS;
      else spells.push({ from: ts, to: ts + SAMPLE_MS });
    }
    const sampledFrom = this.sampledSpan(from, to)?.from ?? to;
    const r = this.db
      .prepare(`SELECT SUM(n - up) AS down FROM uptime WHERE target = '' AND hour >= ? AND hour + ${HOUR} <= ? AND hour < ?`)
      .get(Math.floor(from / HOUR) * HOUR, sampledFrom, to) as { down: number | null };
    return { spells, unplacedMs: (r.down ?? 0) * SAMPLE_MS };
  }

  /** Alerts that fired in a range (their notices are events). */
  alertsFired(from: number, to: number): number {
    const q = "SELECT COUNT(*) AS n FROM events WHERE category = ? AND ts >= ? AND ts < ? AND type = 'alert-firing'";
    return (this.db.prepare(q).get(cat('error'), from, to) as { n: number }).n;
  }

  /** Deletes what is past retention, then gives space back and trims the WAL. */
  prune(now: number, keep: Retention): { events: number; samples: number; hours: number } {
    const res = this.db.transaction(() => ({
      events: this.db.prepare('DELETE FROM events WHERE ts < ?').run(now - keep.eventsMs).changes,
      samples: this.db.prepare('DELETE FROM samples WHERE ts < ?').run(now - keep.samplesMs).changes,
      hours: this.db.prepare('DELETE FROM hours WHERE ts < ?').run(now - keep.hoursMs).changes,
      eventHours: this.db.prepare('DELETE FROM event_hours WHERE hour < ?').run(now - keep.hoursMs).changes,
      days: this.db.prepare('DELETE FROM days WHERE ts < ?').run(now - keep.daysMs).changes,
      uptime: this.db.prepare('DELETE FROM uptime WHERE hour < ?').run(now - keep.hoursMs).changes,
    }))();
    this.db.pragma('incremental_vacuum(2000)');
    this.checkpoint(now);
    return res;
  }

  /** Folds the write-ahead log into the database file and truncates it. */
  checkpoint(now: number): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.lastCheckpoint = now;
  }

  sizes(): { dbMb: number; walMb: number } {
    const mb = (f: string): number => {
      try {
        return Math.round((statSync(f).size / 1048576) * 100) / 100;
      } catch {
        return 0;
      }
    };
    return { dbMb: mb(this.file), walMb: mb(`${this.file}-wal`) };
  }

  close(): void {
    this.flush();
    if (this.pending.length) this.report(`${this.pending.length} analytics events could not be stored before closing and are lost.`);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.db.close();
  }
}

export interface Retention {
  eventsMs: number;
  samplesMs: number;
  hoursMs: number;
  daysMs: number;
}

/** Defaults: raw detail for a month, 10 s samples for two weeks, hours for two years, days for ten. */
export const DEFAULT_RETENTION: Retention = {
  eventsMs: 30 * 86_400_000,
  samplesMs: 14 * 86_400_000,
  hoursMs: 730 * 86_400_000,
  daysMs: 3650 * 86_400_000,
};

/** `bucketMs` caps the measured time: merged sites' rollups add up their samples for the same hour. */
function toPoint(prefix: string, bucketMs: number) {
  return (r: Record<string, number | null>): SeriesPoint => {
    const n = prefix ? r.n! : 1;
    const v = Object.fromEntries(METRICS.map((m) => [m, (r[`${prefix}${m}`] ?? 0) / n])) as MetricValues;
    // Latency and occupancy: the mean of the samples that knew it (AVG skips NULLs), or null when none did.
    for (const m of MAYBE_UNKNOWN) {
      const knew = prefix ? r[`n_${m}`]! : 1;
      const sum = r[`${prefix}${m}`] ?? null;
      // No mean past what one sample may say: an export's few knowing samples under a large sum would draw millions inside.
      v[m] = knew > 0 && sum !== null ? Math.min(sum / knew, mostPerSample(m)) : null;
    }
    return { ts: r.ts!, v, allowed: r.allowed!, denied: r.denied!, measuredMs: Math.min(r.n! * SAMPLE_MS, bucketMs) };
  };
}

export type { EventQuery };
