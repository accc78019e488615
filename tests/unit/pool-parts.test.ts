import { describe, expect, it } from 'vitest';
import { LEAST_SAMPLE, createPicker, pressure, untriedInstancesFirst } from '../../src/main/core/pool/strategies';
import { CircuitBreaker } from '../../src/main/core/pool/breaker';
import { HealthTracker, SCORE, SCORE_TTL_MS } from '../../src/main/core/pool/health';
import { PoolConfigSchema, normalizeEndpoint } from '../../src/shared/pools';
import { parseInWords } from '../../src/shared/field-errors';
import type { InstanceLoad } from '../../src/shared/protocol';

const socks = (...scores: number[]) => scores.map((score, i) => ({ id: i, score, inFlight: 0 }));
const tally = <T extends { id: number }>(picks: (T | undefined)[]) => picks.reduce<Record<number, number>>((m, p) => ((m[p!.id] = (m[p!.id] ?? 0) + 1), m), {});

describe('strategies', () => {
  it('round-robin shares equally', () => {
    const c = socks(90, 10, 50);
    const p = createPicker<(typeof c)[number]>('round-robin');
    expect(tally(Array.from({ length: 300 }, () => p.pick(c)))).toEqual({ 0: 100, 1: 100, 2: 100 });
  });

  it('least-connections picks the least loaded and rotates ties', () => {
    const c = socks(90, 90, 90);
    c[0]!.inFlight = 5;
    c[1]!.inFlight = 1;
    c[2]!.inFlight = 3;
    const p = createPicker<(typeof c)[number]>('least-connections');
    expect(p.pick(c)!.id).toBe(1);
    for (const s of c) s.inFlight = 0;
    expect(tally(Array.from({ length: 300 }, () => p.pick(c)))).toEqual({ 0: 100, 1: 100, 2: 100 });
  });

  it('health-weighted is proportional to score, smoothly', () => {
    const c = socks(60, 30, 10);
    const p = createPicker<(typeof c)[number]>('health-weighted');
    const picks = Array.from({ length: 100 }, () => p.pick(c));
    expect(tally(picks)).toEqual({ 0: 60, 1: 30, 2: 10 });
    // Smooth: the heavy socket never gets a long run while others wait.
    let run = 0;
    let maxRun = 0;
    for (const x of picks) maxRun = Math.max(maxRun, (run = x!.id === 0 ? run + 1 : 0));
    expect(maxRun).toBeLessThanOrEqual(3);
  });

  it('least-connections over 1,000 sockets compares a rotating sample of LEAST_SAMPLE, and still spreads load evenly', () => {
    const c = Array.from({ length: 1_000 }, (_, id) => ({ id, inFlight: 0, score: 100 }));
    const p = createPicker<(typeof c)[number]>('least-connections');
    let reads = 0;
    const counted = c.map((s) => ({ ...s, get inFlight() { reads++; return s.inFlight; } }));
    p.pick(counted);
    expect(reads).toBeLessThanOrEqual(2 * LEAST_SAMPLE); // prof28 P1: each read is cache misses
    // Hold each pick as an open request: the busiest socket never gets far ahead of the idlest.
    for (let i = 0; i < 20_000; i++) p.pick(c)!.inFlight++;
    const loads = c.map((s) => s.inFlight);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(2);
  });

  it('health-weighted over 1,000 sockets stays proportional to score without reading every score per pick', () => {
    let reads = 0;
    const c = Array.from({ length: 1_000 }, (_, id) => ({ id, inFlight: 0, base: id < 500 ? 90 : 30, get score() { reads++; return this.base; } }));
    const p = createPicker<(typeof c)[number]>('health-weighted');
    const picks = Array.from({ length: 32_000 }, () => p.pick(c)!);
    expect(reads / picks.length).toBeLessThanOrEqual(8); // 1,000 per 125 picks, not 1,000 per pick
    const high = picks.filter((s) => s.id < 500).length / picks.length;
    expect(high).toBeGreaterThan(0.73); // 90 : 30 is 75 % : 25 %
    expect(high).toBeLessThan(0.77);
    expect(new Set(picks.map((s) => s.id)).size).toBe(1_000); // every socket gets its turn
  });

  it('v1 instances (no load report) are routed exactly as before', () => {
    const c = socks(60, 30, 10).map((s) => ({ ...s, load: null }));
    const hw = createPicker<(typeof c)[number]>('health-weighted');
    expect(tally(Array.from({ length: 100 }, () => hw.pick(c)))).toEqual({ 0: 60, 1: 30, 2: 10 });
    const lc = createPicker<(typeof c)[number]>('least-connections');
    expect(tally(Array.from({ length: 300 }, () => lc.pick(c)))).toEqual({ 0: 100, 1: 100, 2: 100 });
  });

  it('health-weighted divides by the pressure an instance reports: lag, and other consoles crowding it', () => {
    const load = (sessions: number, lagMs: number) => ({ sessions, lagMs });
    const lagged = socks(80, 80, 80);
    const withLag = [
      { ...lagged[0]!, load: load(2, 0) },
      { ...lagged[1]!, load: load(2, 0) },
      { ...lagged[2]!, load: load(2, 150) }, // 150 ms lag: pressure 4
    ];
    const p = createPicker<(typeof withLag)[number]>('health-weighted');
    expect(tally(Array.from({ length: 900 }, () => p.pick(withLag)))).toEqual({ 0: 400, 1: 400, 2: 100 });
    // Another console keeps 2 more sockets on instance 0: twice the sessions, half the share.
    const crowded = socks(80, 80, 80).map((s, i) => ({ ...s, load: load(i === 0 ? 4 : 2, 0) }));
    const q = createPicker<(typeof crowded)[number]>('health-weighted');
    expect(tally(Array.from({ length: 500 }, () => q.pick(crowded)))).toEqual({ 0: 100, 1: 200, 2: 200 });
    expect(pressure({ inFlight: 0, score: 1, load: load(4, 50) }, 2)).toBe(4);
    expect(pressure({ inFlight: 0, score: 1, load: load(500, 10_000) }, 1)).toBe(10); // bounded
    expect(pressure({ inFlight: 0, score: 1 }, 2)).toBe(1);
  });

  it('least-connections counts a busy instance as already carrying requests, and still rotates near-ties', () => {
    const load = (sessions: number, lagMs: number) => ({ sessions, lagMs });
    const c = socks(90, 90, 90).map((s, i) => ({ ...s, load: load(2, i === 2 ? 200 : 3) }));
    const p = createPicker<(typeof c)[number]>('least-connections');
    // Idle: the lagging instance is skipped; 3 ms of lag elsewhere is noise, so those two share.
    expect(tally(Array.from({ length: 300 }, () => p.pick(c)))).toEqual({ 0: 150, 1: 150 });
    // Pressure 5 counts as 4 requests in flight: once the others carry 5, it is the better choice.
    c[0]!.inFlight = 3;
    c[1]!.inFlight = 3;
    expect(p.pick(c)!.id).not.toBe(2);
    c[0]!.inFlight = 5;
    c[1]!.inFlight = 5;
    expect(p.pick(c)!.id).toBe(2);
    // A mixed cluster mid-upgrade: a v1 socket (no report) is neither favoured nor shunned.
    const mixed: { id: number; score: number; inFlight: number; load: InstanceLoad | null }[] = [
      { ...c[0]!, inFlight: 0, load: null },
      { ...c[1]!, inFlight: 0, load: load(2, 0) },
    ];
    const m = createPicker<(typeof mixed)[number]>('least-connections');
    expect(tally(Array.from({ length: 100 }, () => m.pick(mixed)))).toEqual({ 0: 50, 1: 50 });
  });

  it.each([
    ['grouped by instance, as a pool lists them', (id: number) => Math.floor((id * 3) / 1_000)],
    ['alternating instances', (id: number) => id % 3],
  ])('past 64 sockets, both load-aware strategies still weigh what each instance reports (%s)', (_, instanceOf) => {
    // 1,000 sockets over 3 instances: instance 0 crowded by another console (pressure 2), instance 2 lagging 150 ms (pressure 4).
    const load = (sessions: number, lagMs: number) => ({ sessions, lagMs });
    const reports = [load(4, 0), load(2, 0), load(2, 150)];
    const c = Array.from({ length: 1_000 }, (_, id) => ({ id, inst: instanceOf(id), inFlight: 0, score: 80, load: reports[instanceOf(id)]! }));
    const share = (picks: (typeof c)[number][], inst: number) => picks.filter((s) => s.inst === inst).length / picks.length;
    // health-weighted: weights 80/2 : 80/1 : 80/4 = 2 : 4 : 1.
    const hw = createPicker<(typeof c)[number]>('health-weighted');
    const hwPicks = Array.from({ length: 14_000 }, () => hw.pick(c)!);
    expect(share(hwPicks, 0)).toBeCloseTo(2 / 7, 2);
    expect(share(hwPicks, 1)).toBeCloseTo(4 / 7, 2);
    expect(share(hwPicks, 2)).toBeCloseTo(1 / 7, 2);
    // least-connections, nothing in flight: a sample always holds sockets of instance 1 (cost 0), so
    // the crowded (cost 1) and lagging (cost 3) instances are never the cheapest.
    const lc = createPicker<(typeof c)[number]>('least-connections');
    expect(share(Array.from({ length: 3_000 }, () => lc.pick(c)!), 1)).toBe(1);
    // Each pick held as an open request: instance 1 carries one more than 0, three more than 2.
    for (let i = 0; i < 20_000; i++) lc.pick(c)!.inFlight++;
    const mean = (inst: number) => {
      const of = c.filter((s) => s.inst === inst);
      return of.reduce((n, s) => n + s.inFlight, 0) / of.length;
    };
    expect(mean(1) - mean(0)).toBeGreaterThan(0.5);
    expect(mean(1) - mean(0)).toBeLessThan(1.5);
    expect(mean(1) - mean(2)).toBeGreaterThan(2.5);
    expect(mean(1) - mean(2)).toBeLessThan(3.5);
  });

  it('returns nothing from nothing', () => {
    for (const s of ['round-robin', 'least-connections', 'health-weighted'] as const) expect(createPicker(s).pick([])).toBeUndefined();
  });
});

