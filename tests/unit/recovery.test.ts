import { describe, expect, it } from 'vitest';
import { recoveryActions, type RecoveryDeps } from '../../src/main/core/health/recovery';
import { CircuitBreaker } from '../../src/main/core/pool/breaker';
import { longestSilenceMs } from '../../src/main/core/pool/heartbeat';
import type { ActivityNote } from '../../src/shared/activity';
import type { CheckResult, HealthStatus } from '../../src/shared/health';
import { FakeClock } from '../helpers/fake-clock';

const r = (kind: CheckResult['kind'], status: HealthStatus, value: number | null = null): CheckResult => ({ id: kind, kind, label: kind, status, reason: `${kind} ${status}`, value, unit: '' });

function rig(healthCheckInterval = 250) {
  const clock = new FakeClock();
  const done: string[] = [];
  const feed = { lastSeq: 100 };
  const notes: ActivityNote[] = [];
  let follower: (results: CheckResult[]) => void = () => {};
  const deps = {
    center: { monitor: { follow: (fn: (x: CheckResult[]) => void) => void (follower = fn) } },
    pools: {
      probeOpenBreakers: () => (done.push('probe'), [{ pool: 'gym', url: 'ws://b:1' }]),
      recycleSilent: (silent: (pool: string) => number) => (done.push(`recycle>${silent('gym')}`), []),
      list: () => [{ config: { name: 'gym', healthCheckInterval } }],
      connectionView: () => ({ lastSeq: feed.lastSeq }),
      feed: { resubscribe: () => (done.push('resubscribe'), 2) },
    },
    analytics: { store: { checkpoint: () => done.push('checkpoint analytics') } },
    db: { pragma: (p: string) => done.push(p) },
    clock,
    record: (n: ActivityNote) => notes.push(n),
  } as unknown as RecoveryDeps;
  recoveryActions(deps);
  return { clock, done, notes, feed, run: (results: CheckResult[]) => follower(results) };
}

describe('recovery actions: safe, rate-limited, each recorded as an event', () => {
  it('all well: only the silent-socket sweep runs (and finds nothing), nothing recorded', () => {
    const x = rig();
    x.run([r('backend', 'ok'), r('stores', 'ok', 2), r('feed', 'ok', 0)]);
    expect(x.done).toEqual(['recycle>5000']);
    expect(x.notes).toEqual([]);
  });

  it('after our own loop was held, no socket is called silent until a full silence has passed since', () => {
    const x = rig();
    x.run([r('backend', 'ok')]);
    expect(x.done).toEqual(['recycle>5000']);
    x.clock.advance(10_000);
    x.run([r('backend', 'ok')]); // a round 10 s after the last: we were held, not the backend silent
    expect(x.done.at(-1)).toBe('recycle>Infinity');
    for (let i = 0; i < 10; i++) {
      x.clock.advance(1_000);
      x.run([r('backend', 'ok')]); // rounds on time again
    }
    expect(x.done.at(-1)).toBe('recycle>5000'); // silence counts again once it can have begun after the stall
  });

  // review21 K3: the heartbeat lets a socket whose instance is heard on another stay silent longer; a sweep that
  // recycled it sooner closed the very socket that stretch keeps, and its check-ins went round again.
  it('a socket is called silent only past the longest its own heartbeat allows, at every interval', () => {
    for (const interval of [100, 250, 500, 625, 1_000, 2_000, 5_000]) {
      const x = rig(interval);
      x.run([r('backend', 'ok')]);
      const sweep = Number(x.done.at(-1)!.slice('recycle>'.length));
      expect(sweep, `at ${interval} ms`).toBeGreaterThan(longestSilenceMs(interval));
      expect(sweep, `at ${interval} ms`).toBeGreaterThanOrEqual(5_000);
    }
  });

  it('an open breaker is probed early only while other instances answer, at most every 30 s', () => {
    const x = rig();
    x.run([r('backend', 'failing')]);
    expect(x.done).not.toContain('probe'); // every instance down: the breakers protect, leave them
    x.run([r('backend', 'degraded')]);
    x.run([r('backend', 'degraded')]);
    expect(x.done.filter((d) => d === 'probe')).toHaveLength(1);
    expect(x.notes).toEqual([{ type: 'recovery', pool: 'gym', endpoint: 'ws://b:1', detail: expect.stringMatching(/probed an open breaker early/) }]);
    x.clock.advance(30_000);
    x.run([r('backend', 'degraded')]);
    expect(x.done.filter((d) => d === 'probe')).toHaveLength(2);
  });

  it('a WAL past 64 MB is checkpointed (both databases); a feed behind is asked again', () => {
    const x = rig();
    x.run([r('stores', 'degraded', 80), r('feed', 'degraded', 120)]);
    expect(x.done).toEqual(expect.arrayContaining(['checkpoint analytics', 'wal_checkpoint(TRUNCATE)', 'resubscribe']));
    expect(x.notes.map((n) => n.detail)).toEqual([expect.stringMatching(/checkpointed the write-ahead logs \(80 MB\)/), expect.stringMatching(/asked 2 instances again/)]);
  });

  // A burst read behind the console's own backlog: the feed is thousands behind and applying them. Asked again then,
  // the backend sent the whole burst a second time (and a third), its loop held 0.2-0.35 s each time.
  it('a feed behind but applying events is catching up: not asked again until it stops moving', () => {
    const x = rig();
    x.run([r('feed', 'ok', 0)]);
    for (let i = 0; i < 40; i++) {
      x.clock.advance(1_000);
      x.feed.lastSeq += 2_000;
      x.run([r('feed', 'failing', 5_000)]);
    }
    expect(x.done).not.toContain('resubscribe');
    x.clock.advance(1_000);
    x.run([r('feed', 'failing', 5_000)]); // no event applied since the last round: stuck, not catching up
    expect(x.done.filter((d) => d === 'resubscribe')).toHaveLength(1);
  });

  it('a breaker lets one early trial through', () => {
    const clock = new FakeClock();
    const b = new CircuitBreaker(1, () => clock.mono(), 30_000);
    expect(b.probeEarly()).toBe(false); // closed: nothing to do
    b.failure();
    expect(b.state).toBe('open');
    expect(b.probeEarly()).toBe(true);
    expect(b.waitMs()).toBe(0);
    b.failure();
    expect(b.state).toBe('open'); // the trial failed: open again
  });
});
