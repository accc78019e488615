import { AUTO_CHECKOUT_MS, occupancyProblem, type AllowReason, type CheckinReplyProblem, type DenyReason, type MemberStatus, type OccupancyProblem } from './protocol';
import { formatMb } from './size-words';
import { formatDuration } from './duration';
import type { Category } from './analytics';
import { checkLabel, type AlertNotice } from './health';
import { ACTIVITY_KINDS, type ActivityType } from './activity';
import type { Strategy } from './pools';
import { backendId, backendText } from './backend-text';
import type { DoorView } from './state';
import { hasEnded } from './membership-day';

// What staff read for every code that reaches a screen: one map per kind of code, used by every screen.

/** "1 address", "3 addresses": a count and its noun, singular for one. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${Math.abs(n) === 1 ? one : many}`;

/** The Health clock check's unit: its value is seconds this PC's clock is ahead of the backend's (behind when negative). */
export const CLOCK_UNIT = 's ahead';

const YEAR_S = 365.25 * 86_400;

/** A clock difference in the unit people read it in: "180 s", "25 min", "5 h", "3 days", "12 years". */
export function clockSpan(ms: number): string {
  const s = Math.abs(ms) / 1000;
  if (s < 600) return `${Math.round(s)} s`;
  if (s < 2 * 3_600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86_400) return `${Math.round(s / 3_600)} h`;
  if (s < 2 * YEAR_S) return `${Math.round(s / 86_400)} days`;
  // A backend timestamp may be anywhere a Date can be (to the year 275,760): past a century, the number says nothing more.
  return s < 100 * YEAR_S ? `${Math.round(s / YEAR_S)} years` : 'more than 100 years';
}

/** A time of day on this PC's clock as the console's log says it: "14:05". */
export const clockTime = (t: number): string => new Date(t).toTimeString().slice(0, 5);

/**
 * A figure with its unit as the Health tab shows it: thousands separated as the reasons beside it are,
 * one decimal at most, and a counted unit singular for one ("1 wrong PIN", "62,283 MB").
 */
export function figure(value: number, unit: string): string {
  // The clock's difference as its reason says it ("2 days behind"): "-172,800 s" beside those words was a sum to work out.
  if (unit === CLOCK_UNIT) return value === 0 ? 'in step' : `${clockSpan(value * 1000)} ${value > 0 ? 'ahead' : 'behind'}`;
  // A size is said as everywhere else ("62 GB", not "63,710 MB" beside "62 GB free.").
  if (unit === 'MB') return formatMb(value);
  // A reply time is said as in the reasons and on Overview ("1.5 s a reply"), not "1,518 ms" beside "about 1.5 s".
  if (unit === 'ms a reply') return `${replyTime(value)} a reply`;
  const n = Math.round(value * 10) / 10;
  const counted = /[a-z]{2,}s$/i.test(unit) && Math.abs(n) === 1 ? unit.slice(0, -1) : unit;
  return `${n.toLocaleString('en')}${counted ? ` ${counted}` : ''}`;
}

/** When a down address is tried next, counted down on screen between updates: "next try in 12 s". */
export const nextTryWords = (ms: number): string => (ms < 1_000 ? 'trying again now…' : `next try in ${Math.ceil(ms / 1000)} s`);

/** The backend with some of its instances down: said alike on Overview's Backend card and the Health tab. */
/** "1.5 s", "800 ms": how long the gym's system takes to answer, as staff read it. */
export const replyTime = (ms: number): string =>
  ms >= 1_000 ? `${(Math.round(ms / 100) / 10).toLocaleString('en')} s` : ms >= 10 ? `${Math.round(ms / 10) * 10} ms` : `${Math.max(1, Math.round(ms))} ms`;

/** Connected, but the gym's system answers slowly (Health's Backend speed check): Overview's Backend card says why it is Degraded. */
export const slowBackendWords = (ms: number): string => `Slow: the gym's system takes about ${replyTime(ms)} a reply. Check-ins still work; nothing to do at the desk.`;

export const someInstancesAnswer = (open: number, total: number): string => `${open} of ${total} backend instances answer; check-ins still work.`;

/** Each verdict in words; a denial always says why. */
export const REASON_WORDS: Record<AllowReason | DenyReason, string> = {
  ok: 'Allowed',
  'expiring-soon': 'Allowed: membership expires soon',
  override: 'Allowed by staff override',
  expired: 'Denied: membership expired',
  frozen: 'Denied: membership frozen',
  unpaid: 'Denied: payment overdue',
  'unknown-card': 'Denied: card not recognised',
  duplicate: 'Denied: already checked in',
  'capacity-full': 'Denied: gym at capacity',
};

