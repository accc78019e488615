import type { Clock } from '../clock';
import type { Db } from './db';
import { markConsoleDbKept, markPinsSet } from './console-db-mark';

/** How often what the -wal holds is copied into console.db itself: the most a lost -wal can take. */
export const CHECKPOINT_EVERY_MS = 30_000;

export interface ConsoleDbKeeper {
  /** Copies the -wal into the main file now: after a rare write that must never be taken back (the PINs). */
  now(): void;
  /** PINs were set: copied in now, and recorded in the mark, so a console.db found later without them is refused. */
  pinsSet(): void;
  stop(): void;
}

/**
 * Keeps console.db's main file close behind its -wal. SQLite only checkpoints itself at 1,000 pages (4 MB),
 * so after a crash the main file could be a single empty page with every commit in the -wal, and a -wal lost
 * then (a folder copied without it, a power cut) lost everything. Not per message: the outbox's speed is its
 * one fsync per commit. PASSIVE never waits for a reader (an export running alongside): a checkpoint it could
 * not finish is finished by a later one. A clean stop needs none: closing the last connection checkpoints.
 */
export function keepConsoleDb(db: Db, dir: string | null, clock: Clock, everyMs = CHECKPOINT_EVERY_MS): ConsoleDbKeeper {
  let marked = dir === null;
  let timer: unknown = null;
  const now = (): void => {
    try {
      const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      // Marked only once the schema is surely in the main file: the mark says a main file with none is a loss.
      if (!marked && r && r.busy === 0 && r.checkpointed === r.log) {
        markConsoleDbKept(dir!);
        marked = true;
      }
    } catch {
      // A disk that refuses the copy refuses the commits too, and those are said where they fail; this tries again.
    }
  };
  const tick = (): void => {
    if (!db.open) return; // closed without stop(): nothing left to keep
    now();
    timer = clock.setTimeout(tick, everyMs);
  };
  tick();
  return {
    now,
    pinsSet() {
      now();
      try {
        if (dir !== null) markPinsSet(dir);
      } catch {
        // Not written (a disk refusing): written at the next PIN change; the PINs themselves are saved.
      }
    },
    stop() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
  };
}
