import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { poolRig, streamEvents, expectContiguous, subscribedInstance, TOKEN, type PoolRig } from '../helpers/pool-setup';
import { waitFor } from '../helpers/wait';

let rig: PoolRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('failover with no loss and no duplicates (real sockets)', () => {
  it('applies live events once, in order, with the subscription held on two instances', async () => {
    rig = await poolRig();
    const subs = rig.mgr.list()[0]!.sockets.filter((s) => s.subscribed);
    expect(subs).toHaveLength(2);
    expect(new Set(subs.map((s) => s.endpoint)).size).toBe(2);
    await streamEvents(rig.cluster, 200, () => {});
    await waitFor(() => rig!.seqs.length === 200);
    expectContiguous(rig.seqs, 1, 200);
  });

  it('survives a killed instance mid-stream, and heals when it returns', async () => {
    rig = await poolRig();
    const victim = subscribedInstance(rig);
    await streamEvents(rig.cluster, 600, () => rig!.cluster.instance(victim).kill());
    await waitFor(() => rig!.seqs.length >= 600, 10_000);
    expectContiguous(rig.seqs, 1, 600);
    expect(rig.mgr.connectionView().state).toBe('degraded');
    await rig.cluster.instance(victim).restore();
    await waitFor(() => rig!.mgr.connectionView().state === 'connected', 10_000);
  });

  it('detects a hung instance (TCP open, silent) by heartbeat, closes its sockets and keeps streaming', async () => {
    rig = await poolRig();
    const victim = subscribedInstance(rig);
    const url = rig.cluster.urls[victim]!;
    await streamEvents(rig.cluster, 400, () => rig!.cluster.instance(victim).hang());
    await waitFor(() => rig!.seqs.length >= 400, 10_000);
    expectContiguous(rig.seqs, 1, 400);
    await waitFor(() => rig!.mgr.list()[0]!.sockets.filter((s) => s.endpoint === url).every((s) => s.state !== 'open'), 5_000);
  });

  it('stays exactly-once while a subscriber drops a fraction of frames', async () => {
    rig = await poolRig();
    for (const i of [0, 1, 2]) rig.cluster.instance(i).drop(0.2);
    await streamEvents(rig.cluster, 400, () => {});
    await waitFor(() => rig!.seqs.length >= 400, 15_000);
    expectContiguous(rig.seqs, 1, 400);
  });

  it('takes a delayed instance out of rotation and the subscription off it', async () => {
    rig = await poolRig();
    const victim = subscribedInstance(rig);
    const url = rig.cluster.urls[victim]!;
    const failovers: string[] = [];
    rig.mgr.feed.on('failover', ({ from }) => failovers.push(from));
    rig.cluster.instance(victim).delay(1_500);
    await waitFor(() => rig!.mgr.list()[0]!.sockets.filter((s) => s.endpoint === url).every((s) => !s.inRotation && !s.subscribed), 10_000);
    expect(failovers).toContain(url); // moving off a degraded socket is reported
    await streamEvents(rig.cluster, 100, () => {});
    await waitFor(() => rig!.seqs.length >= 100);
    expectContiguous(rig.seqs, 1, 100);
  });

  it('signals continuity-lost and resyncs when the server can no longer replay', async () => {
    rig = await poolRig({ cluster: { replayRetention: 10 } });
    let lost = 0;
    rig.mgr.feed.on('continuityLost', () => lost++);
    await Promise.all(rig.cluster.instances.map((i) => i.kill()));
    await waitFor(() => rig!.mgr.connectionView().state === 'offline');
    for (let i = 0; i < 50; i++) rig.cluster.gym.checkIn(`away-${i}`, 'door');
    await Promise.all(rig.cluster.instances.map((i) => i.restore()));
    await waitFor(() => rig!.resyncs() === 2, 10_000);
    expect(lost).toBe(1);
    rig.cluster.gym.checkIn('after', 'door');
    await waitFor(() => rig!.seqs.at(-1) === 51);
    expect(new Set(rig.seqs).size).toBe(rig.seqs.length);
  });
});

describe('hostile server frames', () => {
  it('counts frames that fail the schema as protocol errors and never crashes', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    wss.on('connection', (ws) => {
      ws.on('message', () => {
        ws.send('{garbage');
        ws.send(JSON.stringify({ t: 'event', stream: 'gym', seq: -4, ts: 0, body: {} }));
        ws.send(Buffer.from([1, 2, 3]));
        ws.send(JSON.stringify({ t: 'welcome', version: 1, instance: 'evil', heartbeatMs: 1000, limits: { maxFrameBytes: 10 } }));
      });
    });
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const mgr = new PoolManager({
      token: TOKEN,
      store: memoryPoolStore(),
      defaults: [{ name: 'evil', endpoints: [url], maxConnections: 1, healthCheckInterval: 5_000, reconnectAttempts: 3, strategy: 'round-robin' }],
    });
    mgr.start();
    await waitFor(() => mgr.connectionView().protocolErrors >= 3);
    expect(mgr.connectionView().endpoints[0]!.state).toBe('open');
    mgr.stop();
    wss.close();
  });
});
