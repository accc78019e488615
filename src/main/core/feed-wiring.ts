import type { AnalyticsEngine } from './analytics/engine';
import type { Clock } from './clock';
import type { FrontDesk } from './desk/front-desk';
import { followFeed } from './feed';
import type { PoolManager } from './pool/manager';
import { LastKnown } from './state/last-known';
import type { PatchStream } from './state/patch-stream';
import type { Db } from './store/db';

/**
 * The backend's live feed into the screens, with what they showed kept in `db` for the next start as last known,
 * and "last known at" the moment the last instance stopped answering. Returns the keeper, flushed on stop.
 */
export function followGymFeed(
  pools: Pick<PoolManager, 'feed' | 'on' | 'connectionView'>,
  d: { db: Db; stream: PatchStream; analytics: AnalyticsEngine; desk: FrontDesk; clock: Clock; onWrong: (detail: string, raw: string) => void },
): LastKnown {
  const kept = new LastKnown(d.db, d.clock, () => {
    const o = d.stream.current('occupancy');
    return { occupancy: o.at === undefined ? null : { count: o.count, capacity: o.capacity, at: o.at }, checkins: d.stream.feed('checkins'), place: pools.feed.place() };
  });
  const gym = followFeed(pools.feed, { stream: d.stream, analytics: d.analytics, desk: d.desk, kept, clock: d.clock, onWrong: d.onWrong });
  // The count was good until the last instance stopped answering: "last known at" that moment.
  let answering = false;
  pools.on('change', () => {
    const now = pools.connectionView().state !== 'offline';
    if (answering && !now) gym.lost();
    answering = now;
  });
  return kept;
}
