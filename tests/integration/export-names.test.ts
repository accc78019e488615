import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { systemClock } from '../../src/main/core/clock';

/** Exports saved to the exports folder (the browser form): each gets a file of its own. */

const TOKEN = 'export-names';
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
});
afterAll(() => cluster.close());
const ctx = { transport: 'test' as const, session: new Session('manager') };
type Saved = { ok: true; value: { file: string; name: string; events: number; bytes: number } };

describe('export file names', () => {
  it('two exports started in the same second get two files, each holding what its reply says', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-names-'));
    // Wall time held still: both exports are stamped with the same second whenever the test runs.
    const now = Date.now();
    const core = await startCore({ version: 't', dataDir, backend: { endpoints: cluster.urls, token: TOKEN }, clock: { ...systemClock, now: () => now } });
    try {
      core.analytics.store.insertEvents(Array.from({ length: 500 }, (_, i) => ({ ts: now - 1_800_000 + i, category: i % 5 ? ('checkin' as const) : ('error' as const), type: 't', source: 's', detail: `d ${i}` })));
      for (const format of ['csv', 'json', 'sqlite'] as const) {
        const [a, b] = (await Promise.all([
          dispatch(core.handlers, 'analytics.export', { range: { last: '1h' }, format }, ctx),
          dispatch(core.handlers, 'analytics.export', { range: { last: '1h' }, format, categories: ['error'] }, ctx),
        ])) as [Saved, Saved];
        expect(a.ok && b.ok).toBe(true);
        expect(a.value.file).not.toBe(b.value.file);
        expect(b.value.name).toBe(a.value.name.replace(`.${format}`, `-2.${format}`));
        for (const r of [a, b]) expect(statSync(r.value.file).size).toBe(r.value.bytes);
        if (format === 'csv') expect(readFileSync(b.value.file, 'utf8').trim().split('\r\n')).toHaveLength(b.value.events + 1);
      }
      expect(readdirSync(join(dataDir, 'exports'))).toHaveLength(6);
      expect(statSync(join(dataDir, 'exports')).mode & 0o777).toBe(0o700); // member names inside: private
    } finally {
      await core.stop();
    }
  });

  it("an export carries the gym's name from the Analytics settings, so a review of several tells them apart", async () => {
    const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-names-')), backend: { endpoints: cluster.urls, token: TOKEN } });
    try {
      const before = (await dispatch(core.handlers, 'analytics.export', { range: { last: '1h' }, format: 'json' }, ctx)) as Saved;
      expect(JSON.parse(readFileSync(before.value.file, 'utf8')).meta.site).toBe('A gym with no name set');
      expect(await dispatch(core.handlers, 'analytics.configure', { siteName: '  ' }, ctx)).toMatchObject({ ok: false, error: { field: 'siteName', message: expect.stringContaining('Give the gym a name.') } });
      expect(await dispatch(core.handlers, 'analytics.configure', { siteName: '\u200B\u202E ' }, ctx)).toMatchObject({ ok: false, error: { field: 'siteName' } });
      expect(await dispatch(core.handlers, 'analytics.configure', { siteName: ' North\u202E   Gym ' }, ctx)).toMatchObject({ ok: true, value: { siteName: 'North Gym' } });
      const after = (await dispatch(core.handlers, 'analytics.export', { range: { last: '1h' }, format: 'json' }, ctx)) as Saved;
      expect(JSON.parse(readFileSync(after.value.file, 'utf8')).meta.site).toBe('North Gym');
    } finally {
      await core.stop();
    }
  });

  it("names each file after the gym, and its CSV says the zone of local_time and the gym on every row (probe-walk16 #5)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-names-'));
    const core = await startCore({ version: 't', dataDir, backend: { endpoints: cluster.urls, token: TOKEN } });
    try {
      core.analytics.store.insertEvents([{ ts: Date.now() - 60_000, category: 'error', type: 't', source: 's', detail: 'd' }]);
      expect(await dispatch(core.handlers, 'analytics.configure', { siteName: 'Riverside Gym', timezone: 'Europe/Berlin' }, ctx)).toMatchObject({ ok: true });
      for (const format of ['csv', 'json', 'sqlite'] as const) {
        const r = (await dispatch(core.handlers, 'analytics.export', { range: { last: '1h' }, format }, ctx)) as Saved;
        expect(r.value.name).toMatch(new RegExp(`^riverside-gym-1h-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.${format}$`));
      }
      const csv = readdirSync(join(dataDir, 'exports')).find((f) => f.endsWith('.csv'))!;
      const [header, row] = readFileSync(join(dataDir, 'exports', csv), 'utf8').split('\r\n');
      expect(header).toBe('\uFEFFtime_utc,local_time (Europe/Berlin),category,event,source,member,member_id,card,note,overridden_by,detail,site');
      expect(row).toMatch(/,Riverside Gym$/);
    } finally {
      await core.stop();
    }
  });

  it('a custom range past the year 2200 is refused as a range, not blamed on the time zone', async () => {
    const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-names-')), backend: { endpoints: cluster.urls, token: TOKEN } });
    try {
      const r = await dispatch(core.handlers, 'analytics.export', { range: { from: 8.6e15, to: 8.64e15 }, format: 'csv' }, ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('before the year 2200') } });
      expect(JSON.stringify(r)).not.toMatch(/time zone/);
    } finally {
      await core.stop();
    }
  });
});
