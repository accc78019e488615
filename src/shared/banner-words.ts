import type { AlertView } from './health';
import { ANSWERED_CAUSES, type CauseKind } from './pools';

/** One banner on every tab: what staff are to know and do first, then the cause for whoever fixes it. */
export interface BannerLine {
  text: string;
  /** The check's own reason, for IT; absent when the text says it all. */
  detail?: string;
  /** It says check-ins this PC took before it last stopped may be lost (a console.db or its -wal gone): "nothing waiting" is not "all sent". */
  lostCheckins?: true;
}

/**
 * The desk's first line for an alert: with the backend away, staff need to hear that they can go on
 * checking members in, not which port is closed; that (the check's reason) follows as the detail.
 * Going on needs a copy of the members list: a PC that has none (never reached the backend) cannot.
 */
export function alertBanner(a: Pick<AlertView, 'kind' | 'label' | 'reason'>, backendCause: string | null, rosterCopy = true): BannerLine {
  const detail = `${a.label}: ${a.reason}`;
  if (a.kind !== 'backend') return { text: detail };
  const storageDown = backendCause === 'storage-unavailable';
  // A refused token never mends itself: every check-in waits until IT enters the right one.
  const token = backendCause === 'unauthorized' || backendCause === 'no-token';
  // Something took the connection (a stuck backend, another program on its port): "cannot reach" sent IT to the cable.
  const answered = backendCause !== null && ANSWERED_CAUSES.has(backendCause as CauseKind);
  const fails = token ? "The gym's system does not accept this PC's backend token" : answered ? "The gym's system is not answering this PC" : "This PC cannot reach the gym's system";
  if (!rosterCopy && storageDown) return { text: "The gym's system cannot record check-ins right now, and this PC has no copy of the members list yet, so it cannot decide check-ins until the system is back. Tell IT now: the line below says what to fix.", detail };
  if (!rosterCopy && !token && !answered) return { text: "This PC cannot reach the gym's system and has no copy of the members list yet, so it cannot decide check-ins until it has reached the system once. Tell IT now: the line below says what to fix.", detail };
  if (!rosterCopy) return { text: `${fails}, and this PC has no copy of the members list yet, so it cannot decide check-ins until the system has ${token ? 'let it in' : 'answered it'} once. Tell IT now: the line below says what to fix.`, detail };
  if (storageDown) return { text: "The gym's system cannot record check-ins right now. Keep checking members in: this PC keeps each one and sends it when the system can take it. Tell IT if this lasts.", detail };
  if (token) return { text: `${fails}. Keep checking members in: this PC decides from its copy of the members list and keeps each check-in. This will not fix itself: tell IT now, the line below says what to fix.`, detail };
  return { text: `${fails}. Keep checking members in: this PC decides from its copy of the members list and sends each check-in when the system is back. Tell IT if this lasts.`, detail };
}

/**
 * The desk's line while check-ins taken here before the last stop may be lost (console.db or its -wal missing at
 * start): what staff can do about it, the file names and IT's fix following as the detail (readme25 W2).
 */
export const LOST_AT_START_WORDS =
  "Check-ins taken on this PC before the console last stopped may be lost: some of its saved data was missing at this start. Keep checking members in; tell the gym's IT, who can check the backend's records.";

