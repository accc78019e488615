import { AVAILABILITY_WINDOWS, MONTH_BUDGET_MS, type AvailabilityRow, type AvailabilityWindow } from '../../../shared/health';
import { SAMPLE_MS } from '../analytics/sampler';
import type { AnalyticsStore } from '../store/analytics-store';

const DAY = 86_400_000;
const WINDOW_MS: Record<AvailabilityWindow, number> = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY };
export { MONTH_BUDGET_MS };

/**
 * Availability per backend instance and overall ('') from the 10 s samples' hourly uptime rows. Only
 * time the console was running is measured; `measuredMs` says how much that was. `inUse`: the addresses the
 * backend is reached at now (absent: all are); the others, from before an address change, are marked and listed last.
 */
export function availability(store: AnalyticsStore, now: number, inUse?: ReadonlySet<string>): AvailabilityRow[] {
  const rows = new Map<string, AvailabilityRow>();
  for (const w of AVAILABILITY_WINDOWS) {
    for (const r of store.uptime(now - WINDOW_MS[w])) {
      const row = rows.get(r.target) ?? { target: r.target, windows: Object.fromEntries(AVAILABILITY_WINDOWS.map((k) => [k, { ratio: null, measuredMs: 0 }])) as AvailabilityRow['windows'], budgetLeftMs: MONTH_BUDGET_MS, former: r.target !== '' && inUse !== undefined && !inUse.has(r.target) };
      row.windows[w] = { ratio: r.n ? r.up / r.n : null, measuredMs: r.n * SAMPLE_MS };
      if (w === '30d') row.budgetLeftMs = MONTH_BUDGET_MS - (r.n - r.up) * SAMPLE_MS;
      rows.set(r.target, row);
    }
  }
  // The backend as a whole first, then each instance it is reached at, then the addresses it no longer is.
  const rank = (r: AvailabilityRow): number => (r.target === '' ? 0 : r.former ? 2 : 1);
  return [...rows.values()].sort((a, b) => rank(a) - rank(b) || a.target.localeCompare(b.target));
}
