/**
 * A settings form saves what it changed, not the whole set it drew: with two manager screens open, the second Save put
 * back the first one's change and both said "Saved." (probe26b B2). Arrays are one value each (a list of statuses).
 */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The top-level fields `next` changed from `drawn`, for a request that takes a partial change (after `withEdits` for nested ones). */
export function changedFields<T extends object>(drawn: T, next: T): Partial<T> {
  return Object.fromEntries(Object.entries(next).filter(([k, v]) => !same((drawn as Record<string, unknown>)[k], v))) as Partial<T>;
}

/** `latest` (read just before saving) with each value the form changed since `drawn` laid over it, for a request that takes the whole set. */
export function withEdits<T>(latest: T, drawn: T, edited: T): T {
  if (isPlain(latest) && isPlain(drawn) && isPlain(edited)) {
    return Object.fromEntries(Object.keys({ ...latest, ...edited }).map((k) => [k, k in edited ? withEdits(latest[k], drawn[k], edited[k]) : latest[k]])) as T;
  }
  return same(drawn, edited) ? latest : edited;
}
