/**
 * What this PC holds for the gym's system, said at a stop and at the next start: without it IT had no reason not to
 * wipe, move or replace the data folder (or copy only its settings to a new PC) while check-ins waited there (probe23 P2).
 */
export function heldForBackendWords(count: number, file: string, dataDir: string, at: 'stop' | 'start'): string | null {
  if (count <= 0) return null;
  const what = count === 1 ? '1 check-in or staff action taken on this PC has' : `${count} check-ins or staff actions taken on this PC have`;
  if (at === 'stop') {
    return (
      `${what} not reached the gym's system yet. They are kept in ${file} and sent once the console is started again and the gym's ` +
      `system answers: do not delete, move or replace the data folder ${dataDir} meanwhile.`
    );
  }
  return `${what.replace(/ (has|have)$/, ' before this start $1')} not reached the gym's system yet (kept in ${file}): they are sent as soon as it answers.`;
}
