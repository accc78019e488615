import type { AllowReason, DenyReason, MemberStatus } from './protocol';
import type { Category } from './analytics';
import { ACTIVITY_KINDS, type ActivityType } from './activity';

// What staff read for every code that reaches a screen: one map per kind of code, used by every screen.

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

const PLACE_WORDS = { door: 'the door', desk: 'the desk', kiosk: 'the kiosk' } as const;
/** A verdict as the second half of a sentence: "already checked in", "allowed". */
const verdictTail = (reason: AllowReason | DenyReason): string => REASON_WORDS[reason].replace(/^Denied: /, '').replace(/^Allowed$/, 'allowed');

/**
 * A check-in decided on a PC while the backend was away, which the backend then overruled: what the
 * staff should know (the member walked in, or was turned away, against the backend's record); null
 * when the two agree or nothing was decided offline.
 */
export function overruledWords(c: { source: keyof typeof PLACE_WORDS; allowed: boolean; reason: AllowReason | DenyReason; decidedOffline?: { allowed: boolean; reason: AllowReason | DenyReason } }): string | null {
  const d = c.decidedOffline;
  if (!d || d.allowed === c.allowed) return null;
  const place = PLACE_WORDS[c.source];
  return d.allowed
    ? `Let in by ${place} while offline — the backend says: ${verdictTail(c.reason)}. Check with the member.`
    : `Turned away by ${place} while offline (${verdictTail(d.reason)}) — the backend says: ${verdictTail(c.reason)}, and counts them inside. Check with the member.`;
}

/** A membership's standing, short (a tag) and with its date (a verdict): "Membership expired on 2026-11-06". */
export const STATUS_WORDS: Record<MemberStatus, { tag: string; line: (date: string) => string }> = {
  active: { tag: 'active', line: (d) => `Membership active until ${d}` },
  expiring: { tag: 'expires soon', line: (d) => `Membership ends on ${d}` },
  expired: { tag: 'expired', line: (d) => `Membership expired on ${d}` },
  frozen: { tag: 'frozen', line: () => 'Membership frozen' },
  unpaid: { tag: 'payment overdue', line: () => 'Payment overdue' },
};

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
  'checkin.override': 'Let a member in past a denial',
  'door.release': 'Released the front door',
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

const ACTIVITY_WORDS: Record<ActivityType, string> = {
  connected: 'Connected',
  disconnected: 'Connection lost',
  failed: 'Could not connect',
  'still-down': 'Still cannot connect',
  reconnected: 'Reconnected',
  failover: 'Live events moved to another connection',
  'continuity-lost': 'Events could not be replayed; resynced',
  probe: 'Checked the backend',
  'breaker-open': 'Address paused after repeated failures',
  'breaker-half-open': 'Trying a paused address again',
  'breaker-closed': 'Address back in use',
  'rotation-out': 'Socket taken out of use',
  'rotation-in': 'Socket back in use',
  quarantined: 'Instance set aside (bad replies)',
  'pool-created': 'Pool created',
  'pool-configured': 'Pool changed',
  'pool-destroyed': 'Pool removed',
  'token-changed': 'Backend token changed',
  'dead-letter': 'Message could not be delivered',
  'store-damaged': 'Local data file was damaged',
  'reconcile-conflict': 'Backend overruled an offline decision',
  'alert-firing': 'Alert raised',
  'alert-resolved': 'Alert over',
  recovery: 'The console fixed something by itself',
};

/** The console's own event kinds that are neither activity nor audit. */
const OTHER_WORDS = {
  allowed: 'Let in',
  denied: 'Turned away',
  slow: 'Console running slowly',
  export: 'Exported data',
  'open-export': 'Opened an export',
  settings: 'Changed settings',
} as const;

const has = <T extends object>(map: T, key: string): key is Extract<keyof T, string> => Object.hasOwn(map, key);

/** An activity kind (the Pools tab's connection events) in words. */
export const activityWords = (type: ActivityType): string => ACTIVITY_WORDS[type];

/** An audit action in words; an action this console does not know (an older export's) is shown as recorded. */
export const auditWords = (action: string): string => (has(AUDIT_WORDS, action) ? AUDIT_WORDS[action] : action);

/**
 * A stored event as staff read it: what happened, and the rest of its detail.
 * A check-in's detail starts with its verdict reason ("unpaid Tara Ito"): that reason becomes the words.
 */
export function eventWords(e: { category: string; type: string; detail: string }): { what: string; detail: string } {
  if (e.category === 'checkin' && (e.type === 'allowed' || e.type === 'denied')) {
    const [reason = '', ...rest] = e.detail.split(' ');
    if (has(REASON_WORDS, reason)) return { what: REASON_WORDS[reason], detail: rest.join(' ') };
  }
  if (has(ACTIVITY_KINDS, e.type)) return { what: ACTIVITY_WORDS[e.type], detail: e.detail };
  if (has(AUDIT_WORDS, e.type)) return { what: AUDIT_WORDS[e.type], detail: e.detail };
  if (has(OTHER_WORDS, e.type)) return { what: OTHER_WORDS[e.type], detail: e.detail };
  return { what: e.type, detail: e.detail };
}
