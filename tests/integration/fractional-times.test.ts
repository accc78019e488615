import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { openDb } from '../../src/main/core/store/db';
import { ANALYTICS_MIGRATIONS } from '../../src/main/core/store/analytics-schema';
import { CATEGORIES, type StoredEvent } from '../../src/shared/analytics';
import { hostileCore } from '../helpers/hostile-core';
import { waitFor } from '../helpers/wait';

/**
 * A backend that sends times with a fraction of a ms (the protocol allows it; a Python backend sends
 * time.time() * 1000). One such event broke every CSV export of its range and made the console's own
 * review refuse its JSON and SQLite exports as damaged.
 */

const manager = { transport: 'test' as const, session: new Session('manager') };
async function start(dataDir: string) {
  const exports: string[] = [];
  const { core: c, hb } = await hostileCore({ instances: 1, core: { dataDir, pickExportFiles: async () => exports } });
  await waitFor(() => c.pools.list().some((p) => p.sockets.some((s) => s.subscribed)), 10_000);
  return { core: c, hb, exports };
}

const call = async <T>(c: Core, name: string, payload?: unknown): Promise<T> => {
  const r = await dispatch(c.handlers, name, payload, manager);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value as T;
};

/** Every format of the last hour, and the JSON and SQLite ones opened for review. */
async function exportAndReview(c: Core, exports: string[]): Promise<string> {
  const csv = await call<{ file: string; events: number }>(c, 'analytics.export', { range: { last: '1h' }, format: 'csv' });
  for (const format of ['json', 'sqlite']) exports.push((await call<{ file: string }>(c, 'analytics.export', { range: { last: '1h' }, format })).file);
  const picked = await call<{ ref: string }[]>(c, 'analytics.pickExport');
  for (const { ref } of picked) {
    await call(c, 'analytics.openExport', { refs: [ref] });
    await call(c, 'analytics.closeExport');
  }
  return readFileSync(csv.file, 'utf8');
}

describe('event times with a fraction of a ms', () => {
  it('are taken as the whole ms; every export of their range is made and opens for review', async () => {
    const { core: c, hb: b, exports } = await start(mkdtempSync(join(tmpdir(), 'gym-frac-')));
    // One event first, so the console's first snapshot is behind it: the next arrives live, and is counted.
    b.emit(1);
    await waitFor(() => c.stream.snapshot().feeds.checkins.length === 1, 5_000);
    const ts = Date.now() + 0.456;
    b.emitEvent({ kind: 'checkin', cardId: '4000000009', member: null, verdict: { allowed: false, reason: 'unknown-card' }, source: 'door', occupancy: 1, scannedAt: ts - 90_000.5 }, ts);
    await waitFor(() => c.stream.snapshot().feeds.checkins.length === 2, 5_000);
    const row = c.stream.snapshot().feeds.checkins[1]!;
    expect([row.ts, row.arrivedAt]).toEqual([Math.trunc(ts - 90_000.5), Math.trunc(ts)]);
    const stored = async () => (await call<StoredEvent[]>(c, 'analytics.events', { range: { last: '1h' }, categories: ['checkin'], text: '4000000009' })).map((e) => e.ts);
    expect(await waitFor(async () => (await stored()).length > 0 && stored(), 5_000)).toEqual([Math.trunc(ts - 90_000.5)]);
    expect(await exportAndReview(c, exports)).toContain('4000000009');
  });

  it('already stored by an older console are made whole when the data folder opens, so its exports open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-frac-old-'));
    // analytics.db as the console before this fix left it: schema 5, a REAL time in the events.
    const old = openDb(join(dataDir, 'analytics.db'), ANALYTICS_MIGRATIONS.slice(0, 5));
    const ts = Date.now() - 60_000 + 0.789;
    old.prepare("INSERT INTO events (ts, category, type, source, detail) VALUES (?, ?, 'denied', 'door', 'unknown-card 4000000008')").run(ts, CATEGORIES.indexOf('checkin'));
    old.close();
    const { core: c, exports } = await start(dataDir);
    const events = await call<StoredEvent[]>(c, 'analytics.events', { range: { last: '1h' }, categories: ['checkin'] });
    expect(events.map((e) => e.ts)).toEqual([Math.trunc(ts)]);
    expect(await exportAndReview(c, exports)).toContain('4000000008');
  });
});
