import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { EventFeed, RENUMBER_AGAIN_MS, type ContinuityLoss } from '../../src/main/core/pool/event-feed';
import type { PooledSocket } from '../../src/main/core/pool/socket';
import type { Replies, SequencedEvent } from '../../src/shared/protocol';
import { FakeClock } from '../helpers/fake-clock';

/** Just enough of a pooled socket for the feed; its snapshot is whatever the test's backend holds now. */
function fakeSocket(endpoint: string, snapshot: () => Replies['snapshot']) {
  const conn = Object.assign(new EventEmitter(), {
    subs: [] as number[],
    snapshots: 0,
    subscribe(after: number) {
      this.subs.push(after);
    },
    unsubscribe() {},
    closed: [] as string[],
    close(why: string) {
      this.closed.push(why);
    },
    request() {
      this.snapshots++;
      return Promise.resolve(snapshot());
    },
  });
  return { endpoint, conn, open: true, draining: false, routable: true, score: 100, subscribed: false } as unknown as PooledSocket & { conn: typeof conn };
}

const event = (seq: number): SequencedEvent => ({ seq, ts: 0, body: { kind: 'checkout', memberId: 'M1', name: 'n', auto: false, occupancy: 0 } });
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A feed synced to a backend whose stream holds events 1–8 (of `epoch`, when it sends one), all applied. */
async function appliedEight(epoch?: string) {
  const backend = { head: 8, epoch };
  const sock = fakeSocket('ws://a', () => ({ head: backend.head, occupancy: 0, capacity: 10, recent: [], ...(backend.epoch ? { epoch: backend.epoch } : {}) }));
  const clock = new FakeClock();
  const feed = new EventFeed(() => [sock], clock, 1);
  const applied: number[] = [];
  const lost: ContinuityLoss[] = [];
  const resyncs: Replies['snapshot'][] = [];
  feed.on('event', (e) => applied.push(e.seq));
  feed.on('continuityLost', (why) => lost.push(why));
  feed.on('resync', (s) => resyncs.push(s));
  backend.head = 0;
  feed.attach(sock);
  await tick();
  sock.conn.emit('subbed', { head: 0, gap: false, epoch });
  for (const seq of range(1, 8)) sock.conn.emit('event', event(seq), 100);
  expect(applied).toEqual(range(1, 8));
  return { backend, sock, feed, applied, lost, resyncs, clock };
}

