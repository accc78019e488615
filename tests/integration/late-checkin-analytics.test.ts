import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyticsEngine } from '../../src/main/core/analytics/engine';
import { toCheckinEntry } from '../../src/main/core/feed';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import type { Sample } from '../../src/main/core/store/analytics-store';
import { METRICS } from '../../src/shared/analytics';
import { readCheckinDetail } from '../../src/shared/words';
import type { SequencedEvent } from '../../src/shared/protocol';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NINE = Date.UTC(2026, 10, 23, 9);
const sources = { connections: () => 1, latencyMs: () => 5, poolHealth: () => 100, occupancy: () => 0 };

let engine: AnalyticsEngine | null = null;
afterEach(() => {
  engine?.stop();
  engine = null;
});

/** The console ran from 9:00 to 10:40, sampling every 10 s, and saw no check-in in that time. */
function consoleThatRan(now: number) {
  const { store } = openAnalytics(mkdtempSync(join(tmpdir(), 'gym-late-')), 'UTC');
  const values = Object.fromEntries(METRICS.map((m) => [m, 1])) as Sample['values'];
  const samples: Sample[] = [];
  for (let ts = NINE; ts < NINE + 100 * MIN; ts += 10_000) samples.push({ ts, values, allowed: 0, denied: 0 });
  store.addSamples(samples);
  engine = new AnalyticsEngine(store, sources, () => now);
  return { store, engine };
}

const checkin = (ts: number, scannedAt?: number): SequencedEvent => ({
  seq: 7,
  ts,
  body: { kind: 'checkin', cardId: '4000104729', member: { id: 'M1', name: 'Ana', status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source: 'kiosk', occupancy: 1, ...(scannedAt !== undefined && { scannedAt }) },
});

describe('a check-in that reached the backend late', () => {
  it('is shown at its scan, says when it reached the backend, and counts in the hour and day of the scan', () => {
    const arrived = NINE + 91 * MIN; // 10:31
    const scanned = NINE + 58 * MIN + 14_000; // 9:58:14
    const { store, engine } = consoleThatRan(arrived);
    const entry = toCheckinEntry(checkin(arrived, scanned))!;
    expect(entry).toMatchObject({ ts: scanned, arrivedAt: arrived });
    engine.received(entry);
    store.flush();

    expect(store.hourlyCheckins(NINE, NINE + 2 * HOUR).map((h) => h.checkins)).toEqual([1, 0]);
    expect(store.eventCounts(NINE, NINE + HOUR).checkin).toBe(1);
    expect(store.eventCounts(NINE + HOUR, NINE + 2 * HOUR).checkin).toBe(0);
    expect(store.series(NINE + 55 * MIN, NINE + 65 * MIN).points.filter((p) => p.allowed).map((p) => p.ts)).toEqual([NINE + 58 * MIN + 10_000]);
    expect(store.db.prepare('SELECT SUM(allowed) AS n FROM days').get()).toEqual({ n: 1 });
    // Counted once: not again in the sample being taken now.
    expect(engine.sampler.counts.allowed).toBe(0);
  });

  it('one sent within a minute is shown at its scan and counted now, as any other', () => {
    const now = NINE + 30 * MIN;
    const { engine } = consoleThatRan(now);
    const entry = toCheckinEntry(checkin(now, now - 20_000))!;
    expect(entry.ts).toBe(now - 20_000);
    expect(entry).not.toHaveProperty('arrivedAt');
    expect(toCheckinEntry(checkin(now))).toMatchObject({ ts: now });
    engine.received(entry);
    expect(engine.sampler.counts.allowed).toBe(1);
  });

  it('one scanned while this console was not sampling is counted now, not lost', () => {
    const now = NINE + 5 * HOUR;
    const { store, engine } = consoleThatRan(now);
    engine.received(toCheckinEntry(checkin(now, NINE + 3 * HOUR))!); // 12:00, after this console stopped at 10:40
    expect(engine.sampler.counts.allowed).toBe(1);
    expect(store.db.prepare('SELECT SUM(allowed) AS n FROM hours').get()).toEqual({ n: 0 });
  });
});

// probe-hostile17 F5: a check-in the backend stamped 5 years ahead went into analytics in 2031.
describe('a check-in whose backend stamp is past belief', () => {
  it('is recorded and counted when it arrived, and its detail says what the backend’s clock said', () => {
    const now = NINE + 30 * MIN;
    const { store, engine } = consoleThatRan(now);
    const ahead = Date.UTC(2031, 11, 5, 4, 7, 14);
    engine.received(toCheckinEntry(checkin(ahead), undefined, now)!);
    store.flush();
    const rows = store.db.prepare('SELECT ts, detail FROM events').all() as { ts: number; detail: string }[];
    expect(rows.map((r) => r.ts)).toEqual([now]);
    expect(readCheckinDetail(rows[0]!.detail).extra).toBe("The backend's clock said 2031-12-05 04:07 UTC; counted when it arrived.");
    expect(engine.sampler.counts.allowed).toBe(1);
  });
});
