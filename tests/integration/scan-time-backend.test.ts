import { afterEach, describe, expect, it } from 'vitest';
import type { GymOptions } from '../../src/server/gym';
import { startCluster } from '../../src/server/cluster';
import { LIMITS, type GymEvent, type ServerFrame } from '../../src/shared/protocol';
import { subscribedClient } from '../helpers/raw-client';
import { gymStores, type OpenedGym } from '../helpers/gym-stores';
import { waitFor } from '../helpers/wait';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 23, 10);

const STORES = gymStores('scan');
type Opened = OpenedGym;

describe.each(STORES)('a check-in that waited, on the $name store', ({ skip, open }) => {
  let now = T0;
  let opened: Opened | null = null;
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });

  async function gym(o: GymOptions = {}) {
    now = T0;
    opened = await open({ now: () => now, ...o });
    const store = opened.store;
    const actives = [...store.members].filter((m) => m.status === 'active');
    const lastEvent = async (): Promise<{ ts: number; body: GymEvent }> => (await store.replay(0)).events.at(-1)!;
    return { store, actives, lastEvent, tick: (ms: number) => (now += ms) };
  }

  it.skipIf(skip)('starts the visit at the scan: the event says when it was scanned and when it was recorded, and the maximum visit counts from the scan', async () => {
    const { store, actives, lastEvent, tick } = await gym({ maxVisitMs: 3 * HOUR });
    const scan = T0 - 40 * MIN;
    expect((await store.checkIn(actives[0]!.cardId, 'kiosk', 'held-1', { scannedAt: scan })).verdict.allowed).toBe(true);
    const e = await lastEvent();
    expect(e.ts).toBe(T0);
    expect(e.body).toMatchObject({ kind: 'checkin', scannedAt: scan });
    tick(2 * HOUR + 19 * MIN); // 2 h 59 min after the scan
    expect(await store.sweep()).toBe(0);
    tick(MIN); // 3 h after the scan, 2 h 20 min after it arrived
    expect(await store.sweep()).toBe(1);
    expect(await lastEvent()).toMatchObject({ body: { kind: 'checkout', memberId: actives[0]!.id, auto: true } });
  });

  it.skipIf(skip)('counts the duplicate window from the scan', async () => {
    const { store, actives, tick } = await gym({ duplicateWindowMs: 10 * MIN });
    const m = actives[1]!;
    await store.checkIn(m.cardId, 'desk', 'held-2', { scannedAt: T0 - 8 * MIN });
    await store.checkOut(m.id);
    tick(3 * MIN); // 11 min after the scan, 3 after it arrived
    expect((await store.checkIn(m.cardId, 'desk', 'live-2')).verdict).toEqual({ allowed: true, reason: 'ok' });
  });

  it.skipIf(skip)('takes a scan in the future as now, one older than a day as a day old, and none as now', async () => {
    const { store, actives, lastEvent, tick } = await gym({ maxVisitMs: 3 * HOUR });
    await store.checkIn(actives[2]!.cardId, 'kiosk', 'ahead', { scannedAt: T0 + HOUR });
    expect((await lastEvent()).body).toMatchObject({ scannedAt: T0 });
    await store.checkIn(actives[3]!.cardId, 'kiosk', 'ancient', { scannedAt: T0 - 3 * 24 * HOUR });
    expect((await lastEvent()).body).toMatchObject({ scannedAt: T0 - LIMITS.maxScanAgeMs });
    await store.checkIn(actives[4]!.cardId, 'kiosk', 'live');
    expect((await lastEvent()).body).not.toHaveProperty('scannedAt');
    // The day-old visit is past the maximum at once; the others started now.
    expect(await store.sweep()).toBe(1);
    tick(3 * HOUR);
    expect(await store.sweep()).toBe(2);
  });

  it.skipIf(skip)('judges the verdict on the state now, and a resend of the same id gets the first reply whatever time it carries', async () => {
    const { store, actives, lastEvent } = await gym();
    const m = actives[5]!;
    await store.checkIn(m.cardId, 'door'); // in through the door while the kiosk's check-in waited
    const late = await store.checkIn(m.cardId, 'kiosk', 'held-3', { scannedAt: T0 - 20 * MIN });
    expect(late.verdict).toEqual({ allowed: false, reason: 'duplicate' });
    expect((await lastEvent()).body).toMatchObject({ verdict: { allowed: false, reason: 'duplicate' }, scannedAt: T0 - 20 * MIN });
    const head = (await store.replay(0)).head;
    expect(await store.checkIn(m.cardId, 'kiosk', 'held-3', { scannedAt: T0 - 5 * MIN })).toEqual(late);
    expect((await store.replay(0)).head).toBe(head);
  });
});

describe('scannedAt on the wire, through a backend instance', () => {
  it('goes from the request into the event every console sees; a check-in without it has none', async () => {
    const cluster = await startCluster({ instances: 1, port: 0, token: 't' });
    try {
      const c = await subscribedClient(cluster.urls[0]!, 't');
      const cardId = [...cluster.gym.members].find((m) => m.status === 'active')!.cardId;
      const scan = Date.now() - 30 * MIN;
      c.send({ t: 'req', id: 'held', op: 'checkin', body: { cardId, source: 'kiosk', scannedAt: scan } });
      c.send({ t: 'req', id: 'live', op: 'checkin', body: { cardId: '0000000009', source: 'kiosk' } });
      const events = await waitFor(() => (c.of('event').length === 2 ? c.of('event') : null));
      const [held, live] = events as Extract<ServerFrame, { t: 'event' }>[];
      expect(held!.body).toMatchObject({ kind: 'checkin', cardId, scannedAt: scan });
      expect(held!.ts).toBeGreaterThan(scan + 29 * MIN);
      expect(live!.body).not.toHaveProperty('scannedAt');
      c.ws.close();
    } finally {
      await cluster.close();
    }
  });
});
