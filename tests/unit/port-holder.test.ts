import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { heldByConsole } from '../../src/main/web/port-holder';

// review18 M1: the start asks whoever holds its port whether it is another console. The question's timeout was the
// socket's idle one, so a holder that never stops sending (a live-reload or video stream) hung the start for ever.

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(null));
  server = null;
});

/** A holder that answers the question with a stream that never ends: `chunk` every `everyMs`. */
async function streaming(chunk: string, everyMs: number): Promise<number> {
  server = createServer((_req, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const t = setInterval(() => res.write(chunk), everyMs);
    res.on('close', () => clearInterval(t));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

/** The answer, or 'hung' once `boundMs` passes: a test that fails, rather than one that waits for ever. */
const within = <T>(p: Promise<T>, boundMs: number): Promise<T | 'hung'> =>
  Promise.race([p, new Promise<'hung'>((r) => setTimeout(() => r('hung'), boundMs).unref())]);

describe('asking the holder of a port whether it is a console', () => {
  it('a holder that trickles bytes for ever is "another program" once the deadline passes', async () => {
    const port = await streaming('x', 50);
    const t0 = Date.now();
    expect(await within(heldByConsole(port, 300), 2_000)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1_500);
  });

  it('a holder that floods is decided on its first bytes, long before the deadline', async () => {
    const port = await streaming('y'.repeat(4096), 5);
    const t0 = Date.now();
    expect(await within(heldByConsole(port, 10_000), 2_000)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1_500);
  });

  it('a console\'s own answer is still known as one', async () => {
    server = createServer((_req, res) => res.writeHead(401).end("This address's token is not this console's: open the address the console printed.\n"));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    expect(await heldByConsole((server.address() as { port: number }).port, 1_000)).toBe(true);
  });
});
