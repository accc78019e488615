import { afterEach, describe, expect, it } from 'vitest';
import { gymStores, type OpenedGym } from '../helpers/gym-stores';

// The check-in event names the request that made it, so the console that sent it knows its own event
// (own-events.ts) even when another console checks the same card in at the same moment.
describe.each(gymStores('request-id'))('a check-in event on the $name store', ({ skip, open }) => {
  let opened: OpenedGym | null = null;
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });

  it.skipIf(skip)('carries the id of the request that made it, and none when the request had none', async () => {
    opened = await open({});
    const store = opened.store;
    const m = [...store.members].find((x) => x.status === 'active')!;
    await store.checkIn(m.cardId, 'door');
    await store.checkIn(m.cardId, 'kiosk', 'req-42');
    const events = (await store.replay(0)).events;
    expect(events.at(-2)!.body).not.toHaveProperty('requestId');
    expect(events.at(-1)!.body).toMatchObject({ kind: 'checkin', source: 'kiosk', requestId: 'req-42' });
  });
});
