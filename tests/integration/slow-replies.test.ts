import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { startHostileBackend, type HostileBackend, type WireMember } from '../helpers/hostile-backend';
import { waitFor } from '../helpers/wait';

// probe-hostile14b S1: a backend whose check-in replies took 2.5 s while its pongs were instant (its storage slow,
// its socket loop not) was "The gym's system answers in about 0 ms", ok: Backend speed heard the pongs alone.

const member = (n: number): WireMember => ({ id: `M0000${n}`, cardId: `400000002${n}`, name: `Member ${n}`, phone: '555-0100', status: 'active', expiresOn: '2030-01-01' });
const MEMBERS = [1, 2, 3, 4].map(member);

let hb: HostileBackend | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  await hb?.close();
  hb = core = null;
});

describe('a backend whose check-in replies are slow and its pongs are not', () => {
  it('is said to be slow by Backend speed, with its reply time', async () => {
    hb = await startHostileBackend({ instances: 1, members: MEMBERS });
    core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-slow-replies-')), backend: { endpoints: hb.urls, token: hb.token } });
    const c = core;
    await waitFor(() => c.pools.connectionView().state === 'connected' && c.desk.cache.size === MEMBERS.length, 10_000);
    hb.lateCheckins(2_500);
    for (const m of MEMBERS) {
      expect(await dispatch(c.handlers, 'desk.checkin', { cardId: m.cardId, source: 'desk' }, { transport: 'test', session: new Session('desk') })).toMatchObject({ ok: true });
    }
    await waitFor(() => c.outbox.view().queued + c.outbox.view().inFlight === 0, 20_000);
    // The socket the check-ins went on learned it; the other, hearing only pongs, speaks for the same instance.
    const sockets = () => c.pools.list().flatMap((p) => p.sockets).filter((s) => s.state === 'open');
    expect(sockets().some((s) => (s.inputs.latencyMs ?? 0) > 1_500), JSON.stringify(sockets())).toBe(true);
    await waitFor(() => c.stream.current('health').checks.some((x) => x.id === 'speed' && x.status === 'degraded'), 30_000);
    const speed = c.stream.current('health').checks.find((x) => x.id === 'speed')!;
    expect(speed.reason).toMatch(/replies take about 2(\.\d)? s/);
  }, 60_000);
});
