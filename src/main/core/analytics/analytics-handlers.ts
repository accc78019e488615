import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { CallContext, Handlers } from '../bridge/dispatch';
import type { Clock } from '../clock';
import type { PatchStream } from '../state/patch-stream';
import { AnalyticsStore } from '../store/analytics-store';
import { exportAnalytics, loadExports, type SkippedExport } from '../store/export';
import type { AnalyticsEngine } from './engine';
import { resolveRange } from '../../../shared/analytics';
import { buildView } from './view';

type AnalyticsHandlers = Pick<
  Handlers,
  'analytics.view' | 'analytics.events' | 'analytics.export' | 'analytics.openExport' | 'analytics.closeExport' | 'analytics.settings' | 'analytics.configure'
>;

/** The Analytics tab's requests: live data, or opened exports shown read-only in their place. */
export function analyticsHandlers(deps: {
  engine: AnalyticsEngine;
  stream: PatchStream;
  dataDir: string;
  site: string;
  version: string;
  clock: Clock;
  audit: (ctx: CallContext, action: string, subject: string, before: unknown, after: unknown) => void;
}): AnalyticsHandlers {
  const { engine, stream, clock } = deps;
  let opened: { store: AnalyticsStore; sites: string[]; files: string[]; from: number; to: number; skipped: SkippedExport[] } | null = null;
  const exportsDir = join(deps.dataDir, 'exports');

  return {
    'analytics.view': ({ range, categories }) => {
      if (!opened) return engine.view(range, categories);
      // Relative ranges count back from the end of the export, not from now.
      return { ...buildView(opened.store, range, opened.to, { kind: 'export', sites: opened.sites, files: opened.files, skipped: opened.skipped }, categories), storage: null };
    },
    'analytics.events': ({ range, categories, text, beforeId, limit }) => {
      const store = opened?.store ?? engine.store;
      store.flush();
      const { from, to } = resolveRange(range, opened?.to ?? clock.now());
      return store.events({ from, to, categories, text, beforeId, limit: limit ?? 200 });
    },
    'analytics.export': async (req) => {
      mkdirSync(exportsDir, { recursive: true });
      const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-').slice(0, 19);
      const name = `gym-${'last' in req.range ? req.range.last : 'custom'}-${stamp}.${req.format}`;
      const file = join(exportsDir, name);
      const progress = (done: number, total: number, finished = false): void => stream.gauge('exportProgress', { done, total, file, finished });
      progress(0, 0);
      const r = await exportAnalytics(opened?.store ?? engine.store, req, file, { site: deps.site, app: `av-gym-console ${deps.version}`, now: opened?.to ?? clock.now() }, progress);
      progress(r.events, r.events, true);
      engine.record('user', 'export', 'console', `${req.format} of ${r.events} events to ${name}`);
      return { ...r, name };
    },
    'analytics.openExport': ({ paths }) => {
      const files = paths.map((p) => resolve(p));
      // Loading first: a bad file throws here and the current view stays as it was.
      const { store, metas, files: shown, skipped } = loadExports(files, (db) => new AnalyticsStore(db, ':memory:', 'UTC'));
      store.timezone = metas[0]!.timezone;
      opened?.store.db.close();
      opened = { store, sites: metas.map((m) => m.site), files: shown, from: Math.min(...metas.map((m) => m.from)), to: Math.max(...metas.map((m) => m.to)), skipped };
      engine.record('user', 'open-export', 'console', files.map((f) => basename(f)).join(', '));
      return { sites: opened.sites, files: opened.files, from: opened.from, to: opened.to };
    },
    'analytics.settings': () => engine.settings(),
    'analytics.configure': (patch, ctx) => {
      const before = engine.settings();
      const after = engine.configure({ ...before, ...patch, retentionDays: { ...before.retentionDays, ...patch.retentionDays } });
      deps.audit(ctx, 'analytics.configure', 'analytics settings', before, after);
      return after;
    },
    'analytics.closeExport': () => {
      const was = opened !== null;
      opened?.store.db.close();
      opened = null;
      return { closed: was };
    },
  };
}
