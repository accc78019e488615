import { z } from 'zod';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EndpointUrlSchema, missingPortProblem, normalizeEndpoint } from '../../../shared/pools';
import { defaultPool, type PoolConfig } from '../../../shared/pools';
import { LIMITS } from '../../../shared/protocol';
import { filePoolStore } from '../pool/pools-file';
import { caFileProblem } from '../pool/tls';
import { addressWords, cause } from '../pool/failure-cause';
import type { TokenVault } from '../token-vault';
import { hasRunLive, markLive, markReview, siteMode, wasLive } from './site-marker';
import { lostConsoleDb } from './lost-console-db';
import { consoleDbHeldData, lostSinceMarked, markFile, uncleanStop } from '../store/console-db-mark';
import { CONSOLE_DB, OLD_CONSOLE_DB, consoleDbUnopenable } from '../store/open-console-db';
import type { TokenFrom } from './backend-lines';

/** The start-up flags both entries understand; each entry parses its own command line into these. */
export interface StartFlags {
  demo?: boolean;
  /** A console for opening exports only: no backend, no demo, its own data in review/. */
  reviewOnly?: boolean;
  backend?: string;
  backendToken?: string;
}

export interface StartInput {
  flags: StartFlags;
  env: { GYM_BACKEND_TOKEN?: string };
  dataDir: string;
  vault: TokenVault;
  /** How IT starts this console (`npm start`, `npm run web`): the messages name the command to give a token with. */
  command?: string;
}

export type StartPlan =
  /** onLive: a one-off demo on a live gym's folder (--demo). */
  | { mode: 'demo'; notes: string[]; onLive?: boolean }
  | { mode: 'review'; notes: string[] }
  | {
      mode: 'live';
      /** Told by flags on this run, or remembered by the data dir. */
      source: 'flags' | 'saved';
      endpoints: string[];
      /** null: no usable token, so the console starts offline (see notes). */
      token: string | null;
      /** Where the token came from, so a refusal names what to change. */
      tokenFrom: TokenFrom;
      /** The command this console was started with (`npm start`, `npm run web`), for the lines that say how to give a token. */
      command: string;
      /** Lines for the person starting the console: what was saved where. */
      notes: string[];
      /** Why this live console starts offline, and what to do; empty when nothing is missing. */
      warnings: string[];
      /** What the data dir lost before this start (console.db gone or empty): said whether or not it connects. */
      lost: string[];
      /** This start's --backend replaced other saved addresses: said until it first connects (review25 V1: not a reason it is offline). */
      replacedAddresses?: string;
      /** The last run did not stop cleanly (nothing lost): said once, in the log and the event log. */
      crashed?: string | null;
      /** The token saved before this start replaced it (token-fallback.ts): tried if the backend refuses the new one. */
      previousToken?: string;
      /**
       * Saved pools that cannot connect as they are (a CA file gone or spoiled): said on stderr and in the log.
       * The console still starts, and the screens say it from the pool itself.
       */
      poolProblems: string[];
    };

export type StartDecision = { ok: true; plan: StartPlan } | { ok: false; problems: string[] };

const TokenSchema = z.string().min(1).max(LIMITS.maxTokenLength).regex(/^\S+$/);
const TOKEN_SHAPE = `the token from the gym backend: 1 to ${LIMITS.maxTokenLength} characters, no spaces`;

/**
 * Decides how the console starts: the demo, live from flags, or live from what the data dir remembers.
 * Everything is checked before anything is saved, so a refused start leaves the data dir as it was.
 */
