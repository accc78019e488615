import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { EventFeed, RENUMBER_AGAIN_MS, type ContinuityLoss } from '../../src/main/core/pool/event-feed';
import type { PooledSocket } from '../../src/main/core/pool/socket';
import type { Replies, SequencedEvent } from '../../src/shared/protocol';
import { FakeClock } from '../helpers/fake-clock';
import { standDownWords, type StandDown } from '../../src/main/core/pool/unstable-stream';

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
    /** What the screens' event log says of each close. */
    said: [] as string[],
    close(why: string, words = '') {
      this.closed.push(why);
      this.said.push(words);
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
  it('again within the minute (instances that disagree, or a hostile one) stops following that socket for a while instead of replaying all again; it stays open', async () => {
    const { backend, sock, feed, lost, clock, resyncs } = await appliedEight('epoch-a');
    const stoodDown: StandDown[] = [];
    feed.on('unstable', (d) => stoodDown.push(d));
    Object.assign(backend, { head: 12, epoch: 'epoch-b' });
    feed.resubscribe();
    sock.conn.emit('subbed', { head: 12, gap: false, epoch: 'epoch-b' });
    await tick();
    expect(lost).toEqual(['renumbered']);
    const replays = resyncs.length;
    sock.conn.emit('subbed', { head: 12, gap: false, epoch: 'epoch-b' }); // the resync's own sub
    // Another instance still on the old numbering says so, over and over: each time its wait is over, it is asked again.
    for (let i = 0; i < 6; i++) {
      feed.resubscribe();
      sock.conn.emit('subbed', { head: 3, gap: false, epoch: i % 2 ? 'epoch-a' : 'epoch-c' });
      await tick();
      // While it waits it carries no feed, so it draws no `sub` and what it says is not listened to.
      const subs = sock.conn.subs.length;
      feed.resubscribe();
      sock.conn.emit('subbed', { head: 3, gap: false, epoch: 'epoch-a' });
      await tick();
      expect(sock.conn.subs).toHaveLength(subs);
      clock.advance(stoodDown.at(-1)!.waitMs);
    }
    expect(lost).toEqual(['renumbered']);
    // Nothing replayed again (a never-seen epoch costs one snapshot to check, which here names epoch-b).
    expect(resyncs).toHaveLength(replays);
    // Never closed: the check-ins it answers are not the stream's to stop.
    expect(sock.conn.closed).toEqual([]);
    // One instance, alone in its pool: there are no others to number differently from. Back to epoch-a (a
    // numbering left) is switching back; a never-seen epoch-c its own snapshot does not name is a new one each time.
    // The last, past the minute, is no longer "just left": a claim of its own, which its snapshot does not bear out.
    const how = ['self', 'went-back', 'self', 'went-back', 'self', 'self'];
    expect(stoodDown.map((d) => [d.how, d.others])).toEqual(how.map((h) => [h, false]));
    // Each wait twice the last, up to a cap.
    expect(stoodDown.map((d) => d.waitMs)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000]);
    // A real start-over later is believed again.
    clock.advance(RENUMBER_AGAIN_MS);
    Object.assign(backend, { head: 2, epoch: 'epoch-d' });
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

  it("an answer still due to a `sub` of the stream left (it says gap) is not a second loss: the new stream's events are applied", async () => {
    const { backend, sock, feed, applied, lost } = await appliedEight('epoch-a');
    Object.assign(backend, { head: 12, epoch: 'epoch-b' });
    feed.resubscribe();
    feed.resubscribe(); // two asked, as a round and a recovery can
    sock.conn.emit('subbed', { head: 12, gap: false, epoch: 'epoch-b' });
    await tick();
    expect(lost).toEqual(['renumbered']);
    // The second answer, to a `sub` after 8 of the old numbering, arrives after the resync.
    sock.conn.emit('subbed', { head: 12, gap: true, epoch: 'epoch-b' });
    await tick();
    expect(lost).toEqual(['renumbered']);
    sock.conn.emit('subbed', { head: 12, gap: false, epoch: 'epoch-b' }); // the resync's own, from 0
    for (const seq of range(1, 12)) sock.conn.emit('event', event(seq), 100);
    expect(applied).toEqual([...range(1, 8), ...range(1, 12)]);
    expect(feed.continuityLost).toBe(1);
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

/** Two instances on one shared log (a Redis): what they say is what `log` holds now. */
async function twoInstances(log: { head: number; epoch?: string }) {
  const snap = () => ({ head: log.head, occupancy: 0, capacity: 10, recent: [], ...(log.epoch ? { epoch: log.epoch } : {}) });
  const socks = [fakeSocket('ws://a', snap), fakeSocket('ws://b', snap)];
  const clock = new FakeClock();
  const feed = new EventFeed(() => socks, clock, 2);
  const applied: number[] = [];
  const lost: ContinuityLoss[] = [];
  feed.on('event', (e) => applied.push(e.seq));
  feed.on('continuityLost', (why) => lost.push(why));
  for (const s of socks) feed.attach(s);
  await tick();
  /** Every subscribed instance answers its latest `sub` from the log as it stands. */
  const answer = async () => {
    for (const s of socks) if (s.conn.subs.length) s.conn.emit('subbed', { head: log.head, gap: false, ...(log.epoch ? { epoch: log.epoch } : {}) });
    await tick();
  };
  return { socks, clock, feed, applied, lost, answer };
}

describe('a shared log that restarts empty twice within the minute (Redis in a crash loop)', () => {
  it('follows the second new numbering too, on every instance, cutting none off and applying each event once', async () => {
    for (const epochs of [['e1', 'e2', 'e3'], [undefined, undefined, undefined]] as const) {
      const log: { head: number; epoch?: string } = { head: 0, epoch: epochs[0] };
      const { socks, clock, feed, applied, lost, answer } = await twoInstances(log);
      await answer();
      for (const seq of range(1, 6)) for (const s of socks) s.conn.emit('event', event(seq), 100);
      for (const [n, epoch] of [epochs[1], epochs[2]].entries()) {
        clock.advance(20_000);
        // Restarted empty: no epoch until its first event; the desk's check-ins land in the new log.
        Object.assign(log, { head: 0, epoch: undefined });
        feed.resubscribe();
        await answer();
        Object.assign(log, { head: 2, epoch });
        await answer();
        for (const seq of range(1, 2)) for (const s of socks) s.conn.emit('event', event(seq), 100);
        expect(lost).toEqual(Array(n + 1).fill('renumbered'));
      }
      for (const s of socks) expect(s.conn.closed).toEqual([]);
      expect(applied).toEqual([...range(1, 6), 1, 2, 1, 2]);
      expect(feed.applied).toBe(2);
    }
  });

  it('stands down an instance whose stream names a new numbering its snapshot does not (a new epoch on every sub), and keeps it open', async () => {
    const log = { head: 3, epoch: 'e1' };
    const { socks, feed, lost, answer } = await twoInstances(log);
    const stoodDown: StandDown[] = [];
    feed.on('unstable', (d) => stoodDown.push(d));
    await answer();
    const [a] = socks;
    for (let i = 0; i < 10; i++) {
      feed.resubscribe();
      a!.conn.emit('subbed', { head: 3, gap: false, epoch: `storm-${i}` });
      await tick();
    }
    expect(lost).toEqual([]);
    // Stood down once (it draws no `sub` while it waits), never closed: the pool keeps it for requests.
    expect(stoodDown).toEqual([{ endpoint: a!.endpoint, how: 'self', others: true, waitMs: 2_000 }]);
    expect(a!.conn.closed).toEqual([]);
    expect((a as unknown as { faulted?: boolean }).faulted).toBeFalsy();
    expect(a!.subscribed).toBe(false);
  });

  it('a single instance with a new numbering on every answer is stood down in words that need no other instance', async () => {
    let n = 0;
    const sock = fakeSocket('ws://only', () => ({ head: 3, occupancy: 0, capacity: 10, recent: [], epoch: `snap-${++n}` }));
    const feed = new EventFeed(() => [sock], new FakeClock(), 1);
    const said: string[] = [];
    feed.on('unstable', (d) => said.push(standDownWords(d)));
    feed.attach(sock);
    await tick();
    sock.conn.emit('subbed', { head: 3, gap: false, epoch: 'first' });
    await tick();
    for (let i = 0; i < 3; i++) {
      feed.resubscribe();
      sock.conn.emit('subbed', { head: 3, gap: false, epoch: `storm-${i}` });
      await tick();
    }
    expect(said).toEqual([
      'This backend address gave a different event history when the console subscribed than when it asked for a fresh picture, so the console stopped following live events there for 2 s. Check-ins from this PC still go to it.',
    ]);
    expect(sock.conn.closed).toEqual([]);
  });

  it('two logs given as one backend: a numbering left comes back only after the minute, resuming where it stood, nothing applied twice', async () => {
    const logs = { a: { head: 4, epoch: 'la' }, b: { head: 9, epoch: 'lb' } };
    const snap = (l: { head: number; epoch: string }) => () => ({ head: l.head, occupancy: 0, capacity: 10, recent: [], epoch: l.epoch });
    const a = fakeSocket('ws://a', snap(logs.a));
    const b = fakeSocket('ws://b', snap(logs.b));
    const clock = new FakeClock();
    const feed = new EventFeed(() => [a, b], clock, 2);
    const stoodDown: StandDown[] = [];
    feed.on('unstable', (d) => stoodDown.push(d));
    const applied: string[] = [];
    let following = 'la';
    feed.on('resync', (s) => (following = s.epoch!));
    feed.on('event', (e) => applied.push(`${following}:${e.seq}`));
    feed.attach(a);
    await tick();
    feed.attach(b);
    await tick();
    const says = (s: typeof a, l: { head: number; epoch: string }) => s.conn.emit('subbed', { head: l.head, gap: false, epoch: l.epoch });
    says(a, logs.a); // a's answer to the first resync's sub: it follows la from 4
    says(b, logs.b); // b disagrees: first renumbering in a while, so believed; lb from its start
    await tick();
    expect(following).toBe('lb');
    says(a, logs.a); // answers the sub after the resync
    says(b, logs.b);
    for (const seq of range(1, 9)) b.conn.emit('event', event(seq), 100);
    await tick();
    // la comes back within the minute: a is stood down, not followed (and not closed).
    expect(stoodDown.map(standDownWords)).toEqual([
      'This backend address numbers its events differently from the other addresses, so the console stopped following live events there for 2 s. Check-ins from this PC still go to it.',
    ]);
    expect(a.conn.closed).toEqual([]);
    clock.advance(RENUMBER_AGAIN_MS);
    logs.a.head = 6;
    feed.resubscribe();
    says(a, logs.a);
    await tick();
    // Back on la, from seq 4 where it was left: only la's 5 and 6 are new.
    expect(a.conn.subs.at(-1)).toBe(4);
    for (const seq of range(1, 6)) a.conn.emit('event', event(seq), 100);
    expect(applied).toEqual([...range(1, 9).map((n) => `lb:${n}`), 'la:5', 'la:6']);
  });
});
