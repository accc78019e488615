import { z } from 'zod';
import type { InstanceLoad } from './protocol';

export const STRATEGIES = ['round-robin', 'least-connections', 'health-weighted'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** How long a backend has to answer `hello` with `welcome` when the pool does not say. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 3_000;

/** A backend address staff can type: ws:// or wss://, a host, an optional valid port, nothing else. */
export const EndpointUrlSchema = z
  .string()
  .trim()
  .max(256)
  .superRefine((raw, ctx) => {
    // Said back without any user name or password typed into it: the message reaches screens and the log.
    const shown = raw.replace(/^([a-z]+:\/\/)[^/@]*@/i, '$1…@');
    const credentials = shown !== raw;
    // The browser's own part of an address (after #) never reaches a server, and ws refuses to open one (probe26b B1);
    // a bare # at the end it ignores, so one saved so works on (review26 V3).
    const hash = raw.indexOf('#');
    if (hash >= 0 && hash < raw.length - 1) return void ctx.addIssue({ code: 'custom', message: `"${shown}" has a #… part, which a backend address cannot have: remove "${raw.slice(hash, hash + 40)}".` });
    const explicitPort = /^wss?:\/\/(?:[^/@]*@)?[^/@]*:(\d+)(?:[/?]|$)/i.exec(raw)?.[1];
    if (explicitPort !== undefined && (Number(explicitPort) < 1 || Number(explicitPort) > 65535)) {
      return void ctx.addIssue({ code: 'custom', message: `"${shown}" has port ${explicitPort}; use 1 to 65535.${credentials ? ' Leave out the user name and password: the backend token is given on its own.' : ''}` });
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return void ctx.addIssue({ code: 'custom', message: `"${shown}" is not a URL; write it as ws://host:port or wss://host:port.` });
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      return void ctx.addIssue({ code: 'custom', message: `"${shown}" must start with ws:// or wss://.` });
    }
    if (url.username || url.password) ctx.addIssue({ code: 'custom', message: `"${shown}" must not carry a user name or password; use the backend token.` });
  })
  .meta({ label: 'Endpoint', example: 'ws://10.0.0.5:9100' });

/**
 * A new address with no port: ws:// would quietly mean port 80 (wss:// 443), and a forgotten port is the likely
 * story. Checked where an address is typed (--backend, Backend connection), not on pools saved before this rule.
 */
export function missingPortProblem(raw: string): string | null {
  const text = raw.trim();
  if (!/^wss?:\/\//i.test(text) || /^wss?:\/\/(?:[^/@]*@)?[^/@#]*:\d+(?:[/?#]|$)/i.test(text)) return null;
  const host = text.replace(/^wss?:\/\//i, '').replace(/[/?#].*$/, '') || 'host';
  return `"${text}" has no port: add the backend's port, like ${text.slice(0, text.indexOf('//') + 2)}${host}:9100.`;
}

// Labels are the ones on screen (PoolSettings, CreatePool): errors name fields by them.
const fields = {
  endpoints: z.array(EndpointUrlSchema).min(1, 'A pool needs at least one endpoint.').max(16).meta({ label: 'Endpoints' }),
  maxConnections: z.number().int().min(1).max(64).meta({ label: 'Max sockets' }),
  healthCheckInterval: z.number().int().min(100).max(60_000).meta({ label: 'Health check', unit: 'ms' }),
  reconnectAttempts: z.number().int().min(1).max(1_000).meta({ label: 'Failed tries before an address is paused' }),
  strategy: z.enum(STRATEGIES).meta({ label: 'Strategy' }),
  /** ms a backend has to answer our hello with welcome; past it the socket is closed and retried. */
  handshakeTimeout: z.number().int().min(500).max(60_000).meta({ label: 'Handshake deadline', unit: 'ms' }).optional(),
  /** PEM file with the CA that signed the gym's own wss:// certificates. */
  caFile: z.string().trim().min(1).max(4096).meta({ label: 'CA file' }).optional(),
};

export const PoolNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the pool a name.')
  .max(40)
  // Any language's letters (with their accents) and the dash a keyboard's autocorrect gives: "Süd" was refused as not letters (probe26b B3).
  .regex(/^[\p{L}\p{M}\p{N} ._\u2013-]+$/u, 'Pool names use letters, digits, spaces, dot, dash and underscore.')
  .meta({ label: 'Pool name' });

/** Rules that involve several fields; applied after every create and every change. */
function crossCheck(c: { endpoints: string[]; maxConnections: number }, ctx: z.RefinementCtx): void {
  if (ctx.issues.length) return; // a field is wrong already: say that, not its knock-on effects
  const seen = new Set<string>();
  for (const e of c.endpoints) {
    const key = normalizeEndpoint(e);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['endpoints'], message: `${e} is listed twice; remove one.` });
    seen.add(key);
  }
  if (c.maxConnections < c.endpoints.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxConnections'],
      message: `Max sockets (${c.maxConnections}) must be at least the number of endpoints (${c.endpoints.length}), so each endpoint has a socket.`,
    });
  }
}

