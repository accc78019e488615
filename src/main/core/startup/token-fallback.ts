import type { PoolManager } from '../pool/manager';
import type { TokenVault } from '../token-vault';

/**
 * A token given at start (GYM_BACKEND_TOKEN, --backend-token) is saved over the one before it before the backend has
 * seen it, so a typo took a working desk offline with the token that worked gone (readme24 R10). While the backend
 * refuses the new one, and never took it, the one saved before is tried once; if the backend takes it, it is saved
 * again and used, and that is said. If it is refused too, the new one stays, as it was given.
 */
export function fallBackToSavedToken(pools: PoolManager, d: { given: string; previous: string; vault?: TokenVault; say(line: string): void; restored?(): void }): () => void {
  let state: 'new' | 'trying-previous' | 'done' = 'new';
  const look = (): void => {
    if (state === 'done') return;
    // Another token set meanwhile (a manager's, on the Connection Pools tab): theirs stands (review24 V3).
    if (pools.token !== (state === 'new' ? d.given : d.previous)) return stop();
    const view = pools.connectionView();
    if (view.state !== 'offline') {
      if (state === 'trying-previous') {
        try {
          d.vault?.save(d.previous);
        } catch {
          // Not kept: it works for this run, and the next start says the saved one is the new token again.
        }
        d.restored?.();
        d.say(`the backend refused the token given at this start, and took the one saved before it: the console uses that one, and keeps it saved. Check the new token for a typo (or whether the backend has it yet), then start again with it.`);
      }
      return stop();
    }
    const tried = pools.list().flatMap((p) => p.endpoints);
    // Every address answered, and one of them refused the token: a wrong token, not a backend away.
    if (!tried.length || tried.some((e) => e.cause === null) || !tried.some((e) => e.cause!.kind === 'unauthorized')) return;
    if (state === 'new') {
      state = 'trying-previous';
      pools.setToken(d.previous);
    } else {
      pools.setToken(d.given); // refused too: the token asked for stays, as the refusal says
      stop();
    }
  };
  const stop = (): void => {
    state = 'done';
    pools.off('change', look);
  };
  pools.on('change', look);
  return stop;
}
