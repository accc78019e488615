import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { csvHeader } from '../../src/main/core/store/csv-words';

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
  it("are marked simulated (JSON and SQLite inside, CSV by its name and a column; all by name); a live gym's are not; a review and its re-export keep the mark", async () => {
    const demo = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-sim-demo-')), demoRatePerHour: 0 });
    let json: string;
    let sqlite: string;
    let csv: string;
    let zone: string;
    try {
      zone = demo.analytics.store.timezone;
      // Even with a real gym's name typed in, the demo's data stays marked.
      await dispatch(demo.handlers, 'analytics.configure', { siteName: 'Northside Gym' }, ctx);
      json = ((await dispatch(demo.handlers, 'analytics.export', { range: { last: '24h' }, format: 'json' }, ctx)) as Saved).value.file;
      sqlite = ((await dispatch(demo.handlers, 'analytics.export', { range: { last: '24h' }, format: 'sqlite' }, ctx)) as Saved).value.file;
      csv = ((await dispatch(demo.handlers, 'analytics.export', { range: { last: '24h' }, format: 'csv' }, ctx)) as Saved).value.file;
    } finally {
      await demo.stop();
    }
    expect(JSON.parse(readFileSync(json, 'utf8')).meta).toMatchObject({ site: 'Northside Gym', simulated: true });
    const db = new Database(sqlite, { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'simulated'").get()).toEqual({ value: 'true' });
    db.close();
    // A CSV has no header of its own: its name says so first (a spreadsheet's window and sheet tab show
    // it), and a last column on every row, so rows copied elsewhere still say so.
    // Named after the gym it was given (probe-walk16 #5), after the demo's mark.
    for (const file of [json, sqlite, csv]) expect(basename(file)).toMatch(/^demo-made-up-northside-gym-24h-/);
    const [header, ...rows] = readFileSync(csv, 'utf8').split('\r\n').filter(Boolean);
    expect(header).toBe(`\uFEFF${csvHeader(zone)},simulated`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/,Northside Gym,made up by the demo: not real visits$/);

    const live = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-sim-live-')), backend: { endpoints: cluster.urls, token: TOKEN }, pickExportFiles: async () => [sqlite] });
    try {
      const own = (await dispatch(live.handlers, 'analytics.export', { range: { last: '1h' }, format: 'json' }, ctx)) as Saved;
      expect(JSON.parse(readFileSync(own.value.file, 'utf8')).meta.simulated).toBe(false);
      const ownCsv = ((await dispatch(live.handlers, 'analytics.export', { range: { last: '1h' }, format: 'csv' }, ctx)) as Saved).value.file;
      expect(basename(ownCsv)).toMatch(/^gym-1h-/);
      expect(readFileSync(ownCsv, 'utf8').split('\r\n')[0]).toBe(`\uFEFF${csvHeader(live.analytics.store.timezone)}`);
      const picked = (await dispatch(live.handlers, 'analytics.pickExport', undefined, ctx)) as { ok: true; value: { ref: string }[] };
      expect(await dispatch(live.handlers, 'analytics.openExport', { refs: [picked.value[0]!.ref] }, ctx)).toMatchObject({ ok: true, value: { sites: ['Northside Gym'] } });
      expect(await dispatch(live.handlers, 'analytics.view', { range: { last: '24h' } }, ctx)).toMatchObject({ ok: true, value: { source: { kind: 'export', simulated: true } } });
      // Exported again from the review: still the demo's, still named as the gym reviewed, not this PC's.
      const again = (await dispatch(live.handlers, 'analytics.export', { range: { last: '24h' }, format: 'json' }, ctx)) as Saved;
      expect(JSON.parse(readFileSync(again.value.file, 'utf8')).meta).toMatchObject({ site: 'Northside Gym', simulated: true });
      expect(basename(again.value.file)).toMatch(/^demo-made-up-northside-gym-24h-/); // the gym reviewed's name, not this PC's
    } finally {
      await live.stop();
    }
  });
});
