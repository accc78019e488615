import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Db } from '../store/db';
import { SettingsStore } from '../store/settings-store';
import type { Clock } from '../clock';
import type { PoolManager } from '../pool/manager';
import { openAnalytics } from '../store/open-analytics';
import { markSimulated } from '../store/simulated-mark';
import { backfillDemoHistory, type LiveDemo } from '../demo/history';
import { AnalyticsEngine } from './engine';

export const LOCAL_TIMEZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

const DAMAGE_KEY = 'analyticsDamaged';

/**
 * That a run found analytics.db's pages broken, kept in console.db (the damaged file cannot be trusted
 * to keep it): the next start checks the whole file and sets it aside if it is still damaged.
 */
export function analyticsDamageMark(consoleDb: Db) {
  const saved = new SettingsStore(consoleDb);
  return {
    found: (): boolean => saved.has(DAMAGE_KEY),
    set: (detail: string): void => void saved.set(DAMAGE_KEY, z.string(), detail.slice(0, 500)),
    clear: (): void => saved.remove(DAMAGE_KEY),
  };
}

/**
 * The analytics engine over analytics.db in `dir`; the demo starts from fresh, plausible history.
 * `suspect`: a run found the file damaged, so it is checked whole before use; `keptHere`: a console ran in `dir` before.
 */
export function openEngine(dir: string, pools: PoolManager, occupancy: () => number | null, clock: Clock, demo: ({ ratePerHour: number } & LiveDemo) | null, suspect = false, keptHere = false) {
  if (demo) for (const ext of ['', '-wal', '-shm']) if (existsSync(join(dir, `analytics.db${ext}`))) rmSync(join(dir, `analytics.db${ext}`));
  const { store, warning, brief } = openAnalytics(dir, LOCAL_TIMEZONE, suspect && !demo, keptHere && !demo);
  if (demo) markSimulated(store.db);
  const engine = new AnalyticsEngine(
    store,
    {
      connections: () => pools.list().reduce((n, p) => n + p.sockets.filter((s) => s.state === 'open').length, 0),
      // Open sockets only: a reply time is of a socket that can answer now.
      latencyMs: () => {
        const l = pools.list().flatMap((p) => p.sockets.filter((s) => s.state === 'open').map((s) => s.inputs.latencyMs).filter((x): x is number => x !== null));
        return l.length ? l.reduce((a, b) => a + b, 0) / l.length : null;
      },
      poolHealth: () => {
        const p = pools.list();
        return p.length ? (p.reduce((n, x) => n + x.healthRatio, 0) / p.length) * 100 : 0;
      },
      occupancy,
      instancesUp: () => {
        const serving = pools.serving();
        // With nothing configured there is nothing to be available: no sample rather than a false outage.
        if (!serving.size) return {};
        return { '': [...serving.values()].some(Boolean), ...Object.fromEntries(serving) };
      },
    },
    () => clock.now(),
    () => clock.mono(),
  );
  const backfill = new AbortController();
  const ready = demo ? backfillDemoHistory(store, clock.now(), demo.ratePerHour, 7, demo, backfill.signal) : Promise.resolve();
  return { engine, warning, brief, ready, stopBackfill: () => backfill.abort() };
}
