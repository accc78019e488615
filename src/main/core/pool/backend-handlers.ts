import type { AuditAction } from '../../../shared/words';
import { backendProblems, hasProblems, type BackendChange, type BackendSettings } from '../../../shared/backend';
import { UserError } from '../../../shared/result';
import type { CallContext, Handlers } from '../bridge/dispatch';
import type { Clock } from '../clock';
import { loadToken, type TokenVault } from '../token-vault';
import { testEndpoints } from './connection-test';
import type { PoolManager } from './manager';

interface BackendDeps {
  pools: PoolManager;
  demo: boolean;
  /** A review-only console: no backend is ever configured on it. */
  review?: boolean;
  tokenVault?: TokenVault;
  clock: Clock;
  /** Keeps a new token out of the log file and diagnostics. */
  hideSecret?(secret: string): void;
  audit(ctx: CallContext, action: AuditAction, subject: string, before: unknown, after: unknown): void;
}

type BackendHandlers = Pick<Handlers, 'backend.settings' | 'backend.configure' | 'backend.test' | 'backend.tryNow'>;

export const DEMO_FIXED = "The demo gym's connection is built in and cannot be changed.";
export const REVIEW_ONLY = 'This console was started with --review-only, to open exports: it connects to no gym. Start it without --review-only to connect to the gym backend.';

/** The Backend connection screen: the main pool's endpoints and the token, changed together or not at all. */
export function backendHandlers({ pools, demo, review = false, tokenVault, clock, hideSecret, audit }: BackendDeps): BackendHandlers {
  const settings = (): BackendSettings => {
    const saved = demo ? { token: 'built in', problem: null } : loadToken(tokenVault);
    return {
      demo,
      pool: pools.main?.name ?? null,
      endpoints: pools.main?.config.endpoints ?? [],
      tokenSaved: saved.token !== null,
      tokenProblem: saved.problem,
      tokenWhere: demo ? null : (tokenVault?.where ?? null),
      tokenOpenToOthers: demo ? null : (tokenVault?.openToOthers?.() ?? null),
    };
  };
  /** Every problem at once, each by its field; nothing is applied when there is one. */
  const check = (change: BackendChange): void => {
    const p = backendProblems(change);
    if (!hasProblems(p)) return;
    const lines = [p.list, p.token && `Token: ${p.token}`, ...p.endpoints.map((m, i) => m && `Address ${i + 1}: ${m}`)].filter(Boolean);
    throw new UserError('invalid-backend', lines.join(' '));
  };
  return {
    'backend.settings': () => settings(),
    'backend.configure': (change, ctx) => {
      if (demo) throw new UserError('demo-backend', DEMO_FIXED);
      if (review) throw new UserError('review-only', REVIEW_ONLY);
      check(change);
      const main = pools.main;
      if (!main) throw new UserError('no-pool', 'There is no pool to connect; create one on the Connection Pools tab first.');
      const endpoints = change.endpoints?.map((e) => e.trim());
      const token = change.token?.trim();
      const before = { endpoints: main.config.endpoints, token: settings().tokenSaved ? 'a token is saved' : 'no token saved' };
      const oldToken = token ? loadToken(tokenVault).token : null;
      if (token) {
        hideSecret?.(token);
        // Saved first: a token that cannot be kept changes nothing, and says why.
        try {
          tokenVault?.save(token);
        } catch (e) {
          throw new UserError('token-not-saved', `The token was not saved, and nothing was changed: ${(e as Error).message}.`, { detail: String((e as Error).cause ?? e) });
        }
      }
      // The pool change is validated whole, and saved, before anything is applied; the token is already checked.
      if (endpoints) {
        try {
          pools.configure(main.name, { endpoints, maxConnections: Math.max(main.config.maxConnections, endpoints.length) });
        } catch (e) {
          if (token) undoToken(tokenVault, oldToken, e);
          throw e;
        }
      }
      // Only now does any pool say the new token: what runs is what was saved.
      if (token) pools.setToken(token);
      // Unchanged, it reads as before: the log's diff named the token among the changes when only the addresses were (readme25 W10).
      audit(ctx, 'backend.configure', 'backend connection', before, { endpoints: main.config.endpoints, token: token ? 'a new token was saved' : before.token });
      return settings();
    },
    'backend.test': (change) => {
      if (review) throw new UserError('review-only', REVIEW_ONLY);
      check(change);
      const endpoints = change.endpoints?.map((e) => e.trim()) ?? pools.main?.config.endpoints ?? [];
      if (!endpoints.length) throw new UserError('no-endpoints', 'Add a backend address to test first.');
      const typed = change.token?.trim();
      const tested = testEndpoints(endpoints, { token: typed || pools.token, clock, socketFactory: pools.testFactory() });
      if (typed || demo) return tested;
      const text = loadToken(tokenVault).token === pools.token ? SAVED_TOKEN_REFUSED : IN_USE_TOKEN_REFUSED;
      return tested.then((rs) => rs.map((r) => (!r.ok && r.cause.kind === 'unauthorized' ? { ...r, cause: { ...r.cause, text } } : r)));
    },
    'backend.tryNow': () => {
      if (review) throw new UserError('review-only', REVIEW_ONLY);
      return pools.tryNow();
    },
  };
}

/**
 * With the token box empty the test uses the token this console has (the saved one): a refusal says so, or IT
 * cannot tell whether an empty token or the saved one was refused.
 */
export const SAVED_TOKEN_REFUSED = 'The backend refused the saved token (the token box was empty, so the test used it).';
/** The same, when the token the console runs with is not the saved one (it could not be saved when it was given). */
export const IN_USE_TOKEN_REFUSED = 'The backend refused the token this console is using (the token box was empty, so the test used it).';

/** The addresses could not be kept: the token saved a moment ago goes back, so a restart does not bring half a change. */
function undoToken(vault: TokenVault | undefined, old: string | null, why: unknown): void {
  try {
    if (old === null) vault?.clear();
    else vault?.save(old);
  } catch (e) {
    const reason = why instanceof Error ? why.message : String(why);
    throw new UserError(
      'backend-half-saved',
      `The new addresses were not saved (${reason}), and the token saved a moment ago could not be put back (${(e as Error).message}). The console keeps using the old token and addresses until it restarts; enter both again under Backend connection once the disk is fixed.`,
    );
  }
}
