import { describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock';
import { AlertEngine, SILENCE_QUIET_MS, formatDuration, type FiringRecord } from '../../src/main/core/alerts/engine';
import { DEFAULT_ALERT_SETTINGS, troubleNow, type AlertNotice, type AlertSettings, type CheckKind, type CheckResult, type HealthStatus } from '../../src/shared/health';

const check = (kind: CheckKind, status: HealthStatus, id: string = kind): CheckResult => ({ id, kind, label: id, status, reason: `${id} is ${status}`, value: null, unit: '' });

function rig(patch: (s: AlertSettings) => void = () => {}) {
  const clock = new FakeClock();
  const settings = structuredClone(DEFAULT_ALERT_SETTINGS);
  settings.rules.backend = { enabled: true, when: 'failing', pendingSeconds: 10, keepFiringSeconds: 30, severity: 'critical' };
  patch(settings);
  const notices: AlertNotice[] = [];
  const audits: string[] = [];
  const engine = new AlertEngine({ clock, settings: () => settings, notify: (n) => notices.push(n), audit: (actor, action, subject) => audits.push(`${actor} ${action} ${subject}`) });
  /** Holds these results for `ms`, re-evaluated every second as the monitor does. */
  const hold = (results: CheckResult[], ms: number): void => {
    engine.evaluate(results);
    for (let t = 0; t < ms; t += 1_000) {
      clock.advance(Math.min(1_000, ms - t));
      engine.evaluate(results);
    }
  };
  return { clock, engine, notices, audits, hold, settings };
}

const down = [check('backend', 'failing'), check('pool', 'failing', 'pool:gym'), check('feed', 'unknown'), check('outbox', 'degraded')];
const up = [check('backend', 'ok'), check('pool', 'ok', 'pool:gym'), check('feed', 'ok'), check('outbox', 'ok')];

describe('alert rules on a fake clock', () => {
  // probe-time16b #6: the event log read "Warning: Clock. Clock: This PC's clock is …" (title, then the text with the label again).
  it('a firing notice says the label once, in its title; its text is the reason', () => {
    const r = rig();
    r.hold(down, 20_000);
    const n = r.notices.find((x) => x.kind === 'firing' && x.alert === 'backend')!;
    expect(n.title).toBe('Critical: backend');
    expect(n.text).toBe('backend is failing');
  });

  // probe-time16b #2: the screen worked the age out as now − since, and with the PC's clock set back 2 h it read "-7138 s so far".
  it('sends how long an alert has been on, on the monotonic clock, so a clock set back or forward does not change it', () => {
    const r = rig();
    r.hold(down, 20_000);
    r.clock.stepWall(-7_200_000);
    r.hold(down, 5_000);
    const a = r.engine.view().find((v) => v.id === 'backend')!;
    expect(a.state).toBe('firing');
    expect(a.ageMs).toBe(25_000);
    r.clock.stepWall(3 * 86_400_000);
    r.clock.advance(1_000);
    expect(r.engine.view().find((v) => v.id === 'backend')!.ageMs).toBe(26_000);
    r.hold(up, 60_000);
    expect(r.engine.view().find((v) => v.id === 'backend')!.ageMs).toBeNull();
  });

  it('waits the pending time before firing, and a shorter trouble never notifies', () => {
    const r = rig();
    r.hold(down, 9_000);
    expect(r.notices).toEqual([]);
    expect(r.engine.view().find((a) => a.id === 'backend')).toMatchObject({ state: 'pending' });
    r.hold(up, 31_000);
    expect(r.notices).toEqual([]);
    expect(r.engine.view().filter((a) => a.id === 'backend')).toEqual([]);
  });

  it('an alert in its keep-firing time still fires but is not trouble now (the header does not count it beside "All systems OK")', () => {
    const r = rig();
    r.hold(down, 12_000);
    const backend = () => r.engine.view().find((a) => a.id === 'backend')!;
    expect(troubleNow(backend())).toBe(true);
    r.hold(up, 5_000);
    expect(backend()).toMatchObject({ state: 'firing' });
    expect(troubleNow(backend())).toBe(false);
    r.hold(down, 1_000);
    expect(troubleNow(backend())).toBe(true);
  });

  it('fires at exactly the pending time (its own timer, not the next tick)', () => {
    const r = rig();
    r.engine.evaluate(down);
    r.clock.advance(9_999);
    expect(r.notices).toHaveLength(0);
    r.clock.advance(1);
    expect(r.notices.map((n) => n.kind)).toEqual(['firing']);
    expect(r.notices[0]!.title).toBe('Critical: backend');
  });

  it('keeps firing through short recoveries: flapping input is one alert, resolved once with its whole duration', () => {
    const r = rig();
    r.hold(down, 12_000);
    // Flap: up 5 s, down 3 s, ten times; every recovery is shorter than keep-firing (30 s).
    for (let i = 0; i < 10; i++) {
      r.hold(up, 5_000);
      r.hold(down, 3_000);
    }
    expect(r.notices.map((n) => n.kind)).toEqual(['firing']);
    r.hold(up, 40_000);
    expect(r.notices.map((n) => n.kind)).toEqual(['firing', 'resolved']);
    const resolved = r.notices[1]!;
    // 12 s + 10 × 8 s = 92 s of trouble, measured to the moment it cleared (not to the resolve).
    expect(resolved.durationMs).toBe(92_000);
    expect(resolved.text).toMatch(/back to normal after 1 min 32 s/);
    expect(r.engine.view().find((a) => a.id === 'backend')).toMatchObject({ state: 'resolved', durationMs: 92_000 });
  });

  it('flapping during the pending time still fires: a clear shorter than keep-firing does not restart the count', () => {
    const r = rig();
    for (let i = 0; i < 4; i++) {
      r.hold(down, 4_000);
      r.hold(up, 2_000);
    }
    expect(r.notices.map((n) => n.kind)).toEqual(['firing']);
  });

  it('every backend instance down: one "backend" alert, its symptoms (pool, feed, queue) inhibited and silent', () => {
    const r = rig((s) => {
      s.rules.pool.pendingSeconds = 5; // a symptom that would fire sooner than its root cause
      s.rules.outbox.pendingSeconds = 5;
    });
    r.hold(down, 120_000);
    expect(r.notices.map((n) => `${n.kind} ${n.alert}`)).toEqual(['firing backend']);
    const views = r.engine.view();
    expect(views.find((a) => a.id === 'pool:gym')).toMatchObject({ state: 'firing', inhibitedBy: 'backend' });
    expect(views.find((a) => a.id === 'outbox')).toMatchObject({ state: 'firing', inhibitedBy: 'backend' });
    // After recovery the pool is slow to refill: still the same outage, so still silent.
    r.hold([check('backend', 'ok'), check('pool', 'failing', 'pool:gym'), check('feed', 'ok'), check('outbox', 'ok')], 20_000);
    r.hold(up, 120_000);
    expect(r.notices.map((n) => `${n.kind} ${n.alert}`)).toEqual(['firing backend', 'resolved backend']);
  });

  it('a symptom on its own (the backend fine) does notify', () => {
    const r = rig();
    r.hold([check('backend', 'ok'), check('outbox', 'degraded')], 130_000);
    expect(r.notices.map((n) => `${n.kind} ${n.alert}`)).toEqual(['firing outbox']);
  });

  it('caps notices per hour and sends one digest of what was held back', () => {
    const r = rig((s) => {
      s.maxPerHour = 3;
      s.rules.backend.keepFiringSeconds = 0;
      s.rules.backend.pendingSeconds = 0;
    });
    for (let i = 0; i < 5; i++) {
      r.hold(down, 1_000);
      r.hold(up, 60_000);
    }
    // 10 notices wanted, 3 sent; 7 held for the digest.
    expect(r.notices).toHaveLength(3);
    expect(r.engine.cap.state).toMatchObject({ sentLastHour: 3, held: 7 });
    r.clock.advance(3_600_000);
    expect(r.notices).toHaveLength(4);
    const digest = r.notices[3]!;
    expect(digest.kind).toBe('digest');
    expect(digest.text).toMatch(/held back 7 \(3 new trouble\)/);
    expect(r.engine.cap.state.held).toBe(0);
  });

  it('acknowledging and silencing are audited; a silenced alert starts no notice, but one that went out is closed', () => {
    const r = rig();
    r.hold(down, 11_000);
    expect(r.engine.ack('backend', 'Manager').ackedBy).toBe('Manager');
    r.engine.silence('backend', 60, 'Manager');
    r.hold(up, 31_000);
    // The firing notice went out before the silence: receivers are told it is over, or they hold it open.
    expect(r.notices.map((n) => n.kind)).toEqual(['firing', 'resolved']);
    // The silence was for that outage: a later, separate one, after 10 min back to normal, is announced (it was not,
    // within the hour).
    r.hold(up, SILENCE_QUIET_MS);
    r.hold(down, 11_000);
    expect(r.notices.map((n) => n.kind)).toEqual(['firing', 'resolved', 'firing']);
    expect(r.engine.view().find((a) => a.state === 'firing')!.silencedUntil).toBeNull();
    expect(r.audits).toEqual(['Manager alert.ack backend', 'Manager alert.silence backend']);
    expect(() => r.engine.ack('nothing', 'Manager')).toThrow(/over already/);
  });

  // probe26b B9: "Silence 1 h" on a backend that kept dropping out paged again 55 s later, at its next short recovery.
  it("an alert's silence holds while its trouble keeps coming back, for the time chosen", () => {
    const r = rig();
    r.hold(down, 11_000);
    r.engine.silence('backend', 60, 'Manager');
    for (let i = 0; i < 20; i++) {
      r.hold(up, 35_000); // back long enough to resolve
      r.hold(down, 25_000);
    }
    expect(r.notices.map((n) => n.kind)).toEqual(['firing', 'resolved']);
    expect(r.engine.view().find((a) => a.id === 'backend' && a.state !== 'resolved')!.silencedUntil).not.toBeNull();
    // The hour is up: the silence ends with it, flapping or not.
    r.hold(down, 41 * 60_000);
    expect(r.notices.map((n) => n.kind)).toEqual(['firing', 'resolved', 'firing']);
  });

  it('silences only a check the console runs or an alert it shows; nothing else is stored', () => {
    const r = rig();
    r.hold(up, 1_000);
    for (const id of ['toString', '\u202Eevil', 'x'.repeat(200), 'pool:nope']) {
      expect(() => r.engine.silence(id, 60, 'Manager')).toThrow(/no alert by that name to silence; silence one from the list on the Health tab/);
    }
    expect(r.audits).toEqual([]);
    r.engine.silence('pool:gym', 60, 'Manager'); // a check that is OK now may still be silenced ahead of trouble
    r.hold(down, 11_000);
    r.hold(up, 31_000);
    r.hold(down, 11_000);
    // Set ahead of trouble, it is for the hour, not for one outage: still on after one came and went.
    expect(r.engine.view().find((a) => a.id === 'pool:gym')!.silencedUntil).toBeGreaterThan(r.clock.now());
    r.engine.silence('pool:gym', 0, 'Manager');
    expect(r.audits).toEqual(['Manager alert.silence pool:gym', 'Manager alert.unsilence pool:gym']);
  });

  it('a disabled rule never fires; a "degraded" rule fires on degraded', () => {
    const r = rig((s) => {
      s.rules.backend.enabled = false;
      s.rules.disk = { enabled: true, when: 'degraded', pendingSeconds: 0, keepFiringSeconds: 0, severity: 'warning' };
    });
    r.hold([check('backend', 'failing'), check('disk', 'degraded')], 60_000);
    expect(r.notices.map((n) => n.alert)).toEqual(['disk']);
  });

  it('says durations the way people do', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(133_000)).toBe('2 min 13 s');
    expect(formatDuration(3_900_000)).toBe('1 h 5 min');
  });
});