/** The reference backend's automatic check-out (AUTO_CHECKOUT_MS), as staff read it. */
export const AUTO_CHECKOUT_HOURS = AUTO_CHECKOUT_MS / 3_600_000;

/** What the desk knows beside a denial: when the member went in (a time as the screen writes it), how full the gym is. */
export interface DenialFacts {
  insideSince?: string;
  count?: number;
  capacity?: number;
  /** Decided on this PC, the backend away: a count is then the last one heard and those let in here since. */
  offline?: boolean;
  /** The gym is full now as the backend counts it: an override would be refused, so none is offered (readme27 W2). */
  fullNow?: boolean;
}

/** A membership denial's next step: its fix, and an override unless the gym is full. */
const fixOrNote = (fix: string) => (f: DenialFacts): string =>
  f.fullNow ? `${fix}. The gym is full, so nobody can be let in by override until someone leaves.` : `${fix}, or let them in with a note below.`;

/**
 * What front desk does next about each denial: one plain line under the verdict (the kiosk says only
 * "Please see the front desk"). "A note below" is the override form under it.
 */
export const NEXT_STEP_WORDS: Record<DenyReason, (f: DenialFacts) => string> = {
  duplicate: (f) =>
    `${f.insideSince ? `Checked in at ${f.insideSince}. ` : ''}If they left and came back, let them in with a note below: check-out is automatic, ${AUTO_CHECKOUT_HOURS} hours after entry.`,
  expired: fixOrNote('Renew the membership first'),
  frozen: fixOrNote('Lift the freeze first if it is over'),
  unpaid: fixOrNote('Take the overdue payment first'),
  'unknown-card': () => 'Find them by name or phone and check them in from the list. No match: register the card or sign them up in the membership system first (an unknown card cannot be let in by override).',
  // A count no gym holds (the check-in answer's own) is the backend's error: the Occupancy card says so; not repeated here.
  'capacity-full': (f) => {
    const figures = f.count !== undefined && f.capacity && !occupancyProblem(f.count, f.capacity) ? `${f.count.toLocaleString('en')} of ${f.capacity.toLocaleString('en')}` : '';
    // This PC cannot see who leaves: the gym's hard limit holds until the backend counts again (probe27a P1).
    if (f.offline) return `The gym is full as far as this PC can count${figures ? ` (${figures})` : ''}: it cannot see people leave while the gym's system is away. If you can see there is room, let them in with a note below; the gym's system may still turn it down when it is back.`;
    return `The gym is full${figures ? ` (${figures})` : ''}. Nobody can be let in until someone leaves, not even by override.`;
  },
};

/** A desk search the backend answered with members whose records it could not read: staff hear that someone may be missing, and whom to tell. */
export const leftOutSearchWords = (n: number): string =>
  `${n === 1 ? "1 member's record" : `${n} members' records`} from the gym's system could not be read and ${n === 1 ? 'is' : 'are'} not shown; tell IT.`;

/**
 * Where a search's list came from, when it was this PC's copy. `backNow`: the backend has come back since (the
 * list stays up, so "could not answer" must not read as now).
 */
export function foundInCopyWords(backNow: boolean): string {
  return backNow ? ' in the copy on this PC, while the backend could not answer; it is back now: press Find again for its list' : ' in the copy on this PC (the backend could not answer)';
}

/**
 * A Find with no match, and what the desk does next (as the unknown-card verdict says it): a number is read
 * as a card or a phone number, letters and digits as a card or member id, anything else as a name.
 * `fromCopy`: searched the copy on this PC (the backend could not answer), which lacks who joined since.
 */
export function noMatchWords(query: string, fromCopy = false, backNow = false): string {
  // As typed, with a run of spaces as one: the screen would show one space anyway (HTML collapses them).
  const q = query.trim().replace(/\s+/g, ' ');
  const shown = q.length > 40 ? `${q.slice(0, 39)}…` : q;
  const copy = !fromCopy
    ? ''
    : backNow
      ? ' in the copy on this PC, while the backend could not answer (it lacks anyone who joined since it was made); the backend is back now: press Find again'
      : ' in the copy on this PC (the backend could not answer; it lacks anyone who joined since it was made)';
  const number = /^[0-9][0-9 -]*$/.test(q);
  if (number || (/\d/.test(q) && /^[0-9A-Za-z-]+$/.test(q))) {
    const what = number ? 'card or phone number' : 'card or member id';
    return `No member has ${what} ${shown}${copy}. Ask for their name, find them by it and check them in from the list. Not on file: register the card or sign them up in the membership system first.`;
  }
  return `No member's name matches "${shown}"${copy}. Check the spelling, or find them by phone number or card. Not on file: sign them up in the membership system first.`;
}

