import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/main/core/auth/session';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import type { CheckinEntry } from '../../src/shared/state';
import { eventWords, overruledWords } from '../../src/shared/words';
import { waitFor } from '../helpers/wait';

const TOKEN = 'overruled';
let cluster: Cluster;
let kiosk: Core;
let desk: Core;
const ctx = { transport: 'test' as const, session: new Session('desk') };
const start = (name: string) => startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), `gym-${name}-`)), backend: { endpoints: cluster.urls, token: TOKEN } });

beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
  [kiosk, desk] = await Promise.all([start('kiosk'), start('desk')]);
  await waitFor(() => kiosk.desk.cache.size >= 2400, 10_000);
});
afterAll(async () => {
  await Promise.all([kiosk.stop(), desk.stop()]);
  await cluster.close();
});

describe('a kiosk lets a member in offline and the backend overrules it', () => {
  it('every console flags it in the live list and the event log, in staff words', async () => {
    const m = [...cluster.gym.members].filter((x) => x.status === 'active')[11]!;
    await Promise.all(cluster.instances.map((i) => i.kill()));
    await waitFor(() => kiosk.pools.connectionView().state === 'offline');
    cluster.gym.checkIn(m.cardId, 'door'); // in at the door during the outage: neither console saw it
    expect(await dispatch(kiosk.handlers, 'desk.checkin', { cardId: m.cardId, source: 'kiosk' }, ctx)).toMatchObject({ ok: true, value: { offline: true, verdict: { allowed: true } } });

    await Promise.all(cluster.instances.map((i) => i.restore()));
    const words = "Let in by the kiosk while the gym's system was slow or away — the backend says: already checked in. Check with the member.";
    for (const core of [desk, kiosk]) {
      const entry = await waitFor(() => core.stream.snapshot().feeds.checkins.find((c: CheckinEntry) => c.cardId === m.cardId && c.source === 'kiosk'), 10_000);
      expect(entry).toMatchObject({ allowed: false, reason: 'duplicate', decidedOffline: { allowed: true, reason: 'ok' } });
      expect(overruledWords(entry!)).toBe(words);
      core.analytics.store.flush();
      const [event] = core.analytics.store.events({ from: 0, to: Date.now() + 60_000, categories: ['checkin'], text: m.name, limit: 5 }).filter((e) => e.source === 'kiosk');
      expect(eventWords(event!)).toEqual({ what: 'Denied: already checked in', detail: `${m.name} · ${words}` });
    }
  });
});
