import { z } from 'zod';
import { MEMBER_STATUSES, type Member, type Verdict } from './protocol';

/** What a card number may look like: anything else is "card not read" and is never sent. */
export const CARD_PATTERN = /^[0-9A-Za-z]{6,20}$/;
export const isCardId = (s: string): boolean => CARD_PATTERN.test(s);

const FRAMES = [
  /^%[A-Za-z]?([0-9]{1,19})\^/, // magnetic stripe, track 1: %B<digits>^NAME^…? (its number is digits only)
  /^(?:%[^;]*)?;([0-9A-Za-z]+)(?:=[^?]*)?\?.?$/, // track 2, alone or after track 1: ;<number>=…? or ;<number>?
  /^%([0-9A-Za-z]+)\?$/, // track 1 holding just the number
  /^\][A-Za-z][0-9A-Za-z]([0-9A-Za-z]+)$/, // a barcode reader's symbology prefix: ]C1<number>
];

/**
 * The card number in what a reader or a member typed. Card readers frame it (magnetic stripes with
 * % ; ^ = ?, barcode readers with a ]C1-style prefix) and people group digits with spaces or dashes;
 * anything that is not one of those comes back as it was, so it is refused as "card not read".
 */
export function readCard(raw: string): string {
  const s = raw.trim();
  if (isCardId(s)) return s;
  const grouped = /^[0-9][0-9 -]*[0-9]$/.test(s) ? s.replace(/[ -]/g, '') : '';
  if (isCardId(grouped)) return grouped;
  for (const frame of FRAMES) {
    const found = frame.exec(s)?.[1];
    if (found && isCardId(found)) return found;
  }
  return s;
}

/** How the kiosk decides when no backend instance can answer. Stated, and configurable. */
export const OfflinePolicySchema = z
  .object({
    allowStatuses: z
      .array(z.enum(MEMBER_STATUSES))
      .max(MEMBER_STATUSES.length)
      .refine((list) => new Set(list).size === list.length, 'Each membership status is listed once.')
      .meta({ label: 'Offline, let in' }),
    unknownCard: z.enum(['deny', 'allow']).meta({ label: 'Offline, let unknown cards in' }),
  })
  .strict();
export type OfflinePolicy = z.infer<typeof OfflinePolicySchema>;
export const DEFAULT_OFFLINE_POLICY: OfflinePolicy = { allowStatuses: ['active', 'expiring'], unknownCard: 'deny' };

export const DeskSettingsSchema = z
  .object({
    offlinePolicy: OfflinePolicySchema,
    /** Seconds the kiosk shows a verdict before it resets. */
    verdictSeconds: z.number().int().min(2).max(30).meta({ label: 'Verdict time', unit: 'seconds' }),
    /**
     * When Overview warns, in people inside; 0 means 80 % (busy) and 90 % (nearly full) of the backend's
     * capacity. Only warnings: the capacity itself is the backend's, which is what turns members away.
     */
    busyAt: z.number().int().min(0).max(100_000).meta({ label: 'Busy at', unit: 'people' }),
    nearlyFullAt: z.number().int().min(0).max(100_000).meta({ label: 'Nearly full at', unit: 'people' }),
  })
  .strict();
export type DeskSettings = z.infer<typeof DeskSettingsSchema>;
export const DEFAULT_DESK_SETTINGS: DeskSettings = { offlinePolicy: DEFAULT_OFFLINE_POLICY, verdictSeconds: 4, busyAt: 0, nearlyFullAt: 0 };

/**
 * Stored settings, as saved by any version. An old "capacity" C only ever moved the warnings (80 % and
 * 90 % of C), so it becomes exactly those thresholds.
 */
export const StoredDeskSettingsSchema = z.preprocess((raw) => {
  if (raw && typeof raw === 'object' && 'capacity' in raw && !('busyAt' in raw)) {
    const { capacity, ...rest } = raw as { capacity: unknown };
    const c = typeof capacity === 'number' && capacity > 0 ? capacity : 0;
    return { ...rest, busyAt: Math.round(c * 0.8), nearlyFullAt: Math.round(c * 0.9) };
  }
  return raw;
}, DeskSettingsSchema);

/** Stored settings read as above; anything unreadable falls back to the defaults. */
export function readDeskSettings(raw: unknown): DeskSettings {
  const parsed = StoredDeskSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_DESK_SETTINGS;
}

export interface OccupancyWarnings {
  busyAt: number;
  nearlyFullAt: number;
}

/**
 * The thresholds in people for a backend capacity: the set ones, else 80 % and 90 % of it (0: none). A
 * small gym's defaults stay below the capacity and apart (at 5, 90 % rounds to 5: "nearly full" of a full
 * gym); busy goes when it would come at half the capacity or before, and both when the capacity is 1.
 */
export function occupancyWarnings(s: Pick<DeskSettings, 'busyAt' | 'nearlyFullAt'>, capacity: number): OccupancyWarnings {
  const nearlyFullAt = Math.max(0, Math.min(Math.round(capacity * 0.9), capacity - 1));
  const busyAt = Math.min(Math.round(capacity * 0.8), nearlyFullAt - 1);
  return { busyAt: s.busyAt || (busyAt > capacity / 2 ? busyAt : 0), nearlyFullAt: s.nearlyFullAt || nearlyFullAt };
}

export type OccupancyLevel = 'ok' | 'busy' | 'nearly-full' | 'full';

/** Full is the backend's capacity; busy and nearly full are this gym's warnings. */
export function occupancyLevel(count: number, capacity: number, w: OccupancyWarnings): OccupancyLevel {
  if (capacity > 0 && count >= capacity) return 'full';
  if (w.nearlyFullAt > 0 && count >= w.nearlyFullAt) return 'nearly-full';
  if (w.busyAt > 0 && count >= w.busyAt) return 'busy';
  return 'ok';
}

export const CheckinRequestSchema = z
  .object({
    cardId: z.string().max(128).transform(readCard),
    source: z.enum(['desk', 'kiosk']),
    override: z.object({ note: z.string().trim().min(3, 'An override needs a note of at least 3 characters saying why.').max(500) }).strict().optional(),
  })
  .strict();

export interface CheckinResult {
  /** "not-read" for a malformed scan, "bounce" for the same card again within 2 s: nothing was sent. */
  ignored: 'not-read' | 'bounce' | null;
  verdict: Verdict | null;
  /** With its card: namesakes are told apart by id and card. */
  member: Pick<Member, 'id' | 'cardId' | 'name' | 'status' | 'expiresOn'> | null;
  /** "Already checked in": when this PC saw them go in (wall ms), if it did. */
  insideSince?: number;
  /** Decided here from the cached roster because no backend answered in time; queued to send. */
  offline: boolean;
  occupancy: number | null;
}
