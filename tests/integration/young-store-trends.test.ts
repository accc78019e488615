import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import type { Sample } from '../../src/main/core/store/analytics-store';
import { buildView } from '../../src/main/core/analytics/view';
import { METRICS } from '../../src/shared/analytics';

const now = Date.UTC(2026, 11, 4, 23, 40);

/** A store that began sampling `minutes` ago: the gym's people and check-ins as a new-user walkthrough saw them. */
function openedAgo(minutes: number) {
  const { store } = openAnalytics(mkdtempSync(join(tmpdir(), 'gym-young-')), 'UTC');
  const samples: Sample[] = [];
  const start = now - minutes * 60_000;
  for (let ts = start, i = 0; ts < now; ts += 10_000, i++) {
    const values = Object.fromEntries(METRICS.map((m) => [m, 1])) as Sample['values'];
    values.occupancy = Math.min(5, Math.floor(i / 10));
    // A burst at the door when it opened, then one every 2½ minutes: 18 in the first ten minutes.
    samples.push({ ts, values, allowed: i < 15 ? 1 : i % 15 === 0 ? 1 : 0, denied: 0 });
  }
  store.addSamples(samples);
  return store;
}

describe('trends of a store that has only just started', () => {
  it('ten minutes in, no range states a trend and each says how much was measured', () => {
    const store = openedAgo(10);
    for (const last of ['1h', '6h', '24h', '7d'] as const) {
      const v = buildView(store, { last }, now, { kind: 'live' });
      expect(v.trends, last).toEqual({});
      expect(v.measured, last).toMatchObject({ ms: 10 * 60_000, enough: false });
    }
    expect(buildView(store, { last: '1h' }, now, { kind: 'live' }).measured.neededMs).toBe(15 * 60_000);
    store.close();
  });

  it('once both halves of the hour are measured, the hour has trends, in true hourly rates', () => {
    const store = openedAgo(60);
    const v = buildView(store, { last: '1h' }, now, { kind: 'live' });
    expect(v.measured.enough).toBe(true);
    // 26 in the first half hour, 12 in the second, per hour (never one 10 s sample × 360).
    expect(v.trends.checkins).toMatchObject({ from: 2 * (15 + 11), to: 2 * 12, direction: 'down' });
    expect(v.trends.occupancy).toMatchObject({ direction: 'up' });
    // The day around it is still too young for a trend.
    expect(buildView(store, { last: '24h' }, now, { kind: 'live' }).trends).toEqual({});
    store.close();
  });
});
