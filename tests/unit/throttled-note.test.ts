import { describe, expect, it } from 'vitest';
import { throttledNote, type Tally } from '../../src/main/core/throttled-note';
import { FakeClock } from '../helpers/fake-clock';

// review18 L3: three owners each wrote "at most once a minute, with the count left out", and one said the count
// only with the next event, so a spell's last minute went untold when the events stopped.

function rig() {
  const clock = new FakeClock();
  const said: Tally<string>[] = [];
  const n = throttledNote<string>({ everyMs: 60_000, clock, say: (t) => void said.push(t) });
  return { clock, said, note: n.note, stop: n.stop };
}

describe('a note said at most once a minute', () => {
  it('says the first at once, counts the rest, and says their count when the minute is up though nothing more came', () => {
    const { clock, said, note } = rig();
    note('a');
    expect(said).toEqual([{ detail: 'a', count: 1, fresh: true }]);
    clock.advance(1_000);
    note('b');
    clock.advance(1_000);
    note('c');
    expect(said).toHaveLength(1);
    clock.advance(58_000);
    expect(said).toEqual([
      { detail: 'a', count: 1, fresh: true },
      { detail: 'c', count: 2, fresh: false },
    ]);
  });

  it('says nothing when nothing happened, and nothing after a count it has said', () => {
    const { clock, said, note } = rig();
    clock.advance(10 * 60_000);
    expect(said).toEqual([]);
    note('a');
    clock.advance(10 * 60_000);
    expect(said).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it('a spell that goes on: one line a minute, each with its own count; a new spell after a quiet minute starts fresh', () => {
    const { clock, said, note } = rig();
    for (let s = 0; s < 180; s++) {
      note(`e${s}`);
      clock.advance(1_000);
    }
    expect(said.map((t) => [t.count, t.fresh])).toEqual([
      [1, true],
      [59, false],
      [60, false],
      [60, false],
    ]);
    clock.advance(2 * 60_000);
    note('later');
    expect(said.at(-1)).toEqual({ detail: 'later', count: 1, fresh: true });
  });

  it('stopped, it says no count later', () => {
    const { clock, said, note, stop } = rig();
    note('a');
    note('b');
    stop();
    clock.advance(60_000);
    expect(said).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });
});
