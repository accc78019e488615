import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { EventFeed } from '../../src/main/core/pool/event-feed';
import type { PooledSocket } from '../../src/main/core/pool/socket';
import { StorageUnavailable } from '../../src/main/core/pool/connection';
import type { Replies } from '../../src/shared/protocol';
import { FakeClock } from '../helpers/fake-clock';

type Snap = Replies['snapshot'];

/** A pooled socket whose snapshots the test answers (or fails) by hand. */
function fakeSocket(endpoint: string) {
  const waiting: { resolve: (s: Snap) => void; reject: (e: Error) => void }[] = [];
  const conn = Object.assign(new EventEmitter(), {
    subs: [] as number[],
    snapshots: 0,
    instance: 'one',
    subscribe(after: number) {
      this.subs.push(after);
    },
    unsubscribe() {},
    close() {},
    request() {
      this.snapshots++;
      return new Promise<Snap>((resolve, reject) => waiting.push({ resolve, reject }));
    },
  });
  const sock = { endpoint, conn, open: true, draining: false, routable: true, score: 100, subscribed: false } as unknown as PooledSocket;
  return Object.assign(sock as PooledSocket & { conn: typeof conn; open: boolean }, {
    answer: (s: Snap) => waiting.shift()!.resolve(s),
    fail: (e: Error) => waiting.shift()!.reject(e),
    pending: () => waiting.length,
  });
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
const snap = (head: number, epoch?: string): Snap => ({ head, occupancy: 0, capacity: 10, recent: [], ...(epoch ? { epoch } : {}) });

/** Two instances' sockets; the feed synced on `a` at seq 5, then `a`'s stream shows a gap and `a` resyncs (its snapshot unanswered). */
async function resyncingOnA(epoch?: string) {
  const a = fakeSocket('ws://a');
  const b = fakeSocket('ws://b');
  const up = [a];
  const clock = new FakeClock();
  const feed = new EventFeed(() => up.filter((s) => s.open), clock, 2);
  feed.attach(a);
  a.answer(snap(5, epoch));
  await tick();
  a.conn.emit('subbed', { head: 5, gap: false, epoch });
  expect(feed.applied).toBe(5);
  a.conn.emit('subbed', { head: 9, gap: true, epoch }); // an answer nobody asked for is ignored…
  feed.resubscribe();
  a.conn.emit('subbed', { head: 9, gap: true, epoch }); // …this one is asked: a resync on a
  await tick();
  expect(a.conn.snapshots).toBe(2);
  // Meanwhile the other instance comes up and is chosen as the second subscriber.
  up.push(b);
  feed.attach(b);
  expect(b.subscribed).toBe(true);
  return { a, b, up, feed, clock };
}

/** The socket a resync waited on closes: the pool detaches it, and its request fails. */
async function closeA(x: Awaited<ReturnType<typeof resyncingOnA>>, detachFirst: boolean) {
  x.a.open = false;
  if (detachFirst) x.feed.detach(x.a);
  x.a.fail(new Error('closed'));
  await tick();
  if (!detachFirst) x.feed.detach(x.a);
  await tick();
}

describe('a resync that ends without a picture leaves no subscriber unasked', () => {
  for (const detachFirst of [true, false]) {
    it(`its socket closes under it (${detachFirst ? 'detached, then its request fails' : 'its request fails, then detached'}): a subscriber chosen meanwhile is asked for what follows the last applied`, async () => {
      const x = await resyncingOnA();
      await closeA(x, detachFirst);
      // Held, unasked, it would carry nothing until a pong showed events past the last applied: on a quiet gym, never.
      expect(x.b.conn.subs.length + x.b.conn.snapshots).toBeGreaterThan(0);
      if (x.b.conn.snapshots) {
        x.b.answer(snap(9));
        await tick();
      }
      expect(x.b.conn.subs.at(-1)).toBeGreaterThanOrEqual(5);
    });
  }

  it('its address is stood down (its snapshot names yet another numbering): the other instance carries the feed', async () => {
    const a = fakeSocket('ws://a');
    const b = fakeSocket('ws://b');
    const up = [a];
    const feed = new EventFeed(() => up.filter((s) => s.open), new FakeClock(), 2);
    feed.attach(a);
    a.answer(snap(5, 'e1'));
    await tick();
    a.conn.emit('subbed', { head: 5, gap: false, epoch: 'e1' });
    feed.resubscribe();
    a.conn.emit('subbed', { head: 0, gap: false, epoch: 'e2' }); // a new numbering, claimed
    await tick();
    up.push(b);
    feed.attach(b);
    a.answer(snap(0, 'e3')); // its own snapshot names another: a stands down
    await tick();
    expect(a.subscribed).toBe(false);
    expect(b.subscribed).toBe(true);
    expect(b.conn.subs.length + b.conn.snapshots).toBeGreaterThan(0);
  });

  it('the backend storage is away and the socket then closes: the others are asked once its retry finds it gone', async () => {
    const x = await resyncingOnA();
    x.a.fail(new StorageUnavailable('storage away'));
    await tick();
    x.a.open = false;
    x.feed.detach(x.a);
    x.clock.advance(5_000);
    await tick();
    expect(x.b.conn.subs.length + x.b.conn.snapshots).toBeGreaterThan(0);
  });

  it('before the first picture: a subscriber chosen while the first snapshot was asked takes the picture itself when that socket closes', async () => {
    const a = fakeSocket('ws://a');
    const b = fakeSocket('ws://b');
    const up = [a];
    const feed = new EventFeed(() => up.filter((s) => s.open), new FakeClock(), 2);
    feed.attach(a);
    up.push(b);
    feed.attach(b);
    a.open = false;
    feed.detach(a);
    a.fail(new Error('closed'));
    await tick();
    expect(b.conn.snapshots).toBe(1);
    b.answer(snap(3));
    await tick();
    expect(b.conn.subs).toEqual([3]);
  });

  // review19 H1: each failure handed the first picture to the other instance at once, a snapshot per round trip.
  it('two instances whose snapshots both fail are asked in turn after waits that double, not back to back', async () => {
    const a = fakeSocket('ws://a');
    const b = fakeSocket('ws://b');
    const clock = new FakeClock();
    const feed = new EventFeed(() => [a, b].filter((s) => s.open), clock, 2);
    feed.attach(a);
    feed.attach(b);
    const asked = (): number => a.conn.snapshots + b.conn.snapshots;
    const failAll = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) {
        await tick();
        for (const s of [a, b]) while (s.pending() > 0) s.fail(new Error('internal'));
      }
    };
    await failAll();
    expect(asked()).toBe(1);
    // 1 s, then 2 s, then 4 s, 8 s: about five snapshots in 15 s, whichever instance is asked.
    for (let t = 0; t < 15_000; t += 250) {
      clock.advance(250);
      await failAll();
    }
    expect(asked()).toBeGreaterThanOrEqual(4);
    expect(asked()).toBeLessThanOrEqual(6);
    expect(feed.failedSnapshots).toBe(asked());
    expect(clock.pending).toBeLessThanOrEqual(2); // one retry waiting, not one per failure
    feed.stop();
  });
});
