import { AVAILABILITY_OBJECTIVE, type AvailabilityWindow } from '../../../../shared/health';
import { formatDuration } from '../../../../shared/duration';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Less than this measured, a percentage says more about a few restarts than about the gym's system: none is shown. */
export const MIN_MEASURED_MS = HOUR;

export const WINDOW_TEXT: Record<AvailabilityWindow, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' };

/** The aim, as staff read it: "99.9 %". */
export const objectiveText = `${+(AVAILABILITY_OBJECTIVE * 100).toFixed(2)} %`;

/** A length of time measured, in the largest unit that reads well: "3 min", "5 h", "12 days". */
export const spanWords = (ms: number): string => {
  if (ms < DAY) return formatDuration(ms).replace(/ \d+ s$/, '');
  const days = Math.floor(ms / DAY);
  return `${days} ${days === 1 ? 'day' : 'days'}`;
};

/**
 * A share of the time answered, rounded down (99.96 % never reads as 100 %): two decimals near the
 * aim, where they matter, one below it. Not shown from under an hour of samples.
 */
export const availabilityWords = (ratio: number | null, measuredMs: number): string => {
  if (ratio === null || measuredMs <= 0) return 'not measured yet';
  if (measuredMs < MIN_MEASURED_MS) return `measured for ${spanWords(measuredMs)} so far`;
  if (ratio >= 1) return '100 %';
  const digits = ratio >= 0.99 ? 2 : 1;
  const f = 10 ** digits;
  return `${(Math.floor(ratio * 100 * f) / f).toFixed(digits)} %`;
};

/** What is left of the month's allowed downtime, or how far over it is. */
export const budgetWords = (leftMs: number): string => (leftMs < 0 ? `${spanWords(-leftMs)} over` : spanWords(leftMs));