describe('hedges and retries go to another instance first', () => {
  const a1 = { endpoint: 'ws://a', n: 1 };
  const a2 = { endpoint: 'ws://a', n: 2 };
  const b1 = { endpoint: 'ws://b', n: 3 };
  const b2 = { endpoint: 'ws://b', n: 4 };
  const all = [a1, a2, b1, b2];

  it('skips the other sockets of an instance already tried', () => {
    expect(untriedInstancesFirst(all, new Set([a1]))).toEqual([b1, b2]);
    expect(untriedInstancesFirst(all, new Set([a1, b2]))).toEqual([a2, b1]); // every instance tried: any untried socket
  });

  it('falls back to an untried socket of a tried instance when every instance has been tried, and changes nothing on a first try', () => {
    expect(untriedInstancesFirst([a1, a2, b1], new Set([a1, b1]))).toEqual([a2]);
    expect(untriedInstancesFirst(all, new Set())).toEqual(all);
  });
});

describe('circuit breaker', () => {
  it('opens after N failures, half-opens after a growing cooldown, closes on success', () => {
    let t = 0;
    const b = new CircuitBreaker(3, () => t, 1_000, 8_000);
    b.failure();
    b.failure();
    expect(b.state).toBe('closed');
    expect(b.failure()).toBe('open');
    expect(b.waitMs()).toBe(1_000);
    t += 999;
    expect(b.waitMs()).toBe(1);
    t += 1;
    expect(b.waitMs()).toBe(0);
    expect(b.state).toBe('half-open');
    expect(b.failure()).toBe('open'); // the trial failed
    expect(b.waitMs()).toBe(2_000); // cooldown doubled
    t += 2_000;
    b.waitMs();
    expect(b.success()).toBe('closed');
    expect(b.failures).toBe(0);
  });
});

