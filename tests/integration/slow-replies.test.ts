import { describe, expect, it } from 'vitest';
import type { WireMember } from '../helpers/hostile-backend';
import { deskCheckin, healthCheck, hostileCore } from '../helpers/hostile-core';
import { waitFor } from '../helpers/wait';

// probe-hostile14b S1: a backend whose check-in replies took 2.5 s while its pongs were instant (its storage slow,
// its socket loop not) was "The gym's system answers in about 0 ms", ok: Backend speed heard the pongs alone.

const member = (n: number): WireMember => ({ id: `M0000${n}`, cardId: `400000002${n}`, name: `Member ${n}`, phone: '555-0100', status: 'active', expiresOn: '2030-01-01' });
const MEMBERS = [1, 2, 3, 4].map(member);

describe('a backend whose check-in replies are slow and its pongs are not', () => {
  it('is said to be slow by Backend speed, with its reply time', async () => {
    const { hb, core: c } = await hostileCore({ instances: 1, members: MEMBERS, dataDirPrefix: 'gym-slow-replies-' });
    await waitFor(() => c.pools.connectionView().state === 'connected' && c.desk.cache.size === MEMBERS.length, 10_000);
    hb.lateCheckins(2_500);
    for (const m of MEMBERS) {
      expect(await deskCheckin(c, m.cardId)).toMatchObject({ ok: true });
    }
    await waitFor(() => c.outbox.view().queued + c.outbox.view().inFlight === 0, 20_000);
    // The socket the check-ins went on learned it; the other, hearing only pongs, speaks for the same instance.
    const sockets = () => c.pools.list().flatMap((p) => p.sockets).filter((s) => s.state === 'open');
    expect(sockets().some((s) => (s.inputs.latencyMs ?? 0) > 1_500), JSON.stringify(sockets())).toBe(true);
    await waitFor(() => c.stream.current('health').checks.some((x) => x.id === 'speed' && x.status === 'degraded'), 30_000);
    const speed = healthCheck(c, 'speed');
    expect(speed.reason).toMatch(/replies take about 2(\.\d)? s/);
  }, 60_000);
});
