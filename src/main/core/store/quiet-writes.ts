import { diskProblem, DISK_WORDS } from '../disk-words';

/**
 * console.db writes that keep a copy of what is already known in memory (who is inside, the gym as last
 * shown, the roster copy's statuses, answered check-ins): a disk that refuses them must never fail the
 * check-in or the stop around them. Said once in the log when a kind of write starts failing and once when
 * it takes again, in the disk's words, not with a stack per scan (Health says the full disk from the outbox).
 */
export class QuietWrites {
  /** What is failing now → how many writes of it failed meanwhile. */
  private readonly refused = new Map<string, number>();

  /** Where a spell of failed writes is told (stderr lands in the console's log). */
  constructor(private readonly report: (line: string) => void = (line) => void process.stderr.write(`console: ${line}\n`)) {}

  /** Runs `write`; false when it failed (told, not thrown). `what` names it for IT: "who is inside". */
  attempt(what: string, write: () => void): boolean {
    try {
      write();
    } catch (e) {
      const n = this.refused.get(what);
      if (n === undefined) {
        const disk = diskProblem(e);
        const why = disk ? DISK_WORDS[disk] : `it could not be written (${e instanceof Error ? e.message : String(e)})`;
        this.report(`${what} could not be saved in console.db: ${why}. It is kept in memory meanwhile and saved once the disk takes it again; a stop before then loses it.`);
      }
      this.refused.set(what, (n ?? 0) + 1);
      return false;
    }
    const n = this.refused.get(what);
    if (n !== undefined) {
      this.refused.delete(what);
      this.report(`${what} is saved in console.db again (${n} ${n === 1 ? 'write' : 'writes'} failed meanwhile).`);
    }
    return true;
  }
}
