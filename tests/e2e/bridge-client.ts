import WebSocket from 'ws';
import type { BridgeFrame } from '../../src/shared/web-bridge';
import type { Result } from '../../src/shared/result';
import type { Member } from '../../src/shared/protocol';
import { DEMO_PINS } from '../../src/shared/roles';

/** Talks to the headless host's bridge from Node, the way the page does: for setting up e2e scenes. */
export async function bridgeCall(pageUrl: string, name: string, payload?: unknown, signIn?: { role: string; pin: string }): Promise<Result<unknown>> {
  const u = new URL(pageUrl);
  const token = new URLSearchParams(u.hash.slice(1)).get('token')!;
  const ws = new WebSocket(`ws://${u.host}/bridge?token=${token}`);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const replies = new Map<number, (r: Result<unknown>) => void>();
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as BridgeFrame;
    if ('id' in f) replies.get(f.id)?.(f.result);
  });
  const call = (id: number, n: string, p?: unknown) =>
    new Promise<Result<unknown>>((resolve) => {
      replies.set(id, resolve);
      ws.send(JSON.stringify({ id, name: n, payload: p }));
    });
  if (signIn) {
    const r = await call(1, 'auth.login', signIn);
    if (!r.ok) throw new Error(`sign-in failed: ${r.error.message}`);
  }
  const reply = await call(2, name, payload);
  ws.close();
  return reply;
}

/** Members the demo's roster finds for `query`, asked as its manager, waiting (10 s at most) for the roster to load. */
export async function demoMembers(url: string, query: string): Promise<Member[]> {
  for (let i = 0; i < 100; i++) {
    const r = await bridgeCall(url, 'desk.lookup', { query }, { role: 'manager', pin: DEMO_PINS.manager });
    if (r.ok && (r.value as { members: Member[] }).members.length) return (r.value as { members: Member[] }).members;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no members found for "${query}"`);
}

/** At least `atLeast` active members the roster finds for "a", asked as `signIn`, waiting (15 s at most) for the roster to load. */
export async function activeMembers(url: string, signIn: { role: string; pin: string }, atLeast: number): Promise<Member[]> {
  let active: Member[] = [];
  for (let i = 0; i < 150; i++) {
    const r = await bridgeCall(url, 'desk.lookup', { query: 'a' }, signIn);
    active = r.ok ? (r.value as { members: Member[] }).members.filter((m) => m.status === 'active') : [];
    if (active.length >= atLeast) return active;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`only ${active.length} active members found for "a", wanted ${atLeast}`);
}
