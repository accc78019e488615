import { activityEntry, type ActivityNote } from '../../shared/activity';
import { opWords } from '../../shared/words';
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
  const stories = new AddressStories(pools, clock, record);
  pools.on('activity', (a) => stories.see(a));
  // Which message, in words: its key is an internal id, kept in the outbox and the log file.
  outbox.on('dead', (d) => record({ type: 'dead-letter', detail: `${opWords(d.op)}: ${d.reason}` }));
  outbox.on('acked', () => analytics.delivered());
}
