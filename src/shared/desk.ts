import { z } from 'zod';
import { LIMITS, MEMBER_STATUSES, type Member, type Verdict } from './protocol';
import { UNSEEN_CHAR } from './backend-text';

/**
 * A magnetic stripe's sentinels and separators. A scan that still holds one is a swipe that could not be
 * read (a partial track, a reader's error track ";E?"), not a card number to send.
 */
const STRIPE_MARKS = /[%;?^=]/;

/**
 * What a card number may be: what the protocol takes (1–32 characters, counted as it counts them),
 * less what can only be a misread: characters no reader types and no person sees (UNSEEN_CHAR: line
 * noise, never a card) and stripe framing (STRIPE_MARKS). Anything else is "card not read" and
 * is never sent. A card the roster copy holds is checked in whatever it looks like (see readCard's `known`).
 */
export const isCardId = (s: string): boolean => s.length >= 1 && s.length <= LIMITS.maxCardIdLength && isTypeable(s);
/** Whether a reader or a person could have typed `s` as it is: nothing unseen, no stripe framing left in it. */
export const isTypeable = (s: string): boolean => !UNSEEN_CHAR.test(s) && !STRIPE_MARKS.test(s);

/** The most a scan or a typed entry may be before it is read: two magnetic-stripe tracks fit. */
export const MAX_SCAN_LENGTH = 128;

/** A number as a magnetic stripe holds one: 6–20 letters and digits (a shorter one is a misread swipe). */
const STRIPE_NUMBER = /^[0-9A-Za-z]{6,20}$/;

/** Each framing a reader puts round a number, and what the number inside must look like to be taken. */
const FRAMES: [RegExp, (found: string) => boolean][] = [
  [/^%[A-Za-z]?([0-9]{1,19})\^/, (f) => STRIPE_NUMBER.test(f)], // magnetic stripe, track 1: %B<digits>^NAME^…? (its number is digits only)
  [/^(?:%[^;]*)?;([0-9A-Za-z]+)(?:=[^?]*)?\?.?$/, (f) => STRIPE_NUMBER.test(f)], // track 2, alone or after track 1: ;<number>=…? or ;<number>?
  [/^%([0-9A-Za-z]+)\?$/, (f) => STRIPE_NUMBER.test(f)], // track 1 holding just the number
  [/^\][A-Za-z][0-9A-Za-z](.+)$/, isCardId], // a barcode reader's symbology prefix: ]C1<number>, whatever the barcode holds ("]C1A-123456")
];
/** Digits grouped as printed on a card ("4000 1047 29"); fewer than 6 is more likely part of a phone number to search. */
const GROUPED = /^[0-9][0-9 -]*[0-9]$/;
const groupedDigits = (s: string): string => (GROUPED.test(s) ? s.replace(/[ -]/g, '') : '');

/**
 * The card number in what a reader or a member typed. Card readers frame it (magnetic stripes with
 * % ; ^ = ?, barcode readers with a ]C1-style prefix) and people group digits with spaces or dashes;
 * anything that is not one of those comes back as it was (trimmed), for isCardId to judge.
 *
 * `known` says whether the roster copy holds a card: a card it holds is taken first, exactly as typed
 * (a card "1234-5678" is not read as 12345678), else from inside any framing, however short (";1234?").
 */
export function readCard(raw: string, known?: (card: string) => boolean): string {
  const s = raw.trim();
  if (known) {
    const inside = FRAMES.map(([frame]) => frame.exec(s)?.[1] ?? '');
    const found = [raw, s, ...inside, groupedDigits(s)].find((c) => c !== '' && known(c));
    if (found !== undefined) return found;
  }
  if (/^[0-9A-Za-z]+$/.test(s)) return s;
  const grouped = groupedDigits(s);
  if (grouped.length >= 6 && isCardId(grouped)) return grouped;
  for (const [frame, takes] of FRAMES) {
    const found = frame.exec(s)?.[1];
    if (found && takes(found)) return found;
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

/**
 * Occupancy as a share of the capacity, in words: "37%". Rounded down, so 249 of 250 never reads "100%" while the
 * backend still lets members in; but 1 or 2 inside of 250 reads "under 1%", never "0%" beside a count that is not.
 */
export function capacityShare(count: number, capacity: number): string {
  if (capacity <= 0) return '0%';
  const pct = Math.floor((count / capacity) * 100);
  return count > 0 && pct === 0 ? 'under 1%' : `${pct}%`;
}

/**
 * A check-in as a screen asks for one. `cardId` is the card read from the scan; `scanned` is the scan as
 * it came, so the front desk can match it against the roster copy exactly (a card may look like framing).
 */
export const CheckinRequestSchema = z
  .object({
    cardId: z.string().max(MAX_SCAN_LENGTH),
    source: z.enum(['desk', 'kiosk']),
    override: z.object({ note: z.string().trim().min(3, 'An override needs a note of at least 3 characters saying why.').max(500) }).strict().optional(),
  })
  .strict()
  .transform((r) => ({ ...r, cardId: readCard(r.cardId), scanned: r.cardId }));
export type CheckinRequest = z.output<typeof CheckinRequestSchema>;

export interface CheckinResult {
  /**
   * Nothing was sent: "not-read" for a malformed scan, "bounce" for the same card again within 2 s, "repeat"
   * for a card this station let in moments ago (the same visit: `member` and `insideSince` say whom and when).
   */
  ignored: 'not-read' | 'bounce' | 'repeat' | null;
  verdict: Verdict | null;
  /** With its card: namesakes are told apart by id and card. */
  member: Pick<Member, 'id' | 'cardId' | 'name' | 'status' | 'expiresOn'> | null;
  /** "Already checked in": when this PC saw them go in (wall ms), if it did; a "repeat": when this station let them in. */
  insideSince?: number;
  /** Decided here from the cached roster because no backend answered in time (queued to send), or its answer could not be right (`wrongAnswer`). */
  offline: boolean;
  /** Decided here because the backend's answer named another card's member or contradicted its own record (protocol.ts checkinReplyProblem). */
  wrongAnswer?: boolean;
  /** Decided here: its queued check-in's key, which the state's `answeredCheckins` names once the backend answers it. */
  key?: string;
  /** Decided here because the backend is up but its database is not (it cannot record check-ins). */
  storageDown?: boolean;
  occupancy: number | null;
  /** The gym's day when it was decided ("2026-07-09", its "Time zone"): a membership end date before it is said "ended on". */
  today?: string;
}

/** How often an open kiosk screen reads the desk settings again: a manager's new verdict time shows there within this. */
export const KIOSK_SETTINGS_EVERY_MS = 15_000;
