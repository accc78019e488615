import { activityEntry, type ActivityNote } from '../../shared/activity';
import type { AnalyticsEngine } from './analytics/engine';
import type { Clock } from './clock';
import type { Outbox } from './delivery/outbox';
import type { PoolManager } from './pool/manager';
import { AddressStories } from './pool/address-story';
import type { PatchStream } from './state/patch-stream';

export type RecordActivity = (note: ActivityNote) => void;

/** Stamps what the console did once, into the event log the screens stream and the analytics store alike. */
export function activityRecorder(stream: PatchStream, analytics: AnalyticsEngine, clock: Clock): RecordActivity {
  return (note) => {
    const entry = activityEntry(clock.now(), note);
    stream.append('activity', entry);
    analytics.activity(entry);
  };
}

/**
 * What the pools report, told once per address per change of state, and what the outbox gives up on
 * is activity; what the backend acknowledged is counted.
 */
export function followPoolsAndOutbox(pools: PoolManager, outbox: Outbox, analytics: AnalyticsEngine, record: RecordActivity, clock: Clock): void {
  const stories = new AddressStories(pools, () => clock.now(), record);
  pools.on('activity', (a) => stories.see(a));
  outbox.on('dead', (d) => record({ type: 'dead-letter', detail: `${d.op} ${d.key.slice(0, 8)}: ${d.reason}` }));
  outbox.on('acked', () => analytics.delivered());
}
