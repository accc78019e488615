import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { waitFor } from '../helpers/wait';
import { SAMPLE_MS } from '../../src/shared/analytics';

// Walkthrough 13b: a backend answering every request in 1.5 s took every socket out of rotation for
// slowness, and the outbox, which sent only on sockets in rotation, sent nothing at all: check-ins
// piled up "waiting to send" for good while every address said connected.
let cluster: Cluster;
let core: Core;
beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: 'slow' });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-slow-')), backend: { endpoints: cluster.urls, token: 'slow' } });
  await waitFor(() => core.desk.cache.size > 100, 10_000);
});
afterAll(async () => {
  await core.stop();
  await cluster.close();
});

describe('a backend that answers, slowly', () => {
  it('every check-in still reaches it when no socket is left in rotation, each once', async () => {
    const members = [...cluster.gym.members].filter((m) => m.status === 'active').slice(0, 5);
    const applied = (): number => [...cluster.gym.applied.values()].reduce((a, b) => a + b, 0);
    const before = applied();
    for (const i of cluster.instances) i.delay(1_500);
    for (const m of members) {
      expect(await dispatch(core.handlers, 'desk.checkin', { cardId: m.cardId, source: 'desk' }, { transport: 'test', session: new Session('desk') })).toMatchObject({ ok: true });
    }
    await waitFor(() => applied() === before + members.length, 30_000);
    await waitFor(() => core.outbox.view().queued + core.outbox.view().inFlight === 0, 10_000);
    expect([...cluster.gym.applied.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('is learned as slow, not frozen: its sockets stay open, score above 0 and say why, and Health says how slow', async () => {
    for (const i of cluster.instances) i.delay(1_500);
    const sockets = () => core.pools.list().flatMap((p) => p.sockets).filter((s) => s.state === 'open');
    await waitFor(() => sockets().length > 0 && sockets().every((s) => (s.inputs.latencyMs ?? 0) > 1_000), 20_000);
    const lost = () => core.stream.snapshot().feeds.activity.filter((a) => a.type === 'disconnected').length;
    const disconnects = lost();
    // Several seconds of 1.5 s replies: each later one is learned, none read as the end of a freeze.
    await new Promise((r) => setTimeout(r, 4_000));
    for (const s of sockets()) {
      expect(s.inRotation).toBe(false);
      expect(s.outBecause).toBe('slow');
      expect(s.score).toBeGreaterThan(0);
    }
    expect(lost()).toBe(disconnects); // no socket given up on as dead meanwhile
    await waitFor(() => core.stream.current('health').checks.some((c) => c.id === 'speed' && c.status === 'degraded'), 20_000);
    const speed = core.stream.current('health').checks.find((c) => c.id === 'speed')!;
    expect(speed.reason).toMatch(/The gym's system has been answering slowly for \d+ s: replies take about 1\.\d s, while this console keeps up\. Check-ins still work/);
    expect(core.alerts.settings.rules.speed).toMatchObject({ enabled: true, when: 'degraded' });
    // Walkthrough 14: the event log said so at every 10 s sample; now once, until a reminder 5 min on.
    const lines = () => {
      core.analytics.store.flush();
      return core.analytics.store.events({ from: 0, to: Date.now() + 60_000, categories: ['performance'], limit: 100 }).filter((e) => e.type.startsWith('backend-'));
    };
    await waitFor(() => lines().length > 0, 30_000);
    await new Promise((r) => setTimeout(r, 2 * SAMPLE_MS + 1_000));
    expect(lines().map((e) => e.type)).toEqual(['backend-slow']);
    // Walkthrough 14b B4: six "Socket taken out of use · score 20 …" lines a spell, one per socket; now one for the pool, no score.
    const rotation = core.stream.snapshot().feeds.activity.filter((a) => a.type === 'rotation-out');
    expect(rotation).toHaveLength(1);
    expect(rotation[0]!.detail).toMatch(/^the backend answers slowly \(about 1\.\d s a reply\), so this pool's sockets are used only while nothing faster is open; check-ins still go through them$/);
    for (const i of cluster.instances) i.delay(0);
  }, 120_000);
});