describe('health score', () => {
  it('a socket whose every reply takes 1.5 s leaves rotation as slow, with a score above a dead one\'s 0', () => {
    let t = 0;
    const h = new HealthTracker(() => t, () => 0);
    t = 30_000;
    for (let i = 0; i < 20; i++) h.rtt(1_500);
    expect(h.inRotation).toBe(false);
    expect(h.score).toBeGreaterThan(0);
    expect(h.score).toBeLessThan(SCORE.leaveBelow);
    expect(h.outBecause).toBe('slow');
    for (let i = 0; i < 20; i++) h.rtt(5);
    expect(h.outBecause).toBeNull();
    for (let i = 0; i < 30; i++) h.outcome(false);
    expect(h.inRotation).toBe(false);
    expect(h.outBecause).toBe('errors');
  });

  it('is high when fast and clean, drops with latency or errors, and rotates with hysteresis', () => {
    let t = 0;
    let disconnects = 0;
    const h = new HealthTracker(() => t, () => disconnects);
    t = 30_000;
    h.rtt(5);
    expect(h.score).toBe(100);
    for (let i = 0; i < 20; i++) h.rtt(900);
    expect(h.score).toBeLessThan(SCORE.leaveBelow);
    expect(h.inRotation).toBe(false);
    h.rtt(400); // better (EWMA 750 ms), but not yet good enough to return
    expect(h.score).toBeGreaterThanOrEqual(SCORE.leaveBelow);
    expect(h.score).toBeLessThan(SCORE.returnAt);
    expect(h.inRotation).toBe(false);
    for (let i = 0; i < 20; i++) h.rtt(5);
    expect(h.inRotation).toBe(true);
    for (let i = 0; i < 10; i++) h.outcome(false);
    expect(h.errorRate).toBeGreaterThan(0.7);
    expect(h.score).toBeLessThan(80);
    for (let i = 0; i < 20; i++) h.outcome(true);
    const steady = h.score;
    disconnects = 1;
    t += SCORE_TTL_MS; // an outage elsewhere on the endpoint counts within a second
    expect(h.score).toBeGreaterThan(steady * 0.9); // one outage barely matters
    disconnects = 12;
    t += SCORE_TTL_MS;
    expect(h.score).toBeLessThan(steady * 0.6); // a flapping endpoint sinks
  });

  it('works out no score for a success in rotation; a round trip judges what time moved, and successes bring a socket back', () => {
    const t = 30_000;
    let disconnects = 0;
    let reads = 0;
    const h = new HealthTracker(() => t, () => (reads++, disconnects));
    h.rtt(5);
    reads = 0;
    for (let i = 0; i < 100; i++) h.outcome(true);
    expect(reads).toBe(0); // 10,000 requests a second were 10,000 scores a second
    disconnects = 20; // its endpoint flaps meanwhile
    h.outcome(true);
    expect(h.inRotation).toBe(true);
    h.rtt(5); // the next round trip judges it
    expect(h.inRotation).toBe(false);
    disconnects = 0;
    h.outcome(true);
    expect(h.inRotation).toBe(true); // out of rotation, a success is judged at once
  });

  it('is worked out once a second while nothing changes, and again at once when an input does', () => {
    let t = 30_000;
    let reads = 0;
    const h = new HealthTracker(() => t, () => (reads++, 0));
    h.rtt(5);
    const first = h.score;
    reads = 0;
    for (let i = 0; i < 1_000; i++) expect(h.score).toBe(first); // a pick over 1,000 sockets
    expect(reads).toBe(0);
    t += SCORE_TTL_MS;
    void h.score;
    expect(reads).toBe(1);
    h.rtt(900); // a slow round trip: seen at once
    expect(h.score).toBeLessThan(first);
    expect(reads).toBe(2);
  });
});

