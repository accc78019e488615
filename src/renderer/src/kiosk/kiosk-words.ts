import { isCardId, type CheckinResult } from '../../../shared/desk';
import type { DenyReason } from '../../../shared/protocol';
import { STATUS_WORDS } from '../../../shared/words';
import { formatDay } from '../format';

/**
 * What a kiosk's big verdict says. The whole queue reads it, so it names a member by first name only
 * and never says what is wrong with a membership: the desk's live list has the full name and reason.
 */
export interface KioskWords {
  allowed: boolean;
  /** The big round badge: ✓, ✕, or ! when nothing could be checked. */
  mark: string;
  /** The member's first name; null when there is no member to name. */
  who: string | null;
  why: string;
  /** A line only this member has use for: the end of a membership that is about to run out. */
  more: string | null;
  next: string | null;
}

const SEE_DESK = 'Please see the front desk.';

/** Denials that say nothing about the member's account, so the queue may read them; any other is "Not checked in". */
const PUBLIC_DENIALS: Partial<Record<DenyReason, string>> = {
  'unknown-card': 'Card not recognised',
  duplicate: 'Already checked in',
  'capacity-full': 'The gym is full right now',
};

/**
 * A verdict as a member at the kiosk reads it. Decided on this PC while offline or not, it reads the
 * same: the member is let in or sent to the desk either way, and staff screens say it was offline.
 */
export function kioskVerdictWords(r: CheckinResult): KioskWords {
  const v = r.verdict;
  if (!v) return notReadWords(); // refused by the main process as not a card (it reads cards as this screen does)
  const who = r.member?.name.trim().split(/\s+/)[0] || null;
  if (!v.allowed) return { allowed: false, mark: '✕', who, why: PUBLIC_DENIALS[v.reason] ?? 'Not checked in', more: null, next: SEE_DESK };
  // The date of a membership in good standing is nobody else's business; one about to end is worth the member's glance.
  const more = r.member && v.reason === 'expiring-soon' ? STATUS_WORDS.expiring.line(formatDay(r.member.expiresOn)) : null;
  return { allowed: true, mark: '✓', who, why: 'Allowed', more, next: null };
}

/** The fewest characters a card number has, from the one pattern that says what a card number is. */
const SHORTEST = Array.from({ length: 64 }, (_, n) => n).find((n) => isCardId('0'.repeat(n))) ?? 0;

/**
 * What was entered was not a card number, so it was not sent. Too few letters and digits is most
 * likely a member typing, who is told what to do; anything else is told no more than "not read".
 */
export function notReadWords(entered = ''): KioskWords {
  const compact = entered.trim().replace(/[ -]/g, ''); // people group digits as they please
  if (compact && compact.length < SHORTEST && /^[0-9A-Za-z]+$/.test(compact)) {
    return { allowed: false, mark: '!', who: null, why: 'That number is too short', more: null, next: 'Type the number on your card, or scan it.' };
  }
  return { allowed: false, mark: '!', who: null, why: 'Card not read', more: null, next: 'Please scan again.' };
}