/** Denials staff may let in past with a note: the backend refuses an override of a full gym, and an unknown card has no member. */
export const overridable = (reason: DenyReason, offline = false): boolean => (reason !== 'capacity-full' || offline) && reason !== 'unknown-card';

/** Overview's line about the warnings, naming only those below the capacity (at the capacity the gym is full, not "nearly"). */
export function occupancyHint(w: { busyAt: number; nearlyFullAt: number }, capacity: number): string {
  const below = (n: number): boolean => n > 0 && n < capacity;
  const warns = [below(w.busyAt) && `${w.busyAt} (busy)`, below(w.nearlyFullAt) && `${w.nearlyFullAt} (nearly full)`].filter(Boolean).join(' and ');
  const full = `at ${capacity} the gym is full and the backend turns members away`;
  return warns ? `Warns at ${warns}; ${full}.` : `${full.charAt(0).toUpperCase()}${full.slice(1)}.`;
}

/** Why a release did not happen, as the end of a sentence: now (a current outcome) and as history. */
const DOOR_NOT_WHY = {
  // Past tense: read after the backend is back (the header says Connected), "is not answering" contradicted it (readme23 R7).
  offline: { now: 'the gym system was not answering when it was pressed, so it was not sent.', then: 'the gym system was not answering' },
  'no-answer': { now: (secs: number) => `the gym system did not confirm it within ${secs} s; it will not open later.`, then: 'the gym system did not confirm it' },
  refused: { now: 'the gym system refused it (see Dead letters on Connection Pools, and tell IT).', then: 'the gym system refused it' },
  // Maybe sent before the console stopped: the door may have opened (said whole in doorWords, review23 V3).
  stopped: {
    now: 'the console stopped before the gym system answered, so the door may or may not have opened; it is not sent again. Check the door.',
    then: 'the console stopped before the gym system answered',
  },
} as const satisfies Record<NonNullable<DoorView['why']>, { now: string | ((secs: number) => string); then: string }>;

/** The Door card's line for the last release; `time` writes a wall time as the screen does. `past`: history, not the door now. */
export function doorWords(v: DoorView, time: (ms: number) => string): { text: string; tone: 'ok' | 'wait' | 'bad' | 'past' } {
  const secs = Math.round(v.waitMs / 1_000);
  // Sent before its time was up, and confirmed after the desk was told it was not: the door did open.
  const late = v.state === 'released' && v.confirmedAt !== null && v.confirmedAt - v.at > v.waitMs;
  const why = DOOR_NOT_WHY[v.why ?? 'no-answer'];
  if (v.earlier && v.state !== 'waiting') {
    const text =
      v.state === 'not-released'
        ? v.why === 'stopped'
          ? `Earlier: at ${time(v.at)} a door release was not confirmed (${why.then}).`
          : `Earlier: at ${time(v.at)} the door could not be released (${why.then}).`
        : late
          ? `Earlier: at ${time(v.confirmedAt!)} the door was released late, after this desk said it was not.`
          : `Earlier: at ${time(v.confirmedAt ?? v.at)} the door was released.`;
    return { text, tone: 'past' };
  }
  if (v.state === 'waiting') return { text: `Asked at ${time(v.at)}; waiting for the gym system to confirm (at most ${secs} s: then it is given up, never sent later).`, tone: 'wait' };
  if (v.state === 'released') {
    if (late) return { text: `Released late, at ${time(v.confirmedAt!)} (asked at ${time(v.at)}), after this desk said it was not. Check the door.`, tone: 'bad' };
    return { text: `Door released (asked at ${time(v.at)}; the gym system confirmed it).`, tone: 'ok' };
  }
  const now = typeof why.now === 'function' ? why.now(secs) : why.now;
  if (v.why === 'stopped') return { text: `Door release not confirmed (asked at ${time(v.at)}): ${now}`, tone: 'bad' };
  return { text: `Door not released (asked at ${time(v.at)}): ${now} Open it by hand.`, tone: 'bad' };
}

/** Why "Release front door" refuses to send a door release another way. */
export const DOOR_WORDS = {
  notBySend: 'A door release is sent with Release front door only: it happens now or not at all, and is never queued for later.',
  notRetried: 'A door release is never sent again from the dead letters: it would open the door whenever the gym system next answers, with nobody there. If the door should open now, press Release front door on Overview.',
} as const;

/** Where a check-in was taken, as a tag in the live list. */
export const PLACE_TAGS = { door: 'door', desk: 'desk', kiosk: 'kiosk' } as const;
const PLACE_WORDS = { door: 'the door', desk: 'the desk', kiosk: 'the kiosk' } as const satisfies Record<keyof typeof PLACE_TAGS, string>;
/** A verdict as the second half of a sentence: "already checked in", "allowed". */
const verdictTail = (reason: AllowReason | DenyReason): string => REASON_WORDS[reason].replace(/^Denied: /, '').replace(/^Allowed$/, 'allowed');

