import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { waitFor } from '../helpers/wait';
import type { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import { WaitingCheckins } from '../../src/main/core/desk/waiting-checkins';
import type { Db } from '../../src/main/core/store/db';

// A full disk, injected where SQLite says it (no root, no tmpfs): the writes throw what better-sqlite3 throws.
const FULL = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
const TOKEN = 'disk-full';
let cluster: Cluster;
let core: Core;
const desk = { transport: 'test' as const, session: new Session('desk') };
const kiosk = { transport: 'test' as const, session: new Session('kiosk') };
const undo: (() => void)[] = [];

/** Makes `obj[key]` throw SQLITE_FULL until the test ends. */
function fill(obj: object, key: string): void {
  const o = obj as Record<string, unknown>;
  const real = o[key];
  o[key] = () => {
    throw FULL();
  };
  undo.push(() => (o[key] = real));
}
const priv = (o: unknown) => o as Record<string, Record<string, unknown>> & Record<string, unknown>;
const outboxStore = () => priv(core.outbox).o!.store as object;
const card = (status: string, skip = 0) => [...cluster.gym.members].filter((m) => m.status === status)[skip]!.cardId;

beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-disk-full-')), backend: { endpoints: cluster.urls, token: TOKEN } });
  await waitFor(() => core.desk.cache.size >= 2400, 10_000);
});
afterEach(async () => {
  for (const u of undo.splice(0)) u();
  await Promise.all(cluster.instances.map((x) => x.restore()));
  await waitFor(() => core.pools.connectionView().state !== 'offline', 15_000); // the next test starts with the backend up
});
afterAll(async () => {
  await core.stop();
  await cluster.close();
});

