import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import WebSocket from 'ws';
import { LIMITS } from '../../../shared/protocol';
import { UserError } from '../../../shared/result';
import type { SocketFactory } from './connection';

/** Far above any real CA bundle (the whole Mozilla store is about 220 KB). */
export const CA_FILE_MAX_BYTES = 1024 * 1024;

/** A socket factory for a pool; a custom CA (PEM) covers gyms whose servers use their own certificates. */
export function socketFactoryFor(caFile: string | undefined): SocketFactory {
  const ca = caFile ? readCa(caFile) : undefined;
  return (url) => new WebSocket(url, { maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false, handshakeTimeout: 3_000, ca });
}

/**
 * A saved pool's factory, at start: its CA file may have gone since it was saved. Then each socket
 * fails with the reason (a `bad-ca-file` UserError) instead of the console not starting, and each
 * new one reads the file again, so the pool comes back when the file does.
 */
export function savedSocketFactoryFor(caFile: string | undefined): SocketFactory {
  let ready: SocketFactory | null = null;
  return (url) => (ready ??= socketFactoryFor(caFile))(url);
}

const bad = (message: string) => new UserError('bad-ca-file', message);

/**
 * The path is typed on a screen, and read on the event loop: only a regular file, opened without
 * blocking (a FIFO would wait forever for a writer) and read to a cap (`/dev/zero` never ends).
 */
export function readCa(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no file there' : code === 'EACCES' || code === 'EPERM' ? 'the console is not allowed to read it' : `error ${code ?? 'unknown'}`;
    throw bad(`Cannot read the CA file ${path}: ${why}. Check the path.`);
  }
  try {
    if (!fstatSync(fd).isFile()) throw bad(`${path} is not a file. Give the path of the CA's PEM certificate file.`);
    const pem = readCapped(fd);
    if (!pem) throw bad(`${path} is larger than ${CA_FILE_MAX_BYTES / 1024} KB: that is not a CA certificate file.`);
    if (!pem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
      throw bad(`${path} is not a PEM certificate file (it should contain "-----BEGIN CERTIFICATE-----").`);
    }
    return pem;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw bad(`Cannot read the CA file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check the path.`);
  } finally {
    closeSync(fd);
  }
}

/** The file's bytes, or null past the cap; a file's stated size is not trusted (/proc files say 0). */
function readCapped(fd: number): Buffer | null {
  const buf = Buffer.alloc(CA_FILE_MAX_BYTES + 1);
  let n = 0;
  for (;;) {
    const got = readSync(fd, buf, n, buf.length - n, null);
    if (got === 0) break;
    n += got;
    if (n > CA_FILE_MAX_BYTES) return null;
  }
  return Buffer.from(buf.subarray(0, n));
}
