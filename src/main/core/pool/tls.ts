import WebSocket from 'ws';
import { LIMITS } from '../../../shared/protocol';
import { UserError } from '../../../shared/result';
import type { SocketFactory } from './connection';
import { readSmallFile, type SmallFileError } from '../small-file';

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

// Named as the pool's field, so a screen says it next to the CA file box.
const bad = (message: string) => new UserError('bad-ca-file', message, { field: 'caFile' });

/** The path is typed on a screen, and read on the event loop: see readSmallFile. */
export function readCa(path: string): Buffer {
  let pem: Buffer;
  try {
    pem = readSmallFile(path, CA_FILE_MAX_BYTES);
  } catch (e) {
    const { problem, code } = e as SmallFileError;
    if (problem === 'not-a-file') throw bad(`${path} is not a file. Give the path of the CA's PEM certificate file.`);
    if (problem === 'too-big') throw bad(`${path} is larger than ${CA_FILE_MAX_BYTES / 1024} KB: that is not a CA certificate file.`);
    const why = problem === 'missing' ? 'there is no file there' : problem === 'not-allowed' ? 'the console is not allowed to read it' : `error ${code ?? 'unknown'}`;
    throw bad(`Cannot read the CA file ${path}: ${why}. Check the path.`);
  }
  if (!pem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    throw bad(`${path} is not a PEM certificate file (it should contain "-----BEGIN CERTIFICATE-----").`);
  }
  return pem;
}

/** Why a saved pool's CA file cannot be used now, in the reading's own words; null when it reads. */
export function caFileProblem(path: string): string | null {
  try {
    readCa(path);
    return null;
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
}
