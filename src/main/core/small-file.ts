import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Why a small file could not be read, for the caller to say in its own words. */
export type SmallFileProblem = 'missing' | 'not-allowed' | 'not-a-file' | 'too-big' | 'unreadable';

export class SmallFileError extends Error {
  constructor(
    readonly problem: SmallFileProblem,
    readonly code: string | undefined,
  ) {
    super(`${problem}${code ? ` (${code})` : ''}`);
  }
}

/**
 * A file the console reads on its event loop (settings, a token, a CA certificate): only a regular
 * file, opened without blocking (a FIFO would wait forever for a writer) and read to a cap (a file's
 * stated size is not trusted: /proc files say 0, /dev/zero never ends).
 */
export function readSmallFile(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SmallFileError(code === 'ENOENT' ? 'missing' : code === 'EACCES' || code === 'EPERM' ? 'not-allowed' : code === 'EISDIR' ? 'not-a-file' : 'unreadable', code);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new SmallFileError('not-a-file', undefined);
    const buf = Buffer.alloc(maxBytes + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > maxBytes) throw new SmallFileError('too-big', undefined);
    }
    return Buffer.from(buf.subarray(0, n));
  } catch (e) {
    if (e instanceof SmallFileError) throw e;
    throw new SmallFileError('unreadable', (e as NodeJS.ErrnoException).code);
  } finally {
    closeSync(fd);
  }
}

/** The problem in a sentence's words: "… could not be used (it is not a file)". */
export function smallFileWords(e: SmallFileError, maxBytes: number): string {
  switch (e.problem) {
    case 'missing':
      return 'there is no file there';
    case 'not-allowed':
      return 'the console is not allowed to read it';
    case 'not-a-file':
      return 'it is not a file';
    case 'too-big':
      return `it is larger than ${Math.round(maxBytes / 1024)} KB, far more than it should hold`;
    default:
      return `it could not be read${e.code ? ` (${e.code})` : ''}`;
  }
}
