import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FakeClock } from '../helpers/fake-clock';
import { FeedModel, feedOver, type Faults } from '../helpers/feed-model';

const faults: fc.Arbitrary<Partial<Faults>> = fc.record(
  {
    pongOffset: fc.constantFrom(0, 3, -2, 1_000_000),
    subbedOffset: fc.constantFrom(0, 4),
    gap: fc.boolean(),
    silent: fc.boolean(),
    dropEvery: fc.constantFrom(0, 2, 3),
    dup: fc.boolean(),
    reverse: fc.boolean(),
    snapBehind: fc.constantFrom(0, 3),
  },
  { requiredKeys: [] },
);

/** What the backend does next: append, skip seqs for good, let time pass, or change how an instance bends the protocol. */
const command = fc.oneof(
  fc.record({ t: fc.constant('emit' as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ t: fc.constant('skip' as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 50, max: 4_000 }) }),
  fc.record({ t: fc.constant('fault' as const), i: fc.integer({ min: 0, max: 1 }), f: faults }),
  fc.record({ t: fc.constant('honest' as const) }),
);

/** From the backend turning honest: caught up within this (a resync may be waiting out its backoff), and staying so. */
const CAUGHT_UP_WITHIN_S = 60;
const HONEST_S = 120;

describe('whatever the backend sends, the feed never stays stuck and never asks without end', () => {
  it('holes, heads that lie, gaps, silence, drops, duplicates, reordering and snapshots behind: then caught up, each event once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 30 }), async (cmds) => {
        const model = new FeedModel(2);
        const clock = new FakeClock();
        const { feed, applied, run } = feedOver(model, clock);
        await run(100);
        for (const c of cmds) {
          if (c.t === 'emit') model.emit(c.n);
          else if (c.t === 'skip') model.skip(c.n);
          else if (c.t === 'fault') model.setFaults(c.i, c.f);
          else if (c.t === 'honest') model.honest();
          await run(c.t === 'wait' ? c.ms : 50);
        }
        // Re-subscribes are bounded by what happened, not by time: a beat (4 a second) never draws one by itself.
        const hostileS = clock.mono() / 1_000;
        expect(model.subs).toBeLessThanOrEqual(2 * (3 + 2 * cmds.length + hostileS));

        // Honest from here on (what was skipped stays skipped), an event every 5 s.
        model.honest();
        const caughtUp: boolean[] = [];
        const subsAt: number[] = [];
        for (let s = 0; s < HONEST_S; s += 5) {
          model.emit(1);
          await run(5_000);
          caughtUp.push(feed.applied === model.head);
          subsAt.push(model.subs);
        }
        const from = CAUGHT_UP_WITHIN_S / 5 - 1;
        expect(caughtUp.slice(from)).not.toContain(false);
        // Caught up, it asks nothing more.
        expect(subsAt.at(-1)! - subsAt[from]!).toBeLessThanOrEqual(2);
        // Exactly once, in order, each under its own seq (the model's events name their seq).
        const seqs = applied.map((e) => e.seq);
        expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!)).toBe(true);
        expect(applied.every((e) => e.body.kind === 'checkout' && e.body.memberId === `M${e.seq}`)).toBe(true);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
