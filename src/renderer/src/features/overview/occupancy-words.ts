import { capacityShare, type OccupancyLevel } from '../../../../shared/desk';

const NOTE: Record<OccupancyLevel, string> = { ok: '', busy: ': getting busy', 'nearly-full': ': nearly full', full: ': full, the backend is turning members away' };

/**
 * The Occupancy card's figures and note, from the core's gauge: the count ("–" before the backend ever
 * answered this PC), the capacity it is out of, and the line under the bar. A capacity of 0 the backend
 * reported is said as reported, not as one still to come.
 */
export function occupancyWords(o: { count: number; capacity: number; at?: number }, level: OccupancyLevel, backendAway: boolean): { known: boolean; count: string; of: string; note: string } {
  const { count, capacity } = o;
  // Never heard from the backend (a first start while it is away): no count, rather than "0 inside".
  // A core that predates `at` sends a capacity once it knows.
  const known = o.at !== undefined || capacity > 0;
  const reportedNone = capacity === 0 && o.at !== undefined;
  const note = capacity
    ? `${capacityShare(count, capacity)} of the backend's capacity${NOTE[level]}`
    : reportedNone
      ? 'The backend reports a capacity of 0 (none set), so there is no share of it to show.'
      : backendAway
        ? 'Not known yet: the backend has not answered this PC.'
        : 'Capacity not known yet.';
  return { known, count: known ? String(count) : '–', of: capacity || reportedNone ? String(capacity) : '–', note };
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
