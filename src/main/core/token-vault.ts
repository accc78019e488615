import { statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '../../shared/protocol';
import { readSmallFile, SmallFileError, smallFileWords } from './small-file';
import { replaceFile, writeFailureWords } from './disk-words';
import { shellArg } from './shell-arg';

/** Where the backend auth token is kept between runs. Electron uses safeStorage; the headless host a file. */
export interface TokenVault {
  /** The saved token, null when none is saved; throws, in plain words naming the file, when what is there is not one. */
  load(): string | null;
  /** Replaces the saved token whole or not at all; throws, in plain words naming the file, when it cannot. */
  save(token: string): void;
  /** Forgets the saved token (a change undone when the rest of it could not be kept). */
  clear(): void;
  /** Said to the user when the token is saved. */
  readonly where: string;
  /** Other users of this PC can read the saved token: in IT's words, with the fix; null when they cannot (or no file). */
  openToOthers?(): string | null;
}

/**
 * What a token file holds, as a token; null when it is empty. Anything else (binary, several words, longer than the
 * wire takes) is no token: sent, the backend would refuse it as a bad greeting, and staff would be told it is stuck.
 */
export function savedToken(file: string, text: string): string | null {
  const token = text.trim();
  if (!token) return null;
  // U+FFFD: bytes that were not UTF-8.
  if (/[\s\p{Cc}\uFFFD]/u.test(token)) throw new Error(`${file} does not hold a backend token: it is not one word of printable text`);
  if (token.length > LIMITS.maxTokenLength) throw new Error(`${file} does not hold a backend token: it is longer than the ${LIMITS.maxTokenLength} characters a token can have`);
  return token;
}

/** A folder, pipe or device where the token file should be: neither read nor written (a pipe would block), and said so, naming it. */
export function tokenFileProblem(file: string): string | null {
  try {
    const s = statSync(file);
    const what = s.isDirectory() ? 'a folder' : s.isFile() ? null : 'not a plain file';
    return what ? `${file} is ${what}, not the backend token file: remove it (the console saves the token there when one is entered)` : null;
  } catch {
    return null; // missing: no token saved yet
  }
}

/**
 * The token file readable by other users of this PC (group or others may read it), as ssh judges a private key: said,
 * with the chmod that mends it, and still used, so a working gym keeps working. Windows has no such mode bits.
 */
export function tokenFileOpenWords(file: string, platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'win32') return null;
  let mode: number;
  try {
    const s = statSync(file);
    if (!s.isFile()) return null;
    mode = s.mode & 0o777;
  } catch {
    return null; // missing: nothing saved to read
  }
  if (!(mode & 0o044)) return null;
  return `The backend token file ${file} can be read by other users of this PC (mode ${mode.toString(8).padStart(4, '0')}), so anyone who can sign in here could copy the gym's backend token. The console keeps using it. To fix it, run: chmod 600 ${shellArg(file)}`;
}

/** A token is at most 256 characters; an encrypted one a little more. */
const TOKEN_FILE_MAX_BYTES = 4096;

/** The token file's bytes made a token by `read`; null when there is no file yet. */
export function readTokenFile(file: string, read: (bytes: Buffer) => string | null): string | null {
  let bytes: Buffer;
  try {
    bytes = readSmallFile(file, TOKEN_FILE_MAX_BYTES);
  } catch (e) {
    if (!(e instanceof SmallFileError)) throw e;
    if (e.problem === 'missing') return null;
    throw new Error(`${file} does not hold a backend token: ${smallFileWords(e, TOKEN_FILE_MAX_BYTES)}`);
  }
  return read(bytes);
}

/** The token file replaced whole (a crash or a full disk mid-write leaves the old token, never an empty file). */
export function writeTokenFile(file: string, data: string | Buffer): void {
  const problem = tokenFileProblem(file);
  if (problem) throw new Error(problem);
  try {
    replaceFile(file, data, 0o600);
  } catch (e) {
    throw new Error(`${file} could not be saved: ${writeFailureWords(e)}`, { cause: e });
  }
}

export function removeTokenFile(file: string): void {
  const problem = tokenFileProblem(file);
  if (problem) throw new Error(problem);
  try {
    unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} could not be removed: ${writeFailureWords(e)}`, { cause: e });
  }
}

/** A file only this OS user can read (mode 0600). */
export function fileTokenVault(dataDir: string): TokenVault {
  const file = join(dataDir, 'backend-token');
  const openToOthers = (): string | null => tokenFileOpenWords(file);
  return {
    // Not "readable only by this user" of a file others can read (its mode changed since it was saved).
    get where() {
      return openToOthers() ? file : `${file} (mode 0600: readable only by this user)`;
    },
    openToOthers,
    load() {
      const problem = tokenFileProblem(file);
      if (problem) throw new Error(problem);
      return readTokenFile(file, (bytes) => savedToken(file, bytes.toString('utf8')));
    },
    save: (token) => writeTokenFile(file, `${token}\n`),
    clear: () => removeTokenFile(file),
  };
}

/** The saved token, or why what is saved is none: a screen that shows the settings must not fail on it. */
export function loadToken(vault: TokenVault | undefined): { token: string | null; problem: string | null } {
  try {
    return { token: vault?.load() ?? null, problem: null };
  } catch (e) {
    return { token: null, problem: (e as Error).message };
  }
}