describe('silences outlive a restart', () => {
  it('are saved on each change and loaded by the next engine', () => {
    const clock = new FakeClock();
    let saved: Record<string, number> = {};
    const deps = (notify: (n: AlertNotice) => void) => ({ clock, settings: () => DEFAULT_ALERT_SETTINGS, notify, audit: () => {}, silences: { load: () => saved, save: (all: Record<string, number>) => void (saved = all) } });
    const first = new AlertEngine(deps(() => {}));
    first.evaluate([check('disk', 'ok')]); // a check the console runs
    first.silence('disk', 30, 'Manager');
    expect(saved).toEqual({ disk: clock.now() + 30 * 60_000 });
    const notices: AlertNotice[] = [];
    const again = new AlertEngine(deps((n) => notices.push(n)));
    again.evaluate([check('disk', 'degraded')]);
    expect(notices).toEqual([]);
    // Over (clear for the keep-firing time) while silenced: no resolved notice owed either.
    again.evaluate([check('disk', 'ok')]);
    clock.advance(300_000);
    expect(notices).toEqual([]);
    clock.advance(31 * 60_000);
    again.evaluate([check('disk', 'degraded')]);
    expect(notices.map((n) => n.kind)).toEqual(['firing']);
  });
});

// readme27 W7: back to normal and waiting to close, its "so far" went on counting.
describe('an alert back to normal, waiting to close', () => {
  it('stops counting its age when its trouble cleared', () => {
    const r = rig();
    r.hold(down, 20_000);
    r.hold(up, 10_000);
    const a = r.engine.view().find((x) => x.id === 'backend')!;
    expect(a).toMatchObject({ state: 'firing', clearedAt: expect.any(Number) });
    expect(a.ageMs).toBe(20_000);
  });
});

