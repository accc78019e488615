import { describe, expect, it } from 'vitest';
import { Heartbeat } from '../../src/main/core/pool/heartbeat';
import { FakeClock } from '../helpers/fake-clock';

// prof28 P3: a socket closing with thousands of requests pending had each, failed over and answered elsewhere, walk
// all the others again: 8 s of a frozen console in one run. Only the oldest owed moves the program's deadline.
describe('a request answered on another socket', () => {
  it('walks what is still owed only when it was the oldest owed', () => {
    const clock = new FakeClock();
    const hb = new Heartbeat({ clock, ping: () => {}, state: () => 'open', condemn: () => {}, mustBeat: () => false }, 250);
    clock.advance(10);
    hb.asked(); // owed since now
    const at = clock.mono();
    let walked = 0;
    const owed = (...sent: number[]) => () => (walked++, sent);
    hb.settledElsewhereAt(at + 5, owed(at, at + 5));
    expect(walked).toBe(0);
    hb.settledElsewhereAt(at, owed(at + 5));
    expect(walked).toBe(1);
    // The oldest owed is now the next one: settling it walks again, as the deadline moves.
    hb.settledElsewhereAt(at + 5, owed());
    expect(walked).toBe(2);
  });
});
