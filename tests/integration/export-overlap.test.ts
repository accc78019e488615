import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { AnalyticsStore } from '../../src/main/core/store/analytics-store';
import { exportAnalytics, loadExports } from '../../src/main/core/store/export';
import { UserError } from '../../src/shared/result';

/** A review of several exports adds them up: one gym's same hours twice would count double. */

const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 10, 2);
const dir = mkdtempSync(join(tmpdir(), 'gym-overlap-'));
const { store } = openAnalytics(dir, 'UTC');
store.insertEvents(Array.from({ length: 48 }, (_, i) => ({ ts: FROM + i * HOUR, category: 'checkin' as const, type: 'checkin', source: 'door', detail: `m${i}` })));

async function exported(name: string, site: string, from: number, to: number): Promise<string> {
  const file = join(dir, name);
  await exportAnalytics(store, { range: { from, to }, format: 'sqlite' }, file, { site, app: 't', now: to });
  return file;
}
const open = (...files: string[]) => loadExports(files, (db) => new AnalyticsStore(db, ':memory:', 'UTC'));

describe('exports of one gym over the same hours', () => {
  it('are refused together, saying why and what to do instead', async () => {
    const day = await exported('day.sqlite', 'North', FROM, FROM + 24 * HOUR);
    const two = await exported('two-days.sqlite', 'North', FROM, FROM + 48 * HOUR);
    let e: unknown;
    try {
      open(day, two);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('export-overlap');
    expect((e as UserError).message).toMatch(/two-days\.sqlite and day\.sqlite are both exports of “North” and share some hours: opened together, those hours would count twice\. Open them one at a time/);
  });

  it('are one gym however its name was typed (case, spaces, invisible characters)', async () => {
    const a = await exported('a.sqlite', 'Main gym', FROM, FROM + 24 * HOUR);
    for (const [i, name] of ['Main Gym', 'Main  gym', 'Main\u200B gym', '\u202EMain gym'].entries()) {
      const b = await exported(`b${i}.sqlite`, name, FROM, FROM + 24 * HOUR);
      // Refused as overlapping, or (the same name once cleaned) shown once as the same export: never added up.
      let outcome: string;
      try {
        const r = open(a, b);
        outcome = r.skipped.length === 1 ? 'shown once' : `added up (${r.metas.length} sites)`;
        r.store.db.close();
      } catch (e) {
        outcome = /share some hours/.test((e as Error).message) ? 'refused' : (e as Error).message;
      }
      expect(['refused', 'shown once']).toContain(outcome);
    }
  });

  it('side by side work: one gym on days that do not meet, or two gyms on the same day', async () => {
    const first = await exported('first.sqlite', 'North', FROM, FROM + 24 * HOUR);
    const second = await exported('second.sqlite', 'North', FROM + 24 * HOUR, FROM + 48 * HOUR);
    const south = await exported('south.sqlite', 'South', FROM, FROM + 24 * HOUR);
    const a = open(first, second);
    expect(a.metas.map((m) => m.site)).toEqual(['North', 'North']);
    expect(a.store.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 48 });
    a.store.db.close();
    const b = open(first, south);
    expect(b.metas.map((m) => m.site)).toEqual(['North', 'South']);
    b.store.db.close();
  });
});

// readme29 K10: a gym's desk and kiosk PC carried different names (each is set on its own PC): their exports opened
// together and counted every check-in twice, where the same pair under one name was refused.
describe('exports of one gym under two names', () => {
  const gymDir = mkdtempSync(join(tmpdir(), 'gym-overlap-names-'));
  const { store: gym } = openAnalytics(gymDir, 'UTC');
  gym.insertEvents(Array.from({ length: 30 }, (_, i) => ({ ts: FROM + i * 60_000 + 17, category: 'checkin' as const, type: i % 5 ? 'allowed' : 'denied', source: 'kiosk', detail: `Member ${i} (M${i}, card 40000${i})` })));
  const otherDir = mkdtempSync(join(tmpdir(), 'gym-overlap-names-'));
  const { store: other } = openAnalytics(otherDir, 'UTC');
  other.insertEvents(Array.from({ length: 30 }, (_, i) => ({ ts: FROM + i * 60_000 + 23, category: 'checkin' as const, type: 'allowed', source: 'door', detail: `Someone ${i} (S${i}, card 50000${i})` })));
  const out = async (s: AnalyticsStore, name: string, site: string): Promise<string> => {
    const file = join(gymDir, name);
    await exportAnalytics(s, { range: { from: FROM, to: FROM + 24 * HOUR }, format: 'sqlite' }, file, { site, app: 't', now: FROM + 24 * HOUR });
    return file;
  };

  it('are refused together: the same check-ins say it is one gym, whatever the names', async () => {
    const desk = await out(gym, 'desk.sqlite', 'Riverside Gym – Northside');
    const kiosk = await out(gym, 'kiosk.sqlite', 'Riverside Gym');
    let e: unknown;
    try {
      open(desk, kiosk);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('export-overlap');
    expect((e as UserError).message).toBe(
      'kiosk.sqlite and desk.sqlite hold the same check-ins (30 of them), so they are exports of one gym under two names: opened together, those check-ins would count twice. Open them one at a time, or export one range that covers both. Give every PC of one gym the same name (Analytics tab, Storage: Gym name).',
    );
  });

  it('two gyms with check-ins of their own, on the same day, open together', async () => {
    const north = await out(gym, 'north.sqlite', 'North');
    const south = await out(other, 'south.sqlite', 'South');
    const r = open(north, south);
    expect(r.store.db.prepare("SELECT count(*) AS n FROM events").get()).toEqual({ n: 60 });
    r.store.db.close();
  });
});

