import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { AnalyticsStore, type Sample } from '../../src/main/core/store/analytics-store';
import { exportAnalytics, loadExports } from '../../src/main/core/store/export';
import { availability, MONTH_BUDGET_MS } from '../../src/main/core/health/availability';
import { METRICS } from '../../src/shared/analytics';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const values = Object.fromEntries(METRICS.map((m) => [m, 0])) as Sample['values'];
const NOW = Date.UTC(2026, 11, 3, 12);

/** Samples every 10 s over `hours` ending at NOW; `aDown(ts)` says when instance A was down (B never is). */
function store(hours: number, aDown: (ts: number) => boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'gym-availability-'));
  const { store } = openAnalytics(dir, 'UTC');
  const samples: Sample[] = [];
  for (let ts = NOW - hours * HOUR; ts < NOW; ts += 10_000) {
    const a = !aDown(ts);
    samples.push({ ts, values, allowed: 0, denied: 0, up: { '': true, 'ws://a:1': a, 'ws://b:1': true } });
  }
  store.addSamples(samples);
  return { dir, store };
}

describe('availability against 99.9 %, from the stored 10 s samples', () => {
  it('per instance and overall, over 24 h, 7 d and 30 d, with the month budget left', () => {
    // 10 days of samples; instance A down for 1 h, 2 days ago, and for 30 min, 20 h ago.
    const { store: s } = store(10 * 24, (ts) => (ts >= NOW - 2 * DAY && ts < NOW - 2 * DAY + HOUR) || (ts >= NOW - 20 * HOUR && ts < NOW - 20 * HOUR + HOUR / 2));
    const rows = availability(s, NOW);
    expect(rows.map((r) => r.target)).toEqual(['', 'ws://a:1', 'ws://b:1']);
    const [overall, a, b] = rows;
    expect(overall!.windows['24h'].ratio).toBe(1);
    expect(b!.windows['30d']).toEqual({ ratio: 1, measuredMs: 10 * DAY });
    expect(a!.windows['24h'].ratio).toBeCloseTo(1 - 0.5 / 24, 6);
    expect(a!.windows['7d'].ratio).toBeCloseTo(1 - 1.5 / (7 * 24), 6);
    // 30 d: only 10 days were measured, and says so.
    expect(a!.windows['30d']).toEqual({ ratio: expect.closeTo(1 - 1.5 / 240, 6), measuredMs: 10 * DAY });
    // The budget: 43.2 min, less 90 min down: spent, by 46.8 min.
    expect(MONTH_BUDGET_MS).toBe(43.2 * 60_000);
    expect(a!.budgetLeftMs).toBe(MONTH_BUDGET_MS - 90 * 60_000);
    expect(b!.budgetLeftMs).toBe(MONTH_BUDGET_MS);
  });

  // readme25 W8: after the backend's addresses changed, the old ones stood among the instances as if still in use.
  it('an address the backend is no longer reached at is marked as such and listed after those it is', () => {
    const { store: s } = store(3, () => false);
    const rows = availability(s, NOW, new Set(['ws://b:1']));
    expect(rows.map((r) => [r.target, r.former])).toEqual([['', false], ['ws://b:1', false], ['ws://a:1', true]]);
    expect(availability(s, NOW).every((r) => !r.former)).toBe(true);
  });

  it('exports carry the uptime samples, so a review of another PC\'s export has them too', async () => {
    const { dir, store: s } = store(48, (ts) => ts >= NOW - 10 * HOUR && ts < NOW - 9 * HOUR);
    for (const format of ['sqlite', 'json'] as const) {
      const out = join(dir, `x.${format}`);
      await exportAnalytics(s, { range: { from: NOW - 48 * HOUR, to: NOW }, format }, out, { site: 'North', app: 't', now: NOW });
      const { store: opened } = loadExports([out], (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
      const a = availability(opened, NOW).find((r) => r.target === 'ws://a:1')!;
      expect(a.windows['24h'].ratio).toBeCloseTo(23 / 24, 6);
      opened.close();
    }
  });
});
