import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * What every request to the headless host must pass before anything is served or decoded.
 * Parsing and decoding never throw here: a malformed address is a 400, not a dead process.
 */

/** The request's address, or null when it cannot be parsed. */
export function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/** A percent-decoded path, or null when its encoding is broken or it smuggles a NUL. */
export function decodedPath(pathname: string): string | null {
  try {
    const path = decodeURIComponent(pathname);
    return path.includes('\0') ? null : path;
  } catch {
    return null;
  }
}

/**
 * DNS rebinding: a foreign site that points its own name at 127.0.0.1 reaches us with its name in
 * `Host`. Only the names this host answers to, with its own port, are served.
 */
export function ownHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A page's Origin, when it sends one, must be one of the host's own pages. */
export function ownOrigin(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/** Compares the address's token in constant time, so its bytes cannot be guessed one by one. */
export function tokenMatches(given: string | null, expected: Buffer): boolean {
  const g = Buffer.from(given ?? '');
  return g.length === expected.length && timingSafeEqual(g, expected);
}
