import type { FailureCause } from '../../../shared/pools';
import type { Clock } from '../clock';
import type { SocketFactory } from './connection';
import { testEndpoints } from './connection-test';
import { cause, pastSecureConnection } from './failure-cause';

/**
 * Causes met only after the secure connection was made: the certificate was trusted with the file,
 * whatever the backend said next.
 */
const PAST_TLS = new Set<FailureCause['kind']>(['unauthorized', 'unsupported-version', 'turned-away', 'not-backend', 'breaks-protocol', 'too-large', 'bad-frames', 'no-welcome', 'storage-unavailable', 'gateway']);

/** An untested file must not drop working check-ins; IT is told so, and that new connections will not work. */
const KEEPS = 'Connections already open stay open until they drop; new ones will fail until the file is right.';
/** An unknown authority's own words say to set a CA file: beside one just saved, they say which file it must be. */
const NOT_ITS_AUTHORITY =
  "Saved, but the backend's certificate is not signed by the authority in this file, so it is still not trusted. Check that this is the gym's own CA certificate, the one that signed the backend's certificate (the gym's IT has it).";

/**
 * A CA file just saved on a pool with wss:// addresses, tried on one of them at once, as Test connection
 * does. Open sockets are left alone (they may be carrying check-ins, and the file is untested); without
 * this, a wrong file was found only at the next reconnect, maybe hours later. Null: no wss:// address to try.
 */
export async function tryCaFile(endpoints: string[], opts: { token: string; clock: Clock; socketFactory: SocketFactory }): Promise<string | null> {
  const url = endpoints.find((e) => /^wss:\/\//i.test(e));
  if (!url) return null;
  const [r] = await testEndpoints([url], opts);
  if (!r || r.ok || (PAST_TLS.has(r.cause.kind) && pastSecureConnection(r.cause))) return "Saved. The backend's certificate is trusted with this file.";
  if (r.cause.kind === 'tls') {
    if (r.cause.text === cause('tls', '').text) return `${NOT_ITS_AUTHORITY} ${KEEPS}`;
    // Expired, or for another name: its own words say a CA file cannot help, and what can.
    return `Saved, but a test connection with this file failed: ${r.cause.text.replace(/^The secure connection failed: /, '')} ${r.cause.nextHere} ${KEEPS}`;
  }
  return `Saved, but the file could not be tried: ${r.cause.text} It is tried again when the pool next connects.`;
}