describe('a backend whose event numbering starts over', () => {
  it('again within the minute (instances that disagree, or a hostile one) closes that socket instead of replaying all again', async () => {
    const { backend, sock, feed, lost, clock } = await appliedEight('epoch-a');
    Object.assign(backend, { head: 12, epoch: 'epoch-b' });
    feed.resubscribe();
    sock.conn.emit('subbed', { head: 12, gap: false, epoch: 'epoch-b' });
    await tick();
    expect(lost).toEqual(['renumbered']);
    const snapshots = sock.conn.snapshots;
    sock.conn.emit('subbed', { head: 12, gap: false, epoch: 'epoch-b' }); // the resync's own sub
    // Another instance still on the old numbering says so, over and over.
    for (let i = 0; i < 20; i++) {
      feed.resubscribe();
      sock.conn.emit('subbed', { head: 3, gap: false, epoch: i % 2 ? 'epoch-a' : 'epoch-c' });
      await tick();
    }
    expect(lost).toEqual(['renumbered']);
    expect(sock.conn.snapshots).toBe(snapshots);
    expect(sock.conn.closed).toHaveLength(20);
    expect(sock.conn.closed[0]).toMatch(/its event numbering disagrees with the stream the console follows/);
    // A real start-over later is believed again.
    clock.advance(RENUMBER_AGAIN_MS);
    feed.resubscribe();
    sock.conn.emit('subbed', { head: 2, gap: false, epoch: 'epoch-d' });
    await tick();
    expect(lost).toEqual(['renumbered', 'renumbered']);
  });

  it('a new epoch, its head already past what was applied: resyncs and applies the new stream from seq 1', async () => {
    const { backend, sock, feed, applied, lost, resyncs } = await appliedEight('epoch-a');
    // Redis came back empty; by the time the console asks again the new stream holds 12 events.
    Object.assign(backend, { head: 12, epoch: 'epoch-b' });
    feed.resubscribe();
    sock.conn.emit('subbed', { head: 12, gap: false, epoch: 'epoch-b' });
    for (const seq of [9, 10]) sock.conn.emit('event', event(seq), 100); // the replay already under way: ignored
    await tick();
    expect(lost).toEqual(['renumbered']);
    expect(feed.continuityLost).toBe(1);
    expect(sock.conn.subs.at(-1)).toBe(0);
    // Its history comes as events, each counted once; as `recent` too it would show twice.
    expect(resyncs.at(-1)!.recent).toEqual([]);
    sock.conn.emit('subbed', { head: 12, gap: false, epoch: 'epoch-b' });
    for (const seq of range(1, 12)) sock.conn.emit('event', event(seq), 100);
    sock.conn.emit('event', event(5), 100); // a duplicate in the new numbering is still a duplicate
    sock.conn.emit('event', event(13), 100);
    expect(applied).toEqual([...range(1, 8), ...range(1, 13)]);
    expect(feed.applied).toBe(13);
    expect(feed.continuityLost).toBe(1);
  });

  it('no epoch (an older backend): a replay head below what was applied is a renumbering too, not only a gap', async () => {
    const { backend, sock, feed, applied, lost } = await appliedEight();
    backend.head = 3;
    feed.resubscribe();
    sock.conn.emit('subbed', { head: 3, gap: true });
    await tick();
    expect(lost).toEqual(['renumbered']);
    expect(sock.conn.subs.at(-1)).toBe(0);
    sock.conn.emit('subbed', { head: 3, gap: false });
    for (const seq of range(1, 3)) sock.conn.emit('event', event(seq), 100);
    expect(applied).toEqual([...range(1, 8), 1, 2, 3]);
  });

  it('an instance whose pong head goes back is asked again, and its replay tells the renumbering', async () => {
    const { backend, sock, lost } = await appliedEight('epoch-a');
    sock.conn.emit('pong', { rttMs: 1, head: 8 });
    const subs = sock.conn.subs.length;
    Object.assign(backend, { head: 2, epoch: 'epoch-b' });
    sock.conn.emit('pong', { rttMs: 1, head: 2 });
    expect(sock.conn.subs.length).toBe(subs + 1);
    sock.conn.emit('subbed', { head: 2, gap: true, epoch: 'epoch-b' });
    await tick();
    expect(lost).toEqual(['renumbered']);
  });

  it('the same epoch at a head past what was applied is ordinary: no resync, nothing applied twice', async () => {
    const { sock, feed, applied, lost } = await appliedEight('epoch-a');
    feed.resubscribe();
    sock.conn.emit('subbed', { head: 10, gap: false, epoch: 'epoch-a' });
    for (const seq of range(6, 10)) sock.conn.emit('event', event(seq), 100);
    await tick();
    expect(lost).toEqual([]);
    expect(sock.conn.snapshots).toBe(1);
    expect(applied).toEqual(range(1, 10));
  });

  it('a late answer whose head trails what was applied since (a frozen instance) is not a renumbering', async () => {
    const { sock, feed, applied, lost } = await appliedEight();
    feed.resubscribe(); // after 8
    for (const seq of range(9, 12)) sock.conn.emit('event', event(seq), 100);
    sock.conn.emit('subbed', { head: 9, gap: false }); // read when the log stood at 9
    await tick();
    expect(lost).toEqual([]);
    expect(applied).toEqual(range(1, 12));
  });

  it('a gap in the same numbering stays a gap: resynced from the head, history shown, not applied', async () => {
    const { backend, sock, feed, applied, lost, resyncs } = await appliedEight('epoch-a');
    backend.head = 100;
    feed.resubscribe();
    sock.conn.emit('subbed', { head: 100, gap: true, epoch: 'epoch-a' });
    await tick();
    expect(lost).toEqual(['gap']);
    expect(sock.conn.subs.at(-1)).toBe(100);
    expect(resyncs).toHaveLength(2);
    sock.conn.emit('event', event(101), 100);
    expect(applied).toEqual([...range(1, 8), 101]);
  });
});
