import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readSmallFile, SmallFileError, smallFileWords } from '../core/small-file';
import { replaceFile, writeFailureWords } from '../core/disk-words';
import { portFile } from './kept-port';

export const WEB_TOKEN_FILE = 'web-token';

/** 24 random bytes, base64url: what `newWebToken` makes, and all a kept one may be. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;
const MAX_BYTES = 1024;

export const newWebToken = (): string => randomBytes(24).toString('base64url');

/** The token for this run, and what to tell IT about it (null: nothing new). */
export interface WebToken {
  token: string;
  /** Said on stderr and in the log: kept for the first time, replaced, or kept for this run only. */
  note: string | null;
  /** The note is a problem (a damaged file, a disk that would not take it), not news. */
  warn: boolean;
}

/**
 * The token in the browser form's address, kept in the data dir so the address a screen was opened
 * with keeps working when the console restarts (on the same port: kept per data dir by --port N, kept-port.ts). It sits beside backend-token
 * with the same protection (mode 0600, written whole by temp-and-rename). A file that is not one the
 * console wrote, or that other users could read, is replaced with a fresh token; when nothing can be
 * saved the console still starts, with a token for this run only.
 */
export function keptWebToken(dataDir: string, opts: { portKept?: boolean; platform?: NodeJS.Platform } = {}): WebToken {
  const platform = opts.platform ?? process.platform;
  // The token alone keeps no address: a free port picked on each start moves it.
  const stays = opts.portKept ? 'it stays the same after later restarts' : 'its port changes with each restart unless one is kept with --port N';
  const file = join(dataDir, WEB_TOKEN_FILE);
  const kept = keptToken(file, platform);
  if (kept.ok) return { token: kept.token, note: null, warn: false };
  const { why } = kept;
  const token = newWebToken();
  try {
    replaceFile(file, `${token}\n`, 0o600);
  } catch (e) {
    const said = why === 'missing' ? '' : `${file} could not be used (${why}), and `;
    return { token, note: `${said}the address's token could not be saved in ${file} (${writeFailureWords(e)}): the address printed below works only until the console stops; after a restart, open the new one it prints.`, warn: true };
  }
  if (why === 'missing') {
    const after = opts.portKept ? `and with the port kept in ${portFile(dataDir)}, the printed address keeps working after a restart` : 'but the port is picked afresh on each start, so the printed address changes with every restart: start once with --port N to keep it';
    return { token, note: `the address's token is kept in ${file} (mode 0600), ${after}; delete ${file} for a new token.`, warn: false };
  }
  return { token, note: `${file} could not be used (${why}); a new token replaces it: open the address printed below on every screen (${stays}).`, warn: true };
}

/** The kept token, or why it cannot be used ('missing' when there is none yet). */
function keptToken(file: string, platform: NodeJS.Platform): { ok: true; token: string } | { ok: false; why: string } {
  let token: string;
  try {
    token = readSmallFile(file, MAX_BYTES).toString('utf8').trim();
  } catch (e) {
    if (!(e instanceof SmallFileError)) throw e;
    return { ok: false, why: e.problem === 'missing' ? 'missing' : smallFileWords(e, MAX_BYTES) };
  }
  if (!TOKEN_SHAPE.test(token)) return { ok: false, why: 'it does not hold a token the console wrote' };
  // Windows has no such mode bits: the data folder's own access rules protect it there.
  if (platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) return { ok: false, why: 'other users of this PC could read it' };
  return { ok: true, token };
}
