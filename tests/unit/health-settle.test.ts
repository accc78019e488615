import { describe, expect, it } from 'vitest';
import { HealthMonitor, TICK_MS } from '../../src/main/core/health/monitor';
import type { HealthInputs } from '../../src/main/core/health/checks';
import type { AlertEngine } from '../../src/main/core/alerts/engine';
import { FakeClock } from '../helpers/fake-clock';
import { healthyInputs } from '../helpers/health-inputs';

/** One pool whose only socket answers in `latencyMs`. */
const slowPool = (latencyMs: number) =>
  ({
    config: { name: 'gym' },
    healthRatio: 0,
    sockets: [{ id: 's', endpoint: 'ws://a:1', state: 'open', score: 20, inputs: { latencyMs, errorRate: 0, uptimeS: 60, recentDisconnects: 0 }, inRotation: false, outBecause: 'slow', inFlight: 0, rttMs: latencyMs, routed: 0, subscribed: false }],
    endpoints: [{ url: 'ws://a:1', breaker: 'closed', failures: 0, nextRetryInMs: null, cause: null }],
  }) as unknown as HealthInputs['pools'][number];

function rig(lag: (tick: number) => number) {
  const clock = new FakeClock();
  let tick = 0;
  const inputs = (): HealthInputs => ({ ...healthyInputs(), pools: [slowPool(1_500)], process: { rssMb: 200, lagMs: lag(tick++) } });
  const engine = { evaluate: () => {}, view: () => [], cap: { state: null } } as unknown as AlertEngine;
  const monitor = new HealthMonitor(clock, inputs, engine, () => {});
  monitor.start();
  const speed = () => monitor.gauge().checks.find((c) => c.id === 'speed')!;
  return { clock, monitor, speed };
}

// Walkthrough 14: on a busy console "Backend speed" switched status 5 times in its first 7 s, its History full of
// flaps: the console's own delay crossing 200 ms every other second moved the blame between it and the gym's system.
describe('Backend speed does not flap with the console\'s own delay', () => {
  it('a console delay wavering about 200 ms each second, for a minute: at most one change in its History', () => {
    const { clock, monitor, speed } = rig((t) => (t % 2 ? 450 : 50));
    clock.advance(60 * TICK_MS);
    expect(speed().history.length).toBeLessThanOrEqual(2);
    monitor.stop();
  });

  it('a new status that holds is shown, once, after a few seconds', () => {
    const { clock, monitor, speed } = rig((t) => (t < 5 ? 50 : 450));
    clock.advance(4 * TICK_MS);
    expect(speed().status).toBe('degraded');
    clock.advance(5 * TICK_MS); // the console has lagged for 4 s: not yet
    expect(speed().status).toBe('degraded');
    clock.advance(30 * TICK_MS);
    expect(speed()).toMatchObject({ status: 'ok', reason: expect.stringMatching(/this console is slow itself/) });
    expect(speed().history.map((h) => h.status)).toEqual(['ok', 'degraded']);
    monitor.stop();
  });
});
