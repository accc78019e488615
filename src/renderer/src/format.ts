const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const formatTime = (ts: number): string => timeFmt.format(ts);
const clockFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
/** Hours and minutes only: a time said beside another that has the seconds. */
export const formatClock = (ts: number): string => clockFmt.format(ts);
const dateFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
/**
 * A moment in a list that spans days (the audit log): the time as every other list writes it
 * ("09:07:17 AM"), with the date before it when it is not today ("Dec 5, 09:07:17 AM").
 */
export function formatStamp(ts: number, now = Date.now()): string {
  const sameDay = new Date(ts).toDateString() === new Date(now).toDateString();
  return sameDay ? formatTime(ts) : `${dateFmt.format(ts)}, ${formatTime(ts)}`;
}
/** When something began, in a summary that may be of another day (an export): "Dec 5, 09:02 AM". */
export const formatWhen = (ts: number): string => `${dateFmt.format(ts)}, ${formatClock(ts)}`;

const dayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
/**
 * A calendar date from the backend ("2027-03-03") as this PC's locale writes it ("3 Mar 2027",
 * "Mar 3, 2027"): read as a local day, so no time zone moves it. Anything else is shown as given.
 */
export function formatDay(iso: string, fmt: Intl.DateTimeFormat = dayFmt): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
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
