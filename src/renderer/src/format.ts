import { endDay } from '../../shared/membership-day';
const formats = new Map<string, Intl.DateTimeFormat>();
/**
 * A date format in this PC's language on `zone`'s clock: the Analytics tab says times on the gym's clock
 * (its "Time zone" setting, also an opened export's), everything else on this PC's (`zone` undefined).
 * An unknown zone (never accepted by the settings) falls back to this PC's.
 */
export function zoneFormat(options: Intl.DateTimeFormatOptions, zone?: string): Intl.DateTimeFormat {
  const key = `${zone ?? ''}\n${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(undefined, zone === undefined ? options : { ...options, timeZone: zone });
    } catch {
      f = new Intl.DateTimeFormat(undefined, options);
    }
    formats.set(key, f);
  }
  return f;
}

export const formatTime = (ts: number, zone?: string): string => zoneFormat({ hour: '2-digit', minute: '2-digit', second: '2-digit' }, zone).format(ts);
/** Hours and minutes only: a time said beside another that has the seconds. */
export const formatClock = (ts: number, zone?: string): string => zoneFormat({ hour: '2-digit', minute: '2-digit' }, zone).format(ts);
/**
 * The clock for times across `range`: with the zone's name ("01:30 AM EDT") when its clocks change within it, so the
 * night they go back does not read "01:30 AM to 01:00 AM" with nothing saying which 01:00 (probe26a A3).
 */
export function clockAcross(range: { from: number; to: number }, zone?: string): (ts: number) => string {
  const offset = (ts: number): string => zoneFormat({ timeZoneName: 'longOffset' }, zone).format(ts);
  if (offset(range.from) === offset(range.to)) return (ts) => formatClock(ts, zone);
  return (ts) => zoneFormat({ hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }, zone).format(ts);
}
export const dateOf = (ts: number, zone?: string): string => zoneFormat({ month: 'short', day: 'numeric' }, zone).format(ts);
/** The date with its year, for a moment not in this year: "Dec 5" alone read a stamp of 2031 (or 1970) as this year's. */
const dateYearOf = (ts: number, zone?: string): string => zoneFormat({ year: 'numeric', month: 'short', day: 'numeric' }, zone).format(ts);
/**
 * A moment in a list that spans days, in two parts: the time as every other list writes it ("09:07:17 AM"), and
 * its date when that is not today ("Dec 5"), with the year when not this year ("Dec 5, 2031"), on `zone`'s calendar.
 */
export function stampParts(ts: number, now = Date.now(), zone?: string): { date: string | null; time: string } {
  const day = zoneFormat({ year: 'numeric', month: 'numeric', day: 'numeric' }, zone);
  const year = zoneFormat({ year: 'numeric' }, zone);
  const time = formatTime(ts, zone);
  if (day.format(ts) === day.format(now)) return { date: null, time };
  return { date: year.format(ts) === year.format(now) ? dateOf(ts, zone) : dateYearOf(ts, zone), time };
}
/** The same moment on one line (the audit log): "09:07:17 AM", "Dec 5, 09:07:17 AM", "Dec 5, 2031, 09:07:17 AM". */
export function formatStamp(ts: number, now = Date.now(), zone?: string): string {
  const { date, time } = stampParts(ts, now, zone);
  return date === null ? time : `${date}, ${time}`;
}
/** When something began, in a summary that may be of another day (an export): "Dec 5, 09:02 AM". */
export const formatWhen = (ts: number, zone?: string): string => `${dateOf(ts, zone)}, ${formatClock(ts, zone)}`;

const dayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
/**
 * A calendar date from the backend ("2027-03-03") as this PC's locale writes it ("3 Mar 2027",
 * "Mar 3, 2027"): read as a local day, so no time zone moves it. Anything else is shown as given.
 */
export function formatDay(iso: string, fmt: Intl.DateTimeFormat = dayFmt): string {
  // A date with a time is its day as written (membership-day.ts endDay), as the membership rules read it.
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(endDay(iso) ?? '');
  if (!m) return iso;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getMonth() === Number(m[2]) - 1 ? fmt.format(d) : iso;
}

export const formatMs = (ms: number | null): string => (ms === null ? '–' : ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`);

export const percent = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 100) : 0);

/** "12 s", "4 min", "2 h 5 min": how long something has waited. */
export function formatAge(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
