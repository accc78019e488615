import type { LeftOutMembers } from '../../../shared/protocol';

/** Marks of members left out remembered, so one record read again (each roster sync, each search) is told once. */
const TOLD_KEPT = 1_000;

/**
 * Members the backend's replies held that the console could not read (protocol.ts `readMembers`): counted
 * once each, however often they come back. One reply is at most one line in the log, whatever it holds.
 */
export class LeftOutRecords {
  private readonly told = new Set<string>();
  /** Different records left out since the start, for diagnostics. */
  count = 0;

  /** This reply's members left out that were not told before: how many (0 for none). */
  fresh(l: LeftOutMembers): number {
    let n = 0;
    for (const mark of l.marks) {
      if (this.told.has(mark)) continue;
      this.told.add(mark);
      if (this.told.size > TOLD_KEPT) this.told.delete(this.told.values().next().value!);
      n++;
    }
    this.count += n;
    return n;
  }
}
