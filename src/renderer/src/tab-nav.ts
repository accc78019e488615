/** The console's tabs in order; `live`: only a console connected to a gym has anything true to show there. */
export const TAB_IDS = [
  { id: 'overview', live: false },
  { id: 'pools', live: true },
  { id: 'performance', live: true },
  { id: 'analytics', live: false },
  { id: 'health', live: false },
] as const;
export type TabId = (typeof TAB_IDS)[number]['id'];

/** A review PC has no backend, pools or live traffic: its Connection Pools and Performance tabs are not offered. */
export function shownTabs(review: boolean): TabId[] {
  return TAB_IDS.filter((t) => !review || !t.live).map((t) => t.id);
}

/** The tab an address asks for (`#…&tab=analytics`; the last one, typed onto an address that had one), if it is shown; otherwise Overview. */
export function tabFromHash(hash: string, shown: readonly TabId[]): TabId {
  const asked = askedTab(hash);
  return shown.find((id) => id === asked) ?? 'overview';
}

/** Alt+1…N: the Nth tab shown, or null past the last. */
export function tabForDigit(key: string, shown: readonly TabId[]): TabId | null {
  const n = Number(key);
  return Number.isInteger(n) && n >= 1 && n <= shown.length ? shown[n - 1]! : null;
}

/** Left and right arrows go round the tabs shown. */
export function tabBeside(active: TabId, step: 1 | -1, shown: readonly TabId[]): TabId {
  const i = Math.max(0, shown.indexOf(active));
  return shown[(i + step + shown.length) % shown.length]!;
}

/** The last `tab=` of an address, as the one typed most recently. */
export function askedTab(hash: string): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).getAll('tab').at(-1);
}
