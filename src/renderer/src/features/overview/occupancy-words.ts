import { capacityShare, type OccupancyLevel } from '../../../../shared/desk';
import { AUTO_CHECKOUT_HOURS } from '../../../../shared/words';

const NOTE: Record<OccupancyLevel, string> = { ok: '', busy: ': getting busy', 'nearly-full': ': nearly full', full: ': full, the backend is turning members away' };
/** The same, for this PC's own count while the backend is away: it is this PC that turns members away then. */
const NOTE_HERE: Record<OccupancyLevel, string> = { ...NOTE, full: ': full as far as this PC can count, so it turns members away' };

/**
 * The Occupancy card's figures and note, from the core's gauge: the count ("–" before the backend ever
 * answered this PC), the capacity it is out of, and the line under the bar. A capacity of 0 the backend
 * reported is said as reported, not as one still to come.
 */
export function occupancyWords(o: { count: number; capacity: number; at?: number; here?: number }, level: OccupancyLevel, backendAway: boolean): { known: boolean; count: string; of: string; note: string } {
  // While the backend is away the desk decides by this PC's own count: that is the one shown (readme27 W3).
  const count = o.here ?? o.count;
  const { capacity } = o;
  // Never heard from the backend (a first start while it is away): no count, rather than "0 inside".
  // A core that predates `at` sends a capacity once it knows.
  const known = o.at !== undefined || capacity > 0;
  const reportedNone = capacity === 0 && o.at !== undefined;
  const note = capacity
    ? `${capacityShare(count, capacity)} of the backend's capacity${(o.here === undefined ? NOTE : NOTE_HERE)[level]}`
    : reportedNone
      ? 'The backend reports a capacity of 0 (none set), so there is no share of it to show.'
      : backendAway
        ? 'Not known yet: the backend has not answered this PC.'
        : 'Capacity not known yet.';
  return { known, count: known ? String(count) : '–', of: capacity || reportedNone ? String(capacity) : '–', note };
}

/**
 * Under this PC's own count (`here`), while the backend is away, cannot record, or has not answered check-ins decided
 * here (a backend program stuck, probe28b H6): what it is made of and what it cannot
 * see, so staff know why the desk turns members away by it. `last`: the backend's last count, `at`: when.
 */
export function countedHereWords(why: 'away' | 'cannot-record' | 'unanswered', last: number, at: string | null): string {
  const cause = { away: 'not connected to the backend', 'cannot-record': "the gym's system cannot record check-ins right now", unanswered: "the gym's system has not answered check-ins decided here" }[why];
  return (
    `Counted on this PC (${cause}): the backend's last count (${last}${at ? ` at ${at}` : ''}), plus those let in here since, ` +
    `less those whose ${AUTO_CHECKOUT_HOURS}-hour automatic check-out has come. It cannot see members leave, nor those let in at other PCs; the desk and kiosk here go by it.`
  );
}

/**
 * After the backend's impossible figure: what the count above is. With this PC's own count shown (`here`), it is not
 * the backend's last believable figure, but starts from it (review28 V11).
 */
export function believedWords(here: boolean, last: number, at: string | null): string {
  return here ? `The backend's last believable figure (${last}${at ? `, from ${at}` : ''}) is where this PC's count above starts.` : `Above: the last believable figure${at ? `, from ${at}` : ''}.`;
}

/**
 * Under a count that stopped where it was: why, and what it leaves out. `cannot-record`: the backend answers but its
 * database does not, so the check-ins this PC lets in wait here uncounted as when it is away (probe27a P4).
 */
export function notCountedWords(why: 'away' | 'cannot-record', at: string | null): string {
  const since = `Last known${at ? ` at ${at}` : ''}`;
  return why === 'away'
    ? `${since}: this PC is not connected to the backend, so check-ins taken on this PC meanwhile are not counted here until it is back.`
    : `${since}: the gym's system cannot record check-ins right now, so those let in on this PC meanwhile are not counted here until it can.`;
}
