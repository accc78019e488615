import { X509Certificate } from 'node:crypto';
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
  return (url) => new WebSocket(url, { maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false, ca }); // the handshake deadline is the connection's
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
  const text = pem.toString('utf8');
  if (!text.includes(BEGIN)) {
    throw bad(`${path} is not a PEM certificate file (it should contain "${BEGIN}").`);
  }
  const problem = notCertificates(text);
  if (problem) throw bad(`${path} is not a CA certificate file: ${problem}. Give the path of the CA's PEM certificate file.`);
  return pem;
}

const BEGIN = '-----BEGIN CERTIFICATE-----';
const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Every block marked as a certificate must be one: the markers alone let a spoiled or wrong file through,
 * and the failure then came at the next reconnect, blaming the backend's certificate instead of this file.
 */
function notCertificates(text: string): string | null {
  const blocks = text.match(BLOCK) ?? [];
  const begun = text.split(BEGIN).length - 1;
  if (blocks.length < begun) return `a certificate in it has no "-----END CERTIFICATE-----" line (the file is cut short)`;
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      const which = blocks.length === 1 ? 'what is between its certificate lines' : `certificate ${i + 1} of ${blocks.length}`;
      return `${which} is not a readable certificate (the file is damaged, or is not a certificate)`;
    }
  }
  return null;
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
