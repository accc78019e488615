import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../shared/result';

/** Files waiting to be opened at once; more push out the oldest (a screen that never opens them). */
const MAX_WAITING = 10;
/** Uploaded copies kept at once, in bytes; more push out the oldest. 10 × 512 MB filled 5 GB of disk. */
const MAX_KEPT_BYTES = 2 * 1024 ** 3;
/** Uploads being received at once: each may be 512 MB on its way to disk. */
export const MAX_UPLOADING = 2;

interface Entry {
  file: string;
  /** What staff call it: the name it had on their PC. */
  name: string;
  /** Uploaded copies are ours to delete; picked files are the user's own. */
  owned: boolean;
  /** Bytes of an uploaded copy (0 for a picked file: not ours, not in our folder). */
  bytes: number;
}

/**
 * Export files admitted for review, known to the screens only by opaque random refs. The screens
 * never name a path on this PC, so they cannot ask it whether some file exists.
 */
export class ExportInbox {
  private readonly entries = new Map<string, Entry>();
  private uploading = 0;

  /** `dir` holds uploaded copies: private to this user, and emptied at start. */
  constructor(
    readonly dir: string,
    private readonly maxKeptBytes = MAX_KEPT_BYTES,
  ) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }

  /** A fresh, unguessable place in the inbox folder for an upload to be written to. */
  uploadPath(): string {
    return join(this.dir, `${randomBytes(12).toString('hex')}.upload`);
  }

  /** Room for one more upload on its way in: a function to call when it is over, or null when too many are. */
  startUpload(): (() => void) | null {
    if (this.uploading >= MAX_UPLOADING) return null;
    this.uploading++;
    let done = false;
    return () => {
      if (!done) this.uploading--;
      done = true;
    };
  }

  admit(file: string, name: string, owned: boolean): string {
    const bytes = owned ? statSync(file).size : 0;
    const kept = (): number => [...this.entries.values()].reduce((n, e) => n + e.bytes, 0);
    while (this.entries.size && (this.entries.size >= MAX_WAITING || kept() + bytes > this.maxKeptBytes)) this.release([this.entries.keys().next().value!]);
    const ref = randomBytes(16).toString('base64url');
    this.entries.set(ref, { file, name, owned, bytes });
    return ref;
  }

  get(ref: string): Entry {
    const entry = this.entries.get(ref);
    if (!entry) throw new UserError('export-gone', 'That export file is no longer waiting to be opened; choose it again.');
    return entry;
  }

  /** Forgets refs, deleting the uploaded copies behind them. */
  release(refs: string[]): void {
    for (const ref of refs) {
      const entry = this.entries.get(ref);
      if (entry?.owned) rmSync(entry.file, { force: true });
      this.entries.delete(ref);
    }
  }

  clear(): void {
    this.release([...this.entries.keys()]);
  }
}