/**
 * A check-in decided on a PC while the backend was slow or away, which the backend then overruled: what the
 * staff should know (the member walked in, or was turned away, against the backend's record); null
 * when the two agree or nothing was decided offline.
 */
export function overruledWords(c: { source: keyof typeof PLACE_WORDS; allowed: boolean; reason: AllowReason | DenyReason; decidedOffline?: { allowed: boolean; reason: AllowReason | DenyReason } }): string | null {
  const d = c.decidedOffline;
  if (!d || d.allowed === c.allowed) return null;
  const place = PLACE_WORDS[c.source];
  return d.allowed
    ? `Let in by ${place} while the gym's system was slow or away — the backend says: ${verdictTail(c.reason)}. Check with the member.`
    : `Turned away by ${place} while the gym's system was slow or away (${verdictTail(d.reason)}) — the backend says: ${verdictTail(c.reason)}, and counts them inside. Check with the member.`;
}

/** An occupancy the gym's system reported that no gym holds (protocol.ts occupancyProblem): for the Occupancy card and IT. */
export function wrongOccupancyWords(p: OccupancyProblem): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  if (p.kind === 'capacity') return `The gym's system reports a capacity of ${n(p.capacity)} people, more than any gym holds: its figures are wrong, so they are not shown. Tell IT.`;
  const of = p.capacity > 0 ? `far more than its capacity of ${n(p.capacity)}` : 'more than any gym holds';
  return `The gym's system reports ${n(p.count)} inside, ${of}: its count is wrong, so it is not shown. Tell IT.`;
}

/**
 * The event log's line for IT when the gym's system answered a check-in with something that cannot be right
 * (protocol.ts checkinReplyProblem): what it said, that it was not used, and what this PC did instead (`then`).
 * Cards only: the other member's name is nobody's business at this desk.
 */
export function wrongCheckinAnswerWords(card: string, p: CheckinReplyProblem, then: string): string {
  const said =
    p.kind === 'other-card'
      ? `The gym's system answered the check-in of card ${backendId(card)} with the record of another member (card ${backendId(p.named)})`
      : `The gym's system let card ${backendId(card)} in while the same answer says the membership is ${STATUS_WORDS[p.status].tag}`;
  return `${said}: its answer was not used; ${then}. IT: the gym's system mixed up its answers; check its log for this check-in.`;
}

/** The event log's line for IT when the gym's system's live event for a check-in this PC sent names another card. */
export function wrongCheckinEventWords(sent: string, named: string, seq: number): string {
  return `The gym's system recorded this PC's check-in of card ${backendId(sent)} under card ${backendId(named)} (event ${seq}): it is left out of this PC's lists and reports. IT: the gym's system mixed up its records; check its log for this check-in.`;
}

/**
 * The event log's line for a check-in this PC decided itself (the gym's system slow or away) that the
 * gym's system then answered otherwise: its answer wins, and staff should check with the member.
 */
export function reconsideredWords(who: string, decided: { allowed: boolean; reason: AllowReason | DenyReason }, backend: { allowed: boolean; reason: AllowReason | DenyReason } | null): string {
  const pc = decided.allowed ? 'this PC let them in' : `this PC turned them away (${verdictTail(decided.reason)})`;
  const said = `${who}: ${pc} while the gym's system was slow or away`;
  if (!backend) return `${said}; the gym's system's answer could not be read. Check with the member.`;
  return backend.allowed
    ? `${said}; the gym's system let them in after all and counts them inside. Check with the member.`
    : `${said}; the gym's system turned this down: ${verdictTail(backend.reason)}. Check with the member.`;
}

/**
 * A check-in this PC decided, that the gym's system took and never answered (probe28b H5): "will be confirmed" was
 * said at the door, and nothing would ever say it was not. `at`: when this PC decided it; `waitedMs`: how long after
 * it was taken, or null when this console stopped first.
 */
export function unansweredCheckinWords(who: string, decided: { allowed: boolean; reason: AllowReason | DenyReason }, at: number, waitedMs: number | null): string {
  const pc = decided.allowed ? 'this PC let them in' : `this PC turned them away (${verdictTail(decided.reason)})`;
  const took = waitedMs === null ? 'took the check-in, and this console stopped before it answered' : `took the check-in but has not answered it in ${formatDuration(waitedMs)}`;
  return `${who}: ${pc} at ${clockTime(at)} while the gym's system was slow or away; the gym's system ${took}, so it was never confirmed. If the gym's system recorded it, it is in Live check-ins; if not, check with the member.`;
}

