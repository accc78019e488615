import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { healthSources, type SourceDeps } from '../../src/main/core/health/sources';
import { FakeClock } from '../helpers/fake-clock';
import { healthyInputs } from '../helpers/health-inputs';
import { runChecks, type HealthInputs } from '../../src/main/core/health/checks';
import { clockSaidUtc } from '../../src/shared/backend-clock';

const DAY = 86_400_000;

/** Health inputs over stand-ins: a feed to emit on, and a disk whose reads are counted. */
function rig() {
  const clock = new FakeClock();
  const feed = Object.assign(new EventEmitter(), { applied: 0, head: 0 });
  let diskReads = 0;
  const deps = {
    clock,
    pools: { feed, connectionView: () => ({ endpoints: [] }), list: () => [] },
    outbox: { view: () => ({}), alert: null },
    analytics: { storage: () => ({ freeDiskMb: 100 + diskReads++ }), store: { sizes: () => ({ dbMb: 0, walMb: 0 }), lastCheckpoint: null, damaged: null, file: null } },
    desk: { cache: { size: 0, syncedAt: null }, rosterRefused: null },
    audit: { countSince: () => 0 },
    consoleDbFile: null,
    storeWarning: null,
    startupWarnings: () => [],
    lastPerf: () => null,
  } as unknown as SourceDeps;
  return { clock, feed, read: healthSources(deps), diskReads: () => diskReads };
}

describe('health inputs when the PC clock is set back a day', () => {
  it('a lost tail stops being recent after its 10 minutes, not a day later', () => {
    const r = rig();
    r.feed.emit('continuityLost', 'gap');
    expect(r.read().feed.continuityLostRecently).toBe(1);
    r.clock.stepWall(-DAY);
    r.clock.advance(11 * 60_000);
    expect(r.read().feed.continuityLostRecently).toBe(0);
  });

  it('free disk space is still read every 10 s', () => {
    const r = rig();
    r.read();
    r.clock.stepWall(-DAY);
    r.clock.advance(10_000);
    r.read();
    expect(r.diskReads()).toBe(2);
  });
});

describe('the clock check reads the clock most recent events agree on', () => {
  const checkOf = (r: ReturnType<typeof rig>) => runChecks({ ...healthyInputs(), ...pick(r.read()) }).find((c) => c.id === 'clock')!;
  const pick = (i: HealthInputs) => ({ clockSkewMs: i.clockSkewMs, clockOdd: i.clockOdd, clockSamples: i.clockSamples, clockUnbelievable: i.clockUnbelievable });
  const at = (r: ReturnType<typeof rig>, ts: number) => r.feed.emit('event', { seq: 1, ts, body: {} });

  it('one event stamped far in the future, and one at 1970, leave a right PC clock right, and are said once for IT', () => {
    const r = rig();
    at(r, 8.64e15);
    // Two alone do not judge the PC's clock either way; the stamp past belief is said (probe-hostile17 F5: Health said "All systems OK").
    expect(checkOf(r)).toMatchObject({ status: 'degraded', reason: 'An event from the backend in the last hour was stamped 275760-09-13 00:00 UTC, more than 100 years ahead of this PC\'s clock. The console lists and counts such events when they arrived. Ask whoever runs the backend to check its clock.' });
    at(r, 0);
    expect(checkOf(r)).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/^2 events from the backend in the last hour carried times that cannot be right; the last was stamped 1970-01-01 00:00 UTC, before any gym used this console\. /) });
    for (let k = 0; k < 3; k++) at(r, r.clock.now() - 40);
    const c = checkOf(r);
    expect(c.status).toBe('degraded');
    expect(c.reason).toMatch(/^Within 1 s of the backend's usual time\. 2 events from the backend in the last hour carried times that cannot be right/);
    // Said once: not again as "one event ahead of the others".
    expect(c.reason).not.toMatch(/left out|This PC's clock is/);
    // An hour on, a right clock is all there is to say.
    r.clock.advance(61 * 60_000);
    for (let k = 0; k < 3; k++) at(r, r.clock.now() - 40);
    expect(checkOf(r)).toMatchObject({ status: 'ok', reason: 'Within 1 s of the backend.' });
  });

  it('a stamp 5 years ahead is said with its date and how far ahead; one a few hours off is an ordinary clock reading', () => {
    const r = rig();
    for (let k = 0; k < 3; k++) at(r, r.clock.now() - 40);
    at(r, r.clock.now() + 3 * 3_600_000);
    expect(checkOf(r).reason).not.toMatch(/stamped/);
    r.clock.advance(6 * 60_000);
    for (let k = 0; k < 3; k++) at(r, r.clock.now() - 40);
    const ahead = r.clock.now() + 5 * 365 * DAY;
    at(r, ahead);
    expect(checkOf(r).reason).toContain(`An event from the backend in the last hour was stamped ${clockSaidUtc(ahead)}, 5 years ahead of this PC's clock.`);
  });

  it('events a replay brought after the link came back are no clock readings (probe-hostile14b C1)', () => {
    const r = rig();
    for (let k = 0; k < 12; k++) r.feed.emit('event', { seq: k + 1, ts: r.clock.now() - 473_000, body: {} }, true);
    expect(checkOf(r)).toMatchObject({ status: 'unknown' });
    for (let k = 0; k < 5; k++) at(r, r.clock.now() - 30);
    expect(checkOf(r).status).toBe('ok');
  });

  it('one instance of three running 3 min ahead is named as the backend\'s clock, not the PC\'s', () => {
    const r = rig();
    for (let k = 0; k < 12; k++) at(r, r.clock.now() + (k % 3 === 0 ? 180_000 : 0) - 30);
    const c = checkOf(r);
    expect(c.status).toBe('degraded');
    expect(c.reason).toMatch(/^4 of the last 12 events from the backend carry times 180 s ahead of the rest: one of the backend instances likely has its clock wrong\. This PC's clock agrees with the rest/);
    expect(c.reason).toMatch(/leave it as it is/);
    expect(c.reason).not.toMatch(/Set the PC's time/);
  });

  it('a PC clock 3 min behind the whole backend is still the PC\'s to set', () => {
    const r = rig();
    for (let k = 0; k < 5; k++) at(r, r.clock.now() + 180_000);
    expect(checkOf(r)).toMatchObject({ status: 'failing', reason: expect.stringMatching(/^This PC's clock is 180 s behind the backend's\. Set the PC's time/) });
  });

  it('replayed older events do not make the PC look ahead: the freshest agreeing ones set the offset', () => {
    const r = rig();
    for (let k = 0; k < 8; k++) at(r, r.clock.now() - 60_000 * (k + 1)); // a replay: one a minute, none agreeing
    for (let k = 0; k < 3; k++) at(r, r.clock.now() - 20);
    expect(checkOf(r)).toMatchObject({ status: 'ok', reason: 'Within 1 s of the backend.' });
  });
});
