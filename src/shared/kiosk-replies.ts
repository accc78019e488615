import type { CheckinResult } from './desk';
import type { AllowReason, DenyReason, MemberStatus } from './protocol';
import { BLANK_CONNECTION, type ConnectionView, type Gauges, type Snapshot, type StatePatch } from './state';
import { firstName, NO_NAME } from './person-name';
import { hasEnded } from './membership-day';
import { atLeast, type Role } from './roles';

/**
 * What a kiosk screen is told: only what its big verdict shows the queue. On a kiosk PC every screen
 * with the page address is a kiosk without a PIN, so whatever a kiosk is sent, any program holding the
 * address can read (probe-hostile21 J14). Each shape is built field by field: a field added to the
 * staff's replies is not sent to a kiosk until it is written here.
 *
 * Every kiosk type is a supertype of the staff's: a kiosk screen shown to a signed-in manager (the demo's
 * `&kiosk`) gets the staff's reply, and reads it the same way.
 */

/** Denials that say nothing about the member's account: the queue may read them. Any other is "not checked in". */
export const PUBLIC_DENIALS = ['unknown-card', 'duplicate', 'capacity-full'] as const satisfies readonly DenyReason[];

/** A verdict as a kiosk is told it: the reason only when the screen says it. */
export interface KioskVerdict {
  allowed: boolean;
  reason?: AllowReason | DenyReason;
}

/** A member as a kiosk is told: the first name; the status and end date only when the verdict shows the date. */
export interface KioskMember {
  name: string;
  status?: MemberStatus;
  expiresOn?: string;
}

export interface KioskCheckin {
  ignored: CheckinResult['ignored'];
  verdict: KioskVerdict | null;
  member: KioskMember | null;
  /** A "repeat": when this station let them in (said on the screen). */
  insideSince?: number;
  /** Decided here: the key the backend's later answer names (answeredCheckins). */
  key?: string;
  /** The gym's day, so an end date is said "ended on" once past. */
  today?: string;
}

export interface KioskAnswered {
  key: string;
  decided: KioskVerdict;
  verdict: KioskVerdict | null;
  fromEvent?: true;
  member?: KioskMember | null;
}

export function kioskVerdict(v: KioskVerdict): KioskVerdict {
  if (v.allowed) return v.reason === 'expiring-soon' ? { allowed: true, reason: v.reason } : { allowed: true };
  return (PUBLIC_DENIALS as readonly string[]).includes(v.reason ?? '') ? { allowed: false, reason: v.reason } : { allowed: false };
}

/** The member named under `v`: the end date goes with it only when the screen says it (about to end, or ended). */
function kioskMember(m: KioskMember, v: KioskVerdict | null, today: string | undefined): KioskMember {
  const name = firstName(m.name) ?? NO_NAME;
  const ended = m.status === 'expired' || (today !== undefined && m.expiresOn !== undefined && hasEnded(m.expiresOn, today));
  if (!v?.allowed || m.expiresOn === undefined || !(v.reason === 'expiring-soon' || ended)) return { name };
  return { name, status: ended ? 'expired' : 'expiring', expiresOn: m.expiresOn };
}

/** A check-in's answer as a kiosk is told it. Shaping a shaped one changes nothing. */
export function kioskCheckin(r: KioskCheckin & { offline?: boolean }): KioskCheckin {
  // A full gym this PC only estimates (the backend away) is the desk's call, not a fact to tell the queue.
  const verdict = r.verdict && (r.offline && r.verdict.reason === 'capacity-full' ? { allowed: false } : kioskVerdict(r.verdict));
  const shows = r.ignored === null ? verdict : null; // a repeat's words name the member, never the membership
  return {
    ignored: r.ignored,
    verdict,
    member: r.member && kioskMember(r.member, shows, r.today),
    ...(r.insideSince !== undefined && { insideSince: r.insideSince }),
    ...(r.key !== undefined && { key: r.key }),
    ...(r.today !== undefined && { today: r.today }),
  };
}

export function kioskAnswered(a: KioskAnswered): KioskAnswered {
  const verdict = a.verdict && kioskVerdict(a.verdict);
  return {
    key: a.key,
    decided: kioskVerdict(a.decided),
    verdict,
    ...(a.fromEvent && { fromEvent: true as const }),
    ...(a.member !== undefined && { member: a.member && kioskMember(a.member, verdict, undefined) }),
  };
}

/**
 * The state a kiosk screen keeps: whether this is the demo gym (its DEMO GYM mark), whether the gym's system answers
 * (the corner's mark) and late answers to its verdicts.
 */
export interface KioskGauges {
  mode: Gauges['mode'];
  connection: ConnectionView;
  answeredCheckins: KioskAnswered[];
}
export interface KioskSnapshot {
  seq: number;
  gauges: KioskGauges;
  feeds: Record<string, never>;
}
/** Every patch is passed on, numbered as it was, even when nothing in it is the kiosk's: a gap in the numbers asks for a fresh snapshot. */
export interface KioskPatch {
  seq: number;
  gauges: Partial<KioskGauges>;
  feeds: Record<string, never>;
}

/** The connection as the kiosk's corner says it: its state, nothing about the addresses or why. */
const kioskConnection = (c: ConnectionView): ConnectionView => ({ ...BLANK_CONNECTION, state: c.state });

/** The mode as a kiosk screen uses it: demo or not; the PC's data folder is none of its business. */
const kioskMode = (m: Gauges['mode']): Gauges['mode'] => ({ demo: m.demo, review: m.review, dataDir: '' });

export function kioskSnapshot(s: Snapshot): KioskSnapshot {
  const g = s.gauges;
  return { seq: s.seq, gauges: { mode: kioskMode(g.mode), connection: kioskConnection(g.connection), answeredCheckins: g.answeredCheckins.map(kioskAnswered) }, feeds: {} };
}

export function kioskPatch(p: StatePatch): KioskPatch {
  const { mode, connection, answeredCheckins } = p.gauges;
  return {
    seq: p.seq,
    gauges: {
      ...(mode && { mode: kioskMode(mode) }),
      ...(connection && { connection: kioskConnection(connection) }),
      ...(answeredCheckins && { answeredCheckins: answeredCheckins.map(kioskAnswered) }),
    },
    feeds: {},
  };
}

/** The state patch a screen signed in as `role` is sent: the whole of it from the front desk up. */
export const patchFor = (role: Role | null, p: StatePatch): StatePatch | KioskPatch => (atLeast(role, 'desk') ? p : kioskPatch(p));
