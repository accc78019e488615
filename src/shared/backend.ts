import { z } from 'zod';
import { EndpointUrlSchema, missingPortProblem, normalizeEndpoint, type FailureCause } from './pools';
import { LIMITS } from './protocol';

/** The backend token as staff paste it: one word, no spaces. */
export const TokenSchema = z
  .string()
  .trim()
  .min(1, 'Type the backend token, or leave the field empty to keep the saved one.')
  // The wire's limit: a longer token would be refused by the backend as a bad greeting, not as a wrong token.
  .max(LIMITS.maxTokenLength, `That is too long for a backend token (${LIMITS.maxTokenLength} characters at most); paste it again, or ask the backend's administrator for a shorter one.`)
  .regex(/^\S+$/, 'A backend token has no spaces in it; paste it again.');

/** Untrusted at the boundary: bounded here, checked field by field by `backendProblems`. */
const endpointList = z.array(z.string().max(300)).max(16);
const token = z.string().max(600);

export const BackendChangeSchema = z.object({ endpoints: endpointList.optional(), token: token.optional() }).strict();
export type BackendChange = z.infer<typeof BackendChangeSchema>;

/** A test may use what is typed but not saved yet; what is left out falls back to what is saved. */
export const BackendTestSchema = BackendChangeSchema;

/** One message per problem, next to the field it belongs to. */
export interface BackendProblems {
  endpoints: (string | null)[];
  /** About the list as a whole (empty, too long). */
  list: string | null;
  token: string | null;
}

export const MAX_ENDPOINTS = 16;

/** Checks a change the way the core will; the screen shows the same messages before it sends. */
export function backendProblems(change: BackendChange): BackendProblems {
  const endpoints = (change.endpoints ?? []).map((e) => {
    if (!e.trim()) return 'Type an address here, or remove this line.';
    const r = EndpointUrlSchema.safeParse(e);
    return r.success ? missingPortProblem(e) : (r.error.issues[0]?.message ?? 'Not a backend address.');
  });
  const seen = new Set<string>();
  (change.endpoints ?? []).forEach((e, i) => {
    const key = normalizeEndpoint(e);
    if (endpoints[i] === null && seen.has(key)) endpoints[i] = `${e.trim()} is listed twice.`;
    seen.add(key);
  });
  const n = change.endpoints?.length;
  const list = n === 0 ? 'The console needs at least one backend address.' : n !== undefined && n > MAX_ENDPOINTS ? `At most ${MAX_ENDPOINTS} addresses.` : null;
  const t = change.token === undefined ? null : TokenSchema.safeParse(change.token);
  return { endpoints, list, token: t && !t.success ? (t.error.issues[0]?.message ?? 'Not a token.') : null };
}

export const hasProblems = (p: BackendProblems): boolean => p.list !== null || p.token !== null || p.endpoints.some((e) => e !== null);

/** What the Backend connection screen shows; the token itself never leaves the core. */
export interface BackendSettings {
  /** The demo gym's connection is built in. */
  demo: boolean;
  pool: string | null;
  endpoints: string[];
  tokenSaved: boolean;
  /** Why what is saved cannot be used as the token (a folder, not a token), in plain words naming the file; null when fine. */
  tokenProblem: string | null;
  /** Where a saved token is kept, or null when this console keeps it only until it stops. */
  tokenWhere: string | null;
  /** Other users of this PC can read the saved token file: why it matters and the chmod that mends it; null when not. */
  tokenOpenToOthers: string | null;
}

export type EndpointTestResult = { url: string; ok: true; instance: string; rttMs: number | null } | { url: string; ok: false; cause: FailureCause };
