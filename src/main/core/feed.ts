import { occupancyProblem, scanTimeWithin, type OccupancyProblem, type SequencedEvent } from '../../shared/protocol';
import { occupancyWarnings } from '../../shared/desk';
import { backendId } from '../../shared/backend-text';
import { wrongCheckinEventWords, wrongOccupancyWords } from '../../shared/words';
import { liveStampBelievable, stampBelievable } from '../../shared/backend-clock';
import type { CheckinEntry, Gauges } from '../../shared/state';
import type { AnalyticsEngine } from './analytics/engine';
import type { FrontDesk } from './desk/front-desk';
import type { EventFeed } from './pool/event-feed';
import type { PatchStream } from './state/patch-stream';
import type { LastKnown } from './state/last-known';
import type { Clock } from './clock';

/**
 * A check-in the backend recorded this long or more after its scan went late: the live list says when it
 * reached the backend, and analytics count it at the scan. The note gives hours and minutes beside the
 * scan's seconds, so after a shorter wait it would name the scan's own minute; such a check-in still shows
 * at its scan (scan-time.ts sends one after a few seconds), and counts now.
 */
const ARRIVAL_SAID_MS = 60_000;

/**
 * A backend check-in event as the front desk reads it; null for events that are not check-ins. Its
 * time is the scan's, so a check-in that waited lands in the hour the member came in. A backend stamp past
 * belief (5 years ahead, 1970; a `live` one minutes from its arrival: backend-clock.ts) is kept as `clockSaid`
 * and the check-in taken as of `receivedAt`: one glitch must not order the live list or put a visit in 2031 in
 * analytics, and a backend clock days behind must not date a check-in made a moment ago at this desk days ago.
 */
export function toCheckinEntry(e: SequencedEvent, decidedHere?: (requestId: string, card: string) => CheckinEntry['decidedOffline'], receivedAt?: number, live = false): CheckinEntry | null {
  const b = e.body;
  if (b.kind !== 'checkin') return null;
  // A check-in sent before this PC decided it (the backend slow, not away) carries no decidedOffline: this PC knows its own.
  const decided = b.decidedOffline ?? (b.requestId === undefined ? undefined : decidedHere?.(b.requestId, b.cardId));
  const believed = receivedAt === undefined || (live ? liveStampBelievable(e.ts, receivedAt) : stampBelievable(e.ts, receivedAt));
  const at = believed ? e.ts : receivedAt;
  // Bounded as the backend bounds it: a backend that sends an absurd one does not put a visit in 1970 or 275760.
  const scanned = b.scannedAt === undefined ? at : scanTimeWithin(b.scannedAt, at);
  const late = at - scanned >= ARRIVAL_SAID_MS;
  return {
    seq: e.seq,
    ts: scanned,
    ...(late && { arrivedAt: at }),
    ...(!believed && { clockSaid: e.ts }),
    ...(b.scannedAt !== undefined && { waited: true as const }),
    // What staff read (the feed, the event log, exports), never sent back: shown as backendId shows ids.
    cardId: backendId(b.cardId),
    memberId: b.member ? backendId(b.member.id) : null,
    name: b.member?.name ?? null,
    status: b.member?.status ?? null,
    allowed: b.verdict.allowed,
    reason: b.verdict.reason,
    source: b.source,
    ...(decided && { decidedOffline: decided }),
    note: b.override?.note || null,
    ...(b.override?.staff && { overriddenBy: b.override.staff }),
  };
}

/** One backend event's row: by the backend's own stamp, so a row taken as of its arrival is the same row at the next resync. */
const rowKey = (c: CheckinEntry): string => `${c.seq}:${c.clockSaid ?? c.ts}`;

/**
 * The backend's events into the screens' occupancy and check-ins, the analytics counts and the roster
 * cache; what they showed is kept (`kept`) and shown again at the next start as last known. Returns
 * `lost()`: the backend stopped answering, so the count is known good until now and no later.
 */
