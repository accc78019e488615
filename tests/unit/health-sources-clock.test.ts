import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { healthSources, type SourceDeps } from '../../src/main/core/health/sources';
import { FakeClock } from '../helpers/fake-clock';

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
