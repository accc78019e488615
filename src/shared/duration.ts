/** How often the event log may say that a trouble it told of still lasts (an address down, a slow spell). */
export const REMINDER_EVERY_MS = 5 * 60_000;

/** "2 min 13 s", "45 s", "1 h 5 min": one way to say a length of time, in notices, cards and the event log alike. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}