export function resolveStart(input: StartInput): StartDecision {
  const { flags, dataDir, vault, command = DEFAULT_COMMAND } = input;
  const { problems, saved, token, live, endpoints } = examine(input);
  // Looked at before anything opens console.db, which would make it again.
  const lost = flags.demo || flags.reviewOnly || !hasRunLive(dataDir) ? [] : [lostConsoleDb(dataDir)].filter((l): l is string => l !== null);
  const crashed = flags.demo || flags.reviewOnly || lost.length ? null : uncleanStop(join(dataDir, CONSOLE_DB), dataDir);
  if (problems.length) return { ok: false, problems };

  const review = siteMode(dataDir) === 'review';
  if (flags.reviewOnly) return { ok: true, plan: { mode: 'review', notes: live ? [REVIEW_ON_LIVE] : reviewPc(dataDir, review) } };

  if (flags.demo) return { ok: true, plan: { mode: 'demo', ...(live ? { onLive: true } : {}), notes: live ? ['This data dir belongs to a live gym; running the DEMO because --demo was given. Demo data is kept apart in demo/.'] : review ? ['This data dir is a PC for reviewing exports; running the DEMO once because --demo was given. Demo data is kept apart in demo/.'] : [] } };
  const tokenFrom: TokenFrom = flags.backendToken !== undefined ? 'flag' : input.env.GYM_BACKEND_TOKEN ? 'env' : 'saved';
  if (endpoints) return { ok: true, plan: { ...liveFromFlags(dataDir, vault, endpoints, token!, saved.token), tokenFrom, command, lost, crashed } };
  // A token given on this run, by the flag (or a launcher's hand-over) or by GYM_BACKEND_TOKEN, is saved the same way:
  // one used for this run only made a PC that works today refuse at its next plain restart.
  const given = tokenFrom === 'saved' ? undefined : token;
  if (live) return { ok: true, plan: { ...liveFromSaved(dataDir, vault, given, saved, token ?? null, command), tokenFrom, command, lost, crashed } };
  // A review PC restarted without its flag stays one: a simulated gym around real figures is what it is for avoiding.
  if (review) return { ok: true, plan: { mode: 'review', notes: [REVIEW_AGAIN] } };
  // The likeliest slip on a new PC: the token given, --backend forgotten. The demo's own line says how; this says what happened.
  const unused = input.env.GYM_BACKEND_TOKEN ? ["GYM_BACKEND_TOKEN is set but was not used (nothing was saved): without --backend a new PC runs the demo. Add --backend with the backend's addresses, as the line above says."] : [];
  return { ok: true, plan: { mode: 'demo', notes: unused } };
}

const DEFAULT_COMMAND = 'npm start';

/** The way the README gives a token: by environment, never on a command line every user can read (`ps`). */
export const tokenByEnv = (command: string, flags = ''): string => `GYM_BACKEND_TOKEN=TOKEN ${command}${flags ? ` -- ${flags}` : ''}`;

const REVIEW_AGAIN = 'starting as a review PC (for opening exports only: no backend, no demo), as this PC was set up (--review-only); start it with --backend to connect it to a gym instead.';
const REVIEW_ON_LIVE = 'This data dir belongs to a live gym; running a REVIEW-ONLY console because --review-only was given: it connects to no backend, and keeps its own data apart in review/. The next start without the flag is live again.';

/** A new data dir given --review-only becomes a review PC, so a restart without the flag is one too. */
function reviewPc(dataDir: string, already: boolean): string[] {
  if (already) return [];
  markReview(dataDir);
  return [`This data dir is now a PC for reviewing exports (${dataDir}/site.json): later starts need no flag. Start it with --backend to connect it to a gym instead.`];
}

/**
 * The problems resolveStart would refuse the start for, found without writing anything (nor needing the data
 * dir to exist): a host checks these before it creates and locks the data dir.
 */
export function startProblems(input: StartInput): string[] {
  return examine(input).problems;
}

/**
 * Why this folder's console.db cannot be opened by this user, or is gone or new though console-db.json says it held
 * data (see lostSinceMarked), for a start that would open it: a host refuses with it before it writes anything (token, pools, logs).
 */
export function lostBeforeStart({ flags, dataDir }: Pick<StartInput, 'flags' | 'dataDir'>): string | null {
  if (flags.demo || flags.reviewOnly || existsSync(join(dataDir, OLD_CONSOLE_DB))) return null; // demo/ or review/ has its own; an older folder's is renamed on open
  const file = join(dataDir, CONSOLE_DB);
  return consoleDbUnopenable(file) ?? lostSinceMarked(file, dataDir);
}

/**
 * Whether this folder belongs to a live gym: site.json says so, or a backend token is saved (even one that cannot be
 * read). A folder last run by a console from before site.json, or whose site.json is unreadable, is live by its token.
 * The one test: the web host's guest-on-live (guest-on-live.ts) asks it too, so a demo or a review never takes a live site's address.
 */
export const isLiveFolder = (dataDir: string, vault: TokenVault): boolean => liveBy(dataDir, readVault(vault));

/**
 * Live by its marker, its token, or its console.db: the mark beside a console.db that has held data (console-db.json) is
 * a live console's only (the demo and review PCs keep theirs in sub-folders). A folder whose config files were deleted
 * ("resetting the connection") or not restored still holds its PINs and check-ins not yet sent (probe23 P3).
 */
const liveBy = (dataDir: string, saved: { token: string | null; error: string | null }): boolean =>
  wasLive(dataDir) || saved.token !== null || saved.error !== null || existsSync(markFile(dataDir)) || [CONSOLE_DB, OLD_CONSOLE_DB].some((f) => consoleDbHeldData(join(dataDir, f)));

