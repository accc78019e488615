import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyticsEngine } from '../../src/main/core/analytics/engine';
import { toCheckinEntry } from '../../src/main/core/feed';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import type { SequencedEvent } from '../../src/shared/protocol';

// probe22 K2: every stop, a clean one too, dropped the unfinished 10 s sample's check-ins; after four restarts the
// Check-ins chart showed 28 of 65, and a crash-looping PC an empty day.
const NOON = Date.UTC(2026, 10, 23, 12);
const sources = { connections: () => 1, latencyMs: () => 5, poolHealth: () => 100, occupancy: () => 3 };
const checkin = (seq: number, ts: number, allowed: boolean): SequencedEvent => ({
  seq,
  ts,
  body: { kind: 'checkin', cardId: '4000104729', member: { id: 'M1', name: 'Ana', status: 'active' }, verdict: allowed ? { allowed: true, reason: 'ok' } : { allowed: false, reason: 'frozen' }, source: 'desk', occupancy: 1 },
});

describe('a stop keeps the check-ins of the sample it cuts short', () => {
  it('counted in the chart, the hour and the day; a restart in the same 10 s adds to them, never replaces them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-last-sample-'));
    let now = NOON + 2_000;
    const run = (seqs: number[], allowed: boolean): void => {
      const engine = new AnalyticsEngine(openAnalytics(dir, 'UTC').store, sources, () => now);
      engine.start();
      for (const seq of seqs) engine.received(toCheckinEntry(checkin(seq, now, allowed)));
      engine.stop();
    };
    run([1, 2, 3], true);
    now = NOON + 6_000; // restarted within the same 10 s slot
    run([4, 5], false);
    const { store } = openAnalytics(dir, 'UTC');
    try {
      const points = store.series(NOON - 60_000, NOON + 60_000).points.filter((p) => p.allowed || p.denied);
      expect(points).toEqual([expect.objectContaining({ ts: NOON, allowed: 3, denied: 2 })]);
      expect(store.db.prepare('SELECT SUM(allowed) AS a, SUM(denied) AS d FROM hours').get()).toEqual({ a: 3, d: 2 });
      expect(store.db.prepare('SELECT SUM(allowed) AS a, SUM(denied) AS d FROM days').get()).toEqual({ a: 3, d: 2 });
    } finally {
      store.close();
    }
  });
});