describe('a restart in the middle of an outage', () => {
  it('still ends with exactly one resolved notice, with the whole duration', () => {
    const clock = new FakeClock();
    let kept: FiringRecord[] = [];
    const settings = structuredClone(DEFAULT_ALERT_SETTINGS);
    const deps = (notify: (n: AlertNotice) => void) => ({ clock, settings: () => settings, notify, audit: () => {}, firing: { load: () => kept, save: (all: FiringRecord[]) => void (kept = all) } });
    const first: AlertNotice[] = [];
    const before = new AlertEngine(deps((n) => first.push(n)));
    before.evaluate([check('backend', 'failing')]);
    clock.advance(15_000);
    expect(first.map((n) => n.kind)).toEqual(['firing']);
    before.stop();
    // The console is down for 20 s; it comes back to a backend that answers again.
    clock.advance(20_000);
    const after: AlertNotice[] = [];
    const again = new AlertEngine(deps((n) => after.push(n)));
    expect(again.view()).toMatchObject([{ id: 'backend', state: 'firing' }]);
    again.evaluate([check('backend', 'ok')]);
    clock.advance(30_000);
    expect(after.map((n) => n.kind)).toEqual(['resolved']);
    expect(after[0]!.durationMs).toBe(35_000);
    expect(kept).toEqual([]);
  });

  // review26 V8: an acknowledgement was kept in memory only, so a restart put the alert back on the desk's banner.
  it('keeps who acknowledged it', () => {
    const clock = new FakeClock();
    let kept: FiringRecord[] = [];
    const deps = { clock, settings: () => DEFAULT_ALERT_SETTINGS, notify: () => {}, audit: () => {}, firing: { load: () => kept, save: (all: FiringRecord[]) => void (kept = all) } };
    const before = new AlertEngine(deps);
    before.evaluate([check('backend', 'failing')]);
    clock.advance(15_000);
    before.evaluate([check('backend', 'failing')]);
    before.ack('backend', 'Sam');
    before.stop();
    clock.advance(5_000);
    expect(new AlertEngine(deps).view()).toMatchObject([{ id: 'backend', state: 'firing', ackedBy: 'Sam' }]);
  });

  // probe27b D4: kept by an older version, it showed that version's name ("Backend reachable") beside the check's own.
  it("takes the check's name of now", () => {
    const clock = new FakeClock();
    const kept: FiringRecord[] = [{ id: 'backend', kind: 'backend', label: 'Backend reachable', severity: 'critical', reason: 'x', since: clock.now(), firedAt: clock.now(), ackedBy: null }];
    const engine = new AlertEngine({ clock, settings: () => DEFAULT_ALERT_SETTINGS, notify: () => {}, audit: () => {}, firing: { load: () => kept, save: () => {} } });
    engine.evaluate([{ ...check('backend', 'failing'), label: 'Backend connection' }]);
    expect(engine.view()[0]!.label).toBe('Backend connection');
  });
});

