import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { EventFeed } from '../../src/main/core/pool/event-feed';
import { CircuitBreaker } from '../../src/main/core/pool/breaker';
import type { PooledSocket } from '../../src/main/core/pool/socket';
import type { SequencedEvent } from '../../src/shared/protocol';
import { FakeClock } from '../helpers/fake-clock';

/** Just enough of a pooled socket for the feed: it records subscriptions and answers snapshots. */
function fakeSocket(endpoint: string) {
  const conn = Object.assign(new EventEmitter(), {
    subs: [] as number[],
    snapshots: 0,
    subscribe(after: number) {
      this.subs.push(after);
    },
    unsubscribe() {},
    close() {},
    request() {
      this.snapshots++;
      return Promise.resolve({ head: 0, occupancy: 0, capacity: 0, recent: [] });
    },
  });
  return { endpoint, conn, open: true, draining: false, routable: true, score: 100, subscribed: false } as unknown as PooledSocket & { conn: typeof conn };
}

const event = (seq: number): SequencedEvent => ({ seq, ts: 0, body: { kind: 'checkout', memberId: 'M1', name: 'n', auto: false, occupancy: 0 } });

async function synced() {
  const sock = fakeSocket('ws://a');
  const clock = new FakeClock();
  const feed = new EventFeed(() => [sock], clock, 1);
  const applied: number[] = [];
  feed.on('event', (e) => applied.push(e.seq));
  feed.attach(sock);
  await new Promise((r) => setImmediate(r));
  expect(sock.conn.subs).toEqual([0]);
  sock.conn.emit('subbed', { head: 0, gap: false });
  return { sock, feed, applied, clock };
}

describe('the early-event buffer is bounded', () => {
  it('by bytes: past 8 MB it drops what it holds and asks for a replay from the last applied seq', async () => {
    const { sock, feed, applied } = await synced();
    for (let seq = 2; seq < 2 + 8_400; seq++) sock.conn.emit('event', event(seq), 1_000);
    expect(feed.overflows).toBe(1);
    expect(sock.conn.subs.at(-1)).toBe(0);
    // The replay fills the hole and continues; nothing held from before is applied out of turn.
    sock.conn.emit('subbed', { head: 3, gap: false });
    for (const seq of [1, 2, 3]) sock.conn.emit('event', event(seq), 1_000);
    expect(applied).toEqual([1, 2, 3]);
  });

  it('by count: 10,000 small events at most', async () => {
    const { sock, feed } = await synced();
    for (let seq = 2; seq <= 10_001; seq++) sock.conn.emit('event', event(seq), 10);
    expect(feed.overflows).toBe(0);
    sock.conn.emit('event', event(10_002), 10);
    expect(feed.overflows).toBe(1);
  });

  it('by time: events held past a hole that no replay fills are let go, even when nothing else arrives', async () => {
    const { sock, feed, applied, clock } = await synced();
    // A peer sends events far ahead of the real stream, then goes quiet: only pongs keep arriving.
    for (let seq = 1_000; seq < 1_100; seq++) sock.conn.emit('event', event(seq), 5_000);
    const asked = sock.conn.subs.length;
    clock.jump(9_000);
    sock.conn.emit('pong', { ts: 0, head: 0 });
    expect(feed.heldTooLong).toBe(0);
    clock.jump(2_000);
    sock.conn.emit('pong', { ts: 0, head: 0 });
    expect(feed.heldTooLong).toBe(1);
    // Asked again from the last applied seq; what was held is gone, so the real 1,000 is applied in turn.
    expect(sock.conn.subs.length).toBeGreaterThan(asked);
    expect(sock.conn.subs.at(-1)).toBe(0);
    sock.conn.emit('subbed', { head: 2, gap: false });
    for (const seq of [1, 2]) sock.conn.emit('event', event(seq), 100);
    sock.conn.emit('event', event(1_000), 100);
    expect(applied).toEqual([1, 2]);
    // Held again, and filled in time, it is applied and never counted as held too long.
    for (let seq = 3; seq < 1_000; seq++) sock.conn.emit('event', event(seq), 100);
    expect(applied.at(-1)).toBe(1_000);
    clock.jump(60_000);
    sock.conn.emit('pong', { ts: 0, head: 1_000 });
    expect(feed.heldTooLong).toBe(1);
  });

  it('a pong read ahead of events still waiting on the console (a burst) asks for nothing again: they are on their way', async () => {
    const { sock, clock } = await synced();
    const asked = sock.conn.subs.length;
    for (let i = 0; i < 6; i++) {
      sock.conn.emit('pong', { ts: 0, head: 5_000, ours: true });
      clock.jump(1_000);
    }
    expect(sock.conn.subs.length).toBe(asked);
    // Heard with nothing of ours in front of it, the same head is a hole: asked again.
    for (let i = 0; i < 3; i++) {
      sock.conn.emit('pong', { ts: 0, head: 5_000 });
      clock.jump(1_000);
    }
    expect(sock.conn.subs.length).toBeGreaterThan(asked);
  });

  it('ignores a subbed nobody asked for, even one that claims a gap', async () => {
    const { sock, feed } = await synced();
    for (let i = 0; i < 5; i++) sock.conn.emit('subbed', { head: 99, gap: true });
    await new Promise((r) => setImmediate(r));
    expect(sock.conn.snapshots).toBe(1);
    expect(feed.continuityLost).toBe(0);
  });
});

describe('breaker trip (quarantine)', () => {
  it('opens at once for at least the given time, and a later success forgets it', () => {
    let t = 0;
    const b = new CircuitBreaker(5, () => t, 1_000, 8_000);
    b.trip(20_000);
    expect(b.state).toBe('open');
    expect(b.waitMs()).toBe(20_000);
    t = 20_000;
    expect(b.waitMs()).toBe(0);
    b.success();
    expect(b.cooldown).toBe(1_000);
  });
});

describe('the stream is held on two instances', () => {
  it('holds the stream once per instance: a second socket to the same one would only bring every event twice; an instance that comes up later gets the second', async () => {
    const a1 = fakeSocket('ws://a');
    const a2 = fakeSocket('ws://a');
    const b1 = fakeSocket('ws://b');
    const up = [a1, a2];
    const feed = new EventFeed(() => up, new FakeClock(), 2);
    feed.attach(a1);
    feed.attach(a2);
    await new Promise((r) => setImmediate(r));
    expect([a1, a2].filter((s) => s.subscribed)).toHaveLength(1);
    up.push(b1);
    feed.attach(b1);
    expect(b1.subscribed).toBe(true);
    expect([a1, a2].filter((s) => s.subscribed)).toHaveLength(1);
  });
});

// review26 V5: a subscriber was dropped only when its socket closed. One on another pool's socket to the gym's old
// address stayed after the main pool moved to a new server: the events came from the old one, check-ins went to the new.
describe('the sockets the feed may use change (the main pool moved)', () => {
  it('lets go of a subscriber no longer among them, though its socket is open, and takes one that is', async () => {
    const old = fakeSocket('ws://old');
    const moved = fakeSocket('ws://new');
    let allowed = [old];
    const feed = new EventFeed(() => allowed, new FakeClock(), 1);
    feed.attach(old);
    await new Promise((r) => setImmediate(r));
    expect(old.subscribed).toBe(true);
    allowed = [moved];
    feed.reconsider();
    expect(old.subscribed).toBe(false);
    expect(moved.subscribed).toBe(true);
  });
});
