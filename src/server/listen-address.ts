import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { z } from 'zod';

/** Where instances listen unless `--host` says otherwise: only consoles on this machine can connect. */
export const LOOPBACK = '127.0.0.1';

const WILDCARD_LOOPBACK: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };

/** An IP address of this machine as node's listen takes it; a zone (`%eth0`) cannot go into a console's ws:// address. */
const HostSchema = z
  .string()
  .trim()
  .max(64)
  .refine((s) => isIP(s) !== 0 && !s.includes('%'))
  // One spelling per address (`0:0::0` is `::`), so the wildcard and loopback checks below see it.
  .transform((s) => (isIP(s) === 6 ? new URL(`http://[${s}]`).hostname.slice(1, -1) : s));

export function parseHost(raw: string | undefined): { ok: true; host: string } | { ok: false; error: string } {
  if (raw === undefined) return { ok: true, host: LOOPBACK };
  const parsed = HostSchema.safeParse(raw);
  if (parsed.success) return { ok: true, host: parsed.data };
  return {
    ok: false,
    error: `--host must be an IP address of this machine: 127.0.0.1 (this machine only, the default), 0.0.0.0 (all its network interfaces) or one interface's address such as 10.0.0.5; not "${raw.slice(0, 80)}".`,
  };
}

export const isWildcard = (host: string): boolean => host in WILDCARD_LOOPBACK;

export function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === '::1' || /^::ffff:7f[0-9a-f]{2}:/.test(host);
}

const inUrl = (host: string): string => (isIP(host) === 6 ? `[${host}]` : host);

/** An address a console on this machine can connect to: the wildcard's loopback, or the address itself. */
export function wsUrl(scheme: 'ws' | 'wss', host: string, port: number): string {
  return `${scheme}://${inUrl(WILDCARD_LOOPBACK[host] ?? host)}:${port}`;
}

/**
 * What a "listening" line adds for a wildcard: that it is every interface, and the addresses other machines
 * would use (link-local IPv6 left out: it needs a zone a ws:// address cannot carry).
 */
export function reachNote(scheme: 'ws' | 'wss', host: string, port: number): string {
  if (!isWildcard(host)) return '';
  const others = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && (host === '::' || a.family === 'IPv4') && !a.address.startsWith('fe80:'))
    .map((a) => `${scheme}://${inUrl(a.address)}:${port}`);
  return others.length ? ` (all interfaces; from other machines: ${others.join(', ')})` : ' (all interfaces; this machine has no other network address right now)';
}

/** One line for a backend other machines can reach; null on loopback, where only this machine can. */
export function exposureWarning(host: string): string | null {
  if (isLoopback(host)) return null;
  return (
    `gym-server: warning: --host ${host} lets other machines connect; the token is the only protection and the traffic is not encrypted. ` +
    `For a live gym put a TLS proxy in front and give consoles its wss:// addresses and CA file (README, "Connecting to the gym's backend").`
  );
}
