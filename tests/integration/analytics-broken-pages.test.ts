import { afterAll, describe, expect, it } from 'vitest';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { METRICS } from '../../src/shared/analytics';
import type { MetricValues } from '../../src/shared/analytics';
import type { CheckinEntry } from '../../src/shared/state';
import { waitFor } from '../helpers/wait';

// probe-hostile12 F10: an analytics.db with broken pages inside (a bad sector, a copy of a live file)
// opened fine, then every view and export answered "Something went wrong … send to IT" while Health
// said all was well. Now the console says which file, what still works, and what to do.
const ctx = { transport: 'test' as const, session: new Session('manager') };
const PAGE = 4096;
const cores: Core[] = [];
afterAll(async () => {
  for (const c of cores) await c.stop().catch(() => {});
});

/** A used analytics.db: the last half hour of events and samples, then its pages past the schema overwritten. */
function damagedAnalyticsDb(dir: string): void {
  const { store } = openAnalytics(dir, 'UTC');
  const now = Date.now();
  const values = Object.fromEntries(METRICS.map((m) => [m, 1])) as MetricValues;
  store.addSamples(Array.from({ length: 180 }, (_, i) => ({ ts: now - 1_800_000 + i * 10_000, values, allowed: 1, denied: 0 })));
  store.insertEvents(Array.from({ length: 30_000 }, (_, i) => ({ ts: now - 1_800_000 + i * 60, category: 'checkin' as const, type: 'allowed', source: 'desk', detail: `Member number ${i} checked in at the front desk` })));
  const pages = store.db.pragma('page_count', { simple: true }) as number;
  store.checkpoint(now); // every page in the file itself, none left in the WAL to stand in for it
  store.close();
  expect(existsSync(join(dir, 'analytics.db-wal'))).toBe(false);
  const fd = openSync(join(dir, 'analytics.db'), 'r+');
  // The tables' first pages (the 14 the schema makes) stay readable, so it opens; what they point to does not.
  for (let p = 15; p < pages; p++) writeSync(fd, Buffer.alloc(PAGE, 0x5a), 0, PAGE, (p - 1) * PAGE); // pages count from 1
  closeSync(fd);
}

const health = (core: Core) => core.stream.snapshot().gauges.health.checks.find((c) => c.kind === 'stores')!;

describe('analytics.db with broken pages', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gym-broken-pages-'));
  const backend = { endpoints: ['ws://127.0.0.1:9'], token: 'nobody-listens' };

  it('is said by the Analytics requests and by Health, in words, while the desk keeps working', async () => {
    damagedAnalyticsDb(dataDir);
    const core = await startCore({ version: 't', dataDir, backend });
    cores.push(core);

    // Background work may meet the broken pages first (here a late check-in counted in its scan's
    // sample; the 10 s samples are the same): noted, not thrown into the live feed or a timer.
    expect(health(core).status).toBe('ok');
    const late = { seq: 1, ts: Date.now() - 600_000, arrivedAt: Date.now(), cardId: 'CARD1', memberId: null, name: null, status: null, allowed: true, reason: 'ok', source: 'door', note: null } satisfies CheckinEntry;
    expect(() => core.analytics.received(late)).not.toThrow();
    expect(core.analytics.store.damaged).toMatch(/malformed/);

    const view = await dispatch(core.handlers, 'analytics.view', { range: { last: '1h' } }, ctx);
    expect(view).toMatchObject({ ok: false, error: { code: 'analytics-damaged' } });
    const said = view.ok ? '' : view.error.message;
    expect(said).toContain(join(dataDir, 'analytics.db'));
    expect(said).toMatch(/is damaged.*Check-ins, the desk and the kiosk do not use it and keep working\. Restart the console at a quiet moment: it sets the damaged file aside/);
    expect(await dispatch(core.handlers, 'analytics.export', { range: { last: '1h' }, format: 'csv' }, ctx)).toMatchObject({ ok: false, error: { code: 'analytics-damaged', message: said } });
    // Nothing half-written is left in the exports folder.
    expect(readdirSync(join(dataDir, 'exports'))).toEqual([]);

    await waitFor(() => health(core).status === 'degraded');
    expect(health(core).reason).toBe(said);
    expect(core.stream.snapshot().feeds.activity.some((a) => a.type === 'store-damaged' && a.detail === said)).toBe(true);
    expect(core.stream.snapshot().gauges.alerts.map((a) => a.text).join('\n')).toContain('is damaged');

    const checkin = await dispatch(core.handlers, 'desk.checkin', { cardId: 'CARD123456', source: 'desk' }, ctx);
    expect(checkin.ok).toBe(true);
    await core.stop();
  });

  it('the next start checks the file whole, sets it aside and starts an empty one', async () => {
    const core = await startCore({ version: 't', dataDir, backend });
    cores.push(core);
    expect(readdirSync(dataDir).filter((f) => /^analytics\.db\.damaged-\d+$/.test(f))).toHaveLength(1);
    expect(core.stream.snapshot().gauges.alerts.map((a) => a.text).join('\n')).toMatch(/analytics database was damaged .* set aside as .* a new, empty one was started/);
    expect(await dispatch(core.handlers, 'analytics.view', { range: { last: '1h' } }, ctx)).toMatchObject({ ok: true });
    await core.stop();

    // Checked once: a sound file is not checked whole, or set aside, again.
    const third = await startCore({ version: 't', dataDir, backend });
    cores.push(third);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('analytics.db.damaged-'))).toHaveLength(1);
    expect(third.stream.snapshot().gauges.alerts).toEqual([]);
    await third.stop();
  });
});
