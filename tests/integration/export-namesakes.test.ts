import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AnalyticsEngine } from '../../src/main/core/analytics/engine';
import { toCheckinEntry } from '../../src/main/core/feed';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { AnalyticsStore } from '../../src/main/core/store/analytics-store';
import { exportAnalytics, loadExports } from '../../src/main/core/store/export';
import { EXPORT_MAGIC, EXPORT_VERSION } from '../../src/shared/analytics';
import type { SequencedEvent } from '../../src/shared/protocol';
import { eventWords, readCheckinDetail } from '../../src/shared/words';

/**
 * Two members may share a name: every check-in row of an export names the member's id and card, and an
 * override says who made it, in the CSV's own columns and in the JSON and SQLite exports' stored details.
 */

const NINE = Date.UTC(2026, 11, 5, 9);
const sources = { connections: () => 1, latencyMs: () => 5, poolHealth: () => 100, occupancy: () => 0 };
let engine: AnalyticsEngine | null = null;
afterEach(() => {
  engine?.stop();
  engine = null;
});

let seq = 0;
const checkin = (ts: number, cardId: string, member: { id: string; name: string } | null, verdict: { allowed: boolean; reason: string }, override?: { note: string; staff: string }): SequencedEvent =>
  ({ seq: ++seq, ts, body: { kind: 'checkin', cardId, member: member && { ...member, status: 'active' }, verdict, source: override ? 'desk' : 'door', occupancy: 1, ...(override && { override }) } }) as SequencedEvent;

/** What the backend sent: two Rosa Zhangs, an override by the front desk, a card nobody has. */
function gymDay() {
  const dir = mkdtempSync(join(tmpdir(), 'gym-namesakes-'));
  const { store } = openAnalytics(dir, 'UTC');
  engine = new AnalyticsEngine(store, sources, () => NINE + 3_600_000);
  for (const e of [
    checkin(NINE + 1_000, '4000100007', { id: 'M00007', name: 'Rosa Zhang' }, { allowed: true, reason: 'ok' }),
    checkin(NINE + 2_000, '4000100912', { id: 'M00912', name: 'Rosa Zhang' }, { allowed: true, reason: 'ok' }),
    checkin(NINE + 3_000, '4000100031', { id: 'M00031', name: 'Finn Berg' }, { allowed: true, reason: 'override' }, { note: 'paid, receipt 12', staff: 'front desk' }),
    checkin(NINE + 4_000, '9999999999', null, { allowed: false, reason: 'unknown-card' }),
  ])
    engine.received(toCheckinEntry(e));
  store.flush();
  return { dir, store };
}

const range = { from: NINE, to: NINE + 3_600_000 };
const info = { site: 'North', app: 't', now: range.to };
const review = (file: string) => loadExports([file], (db) => new AnalyticsStore(db, ':memory:', 'UTC')).store;
const facts = (details: string[]) => details.map((d) => { const c = readCheckinDetail(d); return [c.who, c.memberId, c.card, c.note, c.staff]; });
const WANT = [
  ['Rosa Zhang', 'M00007', '4000100007', '', ''],
  ['Rosa Zhang', 'M00912', '4000100912', '', ''],
  ['Finn Berg', 'M00031', '4000100031', 'paid, receipt 12', 'front desk'],
  ['9999999999', '', '9999999999', '', ''],
];

describe('check-ins in an export tell namesakes apart and say who overrode', () => {
  it('CSV: every check-in row has its member id and card; an override has its note and who made it', async () => {
    const { dir, store } = gymDay();
    const out = join(dir, 'x.csv');
    await exportAnalytics(store, { range, format: 'csv' }, out, info);
    const lines = readFileSync(out, 'utf8').split('\r\n');
    // The zone of local_time in its header, and the gym's name last on every row (probe-walk16 #5).
    expect(lines[0]).toBe('\uFEFFtime_utc,local_time (UTC),category,event,source,member,member_id,card,note,overridden_by,detail,site');
    expect(lines.slice(1, 5).map((l) => l.split(',').slice(3).join(','))).toEqual([
      'Allowed,door,Rosa Zhang,M00007,4000100007,,,,North',
      'Allowed,door,Rosa Zhang,M00912,4000100912,,,,North',
      'Allowed by staff override,desk,Finn Berg,M00031,4000100031,"paid, receipt 12",front desk,,North',
      'Denied: card not recognised,door,,,9999999999,,,,North',
    ]);
  });

  it.each(['json', 'sqlite'] as const)('%s: the stored details carry the same facts, and its review shows who let them in', async (format) => {
    const { dir, store } = gymDay();
    const out = join(dir, `x.${format}`);
    await exportAnalytics(store, { range, format }, out, info);
    const details =
      format === 'json'
        ? (JSON.parse(readFileSync(out, 'utf8')).events as { detail: string }[]).map((e) => e.detail)
        : (new Database(out, { readonly: true }).prepare('SELECT detail FROM events ORDER BY ts').pluck().all() as string[]);
    expect(facts(details)).toEqual(WANT);
    const r = review(out);
    const shown = r.events({ ...range, limit: 10 }).map((e) => eventWords(e).detail);
    expect(shown).toContain('Finn Berg · why: paid, receipt 12 · let in by front desk');
    // Exported again from the review as CSV: the same columns.
    await exportAnalytics(r, { range, format: 'csv' }, join(dir, 'again.csv'), info);
    expect(readFileSync(join(dir, 'again.csv'), 'utf8')).toContain(',Finn Berg,M00031,4000100031,"paid, receipt 12",front desk,');
    r.db.close();
  });

  it('is export format 3 or later (4: latency may be null); a format 2 export (name and note only) still opens and reads as it did, a newer one is refused', async () => {
    expect(EXPORT_VERSION).toBe(4);
    const dir = mkdtempSync(join(tmpdir(), 'gym-format2-'));
    const meta = { magic: EXPORT_MAGIC, site: 'North', timezone: 'UTC', from: range.from, to: range.to, exportedAt: range.to, app: 'av-gym-console 0.0.9' };
    const events = [
      { id: 1, ts: NINE + 1_000, category: 'checkin', type: 'allowed', source: 'desk', detail: 'override Finn Berg\tpaid, receipt 12', stack: null },
      { id: 2, ts: NINE + 2_000, category: 'checkin', type: 'denied', source: 'door', detail: 'unknown-card 9999999999', stack: null },
    ];
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ meta: { ...meta, version: 2 }, events, samples: [], hours: [], days: [], event_hours: [], uptime: [] }));
    const r = review(old);
    expect(r.events({ ...range, limit: 10 }).map(eventWords)).toEqual([
      { what: 'Denied: card not recognised', detail: '9999999999' },
      { what: 'Allowed by staff override', detail: 'Finn Berg · why: paid, receipt 12' },
    ]);
    await exportAnalytics(r, { range, format: 'csv' }, join(dir, 'old.csv'), info);
    expect(readFileSync(join(dir, 'old.csv'), 'utf8').split('\r\n').slice(1, 3).map((l) => l.split(',').slice(3).join(','))).toEqual([
      'Allowed by staff override,desk,Finn Berg,,,"paid, receipt 12",,,North', // site: the gym's name, last
      'Denied: card not recognised,door,,,9999999999,,,,North',
    ]);
    r.db.close();
    const newer = join(dir, 'newer.json');
    writeFileSync(newer, JSON.stringify({ meta: { ...meta, version: 5 }, events: [] }));
    expect(() => review(newer)).toThrow(/made by a newer console \(format 5\)/);
  });
});
