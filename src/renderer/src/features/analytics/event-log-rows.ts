import type { StoredEvent } from '../../../../shared/analytics';

/** Rows a refresh asks for: the newest page. */
export const LOG_PAGE = 100;

/**
 * The log after a live refresh: the newest page as it is now, then the older rows staff had loaded with
 * "Load older" (those past the page's last row). Replacing the list with the newest page dropped them
 * within 5 s, while they were being read. The list keeps its length (new rows in at the top push the oldest
 * out), so a log left open for hours stays bounded. A page shorter than LOG_PAGE is the whole range: nothing older.
 */
export function refreshedRows(fresh: readonly StoredEvent[], shown: readonly StoredEvent[]): StoredEvent[] {
  const last = fresh.at(-1);
  if (!last || fresh.length < LOG_PAGE) return [...fresh];
  const ids = new Set(fresh.map((e) => e.id));
  const older = shown.filter((e) => !ids.has(e.id) && (e.ts < last.ts || (e.ts === last.ts && e.id < last.id)));
  return [...fresh, ...older].slice(0, Math.max(LOG_PAGE, shown.length));
}