/**
 * A check-in shown from the gym's system's live event, whose answer then said otherwise: the answer counts.
 * For the event log (`who` named) and under the verdict on the desk (`who` a first name or "the member").
 */
export function answeredOtherwiseWords(who: string, shown: { allowed: boolean; reason: AllowReason | DenyReason }, answer: { allowed: boolean; reason: AllowReason | DenyReason }): string {
  const first = shown.allowed ? 'let in' : `turned away (${verdictTail(shown.reason)})`;
  const now = answer.allowed ? 'let them in after all and counts them inside' : `turned this down: ${verdictTail(answer.reason)}`;
  return `${who}: first shown as ${first} from the gym's system's live events; its answer to this check-in ${now}, and that answer counts. Check with the member.`;
}

/** Under a desk verdict first shown from the live events, once the check-in's own answer said otherwise (`first`: a first name). */
export function answeredAfterEventNote(first: string | null, answer: { allowed: boolean; reason: AllowReason | DenyReason }): string {
  const who = first ?? 'the member';
  return answer.allowed
    ? `The gym's system's answer let ${who} in after all: ${first ? 'they are' : 'the card is'} checked in, so no override is needed.`
    : `The gym's system's answer turned this down: ${verdictTail(answer.reason)}. It had first shown ${who} let in: check with them.`;
}

/**
 * Waiting to send, in the desk's words: `checkins` when all that waits is check-ins (the realtime lane; a door
 * release there waits a few seconds at most), as at a desk it nearly always is; and one of them is "it".
 * `oldestAge`: how long the oldest has waited, already in words ("18 s").
 */
export function waitingLine(n: number, oldestAge: string | null, checkins: boolean): string {
  const what = `${n} ${checkins ? (n === 1 ? 'check-in' : 'check-ins') : n === 1 ? 'message' : 'messages'} waiting on this PC`;
  if (oldestAge === null) return `${what}.`;
  return n === 1 ? `${what} (${oldestAge}).` : `${what}, the oldest ${oldestAge}.`;
}

/** Waiting to send: why the `n` waiting wait, when the outbox says nothing more telling. */
export const WAITING_WORDS = {
  away: (n: number): string => (n === 1 ? "It is sent by itself when the gym's system is back." : "They are sent by themselves when the gym's system is back."),
  /** Connected, but the backend answers slowly: they are on their way, not waiting for it to come back. */
  slow: (ms: number, n: number): string => `${n === 1 ? 'It is on its' : 'They are on their'} way: the gym's system is answering slowly (about ${replyTime(ms)} a reply).`,
  storageDown: (n: number): string =>
    `The gym's system is up but its database is not answering: ${n === 1 ? 'it is kept here and sent by itself' : 'they are kept here and sent by themselves'} when it is back.`,
  /** Nothing queued, but a warning says check-ins from before the last stop may be lost: not "everything reached the backend". */
  lostAtStop: 'Nothing is waiting now, but check-ins from the last moments before the console stopped may not have been saved: see the warning above.',
} as const;

/**
 * The desk's verdict on a check-in this PC decided itself: what it says under the verdict while the check-in
 * waits, and once the gym's system answered it (`answer`; its `verdict` null when that answer could not be read).
 * `first`: the member's first name, if known.
 */
export function decidedHereNote(
  o: { storageDown?: boolean; wrongAnswer?: boolean; first: string | null; turnedAway?: boolean },
  answer?: { decided: { allowed: boolean; reason?: AllowReason | DenyReason }; verdict: { allowed: boolean; reason: AllowReason | DenyReason } | null },
): { text: string; tone: 'wait' | 'ok' | 'changed' } {
  const who = o.first ?? 'the member';
  if (answer?.verdict === null) return { text: "The gym's system answered, but its answer could not be read: check this check-in in Live check-ins.", tone: 'changed' };
  if (answer?.verdict) {
    const v = answer.verdict;
    // A turn-away is recorded with this PC's reason, never judged again (docs/protocol.md "Decided on the PC"): the
    // same verdict back confirms nothing, and staff must not read it as the gym's system agreeing.
    if (!v.allowed && !answer.decided.allowed) {
      const same = answer.decided.reason === v.reason;
      return same
        ? { text: `Turned away on this PC, and recorded so by the gym's system: it never lets in a member a PC turned away, so this is not its own check. If ${o.first ?? 'the member'} should come in, check them in again.`, tone: 'ok' }
        : { text: `The gym's system turned this down too: ${verdictTail(v.reason)}.`, tone: 'ok' };
    }
    if (v.allowed === answer.decided.allowed) return { text: "Decided on this PC, and confirmed by the gym's system since.", tone: 'ok' };
    return v.allowed
      ? { text: `The gym's system let ${who} in after all: ${o.first ? 'they are' : 'the card is'} checked in, so no override is needed.`, tone: 'changed' }
      : { text: `The gym's system turned this down: ${verdictTail(v.reason)}. This PC had let ${who} in: check with them.`, tone: 'changed' };
  }
  if (o.storageDown) return { text: "Decided on this PC: the gym's system is up but its database is not answering. Check-ins are kept and sent when it is back.", tone: 'wait' };
  if (o.wrongAnswer) return { text: "Decided on this PC: the gym's system answered about another member, or against its own record, so its answer was not used. The event log says more for IT.", tone: 'changed' };
  if (o.turnedAway) return { text: 'Decided on this PC: the backend could not answer just now. The turn-away is sent to it for its records when it can.', tone: 'wait' };
  return { text: 'Decided on this PC: the backend could not answer just now. It will be confirmed with the backend when it can.', tone: 'wait' };
}

