import { describe, expect, it } from 'vitest';
import { noteStandDown, UNSTABLE_RAISE, UNSTABLE_WINDOW_MS, unstableCount } from '../../src/main/core/pool/unstable-stream';
import { runChecks } from '../../src/main/core/health/checks';
import { healthyInputs } from '../helpers/health-inputs';

const MIN = 60_000;

/** The damping rule's verdict at each minute from 0 to `until`, for stand-downs at `at` (minutes). */
function minuteByMinute(at: number[], until: number): number[] {
  const times: number[] = [];
  const seen: number[] = [];
  for (let m = 0; m <= until; m++) {
    for (const t of at) if (t === m) noteStandDown(times, t * MIN);
    seen.push(unstableCount(times, m * MIN));
  }
  return seen;
}

describe("the damping rule for a feed whose numbering can't be followed", () => {
  it('is quiet for fewer than three stand-downs in the window: a single restart or two are not this', () => {
    expect(UNSTABLE_RAISE).toBe(3);
    expect(minuteByMinute([0, 5], 20).every((n) => n === 0)).toBe(true);
  });

  it('raises at the third within ten minutes and holds, through pauses between stand-downs, until ten quiet minutes', () => {
    // One every 4 minutes: counted at now, the window would hold 2, then 3, then 2… and flap; anchored at the last one, it holds.
    const seen = minuteByMinute([0, 4, 8, 12, 16], 40);
    expect(seen.slice(0, 8).every((n) => n === 0)).toBe(true);
    expect(seen.slice(8, 26).every((n) => n === 3)).toBe(true); // raised from minute 8 until 10 min after the last (16)
    expect(seen.slice(26).every((n) => n === 0)).toBe(true); // then clear for good
  });

  it('counts a storm as it is (the number said), and clears once the window after the last is over', () => {
    const at = Array.from({ length: 8 }, (_, i) => i); // one a minute, as at the capped wait
    const times: number[] = [];
    for (const m of at) noteStandDown(times, m * MIN);
    expect(unstableCount(times, 7 * MIN)).toBe(8);
    expect(unstableCount(times, 7 * MIN + UNSTABLE_WINDOW_MS - 1)).toBe(8);
    expect(unstableCount(times, 7 * MIN + UNSTABLE_WINDOW_MS)).toBe(0);
  });

  it('keeps a bounded record however long it goes on', () => {
    const times: number[] = [];
    for (let i = 0; i < 10_000; i++) noteStandDown(times, i * 1_000);
    expect(times.length).toBeLessThanOrEqual(64);
    expect(unstableCount(times, 10_000 * 1_000)).toBe(64);
  });

  it("Health's feed check says what it is and what still works, in IT's words, only while raised", () => {
    const quiet = runChecks(healthyInputs()).find((c) => c.kind === 'feed')!;
    expect(quiet.status).toBe('ok');
    const raised = runChecks({ ...healthyInputs(), feed: { ...healthyInputs().feed, unstable: 5 } }).find((c) => c.kind === 'feed')!;
    expect(raised.status).toBe('degraded');
    expect(raised.reason).toBe(
      "The gym's system gives a different event history each time the console subscribes (5 times in 10 min): its instances may not share their storage. " +
        "Check-ins may be missing from this PC's live list and reports, its own among them, but every check-in this PC sends still reaches the gym's system. " +
        "The console tries to follow them again by itself, at least once a minute. Tell the gym's IT.",
    );
  });
});
