import { afterEach, describe, expect, it } from 'vitest';
import { outboxRig } from '../helpers/outbox-setup';
import { waitFor } from '../helpers/wait';

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

describe('a backend that crash-loops under its supervisor while its database is down (real sockets)', () => {
  it('dies as soon as any check-in arrives, again and again, and costs none: each is sent once it is back', async () => {
    // Quick backoff, and no pause for a flapping address before 20 flaps, so the loop is a few seconds.
    const rig = await outboxRig({ retryBaseMs: 20, retryCapMs: 200 }, { cluster: { instances: 1 }, pool: { reconnectAttempts: 20 } });
    close = () => rig.close();
    const inst = rig.cluster.instance(0);
    const gym = rig.cluster.gym;
    const checkIn = gym.checkIn.bind(gym);
    let restarts = 0;
    let restarting: Promise<void> | null = null;
    gym.checkIn = (...args) => {
      if (restarts >= 12) return checkIn(...args);
      // The process dies with every socket before it answers, and its supervisor starts it again at once.
      restarting ??= inst.kill().then(() => inst.restore()).finally(() => {
        restarts++;
        restarting = null;
      });
      return new Promise(() => {}) as unknown as ReturnType<typeof checkIn>;
    };
    const cards = ['CARD0001', 'CARD0002', 'CARD0003', 'CARD0004'];
    for (const cardId of cards) await rig.outbox.enqueue('realtime', 'checkin', { cardId, source: 'desk' });
    await waitFor(() => rig.outbox.view().queued + rig.outbox.view().inFlight === 0, 30_000);
    expect(rig.outbox.deadLetters()).toEqual([]);
    expect(restarts).toBe(12); // the check-in at the head was the first in flight at each
    expect(cards.every((c) => gym.snapshot().recent.some((e) => (e.body as { cardId?: string }).cardId === c))).toBe(true);
  }, 40_000);
});
