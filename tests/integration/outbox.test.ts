import { afterEach, describe, expect, it } from 'vitest';
import { outboxRig } from '../helpers/outbox-setup';
import { subscribedInstance } from '../helpers/pool-setup';
import { waitFor, sleep } from '../helpers/wait';
import { LIMITS } from '../../src/shared/protocol';
import type { OutboxStore } from '../../src/main/core/delivery/outbox-store';

type Rig = Awaited<ReturnType<typeof outboxRig>>;
let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const drained = (r: Rig) => r.outbox.view().queued === 0 && r.outbox.view().inFlight === 0;
const dbRows = (r: Rig) => (r.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;

describe('durable outbox against the reference backend', () => {
  it('delivers every message exactly once and forgets it only when acked', async () => {
    rig = await outboxRig();
    const keys = await Promise.all(Array.from({ length: 300 }, (_, i) => rig!.outbox.enqueue(['realtime', 'system', 'notification', 'broadcast'][i % 4] as never, 'action', { kind: 'staff.note', data: `n${i}` })));
    expect(keys.every((k) => k.durable)).toBe(true);
    await waitFor(() => drained(rig!));
    await waitFor(() => dbRows(rig!) === 0);
    for (const { key } of keys) expect(rig.cluster.gym.applied.get(key)).toBe(1);
  });

  it('keeps order within each lane across a failover mid-stream, and applies each once', async () => {
    rig = await outboxRig();
    const lanes = ['realtime', 'system'] as const;
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 600; i++) {
      for (const lane of lanes) sends.push(rig.outbox.enqueue(lane, 'action', { kind: lane === 'realtime' ? 'door.open' : 'sync', data: String(i) }));
      if (i === 200) await rig.cluster.instance(subscribedInstance(rig)).kill();
      if (i === 400) await rig.cluster.instance(0).kill(); // another fault, maybe the pinned socket
      if (i % 50 === 0) await sleep(5);
    }
    await Promise.all(sends);
    await Promise.all(rig.cluster.instances.map((x) => x.restore()));
    await waitFor(() => drained(rig!), 15_000);
    for (const kind of ['door.open', 'sync']) {
      const seen = rig.cluster.gym.actions.filter((a) => a.kind === kind).map((a) => Number(a.data));
      expect(seen).toEqual(Array.from({ length: 600 }, (_, i) => i));
    }
    expect([...rig.cluster.gym.applied.values()].every((n) => n === 1)).toBe(true);
  });

  it('queues durably while offline, shows count and age, and drains when a socket returns', async () => {
    rig = await outboxRig();
    await Promise.all(rig.cluster.instances.map((x) => x.kill()));
    await waitFor(() => rig!.mgr.connectionView().state === 'offline');
    for (let i = 0; i < 20; i++) await rig.outbox.enqueue('realtime', 'action', { kind: 'door.open', data: String(i) });
    await sleep(50);
    const v = rig.outbox.view();
    expect(v.queued).toBe(20);
    expect(v.oldestAgeMs).toBeGreaterThanOrEqual(40);
    expect(dbRows(rig)).toBe(20);
    await Promise.all(rig.cluster.instances.map((x) => x.restore()));
    await waitFor(() => drained(rig!), 10_000);
    expect(rig.cluster.gym.actions.map((a) => Number(a.data))).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('bounds memory under a flood by spilling to SQLite, then delivers everything in order', async () => {
    rig = await outboxRig({ memory: { maxCount: 200, maxBytes: 1 << 20 } });
    await Promise.all(rig.cluster.instances.map((x) => x.kill()));
    await waitFor(() => rig!.mgr.connectionView().state === 'offline');
    const all = [];
    for (let i = 0; i < 5_000; i++) all.push(rig.outbox.enqueue('system', 'action', { kind: 'sync', data: String(i) }));
    await Promise.all(all);
    const held = (rig.outbox as unknown as { mem: { count: number } }).mem.count;
    expect(held).toBeLessThanOrEqual(200);
    expect(rig.outbox.view().queued).toBe(5_000);
    await Promise.all(rig.cluster.instances.map((x) => x.restore()));
    await waitFor(() => drained(rig!), 20_000);
    expect(rig.cluster.gym.actions.map((a) => Number(a.data))).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
  });

  it('never lets bulk starve a higher lane', async () => {
    rig = await outboxRig({ lanes: { broadcast: { ratePerSec: 2_000, burst: 50 } } });
    const order: string[] = [];
    const bulk = Array.from({ length: 1_000 }, (_, i) => rig!.outbox.enqueue('broadcast', 'action', { kind: 'broadcast', data: `b${i}` }).then(() => 0));
    await sleep(20); // the flood is under way
    const urgent = await Promise.all(Array.from({ length: 10 }, (_, i) => rig!.outbox.enqueue('realtime', 'action', { kind: 'door.open', data: `r${i}` })));
    await Promise.all(bulk);
    await waitFor(() => urgent.every((u) => rig!.cluster.gym.applied.get(u.key) === 1), 5_000);
    for (const a of rig.cluster.gym.actions) order.push(a.data);
    const lastUrgent = Math.max(...urgent.map((_, i) => order.indexOf(`r${i}`)));
    const bulkBefore = order.slice(0, lastUrgent).filter((d) => d.startsWith('b')).length;
    expect(bulkBefore).toBeLessThan(500); // door opens went ahead of most of the flood
    await waitFor(() => drained(rig!), 10_000);
  });
});

describe('dead letters and bad input', () => {
  it('moves a refused message to the DLQ with its reason; retry and discard work and discard is audited', async () => {
    rig = await outboxRig();
    const refused = await rig.outbox.enqueue('system', 'action', { kind: 'self-destruct', data: '' });
    await waitFor(() => rig!.outbox.deadLetters().length === 1);
    const [d] = rig.outbox.deadLetters();
    expect(d).toMatchObject({ key: refused.key, lane: 'system', op: 'action' });
    expect(d!.reason).toMatch(/refused by the backend \(unknown-action\)/);
    expect(rig.cluster.gym.applied.get(refused.key)).toBeUndefined();
    rig.outbox.retryDead(refused.key, 'manager:ana');
    await waitFor(() => rig!.outbox.deadLetters().length === 1 && rig!.outbox.view().queued === 0);
    rig.outbox.discardDead(refused.key, 'manager:ana');
    expect(rig.outbox.deadLetters()).toHaveLength(0);
    const audit = rig.audit.list();
    expect(audit.map((a) => a.action)).toEqual(['dlq.discard', 'dlq.retry']);
    expect(audit[0]).toMatchObject({ actor: 'manager:ana', subject: 'a staff action' }); // its key is an internal id: kept in the row, not its name
    expect(JSON.parse(audit[0]!.before!)).toMatchObject({ key: refused.key });
    expect(() => rig!.outbox.discardDead(refused.key, 'x')).toThrow(/already retried or discarded/);
  });

  it('expires a message past its TTL into the DLQ', async () => {
    rig = await outboxRig({ ttlMs: 100 });
    await Promise.all(rig.cluster.instances.map((x) => x.kill()));
    await waitFor(() => rig!.mgr.connectionView().state === 'offline');
    const m = await rig.outbox.enqueue('notification', 'action', { kind: 'notify', data: 'late' });
    await sleep(150);
    await Promise.all(rig.cluster.instances.map((x) => x.restore()));
    await waitFor(() => rig!.outbox.deadLetters().some((d) => d.key === m.key), 10_000);
    expect(rig.outbox.deadLetters()[0]!.reason).toMatch(/expired/);
    expect(rig.cluster.gym.applied.get(m.key)).toBeUndefined();
  });

  it('keeps a message queued, far past N attempts, while the backend takes it and never answers; sends it once when it does', async () => {
    rig = await outboxRig({ maxAttempts: 2, retryBaseMs: 10, retryCapMs: 20 }, { pool: { healthCheckInterval: 60_000 } }, { ackTimeoutMs: 300 });
    for (const i of rig.cluster.instances) i.hang(); // sockets stay "open" but never answer
    const m = await rig.outbox.enqueue('system', 'action', { kind: 'sync', data: 'x' });
    await sleep(2_000); // six or so timeouts: three times the attempts allowed
    expect(rig.outbox.deadLetters()).toEqual([]);
    expect(rig.outbox.view().why).toMatch(/accepts messages but does not answer/);
    for (const i of rig.cluster.instances) await i.restore();
    await waitFor(() => drained(rig!), 10_000);
    expect(rig.outbox.deadLetters()).toEqual([]);
    expect(rig.cluster.gym.applied.get(m.key)).toBe(1);
  });

  it('rejects an oversize or malformed message before queueing it', async () => {
    rig = await outboxRig();
    await expect(rig.outbox.enqueue('system', 'action', { kind: 'sync', data: 'x'.repeat(LIMITS.maxFrameBytes) })).rejects.toThrow(/malformed|the most a backend frame can carry/);
    await expect(rig.outbox.enqueue('system', 'checkin', { cardId: '' })).rejects.toThrow(/malformed/);
    expect(dbRows(rig)).toBe(0);
    expect(rig.outbox.view().queued).toBe(0);
  });

  it('when the disk fails: raises an alert, keeps serving from memory within bounds, refuses beyond them', async () => {
    rig = await outboxRig({ memory: { maxCount: 5, maxBytes: 1 << 20 } });
    const store = (rig.outbox as unknown as { o: { store: OutboxStore } }).o.store;
    const realCommit = store.commit;
    (store as { commit: OutboxStore['commit'] }).commit = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    await Promise.all(rig.cluster.instances.map((x) => x.kill()));
    await waitFor(() => rig!.mgr.connectionView().state === 'offline');
    const ok = await Promise.all(Array.from({ length: 5 }, (_, i) => rig!.outbox.enqueue('realtime', 'action', { kind: 'door.open', data: `m${i}` })));
    expect(ok.every((r) => r.durable === false)).toBe(true);
    // Counted, in staff words: what a restart would lose (five staff actions here, so "messages").
    expect(rig.outbox.view().alert).toMatch(/^5 messages are only in this PC's memory because its disk is full: they are lost if the console stops before there is room\./);
    await expect(rig.outbox.enqueue('realtime', 'action', { kind: 'door.open', data: 'one too many' })).rejects.toThrow(/NOT accepted/);
    (store as { commit: OutboxStore['commit'] }).commit = realCommit;
    await Promise.all(rig.cluster.instances.map((x) => x.restore()));
    await waitFor(() => ok.every((r) => rig!.cluster.gym.applied.get(r.key) === 1), 10_000);
  });
});
