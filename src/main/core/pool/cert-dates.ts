import { connect, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import type { FailureCause } from '../../../shared/pools';
import type { Clock } from '../clock';
import { causeOfCertificate, certTrouble, type CertError } from './failure-cause';

/** When the certificate a TLS socket was shown began and runs out (wall ms); null for a plain socket or dates that cannot be read. */
export function certificateSpan(socket: unknown): { from: number; to: number } | null {
  const peer = (socket as Partial<Pick<TLSSocket, 'getPeerCertificate'>> | null)?.getPeerCertificate?.();
  const from = peer?.valid_from ? Date.parse(peer.valid_from) : NaN;
  const to = peer?.valid_to ? Date.parse(peer.valid_to) : NaN;
  return Number.isFinite(from) && Number.isFinite(to) ? { from, to } : null;
}

/** Long enough for a handshake across a gym's network; short, as Test connection waits on it. */
export const CERT_LOOK_MS = 2_000;

/**
 * The dates on the certificate at a wss:// address, read for the words only. A second TLS handshake with
 * verification off: it never carries data (no byte is written after the handshake) and ends as soon as the
 * certificate is read, or after `limitMs`. Null when it could not be read.
 */
export function certificateDates(url: string, clock: Clock, limitMs = CERT_LOOK_MS): Promise<{ valid_from: string; valid_to: string } | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.resolve(null);
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    let timer: unknown = null;
    const socket = connect({ host, port: Number(u.port) || 443, servername: isIP(host) ? undefined : host, rejectUnauthorized: false });
    const done = (dates: { valid_from: string; valid_to: string } | null): void => {
      clock.clearTimeout(timer);
      socket.destroy();
      resolve(dates);
    };
    timer = clock.setTimeout(() => done(null), limitMs);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      done(cert?.valid_to ? { valid_from: cert.valid_from, valid_to: cert.valid_to } : null);
    });
    socket.once('error', () => done(null));
  });
}

/**
 * Node's "certificate has expired" (or "not yet valid") carries no date: the words then say when, from a second
 * look at the certificate. Any other cause, or a date already known, is returned as it is.
 */
export async function withCertificateDates(c: FailureCause, e: CertError | null, url: string, clock: Clock): Promise<FailureCause> {
  const trouble = certTrouble(e?.code ?? '');
  if (c.kind !== 'tls' || !e || e.cert?.valid_to || (trouble !== 'expired' && trouble !== 'not-yet-valid')) return c;
  const dates = await certificateDates(url, clock);
  if (!dates) return c;
  return causeOfCertificate(Object.assign(new Error(e.message), { code: e.code, host: e.host, cert: dates }), c.detail, url);
}