describe('a restart during the keep-firing wait', () => {
  it('keeps when the trouble cleared: the wait and the restart are not counted as trouble', () => {
    const clock = new FakeClock();
    let kept: FiringRecord[] = [];
    const settings = structuredClone(DEFAULT_ALERT_SETTINGS);
    settings.rules.backend = { enabled: true, when: 'failing', pendingSeconds: 10, keepFiringSeconds: 30, severity: 'critical' };
    const deps = (notify: (n: AlertNotice) => void) => ({ clock, settings: () => settings, notify, audit: () => {}, firing: { load: () => kept, save: (all: FiringRecord[]) => void (kept = all) } });
    const before = new AlertEngine(deps(() => {}));
    before.evaluate([check('backend', 'failing')]);
    clock.advance(20_000); // down 20 s, fired after 10
    before.evaluate([check('backend', 'ok')]);
    clock.advance(10_000); // 10 s into the 30 s wait, the console restarts
    before.stop();
    clock.advance(9_000);
    const after: AlertNotice[] = [];
    const again = new AlertEngine(deps((n) => after.push(n)));
    expect(again.view()[0]!.clearedAt).toBe(clock.now() - 19_000);
    again.evaluate([check('backend', 'ok')]);
    clock.advance(30_000);
    expect(after.map((n) => n.kind)).toEqual(['resolved']);
    // Was 39 s: measured to the first look after the restart.
    expect(after[0]!.durationMs).toBe(20_000);
    expect(after[0]!.text).toMatch(/after 20 s\.$/);
  });

  it('trouble back before the restart ended the wait is still one alert, and still holding', () => {
    const clock = new FakeClock();
    let kept: FiringRecord[] = [];
    const deps = { clock, settings: () => DEFAULT_ALERT_SETTINGS, notify: () => {}, audit: () => {}, firing: { load: () => kept, save: (all: FiringRecord[]) => void (kept = all) } };
    const before = new AlertEngine(deps);
    before.evaluate([check('backend', 'failing')]);
    clock.advance(20_000);
    before.evaluate([check('backend', 'ok')]);
    before.evaluate([check('backend', 'failing')]);
    expect(kept[0]!.clearedAt).toBeNull();
    before.stop();
  });
});

