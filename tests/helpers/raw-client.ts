import WebSocket from 'ws';
import type { ServerFrame } from '../../src/shared/protocol';
import { waitFor as waitForFrame } from './wait';

/** A bare protocol client for poking the reference backend frame by frame. */
export async function rawClient(url: string) {
  const ws = new WebSocket(url);
  const frames: ServerFrame[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as ServerFrame));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    send: (f: unknown) => ws.send(typeof f === 'string' ? f : JSON.stringify(f)),
    of: <T extends ServerFrame['t']>(t: T) => frames.filter((f): f is Extract<ServerFrame, { t: T }> => f.t === t),
  };
}

/** A raw client past the handshake (protocol v2) and subscribed to the event stream from its start. */
export async function subscribedClient(url: string, token: string) {
  const c = await rawClient(url);
  c.send({ t: 'hello', versions: [2], token, client: 'test' });
  await waitForFrame(() => c.of('welcome')[0]);
  c.send({ t: 'sub', stream: 'gym', after: 0 });
  await waitForFrame(() => c.of('subbed')[0]);
  return c;
}
