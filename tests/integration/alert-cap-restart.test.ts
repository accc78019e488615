import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertRig } from '../helpers/alert-rig';
import { FakeClock } from '../helpers/fake-clock';
import type { AlertNotice } from '../../src/shared/health';

const notice = (alert: string, at: number): AlertNotice => ({ id: `n-${alert}`, kind: 'firing', alert, severity: 'warning', title: `Warning: ${alert}`, text: `${alert} is low`, at, durationMs: null });

describe('the hourly notification cap across a restart (console.db)', () => {
  it('keeps the hour’s count, and what it held back still goes out as one digest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-cap-'));
    const clock = new FakeClock();
    const first = alertRig(dir, clock, [0]);
    first.center.configure({ rules: first.center.settings.rules, maxPerHour: 3 }, 'test');
    // Offered to the cap directly: raised alerts would also come back after the restart and resolve.
    for (const id of ['a', 'b', 'c', 'd']) first.center.engine.cap.offer(notice(id, clock.now()));
    expect(first.notices.map((n) => n.alert)).toEqual(['a', 'b', 'c']);
    expect(first.center.engine.cap.state).toMatchObject({ sentLastHour: 3, held: 1 });
    first.close();

    clock.advance(10 * 60_000);
    const again = alertRig(dir, clock, [0]);
    again.center.configure({ rules: again.center.settings.rules, maxPerHour: 3 }, 'test');
    // Was "0 of at most 20" after a restart, though 3 had gone out that hour.
    expect(again.center.engine.cap.state).toMatchObject({ sentLastHour: 3, held: 1 });
    again.center.engine.cap.offer(notice('e', clock.now()));
    expect(again.notices).toEqual([]);
    clock.advance(50 * 60_000); // the hour of the first notice is over
    expect(again.notices.map((n) => n.kind)).toEqual(['digest']);
    expect(again.notices[0]!.title).toBe('2 alert notices held back');
    again.close();
  });
});

describe('the hourly cap when the PC clock is set forward or back', () => {
  const DAY = 86_400_000;

  it('notices sent while the clock ran 40 days ahead hold nothing back once it is put right: the digest goes within the hour', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-cap-skew-'));
    const clock = new FakeClock();
    clock.stepWall(40 * DAY);
    const first = alertRig(dir, clock, [0]);
    first.center.configure({ rules: first.center.settings.rules, maxPerHour: 1 }, 'test');
    for (const id of ['a', 'b']) first.center.engine.cap.offer(notice(id, clock.now()));
    expect(first.notices.map((n) => n.alert)).toEqual(['a']);
    first.close();

    clock.stepWall(-40 * DAY); // NTP puts it right; the console starts again
    const again = alertRig(dir, clock, [0]);
    again.center.configure({ rules: again.center.settings.rules, maxPerHour: 1 }, 'test');
    // The send stamped 40 days ahead counts as sent now, not for 40 days more.
    expect(again.center.engine.cap.state).toMatchObject({ sentLastHour: 1, held: 1 });
    clock.advance(60 * 60_000);
    expect(again.notices.map((n) => n.kind)).toEqual(['digest']);
    expect(again.center.engine.cap.state).toMatchObject({ sentLastHour: 1, held: 0 });
    expect(clock.pending).toBeLessThan(5); // no timer respun at once, over and over
    again.close();
  });

  it('within a run, the hour is time that passed: a clock set back a day does not hold the digest a day', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-cap-back-'));
    const clock = new FakeClock();
    const rig = alertRig(dir, clock, [0]);
    rig.center.configure({ rules: rig.center.settings.rules, maxPerHour: 1 }, 'test');
    for (const id of ['a', 'b']) rig.center.engine.cap.offer(notice(id, clock.now()));
    clock.stepWall(-DAY);
    clock.advance(60 * 60_000);
    expect(rig.notices.map((n) => n.kind)).toEqual(['firing', 'digest']);
    // And one set forward a day does not open the cap at once.
    rig.center.engine.cap.offer(notice('c', clock.now()));
    clock.stepWall(2 * DAY);
    rig.center.engine.cap.offer(notice('d', clock.now()));
    expect(rig.notices.map((n) => n.alert)).toEqual(['a', 'digest']);
    expect(rig.center.engine.cap.state).toMatchObject({ sentLastHour: 1, held: 2 });
    rig.close();
  });
});