export const PoolConfigSchema = z.object({ name: PoolNameSchema, ...fields }).strict().superRefine(crossCheck);
export type PoolConfig = z.infer<typeof PoolConfigSchema>;

/**
 * What the screens may set up in all. A gym needs a pool or two; a hundred pools of 64 sockets held
 * the console's loop so long that check-ins took 1.9 s, past the kiosk's 1.5 s wait.
 */
export const POOL_LIMITS = { pools: 16, sockets: 256 } as const;

/** Pools a hand-edited pools.json holds past POOL_LIMITS that are not running (pools-file.ts withinLimits). */
export interface PoolsLeftOut {
  /** How many, and the first few names in file order (a hand-edited file may hold thousands). */
  count: number;
  names: string[];
  /** Pools in pools.json, and how many of them run. */
  inFile: number;
  running: number;
}

/** What the Connection Pools tab and Health say while pools are left out: which, the limit, and what to do. */
export function poolsLeftOutWords(l: PoolsLeftOut): string {
  const n = l.count;
  const shown = l.names.map((name) => `"${name}"`).join(', ') + (n > l.names.length ? ` and ${n - l.names.length} more` : '');
  return (
    `${n === 1 ? '1 pool' : `${n} pools`} in pools.json ${n === 1 ? 'is' : 'are'} not running: ${shown}. ` +
    `The console runs at most ${POOL_LIMITS.pools} pools and ${POOL_LIMITS.sockets} sockets at once, so it runs the first ${l.running} of the ${l.inFile}. ` +
    'To run the others, IT can remove pools from pools.json or lower their maxConnections, then start the console again. ' +
    'Any pool change on the Connection Pools tab saves only the running pools, and the others are then dropped from pools.json.'
  );
}

/** Why `next` (a new pool, or a changed one) would take the console past POOL_LIMITS beside `others`; null when it fits. */
export function poolLimitProblem(others: { maxConnections: number }[], next: { maxConnections: number }, isNew: boolean): string | null {
  if (isNew && others.length >= POOL_LIMITS.pools) return `The console keeps at most ${POOL_LIMITS.pools} pools; destroy one you no longer need first.`;
  const total = others.reduce((n, p) => n + p.maxConnections, 0) + next.maxConnections;
  if (total > POOL_LIMITS.sockets) {
    const taken = total - next.maxConnections;
    const left = POOL_LIMITS.sockets - taken;
    if (left <= 0) return `All pools together may open at most ${POOL_LIMITS.sockets} sockets, and the others take them all; lower Max sockets on another pool first.`;
    // The New pool form has no Max sockets box (it asks two per address): what to do is on another pool's card (probe26b B6).
    if (isNew) return `All pools together may open at most ${POOL_LIMITS.sockets} sockets; the others take ${taken}, and this pool would open ${next.maxConnections}. Lower Max sockets on another pool's card by ${total - POOL_LIMITS.sockets} first, or give this pool fewer addresses.`;
    return `All pools together may open at most ${POOL_LIMITS.sockets} sockets; the others take ${taken}, so Max sockets here can be at most ${left}.`;
  }
  return null;
}

/** The default suits a gym: one pool over its backend instances, two warm sockets each. */
export function defaultPool(endpoints: string[]): PoolConfig {
  return { name: 'gym', endpoints, maxConnections: endpoints.length * 2, healthCheckInterval: 250, reconnectAttempts: 5, strategy: 'health-weighted' };
}

/**
 * A change to an existing pool: any subset of its settings (not its name). An empty CA file takes the
 * pool back to the system's own certificate authorities (a missing key would mean "unchanged").
 */
export const PoolPatchSchema = z
  .object({ ...fields, caFile: z.string().trim().max(4096).meta({ label: 'CA file' }) })
  .partial()
  .strict();
export type PoolPatch = z.infer<typeof PoolPatchSchema>;

