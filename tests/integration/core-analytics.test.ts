import { Session } from '../../src/main/core/auth/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { waitFor } from '../helpers/wait';
import type { AnalyticsView } from '../../src/shared/analytics';

const TOKEN = 'core-analytics';
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
});
afterAll(() => cluster.close());
const ctx = { transport: 'test' as const, session: new Session('manager') };

describe('analytics in the running core (live backend)', () => {
  it('tells the user when analytics.db was damaged, records, samples, and keeps validated settings across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-core-'));
    writeFileSync(join(dataDir, 'analytics.db'), Buffer.alloc(4096, 3));
    const backend = { endpoints: cluster.urls, token: TOKEN };
    const core = await startCore({ version: 't', dataDir, backend });
    expect(core.stream.snapshot().gauges.alerts.map((a) => a.text).join()).toMatch(/analytics database was damaged/);
    await waitFor(() => core.pools.connectionView().state === 'connected');

    for (let i = 0; i < 20; i++) cluster.gym.checkIn(`x-${i}`, 'door');
    await waitFor(() => core.analytics.sampler.counts.denied === 20);
    const s = core.analytics.sampler.take();
    expect(s.values.connections).toBe(4);
    expect(s.values.rssMb).toBeGreaterThan(10);
    expect(s.denied).toBe(20);
    core.analytics.store.addSamples([s]);
    const view = await dispatch(core.handlers, 'analytics.view', { range: { last: '1h' } }, ctx);
    expect(view).toMatchObject({ ok: true, value: { tier: '10s', source: { kind: 'live' } } });
    if (view.ok) expect((view.value as AnalyticsView).eventCounts.checkin).toBe(20);

    expect(await dispatch(core.handlers, 'analytics.configure', { timezone: 'Mars/Olympus' }, ctx)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Unknown time zone/) } });
    expect(await dispatch(core.handlers, 'analytics.configure', { retentionDays: { events: 0, samples: 1, hours: 7, days: 30 } }, ctx)).toMatchObject({ ok: false });
    const ok = await dispatch(core.handlers, 'analytics.configure', { timezone: 'Asia/Tokyo', retentionDays: { events: 60, samples: 7, hours: 400, days: 4000 } }, ctx);
    expect(ok.ok).toBe(true);
    await core.stop();

    const again = await startCore({ version: 't', dataDir, backend });
    expect(await dispatch(again.handlers, 'analytics.settings', undefined, ctx)).toMatchObject({ ok: true, value: { timezone: 'Asia/Tokyo', retentionDays: { events: 60 } } });
    expect(again.analytics.retention.eventsMs).toBe(60 * 86_400_000);
    expect(again.stream.snapshot().gauges.alerts).toEqual([]);
    await again.stop();

    // The headless export command reads the same store.
    const out = join(mkdtempSync(join(tmpdir(), 'gym-export-')), 'cli.csv'); // never inside the data dir: refused
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/export-cli.ts', '--data-dir', dataDir, '--range', '24h', '--format', 'csv', '--out', out], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/exported \d+ events/);
    expect(readFileSync(out, 'utf8')).toMatch(/,Check-in,Denied: card not recognised,door,,,x-\d+,,,,A gym with no name set\r\n/); // the screen's words, the card in its own column, then the site (none set here)
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/export-cli.ts', '--data-dir', dataDir, '--range', '3y', '--format', 'csv', '--out', out], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--range must be one of 1h, 6h, 24h, 7d/);
    expect(existsSync(out)).toBe(true);
  }, 30_000);
});