/** A membership's standing, short (a tag) and with its date (a verdict): "Membership expired on 2026-11-06". */
export const STATUS_WORDS: Record<MemberStatus, { tag: string; line: (date: string) => string }> = {
  active: { tag: 'active', line: (d) => `Membership active until ${d}` },
  expiring: { tag: 'expires soon', line: (d) => `Membership ends on ${d}` },
  expired: { tag: 'expired', line: (d) => `Membership expired on ${d}` },
  frozen: { tag: 'frozen', line: () => 'Membership frozen' },
  unpaid: { tag: 'payment overdue', line: () => 'Payment overdue' },
};

/**
 * A membership's standing with its date (`day`, `expiresOn` as the screen writes it), by tense: a last day before
 * `today` (the gym's, sent with the verdict or list) "ended on", whatever status was stored; "ends on" / "active
 * until" today and after. Without `today` (not known) the status says it. Frozen and unpaid name no date.
 */
export function standingLine(m: { status: MemberStatus; expiresOn: string }, day: string, today: string | undefined): string {
  const dated = m.status === 'active' || m.status === 'expiring' || m.status === 'expired';
  return dated && today !== undefined && hasEnded(m.expiresOn, today) ? `Membership ended on ${day}` : STATUS_WORDS[m.status].line(day);
}

export const CATEGORY_WORDS: Record<Category, string> = {
  connection: 'Connection',
  performance: 'Speed',
  error: 'Problem',
  pool: 'Connection pool',
  user: 'Staff action',
  checkin: 'Check-in',
};

/** Everything the audit log records, so none of it reaches a screen as a code. */
export const AUDIT_WORDS = {
  'auth.setup': 'Set the PINs',
  'auth.failed': 'Wrong PIN entered',
  'auth.changePins': 'Changed PINs',
  'kiosk.closed': 'Closed a kiosk station',
  // Opened for members by a PIN typed at the station: after a close, or the first time (a desk console's kiosk screen).
  'kiosk.reopened': 'Reopened a kiosk station',
  'kiosk.opened': 'Opened a kiosk station',
  'checkin.override': 'Let a member in past a denial',
  // One per outcome of a press, recorded once it is known: a refused or given-up release never reads as opened.
  'door.release': 'Released the front door',
  'door.releasedLate': 'Front door released late, after the desk was told it was not',
  'door.refused': 'Front door release refused — not sent: the gym system was not answering',
  'door.expired': 'Front door not released — the gym system did not confirm it in time (never sent later)',
  'door.rejected': 'Front door not released — the gym system refused it',
  'staff.send': 'Sent a staff message to the backend',
  'desk.configure': 'Changed desk and kiosk settings',
  'pools.create': 'Created a connection pool',
  'pools.configure': 'Changed a connection pool',
  'pools.destroy': 'Removed a connection pool',
  'backend.configure': 'Changed the backend connection',
  'analytics.configure': 'Changed analytics settings',
  'app.setStartAtLogin': 'Changed "Start with this PC"',
  'dlq.retry': 'Sent an undelivered message again',
  'dlq.discard': 'Discarded an undelivered message',
  'alert.ack': 'Acknowledged an alert',
  'alert.silence': 'Silenced an alert',
  'alert.unsilence': 'Ended an alert\'s silence',
  'alerts.configure': 'Changed the alert rules',
  'webhooks.save': 'Saved a webhook address',
  'webhooks.test': 'Sent a test webhook',
  'webhooks.remove': 'Removed a webhook address',
  'webhooks.disabled': 'A webhook address was switched off (it answered 410 Gone)',
} as const;
export type AuditAction = keyof typeof AUDIT_WORDS;

/**
 * What each field an audit entry records is called, for the fields no settings form names (those are
 * named by their schema's labels). `null`: kept for IT in the database, never shown (an internal id).
 */
