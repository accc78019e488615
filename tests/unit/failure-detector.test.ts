import { describe, expect, it } from 'vitest';
import { FailureDetector, FLOOR_MS, PHI, phiAt } from '../../src/main/core/pool/failure-detector';
import { seededRandom } from '../../src/server/random';

/** Feeds arrivals `gaps` apart from t = 0; returns the time of the last one. */
function feed(d: FailureDetector, gaps: Iterable<number>, from = 0): number {
  let t = from;
  d.heartbeat(t);
  for (const g of gaps) d.heartbeat((t += g));
  return t;
}

const repeat = (n: number, g: () => number) => Array.from({ length: n }, g);

describe('adaptive dead-peer deadline (phi accrual)', () => {
  it('uses the pool setting until it has seen enough replies, when it has no interval to estimate from', () => {
    const d = new FailureDetector({ ceilingMs: 1_000 });
    expect(d.deadlineMs()).toBe(1_000);
    feed(d, repeat(5, () => 100));
    expect(d.learning).toBe(true);
    expect(d.deadlineMs()).toBe(1_000);
  });

  it('a new socket starts from an estimate of the interval (a beat apart, a quarter beat of spread), not the whole ceiling', () => {
    const d = new FailureDetector({ ceilingMs: 1_000, expectedGapMs: 250 });
    expect(d.learning).toBe(true);
    // A silent peer on a fresh socket is caught within 1 s counting the beat's phase (up to 250 ms)…
    expect(d.deadlineMs() + 250).toBeLessThanOrEqual(1_000);
    // …yet gives a reply two beats late (a dropped pong) time to arrive.
    expect(d.deadlineMs()).toBeGreaterThan(2 * 250 + 100);
    // Short gaps while learning do not shrink it: the estimate stands until enough replies were seen.
    feed(d, repeat(5, () => 100));
    expect(d.deadlineMs()).toBe(new FailureDetector({ ceilingMs: 1_000, expectedGapMs: 250 }).deadlineMs());
    // Never above the ceiling, nor below the floor.
    expect(new FailureDetector({ ceilingMs: 400, expectedGapMs: 1_000 }).deadlineMs()).toBe(400);
    expect(new FailureDetector({ ceilingMs: 1_000, expectedGapMs: 10 }).deadlineMs()).toBe(FLOOR_MS);
    d.reset(4_000, 1_000);
    expect(d.deadlineMs()).toBeGreaterThan(2 * 1_000);
    expect(d.deadlineMs()).toBeLessThan(4_000);
  });

  it('(a) steady 100 ms replies earn a deadline well under the upper bound', () => {
    const d = new FailureDetector({ ceilingMs: 400 }); // 4 × a 100 ms health check
    feed(d, repeat(100, () => 100));
    expect(d.learning).toBe(false);
    expect(d.deadlineMs()).toBeGreaterThanOrEqual(FLOOR_MS);
    expect(d.deadlineMs()).toBeLessThanOrEqual(0.7 * 400);
    // At the default 250 ms interval, a quiet loopback link is given up on in under half of today's 1 s.
    const d250 = new FailureDetector({ ceilingMs: 1_000 });
    feed(d250, repeat(100, () => 250 + Math.random() * 4));
    expect(d250.deadlineMs()).toBeLessThan(500);
  });

  it('never goes below the floor, so a GC pause of tens of ms is not taken for death', () => {
    const d = new FailureDetector({ ceilingMs: 1_000 });
    feed(d, repeat(100, () => 5)); // a chatty link: replies 5 ms apart
    expect(d.deadlineMs()).toBe(FLOOR_MS);
    expect(d.phi(80)).toBeLessThan(1); // an 80 ms pause barely raises suspicion
  });

  it('(b) jittery replies (50–400 ms apart) are never condemned falsely over 30 simulated minutes, first estimate included', () => {
    const rand = seededRandom(7);
    const d = new FailureDetector({ ceilingMs: 1_000, expectedGapMs: 250 });
    let t = 0;
    d.heartbeat(t);
    let falseCondemnations = 0;
    let minDeadline = Infinity;
    while (t < 30 * 60_000) {
      const gap = 50 + rand() * 350;
      // The peer is alive: condemned falsely if its gap outlasts the deadline in force before it.
      if (gap > d.deadlineMs()) falseCondemnations++;
      if (!d.learning) minDeadline = Math.min(minDeadline, d.deadlineMs());
      d.heartbeat((t += gap));
    }
    expect(falseCondemnations).toBe(0);
    expect(minDeadline).toBeGreaterThan(400 + 100); // learned a wide deadline, not a narrow one
  });

  it('(b) a link that turns jittery widens its deadline without condemning the change', () => {
    const rand = seededRandom(11);
    const d = new FailureDetector({ ceilingMs: 1_000 });
    let t = feed(d, repeat(100, () => 250));
    const steady = d.deadlineMs();
    let falsely = 0;
    for (let i = 0; i < 2_000; i++) {
      const gap = 250 + (rand() - 0.5) * 2 * 120; // ±120 ms around the beat
      if (gap > d.deadlineMs()) falsely++;
      d.heartbeat((t += gap));
    }
    expect(falsely).toBe(0);
    expect(d.deadlineMs()).toBeGreaterThan(steady);
  });

  it('(c) a true stop is detected within the deadline: phi crosses the threshold exactly there', () => {
    const d = new FailureDetector({ ceilingMs: 1_000 });
    feed(d, repeat(100, () => 250 + Math.random() * 10));
    const deadline = d.deadlineMs();
    expect(deadline).toBeLessThan(1_000);
    expect(d.phi(deadline - 30)).toBeLessThan(PHI);
    expect(d.phi(deadline + 1)).toBeGreaterThanOrEqual(PHI);
    expect(d.phi(250)).toBeLessThan(1); // an ordinary gap is not suspicious
  });

  it('(d) never above the pool setting, whatever the link does', () => {
    const rand = seededRandom(3);
    for (const ceiling of [400, 1_000, 4_000]) {
      const d = new FailureDetector({ ceilingMs: ceiling });
      let t = 0;
      d.heartbeat(t);
      for (let i = 0; i < 1_000; i++) {
        d.heartbeat((t += rand() < 0.1 ? 30_000 * rand() : 1 + rand() * 2 * ceiling));
        expect(d.deadlineMs()).toBeLessThanOrEqual(ceiling);
        expect(d.deadlineMs()).toBeGreaterThanOrEqual(Math.min(FLOOR_MS, ceiling));
      }
    }
  });

  it('a peer that froze for a second and came back does not make the next freeze slow to catch', () => {
    const d = new FailureDetector({ ceilingMs: 1_000 });
    let t = feed(d, repeat(100, () => 250));
    const before = d.deadlineMs();
    d.heartbeat((t += 1_000)); // frozen, then back: counted as no more than the deadline
    for (let i = 0; i < 5; i++) d.heartbeat((t += 250));
    expect(d.deadlineMs()).toBeLessThan(before + 150);
    expect(d.deadlineMs()).toBeLessThan(700);
  });

  it('forgets old gaps (a window of 100) and relearns after a reset', () => {
    const d = new FailureDetector({ ceilingMs: 4_000 });
    let t = feed(d, repeat(100, () => 1_000));
    const slow = d.deadlineMs();
    d.heartbeat((t += 100));
    for (let i = 0; i < 100; i++) d.heartbeat((t += 100));
    expect(d.meanMs).toBeCloseTo(100, 6); // the 1 s gaps have left the window entirely
    expect(d.deadlineMs()).toBeLessThan(slow);
    d.reset(400);
    expect(d.deadlineMs()).toBe(400);
    d.forgetLast();
    d.heartbeat(t + 60_000); // no gap is counted across a forgotten arrival
    expect(d.samples).toBe(0);
  });

  it('a new socket to the same endpoint starts from what the last one learned', () => {
    const old = new FailureDetector({ ceilingMs: 1_000 });
    feed(old, repeat(150, () => 250));
    const seeded = new FailureDetector({ ceilingMs: 1_000, prior: old.snapshot() });
    expect(seeded.learning).toBe(false);
    expect(seeded.deadlineMs()).toBe(old.deadlineMs());
    expect(seeded.samples).toBe(100);
    // A prior never lifts the deadline past this socket's own ceiling.
    expect(new FailureDetector({ ceilingMs: 300, prior: repeat(50, () => 2_000) }).deadlineMs()).toBe(300);
  });

  it('phi grows with silence', () => {
    expect(phiAt(0)).toBeCloseTo(0.3, 1);
    expect(phiAt(2)).toBeLessThan(phiAt(4));
    expect(phiAt(6)).toBeGreaterThan(PHI);
  });
});
