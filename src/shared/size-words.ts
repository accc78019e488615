/**
 * A size as staff read it, the same on every screen: "850 MB", "9.5 GB", "63 GB". Health said
 * "64,692 MB" free where Analytics said "63 GB" for the same disk. `mb`: mebibytes, as measured.
 */
export function formatMb(mb: number): string {
  if (mb < 1024) return `${mb < 10 ? (Math.round(mb * 10) / 10).toString() : Math.round(mb).toLocaleString('en')} MB`;
  const gb = mb / 1024;
  return `${gb < 10 ? (Math.round(gb * 10) / 10).toString() : Math.round(gb).toLocaleString('en')} GB`;
}
