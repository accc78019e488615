import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ACTIVITY_KINDS, activityEntry, type ActivityType } from '../../src/shared/activity';
import { failoverDetail } from '../../src/main/core/pool/manager';
import { AnalyticsEngine } from '../../src/main/core/analytics/engine';
import type { AnalyticsStore, NewEvent } from '../../src/main/core/store/analytics-store';
import type { CheckinEntry } from '../../src/shared/state';

/** An engine over a store that only remembers what it was given. */
function engine() {
  const rows: NewEvent[] = [];
  // Settings live in the store's meta table; the events are what this test reads.
  const db = new Database(':memory:');
  db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const store = { db, record: (e: NewEvent) => rows.push(e) } as unknown as AnalyticsStore;
  const e = new AnalyticsEngine(store, { occupancy: () => 0 } as never, () => 5_000);
  return { e, rows };
}

const checkin = (allowed: boolean): CheckinEntry => ({ seq: 1, ts: 4_000, cardId: 'C1', memberId: 'm1', name: 'Ada', status: 'active', allowed, reason: allowed ? 'ok' : 'expired', source: 'kiosk' } as CheckinEntry);

describe('one activity union', () => {
  it('makes every entry the same way: stamped, with the fields that do not apply empty', () => {
    expect(activityEntry(7, { type: 'probe', detail: 'resume' })).toEqual({ ts: 7, type: 'probe', pool: '', endpoint: '', detail: 'resume' });
    expect(activityEntry(8, { type: 'failed', pool: 'main', endpoint: 'ws://a' })).toEqual({ ts: 8, type: 'failed', pool: 'main', endpoint: 'ws://a', detail: '' });
  });

  it.each<[ActivityType, string]>([
    ['connected', 'connection'],
    ['probe', 'connection'],
    ['quarantined', 'pool'],
    ['token-changed', 'pool'],
    ['dead-letter', 'error'],
    ['store-damaged', 'error'],
    ['reconcile-conflict', 'checkin'],
  ])('the analytics store files %s under %s, as the table says', (type, category) => {
    const { e, rows } = engine();
    e.activity(activityEntry(1_000, { type, endpoint: type === 'connected' ? 'ws://a' : '', detail: 'x' }));
    expect(rows).toEqual([{ ts: 1_000, category, type, source: type === 'connected' ? 'ws://a' : 'console', detail: 'x', stack: null }]);
    expect(ACTIVITY_KINDS[type].category).toBe(category);
  });

  it('counts failures, drops and dead letters as errors, and nothing else', () => {
    const { e } = engine();
    for (const type of Object.keys(ACTIVITY_KINDS) as ActivityType[]) e.activity(activityEntry(1, { type }));
    expect(e.meter.total.errors).toBe(3);
    expect(e.meter.total).toMatchObject({ in: 0, out: 0, ok: 0 });
  });
});

describe('the engine counts from what it receives', () => {
  it('every backend event is one in; a check-in is also allowed or denied, and recorded', () => {
    const { e, rows } = engine();
    e.received(null);
    e.received(checkin(true));
    e.received(checkin(false));
    expect(e.meter.total).toMatchObject({ in: 3, ok: 3, allowed: 1, denied: 1, out: 0 });
    expect(rows.map((r) => [r.category, r.type, r.source])).toEqual([
      ['checkin', 'allowed', 'kiosk'],
      ['checkin', 'denied', 'kiosk'],
    ]);
  });

  it('every acknowledged message is one out', () => {
    const { e, rows } = engine();
    e.delivered();
    e.delivered();
    expect(e.meter.total).toMatchObject({ out: 2, ok: 2, in: 0 });
    expect(rows).toEqual([]);
  });
});

describe('a failover line says what moved', () => {
  it('another socket on the same instance is not called another instance', () => {
    expect(failoverDetail({ from: 'ws://a:1', to: 'ws://a:1', sameInstance: true, toInstance: 'i' })).toBe('now via another connection to the same instance');
    expect(failoverDetail({ from: 'ws://a:1', to: 'ws://b:2', sameInstance: false, toInstance: 'i' })).toBe('now via ws://b:2');
    expect(failoverDetail({ from: 'ws://a:1', to: null, sameInstance: false, toInstance: '' })).toMatch(/no connection left/);
    // Behind a load balancer, the same address reaches another program: said so (probe-hostile20).
    expect(failoverDetail({ from: 'ws://a:1', to: 'ws://a:1', sameInstance: false, toInstance: 'b' })).toBe('now via ws://a:1 (instance "b")');
  });
});