describe('the default rules', () => {
  it('tell of a backend slow for minutes, once: not for a slow spell of a minute or two, nor again for each flap', () => {
    const r = rig();
    const slow = [check('backend', 'ok'), check('speed', 'degraded')];
    const fast = [check('backend', 'ok'), check('speed', 'ok')];
    r.hold(slow, 120_000);
    r.hold(fast, 10_000); // two minutes slow, then well again: no one told
    expect(r.notices).toEqual([]);
    r.hold(slow, 160_000);
    expect(r.notices).toEqual([]);
    r.hold(slow, 20_000); // five minutes since it began (the short well spell did not start the wait over)
    expect(r.notices.map((n) => [n.kind, n.alert, n.severity])).toEqual([['firing', 'speed', 'warning']]);
    r.hold(fast, 60_000); // well for a minute, then slow again: the same alert, no second notice
    r.hold(slow, 30_000);
    r.hold(fast, 90_000);
    expect(r.notices).toHaveLength(1);
    r.hold(fast, 40_000); // well for two minutes: over
    expect(r.notices.map((n) => n.kind)).toEqual(['firing', 'resolved']);
  });
});

// review26 V7: the previous start's loss alert closed at the next start as "… is back to normal after 2 d", which read
// as the check-ins recovered.
describe("a start's loss alert", () => {
  it('closes at a later start as closed, never as back to normal', () => {
    const r = rig();
    r.hold([check('lost', 'degraded', 'lost:1700000000000')], 1_000);
    r.hold([check('lost', 'ok')], 61_000);
    expect(r.notices.map((n) => `${n.kind}: ${n.text}`)).toEqual(['firing: lost:1700000000000 is degraded', 'resolved: lost:1700000000000: closed, as the console has started again since.']);
  });

  // review26 V9: acknowledging is all there is to do about it; the check then reads ok, and the alert closes at once.
  it('closes as acknowledged, by whom, when the acknowledged check reads ok', () => {
    const r = rig();
    r.hold([check('lost', 'degraded', 'lost:1700000000000')], 1_000);
    r.engine.ack('lost:1700000000000', 'IT');
    r.hold([check('lost', 'ok', 'lost:1700000000000')], 1_000);
    expect(r.notices.map((n) => `${n.kind}: ${n.text}`)).toEqual(['firing: lost:1700000000000 is degraded', 'resolved: lost:1700000000000: closed, as IT acknowledged it.']);
  });
});