describe('a full disk at the front desk', () => {
  it('backend up: the check-in is sent from memory and answered; Overview and Health say the disk is full', async () => {
    fill(outboxStore(), 'commit');
    const r = await dispatch(core.handlers, 'desk.checkin', { cardId: card('active', 7), source: 'desk' }, desk);
    expect(r).toMatchObject({ ok: true, value: { offline: false, verdict: { allowed: true } } });
    // The verdict may come from its live event before the ack: until the ack, it is counted as only in memory.
    await waitFor(() => core.outbox.view().queued + core.outbox.view().inFlight === 0);
    expect(core.outbox.view().alert).toMatch(/^This PC's disk is full: check-ins and staff actions are held in memory .* Tell the gym's IT/);
  });

  it('backend down: refused in words the kiosk can show, not "Something went wrong"', async () => {
    fill(outboxStore(), 'commit');
    fill(priv(core.desk).decisions!.add as object, 'run');
    await Promise.all(cluster.instances.map((x) => x.kill()));
    await waitFor(() => core.pools.connectionView().state === 'offline');
    const cardId = card('active', 8);
    const r = await dispatch(core.handlers, 'desk.checkin', { cardId, source: 'kiosk' }, kiosk);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'disk-full',
        message:
          "This PC's disk is full, so it could not keep its answer for this check-in. Let the member in by hand if they may come in, and tell the gym's IT. " +
          'The check-in is still sent to the gym\'s system when it answers, unless the console stops first.',
        detail: 'database or disk is full',
      },
    });
    // What the words say happens: held in memory, and the backend records it once it is back.
    const applied = (): number => [...cluster.gym.applied.values()].reduce((a, b) => a + b, 0);
    const before = applied();
    await Promise.all(cluster.instances.map((x) => x.restore()));
    await waitFor(() => applied() === before + 1, 15_000);
  });

  it('backend down, its answer not kept: once there is room the check-in is on disk with no further scan, waiting with no verdict of this PC', async () => {
    fill(outboxStore(), 'commit');
    fill(priv(core.desk).decisions!.add as object, 'run');
    await Promise.all(cluster.instances.map((x) => x.kill()));
    await waitFor(() => core.pools.connectionView().state === 'offline');
    const cardId = card('active', 9);
    const r = await dispatch(core.handlers, 'desk.checkin', { cardId, source: 'desk' }, desk);
    expect(r).toMatchObject({ ok: false, error: { code: 'disk-full' } });
    const stored = () => (outboxStore() as OutboxStore).page('realtime', 0, 100).filter((m) => m.body.includes(cardId));
    expect(stored()).toEqual([]);
    // Overview's Waiting to send and Health both say what a restart would lose.
    expect(core.outbox.view().alert).toMatch(/^1 check-in is only in this PC's memory because its disk is full: it is lost if the console stops before there is room\./);
    for (const u of undo.splice(0)) u(); // IT frees space; nobody scans anything
    await waitFor(() => stored().length === 1, 10_000);
    expect(core.outbox.view().alert).toBeNull();
    // What the desk lists after a restart: the check-in waits, with no verdict of this PC (none was shown: staff saw the
    // disk error and decided at the door), so it is not re-recorded as decided here and goes out as a plain check-in.
    const listed = new WaitingCheckins(priv(outboxStore()).db as unknown as Db, () => null).view(Date.now() + 60_000);
    expect(listed.filter((w) => w.cardId === cardId)).toEqual([expect.objectContaining({ key: stored()[0]!.key, decided: null })]);
  });

  // J12: every console.db write around a check-in the backend has (who is inside, the audit of an override, answered
  // check-ins, this PC's own verdict while the backend is slow) fails on a full disk without failing the check-in.
  it('who is inside cannot be written: check-ins still get verdicts, and one the feed showed inside is turned away offline', async () => {
    fill(priv(priv(core.desk).presence).s!.enter as object, 'run');
    const cardId = card('active', 10);
    const first = await dispatch(core.handlers, 'desk.checkin', { cardId, source: 'desk' }, desk);
    expect(first).toMatchObject({ ok: true, value: { offline: false, verdict: { allowed: true } } });
    await new Promise((r) => setTimeout(r, 2_100)); // past the double-read filter, and the write after the event failed
    await Promise.all(cluster.instances.map((x) => x.kill()));
    await waitFor(() => core.pools.connectionView().state === 'offline');
    const again = await dispatch(core.handlers, 'desk.checkin', { cardId, source: 'kiosk' }, kiosk);
    expect(again).toMatchObject({ ok: true, value: { verdict: { allowed: false, reason: 'duplicate' } } });
  });

  it("an override whose audit row the disk refuses still gets its verdict; the row is written once there is room", async () => {
    fill(priv(priv(priv(core.desk).d).audit).s!.add as object, 'run');
    const cardId = card('expired', 3);
    const r = await dispatch(core.handlers, 'desk.checkin', { cardId, source: 'desk', override: { note: 'paid at the desk' } }, desk);
    expect(r).toMatchObject({ ok: true, value: { verdict: { allowed: true, reason: 'override' } } });
    for (const u of undo.splice(0)) u();
    await dispatch(core.handlers, 'desk.checkin', { cardId: card('active', 11), source: 'desk' }, desk);
    const audit = priv(priv(core.desk).d).audit as unknown as { list(): { action: string; after: string }[] };
    expect(audit.list().find((a) => a.action === 'checkin.override' && a.after.includes('paid at the desk'))).toBeDefined();
  });

  it("backend slow and this PC's own verdict not kept: the backend's answer is the verdict, not a disk error", async () => {
    fill(outboxStore(), 'commit');
    fill(priv(core.desk).decisions!.add as object, 'run');
    for (const x of cluster.instances) x.delay(2_500); // past the desk's 1.5 s wait, within the disk's few seconds more
    const r = await dispatch(core.handlers, 'desk.checkin', { cardId: card('frozen', 2), source: 'desk' }, desk);
    expect(r).toMatchObject({ ok: true, value: { offline: false, verdict: { allowed: false, reason: 'frozen' } } });
  });

  it("an answer to a check-in this PC decided is kept though the disk refuses to clear its row", async () => {
    await Promise.all(cluster.instances.map((x) => x.kill()));
    await waitFor(() => core.pools.connectionView().state === 'offline');
    const cardId = card('active', 12);
    const r = await dispatch(core.handlers, 'desk.checkin', { cardId, source: 'desk' }, desk);
    expect(r).toMatchObject({ ok: true, value: { offline: true, verdict: { allowed: true } } });
    const key = (r as { value: { key: string } }).value.key;
    fill(priv(core.desk).decisions!.take as object, 'get');
    await Promise.all(cluster.instances.map((x) => x.restore()));
    await waitFor(() => core.desk.answered.some((a) => a.key === key), 15_000);
  });

  it('a setting that cannot be saved says the disk is full, and the running setting stays', async () => {
    const before = core.desk.settings;
    fill(priv(priv(core.desk).saved).s!.set as object, 'run');
    const r = await dispatch(core.handlers, 'desk.configure', { verdictSeconds: 9 }, { transport: 'test', session: new Session('manager') });
    expect(r).toMatchObject({ ok: false, error: { code: 'disk-full', message: expect.stringMatching(/^This PC's disk is full, so this could not be saved\. Tell the gym's IT/) } });
    expect(core.desk.settings).toBe(before);
  });
});