describe('pool config validation', () => {
  const base = { name: 'gym', endpoints: ['ws://a:1'], maxConnections: 2, healthCheckInterval: 500, reconnectAttempts: 3, strategy: 'round-robin' };
  const errors = (over: object) => {
    const r = parseInWords(PoolConfigSchema, { ...base, ...over });
    return r.success ? [] : r.problems.map((p) => p.message);
  };
  it.each([
    [{ endpoints: ['http://a:1'] }, /must start with ws:\/\/ or wss:\/\//],
    [{ endpoints: ['ws://a:0'] }, /port 0; use 1 to 65535/],
    [{ endpoints: ['ws://a:70000'] }, /port 70000; use 1 to 65535/],
    [{ endpoints: ['not a url'] }, /is not a URL/],
    [{ endpoints: ['ws://a:1', 'WS://A:1/'] }, /listed twice/],
    [{ endpoints: [] }, /at least one endpoint/],
    [{ maxConnections: 0 }, /^Max sockets must be between 1 and 64\.$/],
    [{ maxConnections: -3 }, /^Max sockets must be between 1 and 64\.$/],
    [{ endpoints: ['ws://a:1', 'ws://b:1', 'ws://c:1'], maxConnections: 2 }, /at least the number of endpoints/],
    [{ healthCheckInterval: 0 }, /^Health check must be between 100 and 60,000 ms\.$/],
    [{ reconnectAttempts: 0 }, /^Failed tries before an address is paused must be between 1 and 1,000\.$/],
    [{ strategy: 'random' }, /^Strategy must be one of: round-robin, least-connections, health-weighted\.$/],
    [{ name: '../etc' }, /letters, digits/],
  ])('rejects %j with a clear message', (over, message) => {
    expect(errors(over).join(' ')).toMatch(message);
  });
  it('an address with a user name and password: says so, and never repeats the password', () => {
    const said = errors({ endpoints: ['ws://user:hunter2@gym:9100'] }).join(' ');
    expect(said).toMatch(/"ws:\/\/…@gym:9100" must not carry a user name or password; use the backend token\./);
    const badPort = errors({ endpoints: ['ws://user:hunter2@gym:99999'] }).join(' ');
    expect(badPort).toMatch(/"ws:\/\/…@gym:99999" has port 99999; use 1 to 65535\. Leave out the user name and password/);
    expect(said + badPort).not.toContain('hunter2');
  });
  it('accepts ws and wss and treats default ports as the same endpoint', () => {
    expect(errors({ endpoints: ['ws://a:1', 'wss://gym.local'] })).toEqual([]);
    expect(normalizeEndpoint('wss://Gym.local')).toBe(normalizeEndpoint('wss://gym.local:443/'));
  });
});
