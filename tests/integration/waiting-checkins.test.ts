import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { Member } from '../../src/shared/protocol';
import { waitFor } from '../helpers/wait';

/** A check-in taken while the backend is away is listed on this PC at once, with its decision, across a restart, until it is sent. */

const TOKEN = 'waiting-checkins';
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
});
afterAll(() => cluster.close());
// Signed in at the desk: whether it was decided here is staff's to know (a kiosk is told only its verdict).
const kiosk = { transport: 'test' as const, session: new Session('desk') };

describe('check-ins waiting for the backend', () => {
  it('are listed at once with what this PC decided, still after a restart, and gone once sent', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-waiting-'));
    const member = [...cluster.gym.members].filter((m: Member) => m.status === 'active')[7]!;
    let core = await startCore({ version: 't', dataDir, backend: { endpoints: cluster.urls, token: TOKEN } });
    await waitFor(() => core.desk.cache.size >= 2400, 15_000);
    await Promise.all(cluster.instances.map((i) => i.kill()));
    await waitFor(() => core.pools.connectionView().state === 'offline', 10_000);
    const r = await dispatch(core.handlers, 'desk.checkin', { cardId: member.cardId, source: 'kiosk' }, kiosk);
    expect(r).toMatchObject({ ok: true, value: { offline: true, verdict: { allowed: true } } });
    const c1 = core;
    const listed = () => c1.stream.current('waitingCheckins');
    await waitFor(() => listed().length === 1, 5_000);
    // probe27a P7: where it was scanned, not "this PC" for all (the desk looking for whom the kiosk turned away).
    expect(listed()[0]).toMatchObject({ cardId: member.cardId, name: member.name, source: 'kiosk', decided: { allowed: true } });

    await core.stop();
    core = await startCore({ version: 't', dataDir, backend: { endpoints: cluster.urls, token: TOKEN } });
    const c2 = core;
    await waitFor(() => c2.stream.current('waitingCheckins').length === 1, 5_000);
    expect(core.stream.current('waitingCheckins')).toMatchObject([{ cardId: member.cardId, name: member.name, decided: { allowed: true } }]);

    await Promise.all(cluster.instances.map((i) => i.restore()));
    await waitFor(() => c2.stream.current('waitingCheckins').length === 0, 20_000);
    // Its event comes on the live stream, apart from the reply that took it off the waiting list: it may come just after.
    await waitFor(() => c2.stream.feed('checkins').some((c) => c.cardId === member.cardId) || null, 10_000);
    await core.stop();
  }, 60_000);
});
