import { z } from 'zod';
import { MEMBER_STATUSES, type Member, type Verdict } from './protocol';

/** What a card number may look like: anything else is "card not read" and is never sent. */
export const CARD_PATTERN = /^[0-9A-Za-z]{6,20}$/;
export const isCardId = (s: string): boolean => CARD_PATTERN.test(s);

/** How the kiosk decides when no backend instance can answer. Stated, and configurable. */
export const OfflinePolicySchema = z
  .object({
    allowStatuses: z.array(z.enum(MEMBER_STATUSES)).max(MEMBER_STATUSES.length).meta({ label: 'Offline, let in' }),
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
    /** The gym's capacity for the occupancy warnings at 80 % and 90 %; 0 uses the backend's. */
    capacity: z.number().int().min(0).max(100_000).meta({ label: 'Capacity' }),
  })
  .strict();
export type DeskSettings = z.infer<typeof DeskSettingsSchema>;
export const DEFAULT_DESK_SETTINGS: DeskSettings = { offlinePolicy: DEFAULT_OFFLINE_POLICY, verdictSeconds: 4, capacity: 0 };

export const CheckinRequestSchema = z
  .object({
    cardId: z.string().trim().max(64),
    source: z.enum(['desk', 'kiosk']),
    override: z.object({ note: z.string().trim().min(3, 'An override needs a note of at least 3 characters saying why.').max(500) }).strict().optional(),
  })
  .strict();

export interface CheckinResult {
  /** "not-read" for a malformed scan, "bounce" for the same card again within 2 s: nothing was sent. */
  ignored: 'not-read' | 'bounce' | null;
  verdict: Verdict | null;
  member: Pick<Member, 'id' | 'name' | 'status' | 'expiresOn'> | null;
  /** Decided here from the cached roster because no backend answered in time; queued to send. */
  offline: boolean;
  occupancy: number | null;
}
