import type { PoolManager } from '../pool/manager';
import type { ConsoleLog } from '../log';
import { tokenByEnv } from './resolve-start';

/** Where this run's backend token came from, so a refusal names what to change. */
export type TokenFrom = 'flag' | 'env' | 'saved';

type Said = 'connected' | 'refused' | 'unanswered';

const REFUSED_FROM: Record<TokenFrom, string> = {
  flag: 'the token given with --backend-token',
  env: 'the token in GYM_BACKEND_TOKEN',
  saved: "the saved token",
};

/**
 * The README's way to give the right token: by environment, which saves it (so the next plain restart has it), and
 * never on a command line every user of the PC can read. A --backend-token left on the command would win over it.
 */
const againWith = (from: TokenFrom, command: string): string =>
  `Ask whoever runs the backend for the right token, then start the console again as ${tokenByEnv(command)} with the flags it had${from === 'flag' ? ' but without --backend-token' : ''} (the token is saved, so later starts need none)`;

/** "ws://a:9100", "ws://a:9100 (and 2 more)". */
const addresses = (urls: string[]): string => `${urls[0]}${urls.length > 1 ? ` (and ${urls.length - 1} more)` : ''}`;

/**
 * Tells whoever started a live console, on stderr, how the backend answered: the token refused (it never fixes
 * itself), or no address answering once each has been tried; once each, not per retry, and once when it comes
 * good. The screens and the log say the same; the terminal was the one place that said nothing, so a wrong
 * --backend-token looked like a start that worked. After the first connection an outage is the screens' to tell
 * (the console retries by itself); only a refused token (rotated at the backend) is said again.
 */
export function sayBackendOnTerminal(pools: PoolManager, { tokenFrom, command }: { tokenFrom: TokenFrom; command: string }, log: ConsoleLog | null, write: (line: string) => void = (l) => void process.stderr.write(`console: ${l}\n`)): () => void {
  let said: Said | null = null;
  let connectedOnce = false;
  /** The token it connected with: one a manager entered since is not "the one it took before" (review25 V7). */
  let connectedWith: string | null = null;
  const look = (): void => {
    const view = pools.connectionView();
    let now: Said | null = null;
    let line = '';
    if (view.state !== 'offline') {
      now = 'connected';
      line = `connected to the gym's backend at ${addresses(view.endpoints.filter((e) => e.state === 'open').map((e) => e.url))}.`;
    } else {
      const tried = pools.list().flatMap((p) => p.endpoints);
      // Not before every address has failed once: the first tries are still under way.
      if (!tried.length || tried.some((e) => e.cause === null)) return;
      if (tried.some((e) => e.cause!.kind === 'unauthorized')) {
        now = 'refused';
        // Once taken, the token is this PC's saved one, wherever the start got it (readme25 W14).
        line = connectedOnce && pools.token === connectedWith
          ? `the backend now refuses this PC's saved token, which it took before (was the backend's token changed?), so this PC cannot check members in with it. ${againWith('saved', command)}, or have a manager enter it under Backend connection (Connection Pools tab).`
          : `the backend refused ${REFUSED_FROM[tokenFrom]}, so this PC cannot check members in with it. ${againWith(tokenFrom, command)}, or have a manager enter it under Backend connection (Connection Pools tab).`;
      } else if (!connectedOnce && !tried.some((e) => e.cause!.kind === 'no-token')) {
        now = 'unanswered';
        const why = view.cause ? ` ${view.cause.text} ${view.cause.next}` : ' The console keeps retrying.';
        line = `no backend address answers yet (${[...new Set(tried.map((e) => e.url))].join(', ')}):${why} A line here says when it connects.`;
      }
    }
    if (now === null || now === said) return;
    said = now;
    if (now === 'connected') {
      connectedOnce = true;
      connectedWith = pools.token;
    }
    log?.logger[now === 'connected' ? 'info' : 'warn'](`said on the terminal: ${line}`);
    write(line);
  };
  // Changes come per feed event on a busy gym: looked at most twice a second.
  let timer: NodeJS.Timeout | null = null;
  const soon = (): void => {
    timer ??= setTimeout(() => {
      timer = null;
      look();
    }, 500).unref();
  };
  pools.on('change', soon);
  look();
  return () => {
    pools.off('change', soon);
    if (timer) clearTimeout(timer);
  };
}
