import { afterEach, describe, expect, it, vi } from 'vitest';
import { Gym } from '../../src/server/gym';
import { TrafficSimulator, trafficShape } from '../../src/server/simulator';

afterEach(() => vi.useRealTimers());

describe('traffic simulator', () => {
  it('peaks in the morning and evening and never goes dead at night', () => {
    expect(trafficShape(7.5)).toBeCloseTo(1);
    expect(trafficShape(18.5)).toBeCloseTo(1);
    expect(trafficShape(13)).toBeLessThan(0.6);
    expect(trafficShape(3)).toBeGreaterThanOrEqual(0.35);
  });

  it('starts warm, near the steady state for the hour, within capacity', () => {
    vi.useFakeTimers();
    const gym = new Gym({ capacity: 250 });
    const peak = () => new Date(2026, 10, 23, 7, 30);
    new TrafficSimulator(gym, { ratePerHour: 600, meanVisitMin: 10, now: peak }).start();
    // 600/h × 10 min = 100 inside at peak.
    expect(gym.occupancy).toBeGreaterThanOrEqual(95);
    expect(gym.occupancy).toBeLessThanOrEqual(101);
    const crowded = new Gym({ capacity: 50 });
    new TrafficSimulator(crowded, { ratePerHour: 6000, now: peak }).start();
    expect(crowded.occupancy).toBeLessThanOrEqual(50);
  });

  it('arrives at the set rate, mostly members in good standing, and lets them leave', () => {
    vi.useFakeTimers();
    const gym = new Gym({ capacity: 10_000 });
    const sim = new TrafficSimulator(gym, { ratePerHour: 3600, meanVisitMin: 1, now: () => new Date(2026, 10, 23, 7, 30) });
    sim.start();
    const start = gym.log.lastSeq;
    vi.advanceTimersByTime(10 * 60_000); // 10 min at 1/s
    const events = gym.log.since(start).events.map((e) => e.body);
    const checkins = events.filter((b) => b.kind === 'checkin');
    expect(checkins.length).toBeGreaterThan(500);
    expect(checkins.length).toBeLessThan(700);
    const allowed = checkins.filter((b) => b.kind === 'checkin' && b.verdict.allowed).length;
    expect(allowed / checkins.length).toBeGreaterThan(0.75);
    expect(events.some((b) => b.kind === 'checkout')).toBe(true);
    sim.setRate(0);
    const quiet = gym.log.lastSeq;
    vi.advanceTimersByTime(60_000);
    expect(gym.log.since(quiet).events.filter((e) => e.body.kind === 'checkin')).toHaveLength(0);
    sim.stop();
  });
});
