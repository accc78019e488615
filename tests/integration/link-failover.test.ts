import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { BackendLink } from '../../src/main/core/pool/link';
import { waitFor, sleep } from '../helpers/wait';

const TOKEN = 't';
let cluster: Cluster | null = null;
let link: BackendLink | null = null;
afterEach(async () => {
  link?.stop();
  await cluster?.close();
  link = cluster = null;
});

async function setup(opts: { replayRetention?: number } = {}) {
  cluster = await startCluster({ instances: 3, port: 0, token: TOKEN, ...opts });
  link = new BackendLink({ endpoints: cluster.urls, token: TOKEN, heartbeatMs: 100, deadAfterMs: 400, reconnectBaseMs: 50, reconnectCapMs: 300 });
  const seqs: number[] = [];
  let resyncs = 0;
  link.on('event', (e) => seqs.push(e.seq));
  link.on('resync', () => resyncs++);
  link.start();
  await waitFor(() => link!.state === 'connected');
  await waitFor(() => resyncs === 1);
  return { cluster, link, seqs, resyncs: () => resyncs };
}

/** Emits check-ins steadily while `during` runs, then until `total`. */
async function stream(c: Cluster, total: number, during: () => Promise<void>) {
  let sent = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < 5 && sent < total; i++, sent++) c.gym.checkIn(`card-${sent}`, 'door');
  }, 5);
  await sleep(50);
  await during();
  await waitFor(() => sent === total, 15_000);
  clearInterval(timer);
}

const contiguous = (seqs: number[], from: number, to: number) => {
  expect(seqs.length).toBe(to - from + 1);
  seqs.forEach((s, i) => expect(s).toBe(from + i));
};

const primaryIndex = (l: BackendLink, c: Cluster) => c.urls.indexOf(l.view().endpoints.find((e) => e.primary)!.url);

describe('backend link: failover with no loss and no duplicates', () => {
  it('applies live events once, in order', async () => {
    const { cluster, seqs } = await setup();
    await stream(cluster, 200, async () => {});
    await waitFor(() => seqs.length === 200);
    contiguous(seqs, 1, 200);
  });

  it('survives a killed primary mid-stream', async () => {
    const { cluster, link, seqs } = await setup();
    const victim = primaryIndex(link, cluster);
    await stream(cluster, 600, () => cluster.instance(victim).kill());
    await waitFor(() => seqs.length >= 600, 10_000);
    contiguous(seqs, 1, 600);
    expect(primaryIndex(link, cluster)).not.toBe(victim);
    expect(link.state).toBe('degraded');
    await cluster.instance(victim).restore();
    await waitFor(() => link.state === 'connected', 10_000);
  });

  it('detects a hung primary (TCP open, silent) by heartbeat and moves on', async () => {
    const { cluster, link, seqs } = await setup();
    const victim = primaryIndex(link, cluster);
    await stream(cluster, 400, async () => cluster.instance(victim).hang());
    await waitFor(() => seqs.length >= 400, 10_000);
    contiguous(seqs, 1, 400);
    expect(primaryIndex(link, cluster)).not.toBe(victim);
  });

  it('heals gaps when the primary drops a fraction of frames', async () => {
    const { cluster, link, seqs } = await setup();
    cluster.instance(primaryIndex(link, cluster)).drop(0.2);
    await stream(cluster, 400, async () => {});
    await waitFor(() => seqs.length >= 400, 10_000);
    contiguous(seqs, 1, 400);
  });

  it('signals continuity-lost and resyncs when the server can no longer replay', async () => {
    const { cluster, link, seqs, resyncs } = await setup({ replayRetention: 10 });
    let lost = 0;
    link.on('continuityLost', () => lost++);
    await Promise.all(cluster.instances.map((i) => i.kill()));
    await waitFor(() => link.state === 'offline');
    for (let i = 0; i < 50; i++) cluster.gym.checkIn(`while-away-${i}`, 'door');
    await Promise.all(cluster.instances.map((i) => i.restore()));
    await waitFor(() => resyncs() === 2, 10_000);
    expect(lost).toBe(1);
    expect(link.view().continuityLost).toBe(1);
    cluster.gym.checkIn('after', 'door');
    await waitFor(() => seqs.at(-1) === 51);
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});

describe('backend link: hostile server frames', () => {
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
    const port = (wss.address() as AddressInfo).port;
    link = new BackendLink({ endpoints: [`ws://127.0.0.1:${port}`], token: TOKEN });
    link.start();
    await waitFor(() => link!.protocolErrors >= 3);
    expect(link.view().endpoints[0]!.state).toBe('open');
    link.stop();
    wss.close();
  });
});
