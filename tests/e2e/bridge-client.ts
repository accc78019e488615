import WebSocket from 'ws';
import type { BridgeFrame } from '../../src/shared/web-bridge';
import type { Result } from '../../src/shared/result';

/** Talks to the headless host's bridge from Node, the way the page does: for setting up e2e scenes. */
export async function bridgeCall(pageUrl: string, name: string, payload?: unknown): Promise<Result<unknown>> {
  const u = new URL(pageUrl);
  const token = new URLSearchParams(u.hash.slice(1)).get('token')!;
  const ws = new WebSocket(`ws://${u.host}/bridge?token=${token}`);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const reply = await new Promise<Result<unknown>>((resolve) => {
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as BridgeFrame;
      if ('id' in f && f.id === 1) resolve(f.result);
    });
    ws.send(JSON.stringify({ id: 1, name, payload }));
  });
  ws.close();
  return reply;
}
