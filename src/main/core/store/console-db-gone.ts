import { statSync } from 'node:fs';

/** What became of console.db under a running console: deleted (a clean-up script, a profile reset) or replaced by another file. */
export type ConsoleDbFate = 'gone' | 'replaced';

/**
 * Watches that console.db is still the file the console opened. SQLite keeps writing through its open handle to a
 * file deleted or replaced under it, so nothing fails while the console runs, and the next start found no PINs,
 * no backend and no check-ins waiting: it came up as the demo (probe25 Q3). Returns a look, cheap (one stat).
 */
export function watchConsoleDbFile(file: string): () => ConsoleDbFate | null {
  const opened = statSync(file);
  return () => {
    try {
      const now = statSync(file);
      return now.ino === opened.ino && now.dev === opened.dev ? null : 'replaced';
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'gone' : null;
    }
  };
}

/** Health's words for it, for IT; `waiting`: check-ins and staff actions not yet sent. */
export function consoleDbFateWords(fate: ConsoleDbFate, file: string, dir: string, waiting: number): string {
  const held = waiting === 0 ? '' : ` ${waiting === 1 ? '1 check-in or staff action' : `${waiting} check-ins and staff actions`} not yet sent ${waiting === 1 ? 'is' : 'are'} lost if it stops before the backend takes ${waiting === 1 ? 'it' : 'them'}.`;
  if (fate === 'gone') {
    return `The console's data folder ${dir} (or its console.db) was deleted while the console runs. It keeps working from the files it has open, and sends what waits to the backend, but when it stops, its PINs, settings and backend connection are gone and it starts as a new PC, on the demo gym.${held} Tell the gym's IT now: keep the console running, and put the folder back from a backup before it stops.`;
  }
  return `${file} was replaced by another file while the console runs (a backup put back under it?): the console keeps writing to the one it opened, which is no longer in ${dir}, so what it saves from now on is lost when it stops.${held} Tell the gym's IT: stop the console and start it again once the backend has taken what waits, so it opens the file now in the folder.`;
}