/** Same server, same address: case and default ports do not make a second endpoint. */
export function normalizeEndpoint(raw: string): string {
  try {
    const u = new URL(raw.trim());
    return `${u.protocol}//${u.hostname.toLowerCase()}:${u.port || (u.protocol === 'wss:' ? '443' : '80')}${u.pathname.replace(/\/$/, '')}`;
  } catch {
    return raw.trim();
  }
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** The connection guard (circuit breaker) in an IT person's words, and the precise meaning for its tooltip. */
export const BREAKER_WORDS: Record<BreakerState, { text: string; title: string }> = {
  closed: { text: 'in use', title: 'Circuit breaker closed: this address is used normally.' },
  open: { text: 'paused', title: 'Circuit breaker open: after repeated failed tries this address is left alone for a while, then tried again.' },
  'half-open': { text: 'trying again', title: 'Circuit breaker half-open: one trial connection decides whether the address is used again.' },
};

/** Why a socket is out of rotation, in staff words: short under its state, and what that means for its tooltip. */
export const OUT_BECAUSE: Record<NonNullable<SocketView['outBecause']>, { short: string; long: string }> = {
  slow: { short: 'slow to answer', long: 'Slow to answer: still used if nothing faster is open.' },
  errors: { short: 'many requests failed', long: 'Many of its requests failed: used again once they succeed.' },
  unstable: { short: 'address keeps dropping', long: 'Its address keeps dropping: used again once it holds.' },
  stuck: { short: 'program not answering', long: "The backend takes the connection, but its program stopped answering: used again once it answers the console's pings." },
};

export interface SocketView {
  id: string;
  endpoint: string;
  state: 'connecting' | 'open' | 'closed';
  score: number;
  inputs: {
    latencyMs: number | null;
    errorRate: number;
    uptimeS: number;
    recentDisconnects: number;
    /** How long a silence the console now allows before giving up on the socket (adaptive, at most 4 health checks). */
    deadlineMs: number;
    /** False while still the pool's setting: too few replies seen to learn from. */
    deadlineLearned: boolean;
  };
  /** Protocol version agreed with the instance; null before the handshake. */
  protocol: number | null;
  /** The instance's own load report (protocol v2); null from a v1 instance. */
  load: InstanceLoad | null;
  inRotation: boolean;
  /** Out of rotation: for what (slow to answer, failing requests, an address that keeps dropping); null in rotation. */
  outBecause?: 'slow' | 'errors' | 'unstable' | 'stuck' | null;
  inFlight: number;
  rttMs: number | null;
  routed: number;
  subscribed: boolean;
}

export interface EndpointView {
  url: string;
  breaker: BreakerState;
  failures: number;
  nextRetryInMs: number | null;
  /** Why the last connect failed or the last socket was lost; null once it connects. */
  cause: FailureCause | null;
  /** Its program was found stuck (its WebSocket answering) and has sent nothing since: why, in words for IT. */
  stuck?: FailureCause;
  /** Behind a load balancer: which instances are stuck while others at the same address answer (without: none answers). */
  stuckInstances?: string[];
}

/** Why a connection to the backend fails, from a small fixed set. */
export const CAUSE_KINDS = ['no-token', 'unauthorized', 'unsupported-version', 'ca-file', 'bad-address', 'this-pc', 'not-tls', 'tls', 'turned-away', 'not-backend', 'breaks-protocol', 'too-large', 'bad-frames', 'no-welcome', 'app-silent', 'storage-unavailable', 'gateway', 'refused', 'unreachable', 'hung-up', 'closed-by-backend'] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

/**
 * Causes that come from an answer at the address: the backend, or something in its place, is reachable. Said
 * as "cannot reach", they sent IT to the network cable (Health, the Overview banner).
 */
export const ANSWERED_CAUSES: ReadonlySet<CauseKind> = new Set<CauseKind>(['no-token', 'unauthorized', 'unsupported-version', 'turned-away', 'not-backend', 'gateway', 'breaks-protocol', 'too-large', 'bad-frames', 'no-welcome', 'app-silent']);

/**
 * Causes that never mend themselves, short, for a down address's row: a countdown or "Try now" would say
 * waiting helps. Other causes (nothing listening, hung up…) may pass by themselves.
 */
export const NEEDS_FIX_WORDS: Partial<Record<CauseKind, string>> = {
  unauthorized: "the backend refused this PC's token: a manager must enter the right one under Backend connection",
  // Also when a token file is there but cannot be read (the card's cause names it): "none is set" would contradict it.
  'no-token': 'this PC has no backend token it can use: a manager must enter one under Backend connection',
  'unsupported-version': 'the backend speaks another version: IT must update the console or the backend',
  'not-tls': 'the address should start with ws://: IT must change it',
  'turned-away': 'a proxy or access rule in front of the backend refuses this PC: IT must let it through',
  'not-backend': 'the gym backend does not answer at this address: IT must check it',
  'bad-address': 'the address is written so that no connection can be opened to it: a manager must correct it under Connection Pools',
};

export interface FailureCause {
  kind: CauseKind;
  /** In a gym's staff's words. */
  text: string;
  /** What to do about it, said away from the Backend connection screen (Overview, diagnostics). */
  next: string;
  /** What to do about it, said on the Backend connection screen, beside the fields to change. */
  nextHere: string;
  /** The technical detail, for the gym's IT. */
  detail: string;
}

export interface PoolView {
  config: PoolConfig;
  /** Sockets in rotation ÷ sockets configured. */
  healthRatio: number;
  sockets: SocketView[];
  endpoints: EndpointView[];
}
