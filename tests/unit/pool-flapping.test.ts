import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

/**
 * One address whose sockets open, are welcomed, and then are lost `lifeMs` later: closed by the
 * instance, or (`cut`) by the console for what the instance said, as the event feed does.
 */
function flappingAddress(lifeMs: number, how: 'closed' | 'cut' | 'feed', maxConnections = 1) {
  const clock = new FakeClock();
  let made = 0;
  const cutting = new Set<unknown>();
  const activity: PoolActivity[] = [];
  const mgr = new PoolManager({
    token: 't',
    clock,
    store: memoryPoolStore(),
    defaults: [{ name: 'p', endpoints: ['ws://a:1'], maxConnections, strategy: 'round-robin', healthCheckInterval: 60_000, reconnectAttempts: 3 }],
    socketFactory: () => {
      made++;
      const s = new FakeSocket();
      // Alive as long as it is let live: pings and the feed's snapshot are answered.
      const send = s.send.bind(s);
      s.send = (f: string) => {
        send(f);
        const frame = JSON.parse(f) as { t: string; ts?: number; id?: string; op?: string };
        if (frame.t === 'ping') queueMicrotask(() => s.frame({ t: 'pong', ts: frame.ts, head: 0 }));
        if (frame.op === 'snapshot') queueMicrotask(() => s.frame({ t: 'reply', id: frame.id, ok: true, body: { head: 0, occupancy: 0, capacity: 10, recent: [] } }));
      };
      // With two to the address, their handshakes end apart, as on a real link: one opens after the other is cut.
      clock.setTimeout(() => {
        s.emit('open');
        s.frame({ t: 'welcome', version: 2, instance: 'i', heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
        const sock = mgr.main?.sockets().find((x) => x.open && !cutting.has(x));
        if (sock) cutting.add(sock);
        if (how === 'feed') return;
        clock.setTimeout(() => {
          if (how === 'closed') return void s.emit('close', 1011, Buffer.from('bye'));
          if (!sock?.open) return;
          sock.faulted = true;
          sock.conn.close('its event numbering disagrees with the stream the console follows');
        }, lifeMs);
      }, made % 2 ? 5 : 40);
      return s as unknown as WebSocket;
    },
  });
  mgr.on('activity', (a) => activity.push(a));
  // As the event feed does: takes one open socket at a time, finds its stream disagrees, and cuts it.
  if (how === 'feed') {
    const feed = (): void => {
      const sock = mgr.main?.sockets().find((x) => x.open);
      if (sock) {
        sock.faulted = true;
        sock.conn.close('its event numbering disagrees with the stream the console follows');
      }
      clock.setTimeout(feed, lifeMs);
    };
    clock.setTimeout(feed, lifeMs);
  }
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += 10) {
      await new Promise((r) => setImmediate(r));
      clock.advance(10);
    }
  };
  return { mgr, run, made: () => made, activity };
}

describe('an address whose sockets open and are lost at once, over and over', () => {
  it('reconnects with a growing backoff and then pauses it like a failing address, instead of at once each time', async () => {
    const { mgr, run, made, activity } = flappingAddress(20, 'closed');
    mgr.start();
    await run(120_000);
    // At once each time was one every 120 ms or so: about a thousand in two minutes.
    expect(made()).toBeLessThan(20);
    expect(activity.some((a) => a.type === 'breaker-open' && /closed soon after opening/.test(a.detail ?? ''))).toBe(true);
    mgr.stop();
  });

  it('treats a socket the console cut for what it said like a failed connect, however long it lived', async () => {
    const { mgr, run, made } = flappingAddress(6_000, 'cut');
    mgr.start();
    await run(120_000);
    // Lived 6 s each: reconnecting at once made one every 6 s or so (20); backing off and pausing far fewer.
    expect(made()).toBeLessThan(13);
    mgr.stop();
  });

  it('with two sockets to the address, one opening does not undo the pause the cut of the other set', async () => {
    const { mgr, run, made } = flappingAddress(10, 'feed', 2);
    mgr.start();
    await run(120_000);
    // Each opening closed the breaker and filled the other slot at once: about 300 a second on real sockets.
    expect(made()).toBeLessThan(30);
    mgr.stop();
  });

  it('reconnects at once after a socket that lived, and forgets the flaps', async () => {
    const { mgr, run, made } = flappingAddress(30_000, 'closed');
    mgr.start();
    await run(120_000);
    expect(made()).toBeGreaterThanOrEqual(4);
    mgr.stop();
  });
});
