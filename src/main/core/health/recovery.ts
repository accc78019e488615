import type { ActivityNote } from '../../../shared/activity';
import type { AlertCenter } from '../alerts/center';
import type { AnalyticsEngine } from '../analytics/engine';
import type { Clock } from '../clock';
import type { PoolManager } from '../pool/manager';
import type { Db } from '../store/db';
import { longestSilenceMs } from '../pool/heartbeat';
import { HEALTH_LIMITS } from './checks';
import { TICK_MS } from './monitor';

const EVERY_MS = { breaker: 30_000, silent: 10_000, wal: 5 * 60_000, feed: 30_000 };
/** A round this much later than the one before means our own loop was held (a big export opened, a sleep). */
const STALL_MS = 2 * TICK_MS;

export interface RecoveryDeps {
  center: AlertCenter;
  pools: PoolManager;
  analytics: AnalyticsEngine;
  db: Db;
  clock: Clock;
  record: (note: ActivityNote) => void;
}

/**
 * What the console may safely do by itself when a check is off, each at most once per interval and
 * each recorded as an event: an early trial for an open breaker (only while another instance answers,
 * so the network is known to work), recycling a socket that is open but silent, checkpointing a WAL
 * past its size, and asking the feed's instances again when it falls behind (a lost tail).
 */
export function recoveryActions(d: RecoveryDeps): void {
  const last = { breaker: -Infinity, silent: -Infinity, wal: -Infinity, feed: -Infinity };
  const due = (k: keyof typeof last, now: number): boolean => {
    if (now - last[k] < EVERY_MS[k]) return false;
    last[k] = now;
    return true;
  };
  let prevRound = -Infinity;
  let stalledAt = -Infinity;
  let appliedBefore: number | null = null;
  d.center.monitor.follow((results) => {
    const now = d.clock.mono();
    if (now - prevRound > TICK_MS + STALL_MS && prevRound > -Infinity) stalledAt = now;
    prevRound = now;
    const by = (kind: string) => results.find((r) => r.kind === kind);
    const backend = by('backend');
    if (backend?.status === 'degraded' && due('breaker', now)) {
      for (const { pool, url } of d.pools.probeOpenBreakers()) d.record({ type: 'recovery', pool, endpoint: url, detail: 'probed an open breaker early: other instances answer, so the network works' });
    }
    const heartbeat = new Map(d.pools.list().map((p) => [p.config.name, p.config.healthCheckInterval]));
    // Silence is the backend's only when it began after our last stall: while our loop was held we sent
    // no pings, and a healthy backend that is asked nothing says nothing. The heartbeat probes after a stall.
    // Past the heartbeat's own longest allowance and a beat more: this sweep is the backstop for a heartbeat that failed to act.
    const silentAfter = (pool: string) => {
      const interval = heartbeat.get(pool) ?? 1_000;
      return Math.max(5_000, 8 * interval, longestSilenceMs(interval) + interval);
    };
    if (due('silent', now)) {
      for (const s of d.pools.recycleSilent((pool) => (now - stalledAt < silentAfter(pool) ? Infinity : silentAfter(pool)))) {
        d.record({ type: 'recovery', pool: s.pool, endpoint: s.url, detail: `recycled socket ${s.id}: open but silent` });
      }
    }
    const stores = by('stores');
    if ((stores?.value ?? 0) >= HEALTH_LIMITS.walDegradedMb && due('wal', now)) {
      d.analytics.store.checkpoint(d.clock.now());
      d.db.pragma('wal_checkpoint(TRUNCATE)');
      d.record({ type: 'recovery', detail: `checkpointed the write-ahead logs (${Math.round(stores!.value!)} MB)` });
    }
    const feed = by('feed');
    // Behind but applying events since the last round: catching up on what is already on its way (a burst read behind
    // the console's own backlog). Asked again then, every instance sends it all a second time, and the backend stalls.
    const applied = d.pools.connectionView().lastSeq;
    const catchingUp = appliedBefore !== null && applied > appliedBefore;
    appliedBefore = applied;
    if ((feed?.value ?? 0) >= HEALTH_LIMITS.feedLagDegraded && !catchingUp && due('feed', now)) {
      const n = d.pools.feed.resubscribe();
      if (n) d.record({ type: 'recovery', detail: `asked ${n} ${n === 1 ? 'instance' : 'instances'} again for the events after the last one applied (${feed!.reason})` });
    }
  });
}
