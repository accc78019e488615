import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FakeClock } from '../helpers/fake-clock';
import { FeedModel, feedOver, type Faults } from '../helpers/feed-model';
import { UNREADABLE_WAIT_MS } from '../../src/main/core/pool/event-feed';

// probe-hostile15 R1: one event the console could not read stopped the feed for good, and every replay of it was
// another protocol error until the backend was quarantined. Wherever such events fall, and however honestly
// imperfect the delivery (drops, duplicates, reordering), the feed must step past each and count it once.

const delivery: fc.Arbitrary<Partial<Faults>> = fc.record({ dropEvery: fc.constantFrom(0, 2, 3), dup: fc.boolean(), reverse: fc.boolean() }, { requiredKeys: [] });
const command = fc.oneof(
  fc.record({ t: fc.constant('emit' as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ t: fc.constant('bad' as const) }),
  fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 50, max: 3_000 }) }),
  fc.record({ t: fc.constant('delivery' as const), i: fc.integer({ min: 0, max: 1 }), f: delivery }),
);

/** Whether, at some point, both instances drop frames (a drop setting lasts until set again). */
function bothDrop(cmds: { t: string; i?: number; f?: Partial<Faults> }[]): boolean {
  const drops = [0, 0];
  for (const c of cmds) {
    if (c.t !== 'delivery' || c.f?.dropEvery === undefined) continue;
    drops[c.i!] = c.f.dropEvery;
    if (drops[0] && drops[1]) return true;
  }
  return false;
}

describe('events the console cannot read, anywhere in the stream', () => {
  it('each costs only itself: every other event applied once and in order, one protocol error each, continuity never lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 25 }), async (cmds) => {
        // Both instances dropping frames at once, round after round, cannot be told from a backend whose seqs hold
        // nothing for good (the same replays, the same event missing from each): that is a counted loss by design
        // (feed-holes, event-feed-property). Here one instance at a time drops, and nothing may be lost.
        fc.pre(!bothDrop(cmds));
        const model = new FeedModel(2);
        const clock = new FakeClock();
        const { feed, applied, run } = feedOver(model, clock);
        await run(100);
        for (const c of cmds) {
          if (c.t === 'emit') model.emit(c.n);
          else if (c.t === 'bad') model.emitUnreadable();
          else if (c.t === 'delivery') model.setFaults(c.i, c.f);
          await run(c.t === 'wait' ? c.ms : 50);
        }
        model.honest();
        model.emit(1);
        await run(20_000);
        const good = [...model.log.keys()].filter((s) => !model.unreadable.has(s)).sort((a, b) => a - b);
        expect(applied.map((e) => e.seq)).toEqual(good);
        expect(feed.applied).toBe(model.head);
        expect(feed.continuityLost).toBe(0);
        expect(model.snapshots).toBe(1); // the first picture only
        expect(feed.unreadable).toBe(model.unreadable.size);
        // Sent again and again (replays, both subscribers, duplicates), each is still one fault.
        expect(model.contradictions).toBe(model.unreadable.size);
      }),
      { numRuns: 150 },
    );
  });

  // probe-hostile21 J1: one instance (mid-upgrade) sent an event unreadable and the other sent it readable 5 ms later;
  // the feed had stepped past at the first copy, and the readable one was dropped as a duplicate: lost for good.
  it('one sent unreadable by one instance and readable by the other is applied from the readable copy, in order', async () => {
    const model = new FeedModel(2);
    const clock = new FakeClock();
    const { feed, applied, run } = feedOver(model, clock);
    await run(100);
    model.emit(2);
    model.emitGarbled([0]); // instance 0's copy is read first (it flushes first)
    model.emit(2);
    model.emitGarbled([1]);
    model.emit(1);
    await run(500);
    expect(applied.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(feed.unreadable).toBe(0);
    expect(model.contradictions).toBe(2); // each instance's bad frame is still its protocol error
    expect(model.subs).toBe(2); // no replay asked: nothing was missing
  });

  it('sent unreadable by every subscriber: stepped past at once; by one while the other says nothing: after the wait', async () => {
    const both = new FeedModel(2);
    const clock = new FakeClock();
    const a = feedOver(both, clock);
    await a.run(100);
    both.emitGarbled([0, 1]);
    both.emit(1);
    await a.run(50);
    expect(a.applied.map((e) => e.seq)).toEqual([2]);
    expect(a.feed.unreadable).toBe(1);

    const quiet = new FeedModel(2);
    const clock2 = new FakeClock();
    const b = feedOver(quiet, clock2);
    await b.run(100);
    quiet.setFaults(1, { dropEvery: 1 }); // instance 1 sends no events now
    quiet.emitGarbled([0]);
    quiet.emit(1);
    await b.run(UNREADABLE_WAIT_MS - 100);
    expect(b.applied.map((e) => e.seq)).toEqual([]); // waiting for instance 1's copy; event 2 held behind it
    await b.run(200);
    expect(b.applied.map((e) => e.seq)).toEqual([2]);
    expect(b.feed.unreadable).toBe(1);
    expect(b.feed.continuityLost).toBe(0);
  });

  // review21 K4: after a stall of the console's own, the wait's timer ran before the readable copy, already waiting
  // on the other socket, was read: the event was stepped past and the copy dropped.
  it('a readable copy waiting unread when the wait runs out is read before the verdict', async () => {
    const model = new FeedModel(2);
    const clock = new FakeClock();
    const { feed, applied, run } = feedOver(model, clock);
    await run(100);
    model.setFaults(1, { dropEvery: 1 }); // instance 1's copy is late
    model.emitGarbled([0]);
    model.flush(); // instance 0's unreadable copy is read: the wait starts
    model.setFaults(1, { dropEvery: 0 });
    model.conns[1]!.send(model.log.get(model.head)); // instance 1's readable copy arrives, not yet read
    clock.advance(UNREADABLE_WAIT_MS + 500); // the console was held up past the wait
    model.flush(); // the loop reads what waited, then runs the deferred verdict
    await new Promise((r) => setImmediate(r));
    expect(applied.map((e) => e.seq)).toEqual([1]);
    expect(feed.unreadable).toBe(0);
  });
});
