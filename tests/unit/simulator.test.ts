import { afterEach, describe, expect, it, vi } from 'vitest';
import { Gym } from '../../src/server/gym';
import type { GymEvent } from '../../src/shared/protocol';
import { TrafficSimulator, trafficShape } from '../../src/server/simulator';
import { backfillDemoHistory } from '../../src/main/core/demo/history';
import type { AnalyticsStore, NewEvent, Sample } from '../../src/main/core/store/analytics-store';
import { readCheckinDetail } from '../../src/shared/words';

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
    // 600/h, 91 % of them admitted (the rest lapsed or unknown cards), × 10 min = 91 inside at peak.
    expect(gym.occupancy).toBeGreaterThanOrEqual(86);
    expect(gym.occupancy).toBeLessThanOrEqual(92);
    const crowded = new Gym({ capacity: 50 });
    new TrafficSimulator(crowded, { ratePerHour: 6000, now: peak }).start();
    expect(crowded.occupancy).toBeLessThanOrEqual(50 * 0.6 + 1); // filled to 60 %, and the one arrival shown at once
  });

  // A new user's first sight of the demo was a wall of "gym at capacity": arrivals outran departures.
  it.each([1800, 6000, 20_000])('keeps a plausible day at %i arrivals/h: occupancy well below capacity, capacity denials rare', (rate) => {
    vi.useFakeTimers({ now: new Date(2026, 10, 23, 5, 0) });
    const gym = new Gym({ capacity: 250 });
    const checkins: Extract<GymEvent, { kind: 'checkin' }>[] = [];
    gym.on('event', (e) => e.body.kind === 'checkin' && checkins.push(e.body));
    const sim = new TrafficSimulator(gym, { ratePerHour: rate });
    sim.start();
    let peak = 0;
    // 5:00 to 10:00 through the morning peak, looking at the door every simulated minute.
    for (let minute = 0; minute < 5 * 60; minute++) {
      vi.advanceTimersByTime(60_000);
      peak = Math.max(peak, gym.occupancy);
    }
    sim.stop();
    const full = checkins.filter((c) => !c.verdict.allowed && c.verdict.reason === 'capacity-full').length;
    const duplicates = checkins.filter((c) => !c.verdict.allowed && c.verdict.reason === 'duplicate').length;
    expect(checkins.length).toBeGreaterThan(rate * 2);
    expect(peak).toBeLessThan(250 * 0.85);
    expect(peak).toBeGreaterThan(250 * 0.3); // busy at the peak, not an empty gym
    expect(full / checkins.length).toBeLessThan(0.001);
    // At 20 000/h each of ~1 900 regulars comes ten times an hour, so repeats inside the backend's 2-min window are real.
    if (rate <= 6000) expect(duplicates / checkins.length).toBeLessThan(0.03);
  });

  it('gives the demo a history whose busiest hours stay below capacity too', async () => {
    const samples: { values: { occupancy: number } }[] = [];
    const store = { addSamples: (s: typeof samples) => samples.push(...s), insertEvents: () => {} } as unknown as AnalyticsStore;
    await backfillDemoHistory(store, new Date(2026, 10, 23, 12, 0).getTime(), 1800, 2);
    const peak = Math.max(...samples.map((s) => s.values.occupancy));
    expect(peak).toBeLessThan(250 * 0.85);
    expect(peak).toBeGreaterThan(250 * 0.3);
  });

  // The demo's charts fell off a cliff where its live data began (messages in 4.5/s → 0.3/s, people inside 40 → 70),
  // and the trend strip read that as "Messages in falling": the history must join what the live demo does.
  it("writes a history that joins the live demo: check-ins, messages in and people inside carry on at the seam", async () => {
    const now = new Date(2026, 11, 5, 3, 0); // a Saturday night, as the walkthrough found it
    vi.useFakeTimers({ now });
    const gym = new Gym();
    const live = { checkins: 0, messages: 0, inside: [] as number[] };
    gym.on('event', (e) => {
      live.messages++; // the console counts every event the backend sends as a message in
      if (e.body.kind === 'checkin') live.checkins++;
    });
    const sim = new TrafficSimulator(gym, { ratePerHour: 1800 });
    sim.start();
    const atStart = gym.occupancy;
    const windows = 180; // half an hour of 10 s samples
    for (let i = 0; i < windows; i++) {
      vi.advanceTimersByTime(10_000);
      live.inside.push(gym.occupancy);
    }
    sim.stop();
    vi.useRealTimers();

    const samples: Sample[] = [];
    const events: NewEvent[] = [];
    const store = { addSamples: (s: Sample[]) => samples.push(...s), insertEvents: (e: NewEvent[]) => events.push(...e) } as unknown as AnalyticsStore;
    await backfillDemoHistory(store, now.getTime(), 1800, 1, { members: [...gym.members], occupancy: atStart });
    const last = samples.slice(-windows);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const near = (history: number, seen: number, share: number): void => expect(Math.abs(history - seen) / seen, `history ${history.toFixed(2)} against live ${seen.toFixed(2)}`).toBeLessThan(share);
    near(mean(last.map((s) => s.allowed + s.denied)), live.checkins / windows, 0.3);
    near(mean(last.map((s) => s.values.inPerS)), live.messages / windows / 10, 0.3);
    near(mean(last.map((s) => s.values.occupancy!)), mean(live.inside), 0.25);
    expect(Math.abs(samples.at(-1)!.values.occupancy! - atStart)).toBeLessThanOrEqual(1); // no step where the live data begins
    // Nor a climb once the demo runs (it rose 44 → 59 in two minutes): a member inside at start stays for what is left of a visit.
    const firstMinutes = live.inside.slice(0, 36);
    expect(Math.max(...firstMinutes)).toBeLessThanOrEqual(atStart * 1.2);
    expect(Math.min(...firstMinutes)).toBeGreaterThanOrEqual(atStart * 0.7);
    expect(mean(last.map((s) => s.values.outPerS))).toBe(0); // the demo's console sends nothing by itself
    // Its check-ins are the gym's members, with their ids and cards, as the live ones are recorded.
    const checkin = events.find((e) => e.category === 'checkin' && e.type === 'allowed')!;
    const who = readCheckinDetail(checkin.detail);
    expect([...gym.members].find((m) => m.id === who.memberId)).toMatchObject({ name: who.who, cardId: who.card });
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
