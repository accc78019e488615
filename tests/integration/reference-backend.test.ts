import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startAdmin } from '../../src/server/admin';
import { LIMITS } from '../../src/shared/protocol';
import { rawClient } from '../helpers/raw-client';
import { waitFor } from '../helpers/wait';

const TOKEN = 'test-token';
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ instances: 3, port: 0, token: TOKEN });
});
afterAll(() => cluster.close());

const hello = { t: 'hello', versions: [1], token: TOKEN, client: 'test' };

describe('reference backend: protocol v1 and v2', () => {
  it('runs N instances on distinct loopback ports over one shared gym', () => {
    expect(cluster.urls).toHaveLength(3);
    expect(new Set(cluster.urls).size).toBe(3);
    for (const u of cluster.urls) expect(u).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  });

  it('negotiates the highest shared version and welcomes with limits and, in v2, the load', async () => {
    const c = await rawClient(cluster.urls[0]!);
    c.send({ ...hello, versions: [3, 1, 2] });
    const welcome = await waitFor(() => c.of('welcome')[0]);
    expect(welcome).toMatchObject({ version: 2, instance: 'instance-0', limits: { maxFrameBytes: LIMITS.maxFrameBytes } });
    expect(welcome!.load).toEqual({ sessions: expect.any(Number), lagMs: expect.any(Number) });
    expect(welcome!.load!.sessions).toBeGreaterThanOrEqual(1); // this very socket counts
    c.send({ t: 'ping', ts: 7 });
    const pong = await waitFor(() => c.of('pong')[0]);
    expect(pong).toMatchObject({ ts: 7, load: { sessions: expect.any(Number), lagMs: expect.any(Number) } });
    c.ws.close();
  });

  it('a v1 console, or an instance that speaks only v1, sees exactly v1: no load anywhere', async () => {
    const old = await rawClient(cluster.urls[0]!);
    old.send(hello); // versions: [1]
    const w1 = await waitFor(() => old.of('welcome')[0]);
    expect(w1!.version).toBe(1);
    expect(w1).not.toHaveProperty('load');
    old.send({ t: 'ping', ts: 1 });
    expect(await waitFor(() => old.of('pong')[0])).not.toHaveProperty('load');
    old.ws.close();

    cluster.instance(2).versions = [1];
    try {
      const c = await rawClient(cluster.urls[2]!);
      c.send({ ...hello, versions: [1, 2] });
      const w = await waitFor(() => c.of('welcome')[0]);
      expect(w!.version).toBe(1);
      expect(w).not.toHaveProperty('load');
      c.ws.close();
      const future = await rawClient(cluster.urls[2]!);
      future.send({ ...hello, versions: [2] });
      await future.closed;
      expect(future.of('error')[0]).toMatchObject({ code: 'unsupported-version', message: 'This server speaks protocol 1.' });
    } finally {
      cluster.instance(2).versions = [1, 2];
    }
  });

  it('refuses a wrong token, an unsupported version, and requests before hello', async () => {
    const bad = await rawClient(cluster.urls[0]!);
    bad.send({ ...hello, token: 'nope' });
    expect((await bad.closed).code).toBe(4000);
    expect(bad.of('error')[0]?.code).toBe('unauthorized');

    const old = await rawClient(cluster.urls[0]!);
    old.send({ ...hello, versions: [0, 7] });
    await old.closed;
    expect(old.of('error')[0]?.code).toBe('unsupported-version');

    const rude = await rawClient(cluster.urls[0]!);
    rude.send({ t: 'req', id: 'x1', op: 'snapshot', body: {} });
    await rude.closed;
    expect(rude.of('error')[0]?.code).toBe('not-ready');
  });

  it('answers a request with ack then reply, and a repeated id is applied once', async () => {
    const c = await rawClient(cluster.urls[1]!);
    c.send(hello);
    await waitFor(() => c.of('welcome')[0]);
    const card = [...cluster.gym.members].find((m) => m.status === 'active')!.cardId;
    const req = { t: 'req', id: 'idem-1', op: 'checkin', body: { cardId: card, source: 'desk' } };
    c.send(req);
    c.send(req);
    await waitFor(() => c.of('reply').length === 2);
    const kinds = c.frames.filter((f) => f.t === 'ack' || f.t === 'reply').map((f) => f.t);
    expect(kinds).toEqual(['ack', 'reply', 'ack', 'reply']);
    const [a, b] = c.of('reply');
    expect(a).toEqual(b);
    expect(cluster.gym.applied.get('idem-1')).toBe(1);
    c.ws.close();
  });

  it('answers a malformed frame with an error frame and keeps the socket', async () => {
    const c = await rawClient(cluster.urls[0]!);
    c.send(hello);
    c.send('{not json');
    c.send({ t: 'req', id: 'q', op: 'lookup', body: { query: '' } });
    await waitFor(() => c.of('error').length === 2);
    expect(c.of('error').every((e) => e.code === 'bad-frame')).toBe(true);
    c.send({ t: 'ping', ts: 5 });
    expect(await waitFor(() => c.of('pong')[0])).toEqual({ t: 'pong', ts: 5, head: cluster.gym.log.lastSeq });
    c.ws.close();
  });

  it('closes a socket that sends a frame over the size limit', async () => {
    const c = await rawClient(cluster.urls[0]!);
    c.send('x'.repeat(LIMITS.maxFrameBytes + 1));
    expect((await c.closed).code).toBe(1009);
  });

  it('replays events after a sequence to every instance subscriber, in order', async () => {
    const before = cluster.gym.log.lastSeq;
    for (let i = 0; i < 5; i++) cluster.gym.checkIn(`unknown-${i}`, 'door');
    const c = await rawClient(cluster.urls[2]!);
    c.send(hello);
    c.send({ t: 'sub', stream: 'gym', after: before });
    await waitFor(() => c.of('event').length === 5);
    expect(c.of('subbed')[0]).toMatchObject({ gap: false, head: before + 5 });
    expect(c.of('event').map((e) => e.seq)).toEqual([1, 2, 3, 4, 5].map((i) => before + i));
    cluster.gym.checkIn('live', 'door');
    await waitFor(() => c.of('event').length === 6);
    c.ws.close();
  });
});

