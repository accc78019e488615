import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConsoleStore } from '../../src/renderer/src/store/console-store';
import { may } from '../../src/renderer/src/store/auth-hooks';
import { emptyFeeds, type CheckinEntry, type Snapshot, type StatePatch } from '../../src/shared/state';
import type { GymApi } from '../../src/shared/contract';
import { GYM_ROLES } from '../../src/shared/roles';

const row = (n: number) => ({ cardId: `C${n}`, ts: n }) as unknown as CheckinEntry;
const snapshot = (seq: number, count: number): Snapshot => {
  const s = createConsoleStore().getState(); // the initial gauges, as a snapshot would carry them
  return { seq, gauges: { mode: s.mode, connection: s.connection, occupancy: { count, capacity: 100 }, demo: s.demo, pools: s.pools, outbox: s.outbox, exportProgress: s.exportProgress, alerts: s.alerts }, feeds: emptyFeeds() } as Snapshot;
};
const patch = (seq: number, count: number, rows: CheckinEntry[] = []): StatePatch => ({ seq, gauges: { occupancy: { count, capacity: 100 } }, feeds: { checkins: rows } });

describe('the console store (one store of slices)', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] }));
  afterEach(() => void vi.useRealTimers());

  it('holds patches that come before any snapshot, then applies only those newer than it', () => {
    const store = createConsoleStore();
    store.getState().applyPatch(patch(4, 40));
    store.getState().applyPatch(patch(6, 60, [row(1)]));
    expect(store.getState().occupancy.count).toBe(0); // nothing shown before a snapshot
    store.getState().applySnapshot(snapshot(5, 50));
    const s = store.getState();
    expect(s.patchSeq).toBe(6);
    expect(s.occupancy.count).toBe(60);
    expect(s.checkins).toEqual([row(1)]);
    expect(s.early).toEqual([]);
  });

  it('drops a patch the snapshot already holds, and caps a feed at its newest entries', () => {
    const store = createConsoleStore();
    store.getState().applySnapshot(snapshot(10, 5));
    store.getState().applyPatch(patch(9, 99));
    expect(store.getState().occupancy.count).toBe(5);
    for (let seq = 11; seq < 16; seq++) store.getState().applyPatch(patch(seq, seq, Array.from({ length: 50 }, (_, i) => row(seq * 100 + i))));
    const { checkins } = store.getState();
    expect(checkins).toHaveLength(200);
    expect(checkins.at(-1)).toEqual(row(1549));
    expect(checkins[0]).toEqual(row(1200));
  });

  it('keeps the figures through a lost link, marked with when they arrived, until a fresh snapshot', () => {
    const store = createConsoleStore();
    store.getState().applySnapshot(snapshot(1, 7));
    vi.setSystemTime(1_060_000);
    store.getState().setBridgeStatus('lost');
    expect(store.getState()).toMatchObject({ bridge: 'lost', synced: false, staleAsOf: 1_000_000, occupancy: { count: 7 } });
    store.getState().setBridgeStatus('connecting'); // still the age of the figures, not of the retry
    expect(store.getState().staleAsOf).toBe(1_000_000);
    store.getState().setBridgeStatus('open');
    expect(store.getState().staleAsOf).toBe(1_000_000);
    store.getState().applySnapshot(snapshot(2, 8));
    expect(store.getState()).toMatchObject({ staleAsOf: null, synced: true, occupancy: { count: 8 } });
  });

  it('resyncs from the API it holds', async () => {
    const store = createConsoleStore();
    const call = vi.fn(async () => ({ ok: true as const, value: snapshot(3, 33) }));
    store.setState({ api: { call } as unknown as GymApi });
    await store.getState().resync();
    expect(call).toHaveBeenCalledWith('state.snapshot');
    expect(store.getState().occupancy.count).toBe(33);
  });

  it('starts again from a snapshot when a patch number is skipped (the host held patches back)', async () => {
    const store = createConsoleStore();
    const call = vi.fn(async () => ({ ok: true as const, value: snapshot(9, 90) }));
    store.setState({ api: { call } as unknown as GymApi });
    store.getState().applySnapshot(snapshot(5, 50));
    store.getState().applyPatch(patch(6, 60));
    expect(call).not.toHaveBeenCalled();
    store.getState().applyPatch(patch(8, 80, [row(8)])); // 7 never came: 8 alone would miss what 7 changed
    expect(store.getState()).toMatchObject({ synced: false, occupancy: { count: 60 } });
    store.getState().applyPatch(patch(10, 100, [row(10)])); // after the snapshot it is being fetched for
    expect(call).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(store.getState().synced).toBe(true));
    expect(store.getState()).toMatchObject({ patchSeq: 10, occupancy: { count: 100 }, checkins: [row(10)] });
  });

  it('keeps nothing beside the store: two stores do not share a patch, a buffer or a sign-in', () => {
    const a = createConsoleStore();
    const b = createConsoleStore();
    a.getState().applyPatch(patch(1, 1));
    a.getState().setAuth({ role: 'manager', setupNeeded: false, roles: GYM_ROLES, lockedForS: 0 });
    expect(b.getState().early).toEqual([]);
    expect(b.getState().auth).toBeNull();
    a.getState().applySnapshot(snapshot(0, 0));
    b.getState().applySnapshot(snapshot(0, 0));
    expect(a.getState().occupancy.count).toBe(1);
    expect(b.getState().occupancy.count).toBe(0);
  });
});

describe('role checks from the auth slice', () => {
  const as = (role: 'desk' | 'manager' | 'kiosk' | null) => ({ role, setupNeeded: false, roles: GYM_ROLES, lockedForS: 0 });
  it('offer a control only to a role that main would let use it', () => {
    expect(may(null, 'auth.login')).toBe(true);
    expect(may(null, 'pools.list')).toBe(false);
    expect(may(as('kiosk'), 'desk.checkin')).toBe(true);
    expect(may(as('kiosk'), 'pools.list')).toBe(false);
    expect(may(as('desk'), 'pools.list')).toBe(true);
    expect(may(as('desk'), 'pools.destroy')).toBe(false);
    expect(may(as('manager'), 'pools.destroy')).toBe(true);
  });
});
