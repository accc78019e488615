/**
 * What this PC holds for the gym's system, said at a stop and at the next start: without it IT had no reason not to
 * wipe, move or replace the data folder (or copy only its settings to a new PC) while check-ins waited there (probe23 P2).
 * "Not yet confirmed": one in flight may have arrived; it is sent again, and the backend takes it once.
 */
export function heldForBackendWords(held: { count: number; unsaved: number }, file: string, dataDir: string, at: 'stop' | 'start'): string | null {
  const n = held.count;
  if (n <= 0) return null;
  const one = n === 1;
  const what = `${one ? '1 check-in or staff action' : `${n} check-ins or staff actions`} taken on this PC${at === 'start' ? ' before this start' : ''} ${one ? 'is' : 'are'} not yet confirmed by the gym's system`;
  const unsaved =
    held.unsaved > 0 ? ` ${held.unsaved === n ? (one ? 'It' : 'All of them') : `${held.unsaved} of them`} could not be written to disk (it refuses writes), so ${held.unsaved === 1 ? 'it is' : 'they are'} lost if it still refuses.` : '';
  if (at === 'stop') {
    return (
      `${what}. ${one ? 'It is' : 'They are'} kept in ${file} and sent once the console is started again and the gym's system answers: ` +
      `do not delete, move or replace the data folder ${dataDir} meanwhile.${unsaved}`
    );
  }
  return `${what} (kept in ${file}): ${one ? 'it is' : 'they are'} sent as soon as it answers.${unsaved}`;
}
