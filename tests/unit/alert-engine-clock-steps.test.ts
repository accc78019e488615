import { describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock';
import { AlertEngine, type FiringRecord } from '../../src/main/core/alerts/engine';
import { DEFAULT_ALERT_SETTINGS, type AlertNotice, type CheckResult } from '../../src/shared/health';

const DAY = 86_400_000;
const backend = (status: 'ok' | 'failing'): CheckResult[] => [{ id: 'backend', kind: 'backend', label: 'backend', status, reason: `backend is ${status}`, value: null, unit: '' }];

/** An engine whose backend rule waits 10 s to fire and 30 s to resolve; what it saves outlives `restart()`. */
function rig(clock = new FakeClock()) {
  const settings = structuredClone(DEFAULT_ALERT_SETTINGS);
  settings.rules.backend = { enabled: true, when: 'failing', pendingSeconds: 10, keepFiringSeconds: 30, severity: 'critical' };
  const notices: AlertNotice[] = [];
  const saved = { firing: [] as FiringRecord[], silences: {} as Record<string, number> };
  const make = () =>
    new AlertEngine({
      clock, settings: () => settings, notify: (n) => notices.push(n), audit: () => {},
      firing: { load: () => saved.firing, save: (all) => void (saved.firing = all) },
      silences: { load: () => saved.silences, save: (all) => void (saved.silences = all) },
    });
  let engine = make();
  return {
    clock, notices, saved,
    get engine() { return engine; },
    restart() { engine.stop(); engine = make(); },
  };
}

describe('alert waits when the PC clock is set forward or back', () => {
  it('a clock set back a day does not hold a pending critical alert a day: it fires at its pending time', () => {
    const r = rig();
    r.engine.evaluate(backend('failing'));
    r.clock.stepWall(-DAY);
    r.clock.advance(10_000);
    expect(r.notices.map((n) => n.kind)).toEqual(['firing']);
  });

  it('a clock set forward a day does not skip the pending time (a blip is still no alert)', () => {
    const r = rig();
    r.engine.evaluate(backend('failing'));
    r.clock.stepWall(DAY);
    r.clock.advance(1_000);
    r.engine.evaluate(backend('failing'));
    expect(r.notices).toEqual([]);
    r.engine.evaluate(backend('ok'));
    r.clock.advance(60_000);
    expect(r.notices).toEqual([]);
  });

  it('keep-firing is time that passed, and the resolved notice says how long the trouble really lasted', () => {
    const r = rig();
    r.engine.evaluate(backend('failing'));
    r.clock.advance(20_000);
    r.engine.evaluate(backend('ok'));
    r.clock.stepWall(-DAY);
    r.clock.advance(30_000);
    expect(r.notices.map((n) => n.kind)).toEqual(['firing', 'resolved']);
    expect(r.notices[1]!.durationMs).toBe(20_000);
  });

  it('after a restart, an alert saved while the clock ran 40 days ahead resolves in its keep-firing time, its length not negative', () => {
    const r = rig();
    r.clock.stepWall(40 * DAY);
    r.engine.evaluate(backend('failing'));
    r.clock.advance(20_000);
    expect(r.notices.map((n) => n.kind)).toEqual(['firing']);
    r.clock.stepWall(-40 * DAY); // put right; the console starts again
    r.restart();
    expect(r.engine.view()[0]!.since).toBeLessThanOrEqual(r.clock.now());
    r.engine.evaluate(backend('ok'));
    r.clock.advance(30_000);
    expect(r.notices.map((n) => n.kind)).toEqual(['firing', 'resolved']);
    expect(r.notices[1]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(r.notices[1]!.text).not.toMatch(/-/);
  });

  it('a clock set during the trouble, then a restart, does not stretch the trouble by the step', () => {
    const r = rig();
    r.engine.evaluate(backend('failing'));
    r.clock.advance(20_000);
    r.clock.stepWall(-DAY);
    r.engine.evaluate(backend('ok')); // saved with the clock a day back
    r.restart();
    r.engine.evaluate(backend('ok'));
    r.clock.advance(30_000);
    expect(r.notices.map((n) => n.kind)).toEqual(['firing', 'resolved']);
    expect(r.notices[1]!.durationMs).toBe(20_000);
  });

  it('a 30 min silence ends after 30 min though the clock is set back a day', () => {
    const r = rig();
    r.engine.evaluate(backend('ok'));
    r.engine.silence('backend', 30, 'Manager');
    r.clock.stepWall(-DAY);
    r.clock.advance(31 * 60_000);
    r.engine.evaluate(backend('failing'));
    r.clock.advance(10_000);
    expect(r.notices.map((n) => n.kind)).toEqual(['firing']);
  });

  it('a silence saved while the clock ran 40 days ahead lasts at most the longest a manager can set (a week)', () => {
    const r = rig();
    r.engine.evaluate(backend('ok'));
    r.clock.stepWall(40 * DAY);
    r.engine.silence('backend', 60, 'Manager');
    r.clock.stepWall(-40 * DAY);
    r.restart();
    r.clock.advance(7 * DAY + 1);
    r.engine.evaluate(backend('failing'));
    r.clock.advance(10_000);
    expect(r.notices.map((n) => n.kind)).toEqual(['firing']);
  });
});
