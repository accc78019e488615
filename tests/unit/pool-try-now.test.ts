import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/shared/result';
import { fakeSocketPool } from '../helpers/fake-pool';
import { FakeSocket } from '../helpers/fake-ws';

/**
 * A pool over two addresses on fake sockets: each socket the pool opens is refused while its address
 * is in `down`, else welcomed, as `step` moves the clock. Back-off without jitter (random 1), so the
 * waits are the longest they can be.
 */
function rig() {
  const fresh: { url: string; s: FakeSocket }[] = [];
  const live: { url: string; s: FakeSocket }[] = [];
  const down = new Set<string>();
  /** Addresses whose backend refuses the console's token. */
  const refuse = new Set<string>();
  const { clock, mgr } = fakeSocketPool({ endpoints: ['ws://a:1', 'ws://b:1'], maxConnections: 2, reconnectAttempts: 3 }, (s, url) => fresh.push({ url, s }));
  /** Answers every socket opened since the last call, as its address is now. */
  const answer = (): void => {
    for (const x of fresh.splice(0)) {
      if (refuse.has(x.url)) {
        x.s.emit('open');
        x.s.frame({ t: 'error', code: 'unauthorized', message: 'bad token' });
      } else if (down.has(x.url)) {
        x.s.emit('error', Object.assign(new Error(`connect ECONNREFUSED ${x.url}`), { code: 'ECONNREFUSED' }));
        x.s.emit('close', 1006, Buffer.alloc(0));
      } else {
        x.s.emit('open');
        x.s.frame({ t: 'welcome', version: 1, instance: x.url, heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
        live.push(x);
      }
    }
  };
  const step = (ms: number, by = 100): void => {
    for (let t = 0; t < ms; t += by) {
      answer();
      clock.advance(by);
    }
    answer();
  };
  const ep = (url: string) => mgr.connectionView().endpoints.find((e) => e.url === url)!;
  /** Drops every open socket of an address, as a backend instance stopping does. */
  const cut = (url: string): void => {
    for (const x of live.filter((l) => l.url === url)) x.s.emit('close', 1006, Buffer.alloc(0));
  };
  return { clock, mgr, down, refuse, step, answer, ep, cut };
}

describe('"Try now": the backend back, the console need not wait out its back-off', () => {
  it('every waiting address tries at once; a second press within 5 s is refused in words, not sent', () => {
    const r = rig();
    r.down.add('ws://a:1').add('ws://b:1');
    r.mgr.start();
    r.step(40_000);
    expect(r.mgr.connectionView().state).toBe('offline');
    for (const url of ['ws://a:1', 'ws://b:1']) expect(r.ep(url).nextTryInMs).toBeGreaterThan(3_000);
    r.down.clear();
    expect(r.mgr.tryNow()).toEqual({ tried: 2 });
    r.answer(); // no time passes: the tries went out on the press
    expect(r.mgr.connectionView().state).not.toBe('offline');
    expect(r.ep('ws://a:1')).toMatchObject({ state: 'open', nextTryInMs: null });
    expect(r.ep('ws://b:1')).toMatchObject({ state: 'open', nextTryInMs: null });
    let refused: unknown = null;
    try {
      r.mgr.tryNow();
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as Error).message).toBe('The console tried a moment ago; it can try again in 5 s.');
    r.clock.advance(5_000);
    expect(r.mgr.tryNow()).toEqual({ tried: 0 });
  });

  it('the Backend card\'s next try counts down with the back-off, and is gone while the address is up', () => {
    const r = rig();
    r.down.add('ws://b:1');
    r.mgr.start();
    r.step(20_000);
    expect(r.ep('ws://a:1').nextTryInMs).toBeNull();
    const left = r.ep('ws://b:1').nextTryInMs!;
    expect(left).toBeGreaterThan(0);
    r.clock.advance(Math.min(1_000, left - 1));
    expect(r.ep('ws://b:1').nextTryInMs).toBe(left - Math.min(1_000, left - 1));
  });

  it('one address back after failing makes the others of its backend try within a second, not at their back-off\'s end', () => {
    const r = rig();
    r.down.add('ws://b:1');
    r.mgr.start();
    r.step(60_000); // b down a minute: paused for up to 30 s at a time
    r.down.add('ws://a:1');
    r.cut('ws://a:1');
    r.step(3_000); // a down a few seconds: a short back-off
    const a = r.ep('ws://a:1').nextTryInMs!;
    const b = r.ep('ws://b:1').nextTryInMs!;
    expect(b - a).toBeGreaterThan(5_000);
    r.down.clear();
    r.step(a + 100);
    expect(r.ep('ws://a:1').state).toBe('open');
    r.step(1_200);
    expect(r.ep('ws://b:1').state).toBe('open');
  });
});

// Walkthrough 14b I1: with the token refused, the Backend card called each address "down · next try in 25 s"
// and offered "Try now – If the backend is back…": waiting cannot mend a wrong token.
describe('an address that refuses the token says what IT must fix, not when it is tried next', () => {
  it('a refused token is told on the address; an address merely down is not', () => {
    const r = rig();
    r.refuse.add('ws://a:1');
    r.down.add('ws://b:1');
    r.mgr.start();
    r.step(3_000);
    expect(r.ep('ws://a:1').state).not.toBe('open');
    expect(r.ep('ws://a:1').needsFix).toBe("the backend refused this PC's token: a manager must enter the right one under Backend connection");
    expect(r.ep('ws://b:1').needsFix).toBeUndefined();
  });
});