function examine({ flags, env, dataDir, vault, command = DEFAULT_COMMAND }: StartInput) {
  const saved = readVault(vault);
  const token = flags.backendToken ?? (env.GYM_BACKEND_TOKEN || undefined) ?? saved.token ?? undefined;
  const live = liveBy(dataDir, saved);
  const problems = check(flags, env, token, live, command);
  const endpoints = flags.backend === undefined ? null : parseEndpoints(flags.backend, problems);
  return { problems, saved, token, live, endpoints };
}

/** Every problem with the flags, one message each, naming the flag. */
function check(flags: StartFlags, env: StartInput['env'], token: string | undefined, live: boolean, command: string): string[] {
  const problems: string[] = [];
  if (flags.reviewOnly) {
    if (flags.demo) problems.push('--review-only and --demo do not go together: a review-only console runs no gym, the demo included. Leave out one of them.');
    if (flags.backend !== undefined || flags.backendToken !== undefined) problems.push('--review-only connects to no backend: leave out --backend and --backend-token, or --review-only to connect to the gym.');
    return problems;
  }
  if (flags.demo && flags.backend !== undefined) problems.push('--demo and --backend do not go together: leave out --demo to connect to the gym, or --backend to run the demo.');
  if (flags.demo && flags.backendToken !== undefined) problems.push('--backend-token is for a live gym; leave it out with --demo.');
  if (flags.backendToken !== undefined && !TokenSchema.safeParse(flags.backendToken).success) problems.push(`--backend-token must be ${TOKEN_SHAPE}.`);
  else if (flags.backendToken === undefined && !flags.demo && (flags.backend !== undefined || live) && env.GYM_BACKEND_TOKEN && !TokenSchema.safeParse(env.GYM_BACKEND_TOKEN).success) problems.push(`GYM_BACKEND_TOKEN must be ${TOKEN_SHAPE}.`);
  if (flags.backend !== undefined && !flags.demo && token === undefined) problems.push(noTokenProblem(env, command));
  if (flags.backendToken !== undefined && flags.backend === undefined && !flags.demo && !live) problems.push('--backend-token needs --backend the first time: add --backend ws://host:port,ws://host:port with the gym backend\'s addresses.');
  return problems;
}

/** --backend with no token: the README's way first; an empty GYM_BACKEND_TOKEN is said as such, not "set it". */
function noTokenProblem(env: StartInput['env'], command: string): string {
  const how = `start it as ${tokenByEnv(command, '--backend …')} with the token from the gym backend`;
  const empty = env.GYM_BACKEND_TOKEN !== undefined;
  return `--backend needs the backend token${empty ? ', and GYM_BACKEND_TOKEN is empty' : ''}: ${how} (or add --backend-token TOKEN, which every user of this PC can read in the process list while the console runs). It is saved, so later runs need neither.`;
}

/** The --backend list, checked like a pool's endpoints are; each bad entry is a problem of its own. */
export function parseEndpoints(list: string, problems: string[]): string[] {
  const urls = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (!urls.length) problems.push('--backend is empty: give the gym backend\'s addresses, like ws://10.0.0.5:9100,ws://10.0.0.6:9100.');
  if (urls.length > 16) problems.push(`--backend lists ${urls.length} addresses; the console takes at most 16.`);
  const seen = new Set<string>();
  for (const u of urls) {
    const r = EndpointUrlSchema.safeParse(u);
    if (!r.success) problems.push(`--backend: ${r.error.issues[0]!.message}`);
    else if (missingPortProblem(u)) problems.push(`--backend: ${missingPortProblem(u)}`);
    else if (seen.has(normalizeEndpoint(u))) problems.push(`--backend lists ${u} twice.`);
    seen.add(normalizeEndpoint(u));
  }
  return urls;
}

function readVault(vault: TokenVault): { token: string | null; error: string | null } {
  try {
    return { token: vault.load(), error: null };
  } catch (e) {
    return { token: null, error: (e as Error).message };
  }
}

/** Saves what a working run needs next time (token, pools, marker), and says where. */
type LivePlan = Omit<Extract<StartPlan, { mode: 'live' }>, 'lost' | 'tokenFrom' | 'command'>;

