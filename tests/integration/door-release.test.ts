import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/main/core/auth/session';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import type { DoorView } from '../../src/shared/state';
import { waitFor, sleep } from '../helpers/wait';

const TOKEN = 'door';
const WAIT_MS = 1_500;
/** How long an outcome is news here (two minutes in the field). */
const NEWS_MS = 3_000;
let cluster: Cluster;
let core: Core;
const ctx = { transport: 'test' as const, session: new Session('desk') };
const managerCtx = { transport: 'test' as const, session: new Session('manager') };
const call = async <T>(name: string, payload?: unknown, as = ctx): Promise<T> => {
  const r = await dispatch(core.handlers, name, payload, as);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
type Press = { view: DoorView; sent: boolean };
const press = () => call<Press>('door.release', { door: 'front' });
/** What the screens are sent (patches are coalesced: wait for the one that carries a change). */
const door = () => core.stream.current('door');
/** Door releases the gym applied. */
const opened = () => cluster.gym.actions.filter((a) => a.kind === 'door.open').length;

beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-door-')), backend: { endpoints: cluster.urls, token: TOKEN }, doorReleaseMs: WAIT_MS, doorNewsMs: NEWS_MS });
  await waitFor(() => core.pools.connectionView().state === 'connected', 10_000);
});
afterAll(async () => {
  await core.stop();
  await cluster.close();
});

describe('the front-door release through the console: now or never', () => {
  it('is sent once however often it is pressed while it waits, confirmed, and audited', async () => {
    const before = opened();
    const presses = await Promise.all([press(), press(), press()]);
    expect(presses.map((p) => p.sent)).toEqual([true, false, false]);
    await waitFor(() => door()?.state === 'released');
    await sleep(200);
    expect(opened()).toBe(before + 1);
    const audit = await call<{ action: string; subject: string; actor: string }[]>('audit.list', undefined, managerCtx);
    expect(audit.filter((a) => a.action.startsWith('door.'))).toMatchObject([{ action: 'door.release', subject: 'front', actor: 'front desk' }]);
    // Shown to anyone who looks later as history, not as the door's state now.
    await waitFor(() => door()?.earlier === true, NEWS_MS + 3_000);
    expect(door()).toMatchObject({ state: 'released' });
  });

  it('is not queued as a staff message, where it would wait a day', async () => {
    expect(await dispatch(core.handlers, 'outbox.send', { lane: 'realtime', kind: 'door.open', data: 'front' }, ctx)).toMatchObject({ ok: false, error: { code: 'door-release-only' } });
  });

  it('pressed on a backend that takes it and never answers: given up after its wait, never sent again, and no dead letter for a manager', async () => {
    const before = opened();
    for (const i of cluster.instances) i.hang();
    try {
      expect(await press()).toMatchObject({ sent: true, view: { state: 'waiting' } });
      await waitFor(() => door()?.state === 'not-released', WAIT_MS + 2_000);
      expect(door()).toMatchObject({ why: 'no-answer' });
      // The socket is given up on (heartbeat or request timeout): the release lapses, not sent elsewhere, and
      // is no dead letter: the door card told the desk, and a red "Outgoing messages" would only repeat it.
      await waitFor(() => core.outbox.view().queued + core.outbox.view().inFlight === 0, 20_000);
      expect(await call<unknown[]>('outbox.dead')).toEqual([]);
      expect(core.outbox.view().dead).toBe(0);
      const audit = await call<{ action: string }[]>('audit.list', undefined, managerCtx);
      expect(audit.find((a) => a.action.startsWith('door.'))).toMatchObject({ action: 'door.expired' });
    } finally {
      await Promise.all(cluster.instances.map((i) => i.restore()));
    }
    await waitFor(() => core.pools.connectionView().state === 'connected', 10_000);
    await sleep(1_000);
    // What reached a hung socket before the wait ended may still land when it resumes; nothing is sent after.
    expect(opened()).toBeLessThanOrEqual(before + 1);
    expect(core.outbox.view().queued + core.outbox.view().inFlight).toBe(0);
  }, 40_000);

  it('pressed with every instance down, says so at once, queues nothing, and does not open when the backend is back', async () => {
    const before = opened();
    await Promise.all(cluster.instances.map((i) => i.kill()));
    try {
      await waitFor(() => core.pools.connectionView().state === 'offline', 10_000);
      const queued = core.outbox.view().queued;
      expect(await press()).toMatchObject({ sent: false, view: { state: 'not-released', why: 'offline' } });
      await waitFor(() => door()?.why === 'offline'); // the screens' state, as the next patch carries it
      expect(core.outbox.view().queued).toBe(queued);
    } finally {
      await Promise.all(cluster.instances.map((i) => i.restore()));
    }
    await waitFor(() => core.pools.connectionView().state === 'connected', 10_000);
    await sleep(1_000);
    expect(opened()).toBe(before);
    // Recorded as refused, not as released (the log and the export said "Released the front door").
    const audit = await call<{ action: string; actor: string }[]>('audit.list', undefined, managerCtx);
    expect(audit.find((a) => a.action.startsWith('door.'))).toMatchObject({ action: 'door.refused', actor: 'front desk' });
    // The event log (the CSV export's rows) takes the same action, so its words are the audit log's.
    const events = await call<{ type: string; source: string }[]>('analytics.events', { range: { last: '1h' }, categories: ['user'] }, managerCtx);
    expect(events.find((e) => e.type.startsWith('door.'))).toMatchObject({ type: 'door.refused', source: 'front desk' });
  }, 30_000);
});
