import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';
import { poolChannels } from '../../src/main/core/delivery/pool-channels';

type Beh = 'stuck' | 'snap-once' | 'pongs' | 'old' | 'down';

/**
 * Addresses whose n-th socket reaches `route(url, n)`, its WebSocket layer answering every WebSocket ping and its program,
 * after greeting: answering nothing ('stuck'); the feed's first snapshot only ('snap-once': deadlocked right after a
 * restart's resync); its pings ('pongs'); requests but never a ping ('old': an old build); or no socket at all ('down').
 * From review20's and review20b's repros: per-instance judging must not let a stuck program back into rotation, nor keep
 * one that answers out of it.
 */
function rig(endpoints: string[], route: (url: string, n: number) => { instance: string; beh: Beh }) {
  const clock = new FakeClock();
  let made = 0;
  let snapshots = 0;
  const fakes: { instance: string; sock: FakeSocket }[] = [];
  const activity: PoolActivity[] = [];
  const mgr = new PoolManager({
    token: 't',
    clock,
    store: memoryPoolStore(),
    defaults: [{ name: 'p', endpoints, maxConnections: 4, strategy: 'round-robin', healthCheckInterval: 250, reconnectAttempts: 3 }],
    socketFactory: (url: string) => {
      const { instance, beh } = route(url, ++made);
      const s = new FakeSocket();
      fakes.push({ instance, sock: s });
      if (beh === 'down') {
        clock.setTimeout(() => {
          s.readyState = 3;
          s.emit('error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
          s.emit('close', 1006, Buffer.alloc(0));
        }, 5);
        return s as unknown as WebSocket;
      }
      const ping = s.ping.bind(s);
      s.ping = (d?: Buffer) => {
        ping(d);
        queueMicrotask(() => s.pong());
      };
      const send = s.send.bind(s);
      s.send = (f: string) => {
        send(f);
        const frame = JSON.parse(f) as { t: string; id?: string; op?: string; ts?: number };
        const reply = (r: unknown): void => queueMicrotask(() => s.frame(r));
        if (s.readyState !== 1) return;
        if (beh === 'snap-once' && frame.op === 'snapshot' && snapshots++ === 0) reply({ t: 'reply', id: frame.id, ok: true, body: { head: 0, occupancy: 0, capacity: 10, recent: [] } });
        if (beh === 'pongs' && frame.t === 'ping') reply({ t: 'pong', ts: frame.ts, head: 0 });
        if (beh !== 'old') return;
        if (frame.t === 'sub') reply({ t: 'subbed', stream: 'gym', head: 0, gap: false });
        if (frame.t === 'req' && frame.op === 'snapshot') reply({ t: 'reply', id: frame.id, ok: true, body: { head: 0, occupancy: 0, capacity: 10, recent: [] } });
        if (frame.t === 'req' && frame.op === 'checkin') reply({ t: 'ack', id: frame.id });
      };
      clock.setTimeout(() => {
        s.emit('open');
        s.frame({ t: 'welcome', version: 2, instance, heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
      }, 5);
      return s as unknown as WebSocket;
    },
  });
  mgr.on('activity', (a) => activity.push(a));
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += 10) {
      await new Promise((r) => setImmediate(r));
      clock.advance(10);
    }
  };
  const silentCloses = () => activity.filter((a) => a.type === 'disconnected' && /application/.test(a.raw ?? '')).length;
  const routable = () => mgr.main!.sockets().filter((s) => s.routable);
  const channels = poolChannels(mgr);
  /** A check-in a second for `ms`, each on the socket the outbox would pick: which instance took each ('none': held). */
  const checkins = async (ms: number): Promise<Record<string, number>> => {
    const took: Record<string, number> = {};
    for (let t = 0; t < ms; t += 1_000) {
      const ch = channels.pick('realtime', new Set());
      const s = ch ? mgr.main!.sockets().find((x) => x.id === ch.id) : undefined;
      const key = s?.programKey ?? 'none';
      took[key] = (took[key] ?? 0) + 1;
      s?.conn.requestJson('checkin', `k${t}`, '{"cardId":"1"}', 5_000, { onAck() {}, resolve() {}, reject() {} });
      await run(1_000);
    }
    return took;
  };
  return { mgr, run, silentCloses, routable, fakes, checkins };
}

/** One address: every program stuck, renamed on every connection, answering one snapshot, or "a" stuck beside "b" (a balancer). */
const address = (mode: 'stuck' | 'random' | 'snap' | 'balanced') =>
  rig(['ws://a:1'], (_url, n) =>
    mode === 'random'
      ? { instance: `conn-${n}`, beh: 'stuck' }
      : mode === 'balanced'
        ? n % 2
          ? { instance: 'a', beh: 'stuck' }
          : { instance: 'b', beh: 'pongs' }
        : { instance: 'i', beh: mode === 'snap' ? 'snap-once' : 'stuck' },
  );

describe('a stuck backend program is kept out of use, however it names itself', () => {
  it('one that answers nothing is found once; its sockets stay open and out of rotation', async () => {
    const { mgr, run, silentCloses, routable } = address('stuck');
    mgr.start();
    await run(60_000);
    expect(silentCloses()).toBe(1);
    expect(routable()).toEqual([]);
    expect(mgr.connectionView().endpoints[0]).toMatchObject({ state: 'open', stuck: true });
    mgr.stop();
  });

  it('one that names a new instance in every welcome is found once, not closed every 10 s, and shown stuck', async () => {
    const { mgr, run, silentCloses, routable } = address('random');
    mgr.start();
    await run(60_000);
    expect(silentCloses()).toBe(1);
    expect(routable()).toEqual([]);
    expect(mgr.connectionView()).toMatchObject({ state: 'degraded', endpoints: [{ state: 'open', stuck: true }] });
    mgr.stop();
  });

  it('one that answered the first snapshot and then nothing, never a ping, is found', async () => {
    const { mgr, run, silentCloses, routable } = address('snap');
    mgr.start();
    await run(60_000);
    expect(silentCloses()).toBe(1);
    expect(routable()).toEqual([]);
    mgr.stop();
  });

  it('behind a load balancer, only the stuck instance\'s sockets leave rotation; its sibling\'s new sockets join once they answer', async () => {
    const { mgr, run, silentCloses, routable } = address('balanced');
    mgr.start();
    await run(60_000);
    expect(silentCloses()).toBe(1);
    expect(routable().length).toBeGreaterThan(0);
    expect(routable().every((s) => s.programKey === 'b')).toBe(true);
    expect(mgr.main!.sockets().filter((s) => s.open && s.programKey === 'a').every((s) => !s.routable)).toBe(true);
    expect(mgr.main!.view().endpoints[0]).toMatchObject({ stuck: { kind: 'app-silent' }, stuckInstances: ['a'] });
    expect(mgr.connectionView().cause?.text).toBe('Instance "a" behind a:1 takes the console\'s connection but answered nothing for more than 10 seconds: it may be stuck. Check-ins go through the others at that address.');
    expect(mgr.connectionView().cause?.next).toBe('Ask the gym\'s IT to restart instance "a" only.');
    mgr.stop();
  });

  // probe-hostile20 H4: the healthy instance's sockets dropped for a moment; the check-in then went to the stuck one,
  // and the next ones waited behind it for an ack timeout, decided on the PC, while the healthy sockets came back idle.
  it('check-ins wait for a sibling coming back from a blip rather than go to the stuck instance', async () => {
    const { mgr, run, fakes } = address('balanced');
    mgr.start();
    await run(30_000);
    const channels = poolChannels(mgr);
    const instanceOf = (id: string | undefined) => mgr.main!.sockets().find((s) => s.id === id)?.programKey;
    expect(instanceOf(channels.pick('realtime', new Set())?.id)).toBe('b');
    for (const f of fakes.filter((x) => x.instance === 'b' && x.sock.readyState === 1)) {
      f.sock.readyState = 3;
      f.sock.emit('close', 1006, Buffer.alloc(0));
    }
    expect(mgr.main!.sockets().some((s) => s.open && s.programKey === 'a')).toBe(true);
    expect(channels.pick('realtime', new Set())).toBeNull();
    await run(5_000);
    expect(instanceOf(channels.pick('realtime', new Set())?.id)).toBe('b');
    mgr.stop();
  });
});

// review20b H1: a program presumed stuck that never answers pings (an old build) was never given a request, so it
// stayed out of use for good; and "short of sockets" held every check-in while another address was down.
describe('an old build that never answers pings, beside a stuck program or a dead address', () => {
  it('behind a load balancer, after its sockets blip, check-ins go to it, not to the stuck sibling', async () => {
    const r = rig(['ws://lb:1'], (_u, n) => ({ instance: n % 2 ? 'a' : 'b', beh: n % 2 ? 'stuck' : 'old' }));
    r.mgr.start();
    await r.checkins(30_000);
    for (const f of r.fakes.filter((x) => x.instance === 'b' && x.sock.readyState === 1)) {
      f.sock.readyState = 3;
      f.sock.emit('close', 1006, Buffer.alloc(0));
    }
    const took = await r.checkins(60_000);
    expect(took['a'] ?? 0).toBe(0);
    expect(took['b']).toBeGreaterThan(50);
    expect(r.mgr.main!.sockets().some((s) => s.routable && s.programKey === 'b')).toBe(true);
    r.mgr.stop();
  });

  it('with the other address refused, one wrongly judged stuck on a quiet start gets a check-in and is used again', async () => {
    const r = rig(['ws://a:1', 'ws://b:1'], (url) => ({ instance: 'i', beh: url === 'ws://a:1' ? 'down' : 'old' }));
    r.mgr.start();
    await r.run(20_000); // quiet: nothing but pings, which it leaves unanswered
    const took = await r.checkins(60_000);
    expect(took['i']).toBeGreaterThan(0);
    expect(r.mgr.main!.sockets().some((s) => s.routable)).toBe(true);
    r.mgr.stop();
  });
});