function liveFromFlags(dataDir: string, vault: TokenVault, endpoints: string[], token: string, savedToken: string | null): LivePlan {
  const notes: string[] = [];
  const replaced = savedToken !== null && token !== savedToken ? { previousToken: savedToken } : {};
  if (token !== savedToken) notes.push(saveToken(vault, token));
  const store = filePoolStore(dataDir);
  const { pools, warning } = store.load();
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  const savedEndpoints = pools ? unique(pools.flatMap((p) => p.endpoints)) : [];
  // Saved pools over the same addresses keep a manager's tuning; other addresses start over with one pool.
  const kept = pools !== null && same(savedEndpoints.map(normalizeEndpoint), endpoints.map(normalizeEndpoint));
  let replacedAddresses: string | undefined;
  if (!kept) {
    store.save([defaultPool(endpoints)]);
    notes.push(`backend addresses saved in ${dataDir}/pools.json${pools ? ' (they replace the pools saved before)' : ''}; later runs need no flags.`);
    // The first-start command kept as a startup entry put old addresses back over a manager's (readme25 W12): said until it connects.
    if (pools && savedEndpoints.length) {
      replacedAddresses = (
        `This start replaced the backend addresses saved on this PC (${savedEndpoints.map(addressWords).join(', ')}) with the ones on its command line (${endpoints.map(addressWords).join(', ')}). ` +
          'If a manager set the saved ones on the Connection Pools tab, start the console without --backend (its startup entry too), and set them there again.'
      );
    }
  }
  markLive(dataDir);
  return { mode: 'live', source: 'flags', endpoints, token, notes, warnings: [], ...(replacedAddresses && { replacedAddresses }), poolProblems: kept ? [...overLimit(warning), ...caFileProblems(pools)] : [], ...replaced };
}

/** A data dir that has been live stays live; what it is missing is said, and the console starts offline. */
function liveFromSaved(dataDir: string, vault: TokenVault, given: string | undefined, saved: { token: string | null; error: string | null }, token: string | null, command: string): LivePlan {
  // As liveFromFlags: the same token again is already saved, and nothing is said.
  const notes = given === undefined || given === saved.token ? [] : [saveToken(vault, given)];
  const vaultError = saved.error;
  const warnings: string[] = [];
  // Live by its console.db alone (site.json and the token gone): IT is told why, and the way to the demo (review23 V10).
  if (!wasLive(dataDir) && saved.token === null && saved.error === null) {
    const held = [CONSOLE_DB, OLD_CONSOLE_DB].map((f) => join(dataDir, f)).find(consoleDbHeldData) ?? join(dataDir, CONSOLE_DB);
    const why = existsSync(markFile(dataDir)) ? `${markFile(dataDir)} says so` : `${held} was written by a live start`;
    notes.push(`This data dir is a live gym's: its console.db holds the gym's PINs, audit log and any check-ins not yet sent (${why}), though its site.json, backend token or pools.json are gone. To run the demo instead, start with --demo: it keeps its own data apart, in ${join(dataDir, 'demo')}.`);
  }
  const { pools, warning } = filePoolStore(dataDir).load();
  if (!pools) {
    warnings.push(
      `${warning ?? `This data dir belongs to a live gym but has no saved backend addresses (${dataDir}/pools.json is missing).`} ` +
        'The console starts OFFLINE: add a pool on the Connection Pools tab, or start once with --backend ws://host:port,ws://host:port.',
    );
  }
  if (token === null) {
    const why = vaultError ? `the saved backend token could not be read (${vaultError})` : 'no backend token is saved';
    // Staff read this as an alert: the screen's fix first, IT's command after.
    warnings.push(`This data dir belongs to a live gym but ${why}. The console starts OFFLINE: a manager can enter the token under Backend connection (Connection Pools tab), or IT can start it once as ${tokenByEnv(command)} (the token is saved).`);
  }
  markLive(dataDir);
  const replaced = given !== undefined && saved.token !== null && given !== saved.token ? { previousToken: saved.token } : {};
  return { mode: 'live', source: 'saved', endpoints: unique((pools ?? []).flatMap((p) => p.endpoints)), token, notes, warnings, poolProblems: [...(pools ? overLimit(warning) : []), ...caFileProblems(pools ?? [])], ...replaced };
}

/** Saved pools past the console's limits, some left out (withinLimits): said where IT starts it too, not only on the Connection Pools tab. */
const overLimit = (warning: string | null): string[] => (warning ? [warning] : []);

/** Each saved pool whose CA file cannot be read now: which pool, what is wrong with the file, and the fix. */
function caFileProblems(pools: PoolConfig[]): string[] {
  return pools.flatMap((p) => {
    const why = p.caFile ? caFileProblem(p.caFile) : null;
    return why ? [`pool "${p.name}" cannot connect until its CA file can be read. ${why} ${cause('ca-file', '').next}`] : [];
  });
}

function saveToken(vault: TokenVault, token: string): string {
  try {
    vault.save(token);
    // Saved before the backend has seen it: the terminal says when it takes or refuses it (backend-lines.ts).
    return `backend token saved in ${vault.where}; the backend has not checked it yet: a line below says when it takes or refuses it.`;
  } catch (e) {
    return `the backend token could not be saved (${(e as Error).message}); it is used for this run only: give it again on the next run, or a manager can enter it under Backend connection once that is fixed.`;
  }
}

const unique = (xs: string[]): string[] => [...new Set(xs)];
