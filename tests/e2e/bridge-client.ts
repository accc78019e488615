import WebSocket from 'ws';
import type { BridgeFrame } from '../../src/shared/web-bridge';
import type { Result } from '../../src/shared/result';

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
