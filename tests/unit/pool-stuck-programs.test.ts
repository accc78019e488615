import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';
import { poolChannels } from '../../src/main/core/delivery/pool-channels';

/**
 * One address whose WebSocket layer answers every WebSocket ping, its programs greeting and then, by `mode`:
 * - 'stuck': answering nothing;
 * - 'random': answering nothing, each welcome naming a new instance (a backend that names the connection);
 * - 'snap': answering the feed's first snapshot, then nothing (deadlocked right after a restart's resync);
 * - 'balanced': two instances behind a load balancer, in turn: "a" answers nothing, "b" answers its pings.
 * From review20's repro (M1, M2): per-instance judging must not let any of these back into rotation.
 */
function address(mode: 'stuck' | 'random' | 'snap' | 'balanced') {
  const clock = new FakeClock();
  let made = 0;
  let snapshots = 0;
  const fakes: { instance: string; sock: FakeSocket }[] = [];
  const activity: PoolActivity[] = [];
  const mgr = new PoolManager({
    token: 't',
    clock,
    store: memoryPoolStore(),
    defaults: [{ name: 'p', endpoints: ['ws://a:1'], maxConnections: 4, strategy: 'round-robin', healthCheckInterval: 250, reconnectAttempts: 3 }],
    socketFactory: () => {
      const n = ++made;
      const instance = mode === 'random' ? `conn-${n}` : mode === 'balanced' ? (n % 2 ? 'a' : 'b') : 'i';
      const s = new FakeSocket();
      fakes.push({ instance, sock: s });
      const ping = s.ping.bind(s);
      s.ping = (d?: Buffer) => {
        ping(d);
        queueMicrotask(() => s.pong());
      };
      const send = s.send.bind(s);
      s.send = (f: string) => {
        send(f);
        const frame = JSON.parse(f) as { t: string; id?: string; op?: string; ts?: number };
        if (mode === 'snap' && frame.op === 'snapshot' && snapshots++ === 0)
          queueMicrotask(() => s.frame({ t: 'reply', id: frame.id, ok: true, body: { head: 0, occupancy: 0, capacity: 10, recent: [] } }));
        if (instance === 'b' && frame.t === 'ping') queueMicrotask(() => s.frame({ t: 'pong', ts: frame.ts, head: 0 }));
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
  return { mgr, run, silentCloses, routable, fakes };
}

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
