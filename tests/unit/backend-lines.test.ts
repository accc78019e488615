import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { sayBackendOnTerminal } from '../../src/main/core/startup/backend-lines';
import type { PoolManager } from '../../src/main/core/pool/manager';
import type { CauseKind } from '../../src/shared/pools';

// What the terminal says as the backend's answers change: once per change of story, never per retry.
type Addr = { url: string; open: boolean; cause: CauseKind | null };
function fakePools(addrs: Addr[]) {
  const e = new EventEmitter();
  const cause = (k: CauseKind | null) => k && { kind: k, text: `${k} text.`, next: `${k} next.`, nextHere: '', detail: '' };
  const pools = Object.assign(e, {
    token: 'tok-1',
    connectionView: () => ({ state: addrs.some((a) => a.open) ? 'connected' : 'offline', endpoints: addrs.map((a) => ({ url: a.url, state: a.open ? 'open' : 'closed' })), cause: addrs.some((a) => a.open) ? null : cause(addrs.find((a) => a.cause)?.cause ?? null) }),
    list: () => [{ endpoints: addrs.map((a) => ({ url: a.url, cause: cause(a.cause) })) }],
  });
  const set = (changes: Partial<Addr>[]) => {
    changes.forEach((c, i) => Object.assign(addrs[i]!, c));
    e.emit('change');
    vi.advanceTimersByTime(600);
  };
  return { pools: pools as unknown as PoolManager, set };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the backend, said on the terminal', () => {
  it('waits for every address to be tried; says "no address answers" once; "connected" when one opens', () => {
    const said: string[] = [];
    const { pools, set } = fakePools([{ url: 'ws://a:1', open: false, cause: null }, { url: 'ws://b:1', open: false, cause: null }]);
    sayBackendOnTerminal(pools, { tokenFrom: 'flag', command: 'npm run web' }, null, (l) => said.push(l));
    set([{ cause: 'refused' }]);
    expect(said).toEqual([]); // b not tried yet
    set([{}, { cause: 'refused' }]);
    set([{ cause: 'unreachable' }]); // a retry with another cause: the same story
    expect(said).toEqual(["no backend address answers yet (ws://a:1, ws://b:1): refused text. refused next. A line here says when it connects."]);
    set([{}, { open: true, cause: null }]);
    expect(said.at(-1)).toBe("connected to the gym's backend at ws://b:1.");
    expect(said).toHaveLength(2);
  });

  it('a token refused after it was taken (rotated at the backend) is said, and the return; an outage after connecting is left to the screens', () => {
    const said: string[] = [];
    const { pools, set } = fakePools([{ url: 'ws://a:1', open: true, cause: null }]);
    sayBackendOnTerminal(pools, { tokenFrom: 'saved', command: 'npm run web' }, null, (l) => said.push(l));
    expect(said).toEqual(["connected to the gym's backend at ws://a:1."]);
    set([{ open: false, cause: 'refused' }]);
    expect(said).toHaveLength(1);
    set([{ cause: 'unauthorized' }]);
    // The README's way to give the right token (by environment, which saves it), never the --backend-token flag.
    expect(said.at(-1)).toBe("the backend now refuses this PC's saved token, which it took before (was the backend's token changed?), so this PC cannot check members in with it. Ask whoever runs the backend for the right token, then start the console again as GYM_BACKEND_TOKEN=TOKEN npm run web with the flags it had (the token is saved, so later starts need none), or have a manager enter it under Backend connection (Connection Pools tab).");
    set([{ open: true, cause: null }]);
    expect(said.at(-1)).toBe("connected to the gym's backend at ws://a:1.");
    expect(said).toHaveLength(3);
  });

  // readme25 W14: a token taken at start and refused later (rotated at the backend) was blamed on GYM_BACKEND_TOKEN,
  // which played no part any more: it is the token this PC uses, saved.
  it('a token refused after it was taken names the token this PC uses, not where the start got it', () => {
    for (const tokenFrom of ['env', 'flag'] as const) {
      const said: string[] = [];
      const { pools, set } = fakePools([{ url: 'ws://a:1', open: true, cause: null }]);
      sayBackendOnTerminal(pools, { tokenFrom, command: 'npm run web' }, null, (l) => said.push(l));
      set([{ open: false, cause: 'unauthorized' }]);
      expect(said.at(-1)).toMatch(/^the backend now refuses this PC's saved token, which it took before \(was the backend's token changed\?\), so this PC cannot check members in with it\. Ask whoever runs the backend for the right token, then start the console again as GYM_BACKEND_TOKEN=TOKEN npm run web with the flags it had/);
    }
  });

  // review25 V7: a manager's mistyped token, refused, was said as the backend "now refusing" the one "it took before".
  it('a token a manager entered since it connected, refused, is not said to be the one the backend took before', () => {
    const said: string[] = [];
    const { pools, set } = fakePools([{ url: 'ws://a:1', open: true, cause: null }]);
    sayBackendOnTerminal(pools, { tokenFrom: 'saved', command: 'npm run web' }, null, (l) => said.push(l));
    (pools as unknown as { token: string }).token = 'tok-typed';
    set([{ open: false, cause: 'unauthorized' }]);
    expect(said.at(-1)).toMatch(/^the backend refused the saved token, so this PC cannot check members in with it\./);
  });

  it('a refused token given with the flag says to give it by environment instead, leaving the flag out (it would win again)', () => {
    const said: string[] = [];
    const { pools, set } = fakePools([{ url: 'ws://a:1', open: false, cause: null }]);
    sayBackendOnTerminal(pools, { tokenFrom: 'flag', command: 'npm start' }, null, (l) => said.push(l));
    set([{ cause: 'unauthorized' }]);
    expect(said).toEqual(['the backend refused the token given with --backend-token, so this PC cannot check members in with it. Ask whoever runs the backend for the right token, then start the console again as GYM_BACKEND_TOKEN=TOKEN npm start with the flags it had but without --backend-token (the token is saved, so later starts need none), or have a manager enter it under Backend connection (Connection Pools tab).']);
  });
});
