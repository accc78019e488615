import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { exportAnalytics } from '../../src/main/core/store/export';
import type { NewEvent } from '../../src/main/core/store/analytics-store';
import { EXPORT_FORMATS } from '../../src/shared/analytics';

// An export reads; it must never cost the events the console records while it runs (check-ins went
// missing while a JSON export held a cursor open on the store's connection across its pauses).
const tmp = (): string => mkdtempSync(join(tmpdir(), 'gym-export-rec-'));
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 2, 10, 12);
const checkin = (ts: number, i: number): NewEvent => ({ ts, category: 'checkin', type: 'allowed', source: 'door', detail: `member ${i}` });

function bigStore() {
  const { store } = openAnalytics(tmp(), 'Europe/Berlin');
  const n = 90_000;
  store.insertEvents(Array.from({ length: n }, (_, i) => checkin(NOW - 48 * HOUR + Math.floor((i / n) * 47 * HOUR), i)));
  return store;
}

const stored = (store: ReturnType<typeof bigStore>, from: number): number => (store.db.prepare('SELECT COUNT(*) FROM events WHERE ts >= ?').pluck().get(from) as number);

describe('events recorded while an export runs', () => {
  for (const format of EXPORT_FORMATS) {
    it(`are all stored during a large ${format} export, and the export is whole`, async () => {
      const store = bigStore();
      const told: string[] = [];
      store.report = (line) => told.push(line);
      let recorded = 0;
      let finished = false;
      const out = join(tmp(), `x.${format}`);
      const exporting = exportAnalytics(store, { range: { last: '7d' }, format }, out, { site: 'gym', app: 'test', now: NOW }).finally(() => (finished = true));
      // The console's other work, between the export's pauses: check-ins arrive, the batch timer writes them.
      while (!finished) {
        for (let i = 0; i < 5; i++) store.record(checkin(NOW + recorded, recorded++));
        store.flush();
        await new Promise((res) => setImmediate(res));
      }
      const r = await exporting;
      store.flush();
      expect(recorded).toBeGreaterThan(0);
      expect(stored(store, NOW)).toBe(recorded);
      expect(told).toEqual([]); // no write failed meanwhile
      expect(r.events).toBe(90_000);
      if (format === 'json') {
        const events = (JSON.parse(readFileSync(out, 'utf8')) as { events: { ts: number }[] }).events;
        expect(events).toHaveLength(90_000);
        expect(events.every((e, i) => i === 0 || events[i - 1]!.ts <= e.ts)).toBe(true);
      }
      store.close();
    }, 60_000);
  }
});

describe('a write of events that fails', () => {
  // readme24 R4: "(database or disk is full); 1 are kept".
  it('on a full disk says so in the disk\'s words, and counts one as one', () => {
    const store = bigStore();
    const told: string[] = [];
    store.report = (line) => told.push(line);
    const insert = store.insertEvents.bind(store);
    store.insertEvents = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    store.record(checkin(NOW, 1));
    store.flush();
    expect(told).toEqual(["analytics events could not be stored (this PC's disk is full); 1 is kept and retried every 1 s, up to 50000."]);
    // Health's Local databases check says it too, not "Saving works".
    expect(store.notStoring).toBe("Analytics are not being saved: this PC's disk is full. Check-ins are not affected; 1 event waits in memory and is saved once it can be. Tell the gym's IT.");
    store.insertEvents = insert;
    store.flush();
    expect(store.notStoring).toBeNull();
    store.close();
  });

  it('keeps the batch, says so once, and stores it at the next flush', () => {
    const store = bigStore();
    const told: string[] = [];
    store.report = (line) => told.push(line);
    // A reader holding the connection, as the old JSON export did: every write fails as "busy".
    const cursor = store.db.prepare('SELECT * FROM events').iterate();
    cursor.next();
    for (let i = 0; i < 2_500; i++) store.record(checkin(NOW + i, i)); // passes the 2,000 that flush at once
    store.flush();
    store.flush();
    expect(told).toEqual([expect.stringMatching(/^analytics events could not be stored \(.*busy.*\); 2000 are kept and retried every 1 s, up to 50000\.$/)]);
    cursor.return!();
    store.flush();
    expect(stored(store, NOW)).toBe(2_500);
    expect(told[1]).toBe('analytics events are stored again: 2500 kept meanwhile were written.');
    store.close();
  });

  it('keeps at most 50,000 while it fails, dropping the oldest and counting them', () => {
    const store = bigStore();
    const told: string[] = [];
    store.report = (line) => told.push(line);
    const cursor = store.db.prepare('SELECT * FROM events').iterate();
    cursor.next();
    for (let i = 0; i < 60_000; i++) store.record(checkin(NOW + i, i));
    cursor.return!();
    store.flush();
    const kept = stored(store, NOW);
    expect(kept).toBeLessThanOrEqual(50_000);
    expect(kept).toBeGreaterThanOrEqual(45_000);
    expect(store.db.prepare('SELECT MAX(ts) FROM events').pluck().get()).toBe(NOW + 59_999); // the newest are kept
    expect(told.at(-1)).toBe(`analytics events are stored again: ${kept} kept meanwhile were written; ${60_000 - kept} older ones were dropped while it could not.`);
    store.close();
  });
});