export function followFeed(
  feed: EventFeed,
  d: { stream: PatchStream; analytics: AnalyticsEngine; desk: FrontDesk; kept: LastKnown; clock: Clock; onWrong?: (detail: string, raw: string) => void },
): { lost(): void } {
  // The capacity is the backend's (it is what turns members away); the desk settings only move the warnings.
  let capacity = 0;
  const mine = (requestId: string, card: string): CheckinEntry['decidedOffline'] => d.desk.decidedFor(requestId, card);
  // This PC's own count, while shown, stays until the next second's look (occupancy-here.ts): no flicker at each event.
  const occupancy = (count: number, at = d.clock.now()): Gauges['occupancy'] => {
    const here = d.stream.current('occupancy').here;
    return { count, capacity, ...occupancyWarnings(d.desk.settings, capacity), at, ...(here !== undefined && { here }) };
  };
  // What no gym holds is the backend's error: the gauge keeps its last believable figure and says what came. Told
  // for IT once per kind of wrong figure, not per event, until a believable one comes.
  let told: OccupancyProblem['kind'] | null = null;
  const show = (count: number, cap: number, at?: number): void => {
    const was = d.stream.current('occupancy');
    const problem = occupancyProblem(count, cap);
    // No more than a count believed already, against a capacity lowered since (a busy gym told to hold fewer), is a gym
    // over its capacity, not the backend's error (probe28b H1).
    const wrong = problem?.kind === 'over' && was.at !== undefined && count <= was.count ? null : problem;
    if (!wrong) {
      told = null;
      capacity = cap;
      return d.stream.gauge('occupancy', occupancy(count, at));
    }
    if (told !== wrong.kind) {
      told = wrong.kind;
      d.onWrong?.(`${wrongOccupancyWords(wrong)} The Occupancy card shows the last believable figure meanwhile.`, `occupancy ${count} against capacity ${cap}: ${wrong.kind}`);
    }
    d.stream.gauge('occupancy', { ...d.stream.current('occupancy'), wrong: { ...wrong, at: d.clock.now() } });
  };
  // A check-in event naming this PC's own request for another card (the backend mixed up its records): who was let in
  // cannot be known from it, so it is left out of the lists, reports and who is inside, and told for IT.
  const toldSeqs = new Set<number>(); // a resync's history brings the same event again: told once
  const mislabeled = (e: SequencedEvent): boolean => {
    const b = e.body;
    const sent = b.kind === 'checkin' && b.requestId !== undefined ? d.desk.sentOtherwise(b.requestId, b.cardId) : undefined;
    if (sent === undefined || b.kind !== 'checkin') return false;
    if (toldSeqs.has(e.seq)) return true;
    if (toldSeqs.size >= 1_000) toldSeqs.clear();
    toldSeqs.add(e.seq);
    d.onWrong?.(wrongCheckinEventWords(sent, b.cardId, e.seq), `checkin event ${e.seq} for request ${b.requestId} names card ${b.cardId}; this PC sent card ${sent}`);
    return true;
  };
  // The backend's log as this PC follows it, and what analytics counted of it before this start: the first sync after a
  // start brings what the backend recorded meanwhile as events (event-feed.ts), from the place kept in console.db,
  // which a crash may leave a little behind analytics. Those are shown again, not counted twice (probe28a R1).
  let epoch: string | undefined;
  /** The last resync's head: events up to it (a catch-up's, replayed after it) are older than the count it showed. */
  let countedAt = -Infinity;
  let counted = d.analytics.countedThrough();
  let firstSync = true;
  const saved = d.kept.restore();
  // Kept by a console before this check, a wrong figure is not shown again as last known.
  if (saved.occupancy && !occupancyProblem(saved.occupancy.count, saved.occupancy.capacity)) {
    capacity = saved.occupancy.capacity;
    d.stream.gauge('occupancy', occupancy(saved.occupancy.count, saved.occupancy.at));
  }
  for (const c of saved.checkins) d.stream.append('checkins', c);
  // Before the pools start: their first snapshot is compared with where the feed stood before this start. The place is
  // written every 2 s, analytics every 250 ms, so a crash may leave either behind: the catch-up starts from the lower
  // of the two in the same log, or check-ins applied just before a crash, never written to analytics, were never
  // counted (probe29a P1). Those the list kept are not listed again.
  const place = saved.place ?? null;
  const behind = place && counted && counted.epoch === place.epoch && counted.seq < place.seq;
  feed.remember(behind ? { ...place, seq: counted!.seq } : place);
  const listed = new Set(behind ? saved.checkins.filter((c) => c.seq > counted!.seq).map(rowKey) : []);
  feed.on('resync', (snap) => {
    epoch = snap.epoch;
    // Only in the log it was made in, and only at the first sync: a later one starts over or moves past it. A head below
    // the mark (the log lost its last events, same numbering; the kept place, written less often, may be further back
    // still): what is left up to it was counted, what comes after is new (review28 V4).
    if (counted && (!firstSync || snap.epoch !== counted.epoch)) counted = null;
    if (counted && snap.head < counted.seq) counted = { ...counted, seq: snap.head };
    firstSync = false;
    countedAt = snap.head;
    show(snap.occupancy, snap.capacity);
    d.desk.resynced(snap.head);
    // Replayed history is shown, not counted again; what the list shows already (kept from before a
    // restart, or a resync ago) is not shown twice.
    const shown = new Set(d.stream.feed('checkins').map(rowKey));
    const now = d.clock.now();
    for (const e of snap.recent) {
      if (mislabeled(e)) continue;
      d.desk.seen(e);
      const entry = toCheckinEntry(e, mine, now);
      if (entry && !shown.has(rowKey(entry))) d.stream.append('checkins', entry);
    }
    d.kept.changed();
  });
  // A backend restarted with another capacity resumes its stream with no snapshot: the count stands, against the new one.
  feed.on('capacity', (cap) => {
    if (cap === capacity) return;
    const now = d.stream.current('occupancy');
    // No count yet (the first snapshot shows both), or the backend's last figures could not be right: the capacity
    // waits for the next count, and the warning about those figures stands (review27 V11).
    if (now.at === undefined || now.wrong) capacity = cap;
    else show(now.count, cap, now.at);
    d.kept.changed();
  });
  feed.on('event', (e, replayed) => {
    // A catch-up's old counts would set Overview and the desk's offline count back for the replay's length, and one
    // against a capacity lowered since was told to IT as the backend's impossible count (review28 V3).
    if (e.seq > countedAt) show(e.body.occupancy, capacity);
    if (mislabeled(e)) return d.kept.changed();
    d.desk.seen(e, !replayed);
    d.kept.changed();
    const entry = toCheckinEntry(e, mine, d.clock.now(), !replayed);
    if (counted && e.seq > counted.seq) counted = null; // past what was counted: in order from here on
    if (!counted) d.analytics.received(entry, { seq: e.seq, ...(epoch !== undefined && { epoch }) });
    if (!entry) return;
    if (replayed && listed.delete(rowKey(entry))) return;
    d.stream.append('checkins', entry);
    if (e.body.kind === 'checkin' && e.body.member) d.desk.cache.status(e.body.member.id, e.body.member.status);
  });
  return {
    lost() {
      const o = d.stream.current('occupancy');
      // Not believed since `at`: the count is known good until then, not until now.
      if (o.at === undefined || o.wrong) return;
      d.stream.gauge('occupancy', { ...o, at: d.clock.now() });
      d.kept.changed();
    },
  };
}
