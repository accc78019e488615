import type { CheckinResult } from '../../../shared/desk';
import type { AnsweredCheckin } from '../../../shared/state';
import { standingLine } from '../../../shared/words';
import { firstName } from '../../../shared/person-name';
import { kioskCheckin, type KioskAnswered, type KioskCheckin, type PUBLIC_DENIALS } from '../../../shared/kiosk-replies';
import { formatClock, formatDay } from '../format';
import { VERDICT_MARK } from '../components/verdict-mark';

/**
 * What a kiosk's big verdict says. The whole queue reads it, so it names a member by first name only
 * and never says what is wrong with a membership: the desk's live list has the full name and reason.
 */
export interface KioskWords {
  allowed: boolean;
  /** Let in moments ago at this station and scanned again: the same visit, shown apart from a new welcome. */
  again?: true;
  /** The big round badge (verdict-mark.ts): ✓, ✕, or ! when nothing could be checked; never initials. */
  mark: string;
  /** The member's first name; null when there is no member to name. */
  who: string | null;
  why: string;
  /** A line only this member has use for: the end of a membership that is about to run out, or has (let in offline). */
  more: string | null;
  next: string | null;
  /** The gym's system answered otherwise after this verdict went up: said, so the member knows the screen changed. */
  changed?: string;
}

const SEE_DESK = 'Please see the front desk.';

/**
 * Under a scan the console refused as too fast (error code `too-many-scans`): the member reads the
 * front-desk line and the refusal; what to do about it is for staff, in small print.
 */
export const SCANS_REFUSED_STAFF_NOTE =
  "For staff: if this keeps happening when no one is scanning fast, tell the gym's IT: the console's log says which screen or program asked for the scans.";

/** Denials that say nothing about the member's account, so the queue may read them; any other is "Not checked in". */
const PUBLIC_DENIAL_WORDS: Record<(typeof PUBLIC_DENIALS)[number], string> = {
  'unknown-card': 'Card not recognised',
  duplicate: 'Already checked in',
  'capacity-full': 'The gym is full right now',
};

/**
 * A verdict as a member at the kiosk reads it. Decided on this PC while offline or not, it reads the
 * same: the member is let in or sent to the desk either way, and staff screens say it was offline.
 */
export function kioskVerdictWords(reply: KioskCheckin | CheckinResult): KioskWords {
  // Read as the console shapes it for a kiosk (a manager's screen gets it whole): what shows is never more.
  const r = kioskCheckin(reply);
  const who = r.member ? firstName(r.member.name) : null;
  // The member whose gate did not turn, or who was not sure it took: told they are in, not sent to the desk. The
  // time says it is the earlier check-in, for anyone watching a card handed back over the barrier.
  if (r.ignored === 'repeat') {
    const more = r.insideSince === undefined ? null : `Checked in at ${formatClock(r.insideSince)}`;
    return { allowed: true, again: true, mark: VERDICT_MARK.allowed, who, why: "You're already checked in", more, next: 'Go ahead.' };
  }
  const v = r.verdict;
  if (!v) return notReadWords(); // refused by the main process as not a card (it reads cards as this screen does)
  if (!v.allowed) return { allowed: false, mark: VERDICT_MARK.denied, who, why: (PUBLIC_DENIAL_WORDS as Partial<Record<string, string>>)[v.reason ?? ''] ?? 'Not checked in', more: null, next: SEE_DESK };
  // The date of a membership in good standing is nobody else's business; one about to end, or ended (let in by the
  // offline policy), is worth the member's glance: the kiosk's shape keeps the date only then (kiosk-replies.ts).
  const m = r.member;
  const more = m?.status && m.expiresOn !== undefined ? standingLine({ status: m.status, expiresOn: m.expiresOn }, formatDay(m.expiresOn), r.today) : null;
  return { allowed: true, mark: VERDICT_MARK.allowed, who, why: 'Allowed', more, next: null };
}

/** Under a verdict the gym's system turned round: no reason (the queue reads it), only that it changed. */
export const CHANGED_WORDS = "Updated: checked again with the gym's system.";

/**
 * A verdict decided on this PC (or shown from the gym's system's live event) once the backend has answered it
 * (`answer`, the state's answeredCheckins): its answer wins, in the kiosk's public words. A member first let in
 * and then refused is sent to the desk; one first refused and then let in is told to go ahead.
 */
export function answeredKioskWords(r: KioskCheckin | CheckinResult, answer: KioskAnswered | AnsweredCheckin | undefined): KioskWords {
  if (!answer?.verdict || r.ignored) return kioskVerdictWords(r);
  // Shown from the live event, the reply names the member (the event may have named nobody).
  const member = answer.fromEvent && answer.member !== undefined ? answer.member : r.member;
  const words = kioskVerdictWords({ ...r, verdict: answer.verdict, member });
  if (answer.verdict.allowed === answer.decided.allowed) return words;
  return answer.verdict.allowed ? { ...words, next: 'Go ahead.', changed: CHANGED_WORDS } : { ...words, changed: CHANGED_WORDS };
}

/** What was entered is no card number (nothing, too long, invisible characters), so it was not sent: it is told no more than that. */
export function notReadWords(_entered = ''): KioskWords {
  return { allowed: false, mark: VERDICT_MARK.unsure, who: null, why: 'Card not read', more: null, next: 'Please scan again.' };
}

/**
 * Under a verdict held while more scans wait (verdict-queue.ts): the next member's card was read and their
 * answer is coming. Without it they saw nothing for their scan, and a first name like theirs read as their own.
 */
export function nextReadWords(waiting: number): string {
  return waiting === 1 ? 'Next card read: one moment…' : `${waiting} more cards read: one moment…`;
}

/** A verdict held for a member while another's scan waits: the name goes, so no one reads it as their own. */
export const withoutName = (w: KioskWords): KioskWords => ({ ...w, who: null });
