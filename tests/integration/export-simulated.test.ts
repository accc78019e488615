import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';

/** The demo's visits are made up: its exports say so, and a review of one says so on its banner, wherever it is opened. */

const TOKEN = 'export-simulated';
const ctx = { transport: 'test' as const, session: new Session('manager') };
type Saved = { ok: true; value: { file: string } };
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
});
afterAll(() => cluster.close());

describe('exports made by the demo', () => {
  it("are marked simulated (JSON and SQLite); a live gym's are not; a review and its re-export keep the mark", async () => {
    const demo = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-sim-demo-')), demoRatePerHour: 0 });
    let json: string;
    let sqlite: string;
    try {
      // Even with a real gym's name typed in, the demo's data stays marked.
      await dispatch(demo.handlers, 'analytics.configure', { siteName: 'Northside Gym' }, ctx);
      json = ((await dispatch(demo.handlers, 'analytics.export', { range: { last: '24h' }, format: 'json' }, ctx)) as Saved).value.file;
      sqlite = ((await dispatch(demo.handlers, 'analytics.export', { range: { last: '24h' }, format: 'sqlite' }, ctx)) as Saved).value.file;
    } finally {
      await demo.stop();
    }
    expect(JSON.parse(readFileSync(json, 'utf8')).meta).toMatchObject({ site: 'Northside Gym', simulated: true });
    const db = new Database(sqlite, { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'simulated'").get()).toEqual({ value: 'true' });
    db.close();

    const live = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-sim-live-')), backend: { endpoints: cluster.urls, token: TOKEN }, pickExportFiles: async () => [sqlite] });
    try {
      const own = (await dispatch(live.handlers, 'analytics.export', { range: { last: '1h' }, format: 'json' }, ctx)) as Saved;
      expect(JSON.parse(readFileSync(own.value.file, 'utf8')).meta.simulated).toBe(false);
      const picked = (await dispatch(live.handlers, 'analytics.pickExport', undefined, ctx)) as { ok: true; value: { ref: string }[] };
      expect(await dispatch(live.handlers, 'analytics.openExport', { refs: [picked.value[0]!.ref] }, ctx)).toMatchObject({ ok: true, value: { sites: ['Northside Gym'] } });
      expect(await dispatch(live.handlers, 'analytics.view', { range: { last: '24h' } }, ctx)).toMatchObject({ ok: true, value: { source: { kind: 'export', simulated: true } } });
      // Exported again from the review: still the demo's, still named as the gym reviewed, not this PC's.
      const again = (await dispatch(live.handlers, 'analytics.export', { range: { last: '24h' }, format: 'json' }, ctx)) as Saved;
      expect(JSON.parse(readFileSync(again.value.file, 'utf8')).meta).toMatchObject({ site: 'Northside Gym', simulated: true });
    } finally {
      await live.stop();
    }
  });
});
