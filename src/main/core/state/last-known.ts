import { z } from 'zod';
import { ALLOW_REASONS, CHECKIN_SOURCES, DENY_REASONS, LIMITS, MEMBER_STATUSES, VerdictSchema } from '../../../shared/protocol';
import { FEED_CAPS, type CheckinEntry } from '../../../shared/state';
import type { Clock } from '../clock';
import { backendId } from '../../../shared/backend-text';
import type { Db } from '../store/db';
import { QuietWrites } from '../store/quiet-writes';
import { PLACE_ADDRESSES, type StreamPlace } from '../pool/event-feed';

/** Changes wait this long and are written together: a busy feed costs a write every 2 s, not one per event. */
const WRITE_AFTER_MS = 2_000;
/** A write the disk refused is tried again this often. */
const RETRY_MS = 30_000;

// Whole, as the protocol now takes times: a check-in kept with a fraction of a ms is the same row as the backend's again.
const time = z.number().finite().min(0).max(8.64e15).transform((t) => Math.trunc(t));
const people = z.number().int().min(0).max(1_000_000);
const id = z.string().max(LIMITS.maxIdLength);

/** What the backend last said about the gym, as this PC heard it: `at` is when (this PC's clock). */
const OccupancySchema = z.object({ count: people, capacity: people, at: time });
export type KnownOccupancy = z.infer<typeof OccupancySchema>;

// console.db may be damaged or written by another version: read back through bounded schemas.
const CheckinSchema = z.object({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  ts: time,
  arrivedAt: time.optional(),
  clockSaid: time.optional(),
  waited: z.literal(true).optional(),
  // Kept by a console that did not yet clean ids for screens: cleaned as they are shown (backendId).
  cardId: id.transform(backendId),
  memberId: id.transform(backendId).nullable(),
  name: z.string().max(LIMITS.maxNameLength).nullable(),
  status: z.enum(MEMBER_STATUSES).nullable(),
  allowed: z.boolean(),
  reason: z.enum([...ALLOW_REASONS, ...DENY_REASONS]),
  source: z.enum(CHECKIN_SOURCES),
  decidedOffline: VerdictSchema.optional(),
  // Kept by an older console without it: no note.
  note: z.string().max(500).nullable().default(null),
}) satisfies z.ZodType<CheckinEntry, unknown>;
const CheckinsSchema = z.array(CheckinSchema).max(FEED_CAPS.checkins);
/** Where the feed stood in the backend's stream: the first sync after a start tells a backend that started over meanwhile. */
const PlaceSchema = z.object({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  epoch: z.string().min(1).max(64).regex(/^[\w.:-]+$/).optional(),
  addresses: z.array(z.string().max(2048)).max(PLACE_ADDRESSES),
}) satisfies z.ZodType<StreamPlace, unknown>;

/**
 * The gym as the live feed last showed it (occupancy, capacity and the recent check-ins), kept in
 * console.db so a console restarted while the backend is away shows them as last known rather than
 * an empty gym; and where in the backend's stream that was, so the first sync after a start can tell
 * the backend started over meanwhile, as a console left running is told. `read` gives the current values; `changed` schedules one write for a burst of them.
 */
export class LastKnown {
  private timer: unknown = null;
  private readonly s;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly read: () => { occupancy: KnownOccupancy | null; checkins: readonly CheckinEntry[]; place?: StreamPlace | null },
    private readonly quiet = new QuietWrites(),
  ) {
    this.s = {
      get: db.prepare('SELECT value FROM last_known WHERE key = ?'),
      put: db.prepare('INSERT INTO last_known (key, value, at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, at = excluded.at'),
      write: db.transaction((occupancy: KnownOccupancy | null, checkins: readonly CheckinEntry[], place: StreamPlace | null, at: number) => {
        if (occupancy) this.s.put.run('occupancy', JSON.stringify(occupancy), at);
        this.s.put.run('checkins', JSON.stringify(checkins.slice(-FEED_CAPS.checkins)), at);
        // None yet in this run (never synced): the place kept from before stays until the first sync compares with it.
        if (place) this.s.put.run('place', JSON.stringify(place), at);
      }),
    };
  }

  /** What was kept; a value that cannot be read is left out (and said), never shown as the gym. */
  restore(): { occupancy: KnownOccupancy | null; checkins: CheckinEntry[]; place?: StreamPlace } {
    const place = this.load('place', PlaceSchema);
    return { occupancy: this.load('occupancy', OccupancySchema), checkins: this.load('checkins', CheckinsSchema) ?? [], ...(place && { place }) };
  }

  changed(): void {
    if (this.timer === null) this.timer = this.clock.setTimeout(() => this.flush(), WRITE_AFTER_MS);
  }

  /**
   * Writes now if anything changed (the timer, and `stop`). A disk that refuses it is said once and tried again
   * later: what it keeps is on the screens meanwhile, and a full disk must not stop the feed or the stop.
   */
  flush(retry = true): void {
    if (this.timer === null) return;
    this.clock.clearTimeout(this.timer);
    this.timer = null;
    const { occupancy, checkins, place } = this.read();
    if (this.quiet.attempt('the gym as last shown (occupancy and recent check-ins, for the next start)', () => this.s.write(occupancy, checkins, place ?? null, this.clock.now()))) return;
    if (retry) this.timer = this.clock.setTimeout(() => this.flush(), RETRY_MS);
  }

  /** The console stops: the last write, not tried again. */
  stop(): void {
    this.flush(false);
  }

  private load<S extends z.ZodType>(key: string, schema: S): z.output<S> | null {
    const row = this.s.get.get(key) as { value: string } | undefined;
    if (!row) return null;
    try {
      const parsed = schema.safeParse(JSON.parse(row.value));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: said below
    }
    console.warn(`last known gym: the saved ${key} in console.db cannot be read; starting without it.`);
    return null;
  }
}
