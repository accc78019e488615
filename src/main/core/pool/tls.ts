import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { LIMITS } from '../../../shared/protocol';
import { UserError } from '../../../shared/result';
import type { SocketFactory } from './connection';

/** A socket factory for a pool; a custom CA (PEM) covers gyms whose servers use their own certificates. */
export function socketFactoryFor(caFile: string | undefined): SocketFactory {
  const ca = caFile ? readCa(caFile) : undefined;
  return (url) => new WebSocket(url, { maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false, handshakeTimeout: 3_000, ca });
}

function readCa(path: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (e) {
    throw new UserError('bad-ca-file', `Cannot read the CA file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check the path.`);
  }
  if (!pem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    throw new UserError('bad-ca-file', `${path} is not a PEM certificate file (it should contain "-----BEGIN CERTIFICATE-----").`);
  }
  return pem;
}
