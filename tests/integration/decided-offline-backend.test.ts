import { afterEach, describe, expect, it } from 'vitest';
import { startCluster } from '../../src/server/cluster';
import type { ServerFrame } from '../../src/shared/protocol';
import { subscribedClient } from '../helpers/raw-client';
import { gymStores, type OpenedGym } from '../helpers/gym-stores';
import { waitFor } from '../helpers/wait';


const STORES = gymStores('decided');
type Opened = OpenedGym;

describe.each(STORES)('a check-in a console decided offline, on the $name store', ({ skip, open }) => {
  let opened: Opened | null = null;
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });

  it.skipIf(skip)('puts the console verdict in the event beside its own, which it judges itself; none when none was sent', async () => {
    opened = await open({});
    const store = opened.store;
    const m = [...store.members].find((x) => x.status === 'active')!;
    await store.checkIn(m.cardId, 'door'); // inside already
    const r = await store.checkIn(m.cardId, 'kiosk', 'offline-1', { decidedOffline: { allowed: true, reason: 'ok' } });
    expect(r.verdict).toEqual({ allowed: false, reason: 'duplicate' });
    const events = (await store.replay(0)).events;
    expect(events.at(-1)!.body).toMatchObject({ kind: 'checkin', verdict: { allowed: false, reason: 'duplicate' }, decidedOffline: { allowed: true, reason: 'ok' } });
    expect(events.at(-2)!.body).not.toHaveProperty('decidedOffline');
  });

  it.skipIf(skip)('never counts inside a member the door turned away while offline, so they can come back and check in', async () => {
    opened = await open({});
    const store = opened.store;
    const m = [...store.members].find((x) => x.status === 'active')!;
    const before = (await store.checkIn([...store.members].find((x) => x.status === 'expired')!.cardId, 'desk')).occupancy;
    // The roster copy on the kiosk still had the member as expired: the kiosk said no, and they left.
    const r = await store.checkIn(m.cardId, 'kiosk', 'offline-no', { decidedOffline: { allowed: false, reason: 'expired' } });
    expect(r.verdict).toEqual({ allowed: false, reason: 'expired' });
    expect(r.occupancy).toBe(before);
    const events = (await store.replay(0)).events;
    expect(events.at(-1)!.body).toMatchObject({ kind: 'checkin', verdict: { allowed: false, reason: 'expired' }, decidedOffline: { allowed: false, reason: 'expired' }, occupancy: before });
    // Back at the desk after the outage: let in, not "already checked in".
    expect((await store.checkIn(m.cardId, 'desk')).verdict).toMatchObject({ allowed: true });
  });
});

describe('decidedOffline on the wire, through a backend instance', () => {
  it('goes from the request into the event every console sees', async () => {
    const cluster = await startCluster({ instances: 1, port: 0, token: 't' });
    try {
      const c = await subscribedClient(cluster.urls[0]!, 't');
      c.send({ t: 'req', id: 'offline', op: 'checkin', body: { cardId: '0000000009', source: 'kiosk', decidedOffline: { allowed: true, reason: 'ok' } } });
      const [e] = (await waitFor(() => (c.of('event').length === 1 ? c.of('event') : null))) as Extract<ServerFrame, { t: 'event' }>[];
      expect(e!.body).toMatchObject({ verdict: { allowed: false, reason: 'unknown-card' }, decidedOffline: { allowed: true, reason: 'ok' } });
      c.ws.close();
    } finally {
      await cluster.close();
    }
  });
});