describe('reference backend: faults and the admin channel', () => {
  it('kill stops listening, restore listens again on the same port', async () => {
    const inst = cluster.instance(2);
    const url = inst.url;
    await inst.kill();
    await expect(rawClient(url)).rejects.toThrow();
    await inst.restore();
    expect(inst.url).toBe(url);
    const c = await rawClient(url);
    c.ws.close();
  });

  it('hang keeps TCP open but answers nothing; restore brings answers back', async () => {
    const c = await rawClient(cluster.urls[1]!);
    c.send(hello);
    await waitFor(() => c.of('welcome')[0]);
    cluster.instance(1).hang();
    c.send({ t: 'ping', ts: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(c.of('pong')).toHaveLength(0);
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    await cluster.instance(1).restore();
    c.send({ t: 'ping', ts: 2 });
    await waitFor(() => c.of('pong').length >= 1);
    c.ws.close();
  });

  it('delay holds frames back without reordering them', async () => {
    const c = await rawClient(cluster.urls[0]!);
    c.send(hello);
    await waitFor(() => c.of('welcome')[0]);
    cluster.instance(0).delay(150);
    const t0 = Date.now();
    c.send({ t: 'ping', ts: 1 });
    await waitFor(() => c.of('pong').length === 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    cluster.instance(0).delay(0);
    c.send({ t: 'ping', ts: 2 });
    await waitFor(() => c.of('pong').length === 2);
    expect(c.of('pong').map((p) => p.ts)).toEqual([1, 2]);
    await cluster.instance(0).restore();
    c.ws.close();
  });

  it('takes faults over loopback HTTP only with the bearer token', async () => {
    const admin = await startAdmin(cluster, TOKEN);
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${admin.url}/instances`)).status).toBe(401);
    expect((await fetch(`${admin.url}/instances/0/explode`, { method: 'POST', headers: auth })).status).toBe(400);
    const drop = await fetch(`${admin.url}/instances/0/drop?value=0.5`, { method: 'POST', headers: auth });
    expect(await drop.json()).toMatchObject({ index: 0, dropFraction: 0.5 });
    await fetch(`${admin.url}/instances/0/restore`, { method: 'POST', headers: auth });
    const list = (await (await fetch(`${admin.url}/instances`, { headers: auth })).json()) as { dropFraction: number }[];
    expect(list).toHaveLength(3);
    expect(list[0]!.dropFraction).toBe(0);
    admin.server.close();
  });
});
