import type { SequencedEvent } from '../../shared/protocol';
import { occupancyWarnings } from '../../shared/desk';
import type { CheckinEntry, Gauges } from '../../shared/state';
import type { AnalyticsEngine } from './analytics/engine';
import type { FrontDesk } from './desk/front-desk';
import type { EventFeed } from './pool/event-feed';
import type { PatchStream } from './state/patch-stream';

/** A backend check-in event as the front desk reads it; null for events that are not check-ins. */
export function toCheckinEntry(e: SequencedEvent): CheckinEntry | null {
  const b = e.body;
  if (b.kind !== 'checkin') return null;
  return {
    seq: e.seq,
    ts: e.ts,
    cardId: b.cardId,
    memberId: b.member?.id ?? null,
    name: b.member?.name ?? null,
    status: b.member?.status ?? null,
    allowed: b.verdict.allowed,
    reason: b.verdict.reason,
    source: b.source,
    note: b.override?.note || null,
  };
}

/** The backend's events into the screens' occupancy and check-ins, the analytics counts and the roster cache. */
export function followFeed(feed: EventFeed, d: { stream: PatchStream; analytics: AnalyticsEngine; desk: FrontDesk }): void {
  // The capacity is the backend's (it is what turns members away); the desk settings only move the warnings.
  let capacity = 0;
  const occupancy = (count: number): Gauges['occupancy'] => ({ count, capacity, ...occupancyWarnings(d.desk.settings, capacity) });
  feed.on('resync', (snap) => {
    capacity = snap.capacity;
    d.stream.gauge('occupancy', occupancy(snap.occupancy));
    // Replayed history is shown, not counted again.
    for (const e of snap.recent) {
      const entry = toCheckinEntry(e);
      if (entry) d.stream.append('checkins', entry);
    }
  });
  feed.on('event', (e) => {
    d.stream.gauge('occupancy', occupancy(e.body.occupancy));
    const entry = toCheckinEntry(e);
    d.analytics.received(entry);
    if (!entry) return;
    d.stream.append('checkins', entry);
    if (e.body.kind === 'checkin' && e.body.member) d.desk.cache.status(e.body.member.id, e.body.member.status);
  });
}