export const AUDIT_FIELD_WORDS: Record<string, string | null> = {
  lane: 'Sent as',
  cardId: 'Card',
  note: 'Why (note)',
  url: 'Address',
  secret: 'Signing secret',
  endpoints: 'Backend addresses',
  token: 'Backend token',
  // Older first-run entries recorded the roles as a change ("1 changed: PINs set for"); the subject names them.
  roles: null,
  reason: 'Why',
  why: 'Why',
  op: 'Message',
  body: 'Content',
  created: 'Queued at',
  failedAt: 'Given up at',
  askedAt: 'Asked at',
  attempts: 'Tries',
  id: null,
  key: null,
};

/** A whole value recorded without a field name, named by its action. */
export const AUDIT_VALUE_WORDS: Partial<Record<AuditAction, string>> = {
  'app.setStartAtLogin': 'Start with this PC',
  'alert.silence': 'Silenced until',
  'alert.unsilence': 'Silenced until',
};

/** How a pool spreads requests over its sockets. */
export const STRATEGY_WORDS: Record<Strategy, string> = {
  'round-robin': 'Round-robin',
  'least-connections': 'Least connections',
  'health-weighted': 'Health-weighted',
};

/** What a message to the backend was, as the outbox's undelivered ones are named. */
export const opWords = (op: string): string => ({ checkin: 'A check-in', action: 'A staff action', roster: 'A roster download', lookup: 'A member search', snapshot: 'A catch-up request' })[op] ?? 'A message';

/** The outbox's lanes, as an audit entry names them. */
export const LANE_WORDS: Record<string, string> = {
  realtime: 'Urgent (doors and check-ins)',
  system: 'System',
  notification: 'Notification',
  broadcast: 'Announcement',
};

const ACTIVITY_WORDS: Record<ActivityType, string> = {
  connected: 'Connected',
  disconnected: 'Connection lost',
  failed: 'Could not connect',
  'still-down': 'Still cannot connect',
  reconnected: 'Reconnected',
  failover: 'Live events moved to another connection',
  'feed-stranded': 'Live events have no connection',
  'continuity-lost': 'Some events were missed',
  'event-unreadable': 'An event could not be read',
  'feed-unstable': 'Live events could not be followed',
  'record-unreadable': "A member's record could not be read",
  'answer-wrong': "The gym's system sent something that cannot be right",
  'backend-restarted': "The gym's system was restarted",
  probe: 'Checked the backend',
  'breaker-open': 'Address paused after repeated failures',
  'breaker-half-open': 'Trying a paused address again',
  'breaker-closed': 'Address back in use',
  'rotation-out': 'Used only if nothing better is open',
  'rotation-in': 'Back in full use',
  quarantined: 'Instance set aside (bad replies)',
  'pool-created': 'Pool created',
  'pool-configured': 'Pool changed',
  'pool-destroyed': 'Pool removed',
  'token-changed': 'Backend token changed',
  'dead-letter': 'Message could not be delivered',
  'store-damaged': 'Local data file damaged or missing',
  'store-renamed': "Local data file taken over from an older version",
  'store-left-unread': "An older version's data file left unread",
  'unclean-stop': 'The console did not stop cleanly last time',
  'reconcile-conflict': "The gym's system answered a check-in otherwise than this PC",
  'checkin-unanswered': "The gym's system never answered a check-in this PC decided",
  'repeat-scan': 'Card shown again, not sent',
  'roster-refused': 'Roster copy for offline check-ins not updated',
  'roster-synced': 'Roster copy for offline check-ins updated again',
  'alert-firing': 'Alert raised',
  'alert-resolved': 'Alert over',
  recovery: 'The console fixed something by itself',
};

/** The console's own event kinds that are neither activity nor audit. */
const OTHER_WORDS = {
  allowed: 'Let in',
  denied: 'Turned away',
  slow: 'Console running slowly',
  'still-slow': 'Console still running slowly',
  'slow-over': 'Console keeping up again',
  'backend-slow': "Gym's system answering slowly",
  'backend-still-slow': "Gym's system still answering slowly",
  'backend-slow-over': "Gym's system answering at normal speed again",
  export: 'Exported data',
  'open-export': 'Opened an export',
  settings: 'Changed settings',
} as const;

/** A notice (an alert's, or a test) as a title: the webhook delivery log's "Notice" column. */
export function noticeWords(kind: AlertNotice['kind'], alert: string): string {
  if (kind === 'test') return 'Test notice';
  if (kind === 'digest') return 'Summary of held-back notices';
  return `${kind === 'firing' ? 'Alert raised' : 'Alert over'}: ${checkLabel(alert)}`;
}

