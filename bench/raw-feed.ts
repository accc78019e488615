/** The transport floor for event→DOM: a bare ws client on one backend instance, timing each event. */
import WebSocket from 'ws';
import { STREAM } from '../src/shared/protocol';

export async function rawFeed(url: string, token: string): Promise<{ latencies: number[]; close(): void }> {
  const ws = new WebSocket(url);
  const latencies: number[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as { t: string; ts?: number };
    if (f.t === 'welcome') ws.send(JSON.stringify({ t: 'sub', stream: STREAM, after: 0 }));
    else if (f.t === 'event' && latencies.length < 1_000_000) latencies.push(Date.now() - f.ts!);
  });
  ws.send(JSON.stringify({ t: 'hello', versions: [1], token, client: 'bench-raw' }));
  return { latencies, close: () => ws.close() };
}
