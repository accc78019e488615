import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/main/core/auth/session';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { systemClock, type Clock } from '../../src/main/core/clock';
import type { CheckinEntry } from '../../src/shared/state';
import { waitFor } from '../helpers/wait';

const TOKEN = 'scan-time';
const MIN = 60_000;
/**
 * One wall clock for the gym, backend and PC alike, that the test moves on: timers still run in real time. The
 * PC's monotonic clock moves with it (time passed, as in a process asleep): a wall clock moved alone is a clock set.
 */
let offset = 0;
const wall = (): number => Date.now() + offset;
const clock: Clock = { ...systemClock, now: wall, mono: () => performance.now() + offset };

let cluster: Cluster;
let core: Core;
const ctx = { transport: 'test' as const, session: new Session('desk') };

beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN, now: wall, maxVisitMs: 30 * MIN });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-scan-')), backend: { endpoints: cluster.urls, token: TOKEN }, clock });
  await waitFor(() => core.desk.cache.size >= 2400, 10_000);
});
afterAll(async () => {
  await core.stop();
  await cluster.close();
});

describe('a kiosk check-in queued while the backend is away, sent 29 minutes later', () => {
  it('is recorded at the scan: by the backend, in the live list (which says when it reached the backend), and in analytics', async () => {
    const member = [...cluster.gym.members].filter((m) => m.status === 'active')[7]!;
    await Promise.all(cluster.instances.map((i) => i.kill()));
    await waitFor(() => core.pools.connectionView().state === 'offline');

    const before = wall();
    const r = await dispatch(core.handlers, 'desk.checkin', { cardId: member.cardId, source: 'kiosk' }, ctx);
    const after = wall();
    expect(r).toMatchObject({ ok: true, value: { offline: true, verdict: { allowed: true } } });
    core.analytics.store.addSamples([core.analytics.sampler.take()]); // the 10 s sample that covers the scan

    offset += 29 * MIN;
    await Promise.all(cluster.instances.map((i) => i.restore()));
    const entry = await waitFor(() => core.stream.snapshot().feeds.checkins.find((c: CheckinEntry) => c.cardId === member.cardId), 10_000);

    // The backend: the event says when it was scanned; the visit started then.
    const event = cluster.gym.log.recent(50).find((e) => e.body.kind === 'checkin' && e.body.cardId === member.cardId)!;
    expect(event.ts).toBeGreaterThanOrEqual(before + 29 * MIN);
    const scannedAt = event.body.kind === 'checkin' ? event.body.scannedAt! : NaN;
    expect(scannedAt).toBeGreaterThanOrEqual(before);
    expect(scannedAt).toBeLessThanOrEqual(after);
    expect(cluster.gym.isInside(member.id)).toBe(true);
    offset += 2 * MIN; // 31 min after the scan, 2 after it arrived: past the 30 min maximum visit
    expect(cluster.gym.sweep()).toBe(1);

    // The live list: at the scan, saying when it reached the backend.
    expect(entry).toMatchObject({ ts: scannedAt, arrivedAt: event.ts, allowed: true });

    // Analytics: the event and the check-in count sit at the scan, not at the arrival.
    const store = core.analytics.store;
    store.flush();
    expect(store.events({ from: scannedAt, to: scannedAt + 1, categories: ['checkin'], limit: 5 })).toHaveLength(1);
    const bucket = Math.floor(scannedAt / 10_000) * 10_000;
    expect(store.series(bucket - 60_000, bucket + 60_000).points.reduce((n, p) => n + p.allowed, 0)).toBe(1);

    // The kiosk's own offline decision agreed with the backend: nothing to flag.
    expect(core.stream.snapshot().feeds.activity.some((a) => a.type === 'reconcile-conflict')).toBe(false);
  });
});
