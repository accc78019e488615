import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { METRICS } from '../../src/shared/analytics';
import { migrate, migrationHash, openDb, type Db, type Migration } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { ANALYTICS_MIGRATIONS } from '../../src/main/core/store/analytics-schema';

const tmp = () => mkdtempSync(join(tmpdir(), 'gym-migrations-'));
const tables = (db: Db): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
const columns = (db: Db, table: string): string[] => (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
const version = (db: Db): number => db.pragma('user_version', { simple: true }) as number;
const hashes = (db: Db) => db.prepare('SELECT version, hash FROM schema_migrations ORDER BY version').all();
const expectedHashes = (ms: Migration[]) => ms.map((m, i) => ({ version: i + 1, hash: migrationHash(m) }));

/** Takes a fresh database one version at a time; `step[v]` checks the schema and data at version v and adds rows for the next. */
function stepThrough(migrations: Migration[], steps: Record<number, (db: Db) => void>): Db {
  const db = new Database(':memory:');
  expect(Object.keys(steps).map(Number)).toEqual(migrations.map((_, i) => i + 1)); // a check for every version
  for (let v = 1; v <= migrations.length; v++) {
    migrate(db, migrations.slice(0, v));
    expect(version(db)).toBe(v);
    expect(hashes(db)).toEqual(expectedHashes(migrations.slice(0, v)));
    steps[v]!(db);
  }
  return db;
}

describe('console.db migrations, one version at a time', () => {
  it('v1 → v2 → v3 → v4 → v5 → v6 → v7 → v8 → v9, keeping every row on the way', () => {
    stepThrough(CONSOLE_MIGRATIONS, {
      1: (db) => {
        expect(tables(db)).toEqual(['audit', 'dead', 'outbox']);
        expect(columns(db, 'outbox')).toEqual(['seq', 'key', 'lane', 'op', 'body', 'created', 'expires', 'attempts']);
        expect(columns(db, 'audit')).toEqual(['id', 'ts', 'actor', 'action', 'subject', 'before', 'after']);
        db.prepare("INSERT INTO outbox (seq, key, lane, op, body, created, expires) VALUES (1, 'k1', 0, 'checkin', '{}', 10, 20)").run();
        db.prepare("INSERT INTO audit (ts, actor, action, subject) VALUES (10, 'manager', 'pools.create', 'main')").run();
      },
      2: (db) => {
        expect(tables(db)).toEqual(['audit', 'dead', 'members', 'outbox', 'settings']);
        expect(columns(db, 'members')).toEqual(['id', 'card_id', 'name', 'phone', 'status', 'expires_on', 'synced_at']);
        expect(db.prepare('SELECT key, attempts FROM outbox').all()).toEqual([{ key: 'k1', attempts: 0 }]);
        db.prepare("INSERT INTO settings (key, value) VALUES ('desk', '{}')").run();
        db.prepare("INSERT INTO members VALUES ('M1', 'C1', 'Ana', '555', 'active', '2027-01-01', 10)").run();
      },
      3: (db) => {
        expect(tables(db)).toEqual(['audit', 'dead', 'members', 'offline_decisions', 'outbox', 'settings']);
        expect(columns(db, 'offline_decisions')).toEqual(['key', 'card_id', 'allowed', 'reason', 'ts']);
        expect(db.prepare('SELECT key FROM outbox').all()).toEqual([{ key: 'k1' }]);
        expect(db.prepare('SELECT action FROM audit').all()).toEqual([{ action: 'pools.create' }]);
        expect(db.prepare('SELECT value FROM settings').all()).toEqual([{ value: '{}' }]);
        expect(db.prepare('SELECT name FROM members').all()).toEqual([{ name: 'Ana' }]);
      },
      4: (db) => {
        expect(tables(db)).toEqual(['audit', 'dead', 'members', 'offline_decisions', 'outbox', 'settings', 'webhook_deliveries']);
        expect(columns(db, 'webhook_deliveries')).toEqual(['id', 'url', 'body', 'kind', 'alert', 'state', 'attempts', 'next_at', 'last_status', 'last_error', 'created', 'updated']);
        expect(db.prepare('SELECT key FROM outbox').all()).toEqual([{ key: 'k1' }]);
        expect(db.prepare('SELECT action FROM audit').all()).toEqual([{ action: 'pools.create' }]);
        db.prepare("INSERT INTO outbox (seq, key, lane, op, body, created, expires, attempts) VALUES (2, 'k2', 3, 'action', '{\"kind\":\"sync\"}', 11, 21, 4)").run();
      },
      5: (db) => {
        expect(columns(db, 'outbox')).toEqual(['seq', 'key', 'lane', 'op', 'body', 'created', 'expires', 'attempts']);
        // Every waiting message kept, fields and attempts included, in order; only the index on keys is gone.
        expect(db.prepare('SELECT * FROM outbox ORDER BY seq').all()).toEqual([
          { seq: 1, key: 'k1', lane: 0, op: 'checkin', body: '{}', created: 10, expires: 20, attempts: 0 },
          { seq: 2, key: 'k2', lane: 3, op: 'action', body: '{"kind":"sync"}', created: 11, expires: 21, attempts: 4 },
        ]);
        const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'").all() as { name: string }[]).map((r) => r.name);
        expect(indexes).toEqual(['outbox_by_lane']);
        expect(tables(db)).toContain('outbox');
        expect(tables(db)).not.toContain('outbox_v5');
      },
      6: (db) => {
        expect(tables(db)).toEqual(['audit', 'dead', 'last_known', 'members', 'offline_decisions', 'outbox', 'presence', 'settings', 'webhook_deliveries']);
        expect(columns(db, 'presence')).toEqual(['member_id', 'card_id', 'since']);
        expect(columns(db, 'last_known')).toEqual(['key', 'value', 'at']);
        expect(db.prepare('SELECT key FROM outbox ORDER BY seq').all()).toEqual([{ key: 'k1' }, { key: 'k2' }]);
      },
      7: (db) => {
        // The wall-clock expiry gone; every waiting message kept, its day begun at the waiting clock's start.
        expect(columns(db, 'outbox')).toEqual(['seq', 'key', 'lane', 'op', 'body', 'created', 'waiting_since', 'attempts']);
        expect(db.prepare('SELECT * FROM outbox ORDER BY seq').all()).toEqual([
          { seq: 1, key: 'k1', lane: 0, op: 'checkin', body: '{}', created: 10, waiting_since: 0, attempts: 0 },
          { seq: 2, key: 'k2', lane: 3, op: 'action', body: '{"kind":"sync"}', created: 11, waiting_since: 0, attempts: 4 },
        ]);
        expect(db.prepare('SELECT * FROM outbox_clock').all()).toEqual([{ id: 1, waited: 0 }]);
        const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'").all() as { name: string }[]).map((r) => r.name);
        expect(indexes).toEqual(['outbox_by_lane']);
        expect(tables(db)).not.toContain('outbox_v7');
      },
      8: (db) => {
        // A message's own time to live: none for every message from before, which keep the outbox's day.
        expect(columns(db, 'outbox')).toEqual(['seq', 'key', 'lane', 'op', 'body', 'created', 'waiting_since', 'attempts', 'ttl_ms']);
        expect(db.prepare('SELECT seq, ttl_ms FROM outbox ORDER BY seq').all()).toEqual([{ seq: 1, ttl_ms: null }, { seq: 2, ttl_ms: null }]);
        db.prepare("INSERT INTO offline_decisions (key, card_id, allowed, reason, ts) VALUES ('k1', 'C1', 1, 'ok', 10)").run();
      },
      9: (db) => {
        // When the backend took a check-in decided here: not known for those from before.
        expect(columns(db, 'offline_decisions')).toEqual(['key', 'card_id', 'allowed', 'reason', 'ts', 'acked']);
        expect(db.prepare('SELECT key, acked FROM offline_decisions').all()).toEqual([{ key: 'k1', acked: null }]);
      },
    });
  });
});

describe('analytics.db migrations, one version at a time', () => {
  it('v1 → v2 → v3 → v4 → v5 → v6 → v7, deriving the worst latency of existing rollups, adding uptime, clearing impossible metric values, letting occupancy be unknown, making event times whole, then letting latency be unknown', () => {
    stepThrough(ANALYTICS_MIGRATIONS, {
      1: (db) => {
        expect(tables(db)).toEqual(['days', 'event_hours', 'events', 'hours', 'meta', 'samples']);
        expect(columns(db, 'hours')).toEqual(['ts', 'n', ...METRICS.map((m) => `sum_${m}`), 'allowed', 'denied']);
        db.exec(`INSERT INTO hours VALUES (0, 2, ${METRICS.map(() => 20).join(', ')}, 3, 1)`);
        db.exec(`INSERT INTO days VALUES ('2026-11-01', 0, 4, ${METRICS.map(() => 40).join(', ')}, 5, 0)`);
        db.prepare("INSERT INTO meta (key, value) VALUES ('settings', '{}')").run();
      },
      2: (db) => {
        expect(columns(db, 'hours').at(-1)).toBe('max_latencyMs');
        expect(columns(db, 'days').at(-1)).toBe('max_latencyMs');
        expect(db.prepare('SELECT n, allowed, max_latencyMs FROM hours').get()).toEqual({ n: 2, allowed: 3, max_latencyMs: 10 });
        expect(db.prepare('SELECT n, max_latencyMs FROM days').get()).toEqual({ n: 4, max_latencyMs: 10 });
        expect(db.prepare('SELECT value FROM meta').get()).toEqual({ value: '{}' });
      },
      3: (db) => {
        expect(columns(db, 'uptime')).toEqual(['hour', 'target', 'up', 'n']);
        expect(db.prepare('SELECT n, allowed FROM hours').get()).toEqual({ n: 2, allowed: 3 });
        db.exec(`INSERT INTO samples VALUES (0, ${METRICS.map((m) => (m === 'latencyMs' ? -1e9 : 7)).join(', ')}, 1, 0)`);
        db.exec('UPDATE hours SET sum_loopLagMs = -9e999');
      },
      4: (db) => {
        expect(db.prepare('SELECT latencyMs, occupancy FROM samples').get()).toEqual({ latencyMs: 0, occupancy: 7 });
        expect(db.prepare('SELECT n, sum_loopLagMs, sum_latencyMs, max_latencyMs FROM hours').get()).toEqual({ n: 2, sum_loopLagMs: 0, sum_latencyMs: 20, max_latencyMs: 10 });
      },
      5: (db) => {
        // samples rebuilt: the same columns in the same order, every row kept; only occupancy may now be NULL.
        expect(columns(db, 'samples')).toEqual(['ts', ...METRICS, 'allowed', 'denied']);
        expect(db.prepare('SELECT ts, latencyMs, occupancy, allowed FROM samples').all()).toEqual([{ ts: 0, latencyMs: 0, occupancy: 7, allowed: 1 }]);
        const notNull = (db.prepare('SELECT name FROM pragma_table_info(?) WHERE "notnull" = 0').all('samples') as { name: string }[]).map((r) => r.name);
        expect(notNull).toEqual(['ts', 'occupancy']); // ts: the rowid, which is never NULL whatever the pragma says
        expect(tables(db)).not.toContain('samples_v5');
        // Rollups from before: NULL, all of their samples knew it.
        expect(columns(db, 'hours').at(-1)).toBe('n_occupancy');
        expect(db.prepare('SELECT n, n_occupancy FROM hours').get()).toEqual({ n: 2, n_occupancy: null });
        expect(db.prepare('SELECT n, n_occupancy FROM days').get()).toEqual({ n: 4, n_occupancy: null });
        // As v5 stored a backend's time.time() * 1000: a REAL in the INTEGER column.
        db.prepare("INSERT INTO events (ts, category, type, source, detail) VALUES (?, 0, 'allowed', 'door', 'ok Ana'), (?, 0, 'allowed', 'door', 'ok Ben')").run(1_764_000_000_123.456, 1_764_000_000_124);
        expect(db.prepare('SELECT typeof(ts) AS t FROM events ORDER BY id').pluck().all()).toEqual(['real', 'integer']);
      },
      6: (db) => {
        // Every event time whole: the ms it fell in. Nothing else moves.
        expect(db.prepare('SELECT ts, typeof(ts) AS t, detail FROM events ORDER BY id').all()).toEqual([
          { ts: 1_764_000_000_123, t: 'integer', detail: 'ok Ana' },
          { ts: 1_764_000_000_124, t: 'integer', detail: 'ok Ben' },
        ]);
        expect(db.prepare('SELECT n, n_occupancy FROM hours').get()).toEqual({ n: 2, n_occupancy: null });
        // As v6 stored an outage: 0 ms with no connection open. A connection open and 0 ms, or a stale figure with none, are left be.
        const row = (ts: number, connections: number, latencyMs: number): string => `(${ts}, ${METRICS.map((m) => (m === 'connections' ? connections : m === 'latencyMs' ? latencyMs : 7)).join(', ')}, 0, 0)`;
        db.exec(`INSERT INTO samples VALUES ${row(10_000, 0, 0)}, ${row(20_000, 0, 3)}, ${row(30_000, 0, 0)}, ${row(86_400_000 + 10_000, 0, 0)}`);
        // An hour whose samples are past keeping, offline throughout (its sum 0 ms), and one that was not.
        const sums = (latency: number): string => METRICS.map((m) => (m === 'latencyMs' ? latency : 70)).join(', ');
        db.exec(`INSERT INTO hours (ts, n, ${METRICS.map((m) => `sum_${m}`).join(', ')}, allowed, denied, max_latencyMs) VALUES (3600000, 360, ${sums(0)}, 0, 0, 0), (7200000, 10, ${sums(50)}, 0, 0, 9)`);
        db.exec(`INSERT INTO days (day, ts, n, ${METRICS.map((m) => `sum_${m}`).join(', ')}, allowed, denied, max_latencyMs) VALUES ('2026-11-02', 86400000, 6, ${sums(12)}, 0, 0, 5)`);
      },
      7: (db) => {
        // samples rebuilt: the same columns in the same order, every row kept; latency may now be NULL too.
        expect(columns(db, 'samples')).toEqual(['ts', ...METRICS, 'allowed', 'denied']);
        const notNull = (db.prepare('SELECT name FROM pragma_table_info(?) WHERE "notnull" = 0').all('samples') as { name: string }[]).map((r) => r.name);
        expect(notNull).toEqual(['ts', 'latencyMs', 'occupancy']);
        expect(tables(db)).not.toContain('samples_v7');
        expect(db.prepare('SELECT ts, connections, latencyMs, occupancy FROM samples ORDER BY ts').all()).toEqual([
          { ts: 0, connections: 7, latencyMs: 0, occupancy: 7 },
          { ts: 10_000, connections: 0, latencyMs: null, occupancy: 7 },
          { ts: 20_000, connections: 0, latencyMs: 3, occupancy: 7 },
          { ts: 30_000, connections: 0, latencyMs: null, occupancy: 7 },
          { ts: 86_410_000, connections: 0, latencyMs: null, occupancy: 7 },
        ]);
        // Rollups count the samples that had a reply: the hour's and day's own offline samples taken off.
        expect(columns(db, 'hours').slice(-2)).toEqual(['n_occupancy', 'n_latencyMs']);
        expect(db.prepare('SELECT ts, n, n_latencyMs, sum_latencyMs, n_occupancy FROM hours ORDER BY ts').all()).toEqual([
          { ts: 0, n: 2, n_latencyMs: 0, sum_latencyMs: 20, n_occupancy: null },
          { ts: 3_600_000, n: 360, n_latencyMs: 0, sum_latencyMs: 0, n_occupancy: null },
          { ts: 7_200_000, n: 10, n_latencyMs: 10, sum_latencyMs: 50, n_occupancy: null },
        ]);
        expect(db.prepare('SELECT day, n, n_latencyMs FROM days ORDER BY day').all()).toEqual([
          { day: '2026-11-01', n: 4, n_latencyMs: 2 },
          { day: '2026-11-02', n: 6, n_latencyMs: 5 },
        ]);
        expect(db.prepare('SELECT COUNT(*) FROM events').pluck().get()).toBe(2);
        expect(db.prepare('SELECT value FROM meta').get()).toEqual({ value: '{}' });
      },
    });
  });
});

describe('stored migration hashes', () => {
  it.each([
    ['console.db', CONSOLE_MIGRATIONS],
    ['analytics.db', ANALYTICS_MIGRATIONS],
  ] as const)('%s refuses to open when an applied migration was edited, and is left as it was', (name, migrations) => {
    const file = join(tmp(), name);
    openDb(file, migrations).close();
    // A test copy of the migrations with one applied step changed.
    const edited = migrations.map((sql, i) => (i === 0 ? sql.replace(/NOT NULL/, 'NULL') : sql));
    expect(edited[0]).not.toBe(migrations[0]);
    expect(() => openDb(file, edited)).toThrow(new RegExp(`${name.replace('.', '\\.')} was made by a different build of the console, one that lays out its data differently \\(from layout change 1 on\\)`));
    const db = openDb(file, migrations); // the real ones still open it
    expect(hashes(db)).toEqual(expectedHashes(migrations));
    db.close();
  });

  it('an edit that only moves whitespace is not a change', () => {
    const file = join(tmp(), 'console.db');
    openDb(file, CONSOLE_MIGRATIONS).close();
    const reindented = CONSOLE_MIGRATIONS.map((sql) => sql.replace(/\n\s+/g, '\n'));
    expect(() => openDb(file, reindented).close()).not.toThrow();
  });

  it('a file migrated before hashes were kept gets them recorded, then is checked like any other', () => {
    const db = new Database(':memory:');
    for (const sql of CONSOLE_MIGRATIONS.slice(0, 2)) db.exec(sql);
    db.pragma('user_version = 2'); // as an older console left it: no schema_migrations table
    migrate(db, CONSOLE_MIGRATIONS);
    expect(version(db)).toBe(CONSOLE_MIGRATIONS.length);
    expect(hashes(db)).toEqual(expectedHashes(CONSOLE_MIGRATIONS));
    expect(() => migrate(db, [CONSOLE_MIGRATIONS[0]!, `${CONSOLE_MIGRATIONS[1]!} CREATE TABLE x (y);`, ...CONSOLE_MIGRATIONS.slice(2)])).toThrow(/lays out its data differently \(from layout change 2 on\)/);
  });

  it('a file from a newer console is refused before anything is written to it', () => {
    const file = join(tmp(), 'console.db');
    openDb(file, CONSOLE_MIGRATIONS).close();
    expect(() => openDb(file, CONSOLE_MIGRATIONS.slice(0, 2))).toThrow(new RegExp(`console\\.db was written by a newer version of the console than this one \\(its data layout ${CONSOLE_MIGRATIONS.length}; this console knows up to 2\\)`));
  });
});