const has = <T extends object>(map: T, key: string): key is Extract<keyof T, string> => Object.hasOwn(map, key);

/** The words of every event type this console records: what `eventWords` says for anything but a check-in. */
export const typeWords = (type: string): string => (has(ACTIVITY_KINDS, type) ? ACTIVITY_WORDS[type] : has(AUDIT_WORDS, type) ? AUDIT_WORDS[type] : has(OTHER_WORDS, type) ? OTHER_WORDS[type] : type);

/** An activity kind (the Pools tab's connection events) in words. */
export const activityWords = (type: ActivityType): string => ACTIVITY_WORDS[type];

/** An audit action in words; an action this console does not know (an older export's) is shown as recorded. */
export const auditWords = (action: string): string => (has(AUDIT_WORDS, action) ? AUDIT_WORDS[action] : action);

/** Between the parts of a check-in's stored detail: a tab, which none of them holds. */
export const NOTE_MARK = '\t';

/** What a check-in's stored detail carries besides its verdict, name and note (export format 3). */
export interface CheckinFacts {
  memberId: string | null;
  cardId: string;
  /** Who let the member in past a denial (an override), as the backend says. */
  staff: string | null;
  /** Anything else said about it, e.g. an offline verdict the backend overruled. */
  extra: string | null;
}

const clean = (s: string | null | undefined): string => (s ?? '').replaceAll(NOTE_MARK, ' ');

/**
 * A check-in as the analytics store keeps it: "reason who" (who: the name, or the card when unknown),
 * then, after tabs, the override's note, the member id, the card, who overrode and anything else said.
 * Older stores and exports (format 1 and 2) end after the name or the note; they read the same.
 */
export const checkinDetail = (reason: string, who: string, note: string | null, facts?: CheckinFacts): string =>
  facts
    ? [`${reason} ${clean(who)}`, clean(note), clean(facts.memberId), clean(facts.cardId), clean(facts.staff), clean(facts.extra)].join(NOTE_MARK)
    : `${reason} ${clean(who)}${note ? `${NOTE_MARK}${clean(note)}` : ''}`;

/**
 * A stored check-in detail taken apart for people (screens, CSV); what an older one lacks reads as ''.
 * Stored by any console, this one before it cleaned card ids or another PC whose export is reviewed:
 * what it says cannot turn a row around (see backendText).
 */
export function readCheckinDetail(detail: string): { reason: string; who: string; note: string; memberId: string; card: string; staff: string; extra: string } {
  const space = detail.indexOf(' ');
  const reason = space < 0 ? detail : detail.slice(0, space);
  const [who = '', note = '', memberId = '', card = '', staff = '', ...extra] = (space < 0 ? '' : detail.slice(space + 1)).split(NOTE_MARK);
  const clean = backendText;
  return { reason, who: clean(who), note: clean(note), memberId: backendId(memberId), card: backendId(card), staff: clean(staff), extra: clean(extra.join(' ')) };
}

/**
 * A stored event as staff read it: what happened, and the rest of its detail.
 * A check-in's detail starts with its verdict reason ("unpaid Tara Ito"): that reason becomes the words,
 * and an override's note follows the member as "why", then who let them in.
 */
export function eventWords(e: { category: string; type: string; detail: string }): { what: string; detail: string } {
  if (e.category === 'checkin' && (e.type === 'allowed' || e.type === 'denied')) {
    const { reason, who, note, staff, extra } = readCheckinDetail(e.detail);
    const said = [who, note && `why: ${note}`, staff && `let in by ${staff}`, extra].filter(Boolean).join(' · ');
    if (has(REASON_WORDS, reason)) return { what: REASON_WORDS[reason], detail: said };
  }
  return { what: typeWords(e.type), detail: e.detail };
}

/** The desk settings' fields as the Desk and kiosk settings card names them. */
const DESK_SETTING_LABELS: Record<string, string> = { offlinePolicy: 'Offline, let in', verdictSeconds: 'Verdict time (kiosk)', busyAt: 'Busy at', nearlyFullAt: 'Nearly full at' };

/** The desk and kiosk settings saved on this PC could not all be read (`fields`: those back to their defaults; none: all). */
export function deskSettingsDamagedWords(fields: readonly string[]): string {
  const fix = 'until a manager saves Desk and kiosk settings on Overview again';
  if (!fields.length) return `The desk and kiosk settings saved on this PC could not be read, so the defaults are used ${fix}: offline, active and expiring members are let in.`;
  const names = fields.map((f) => DESK_SETTING_LABELS[f] ?? f);
  return `Part of the desk and kiosk settings saved on this PC could not be read: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} back to the default ${fix}. The rest are as saved.`;
}

