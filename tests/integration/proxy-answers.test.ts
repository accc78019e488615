import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch, type CallContext } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { EndpointTestResult } from '../../src/shared/backend';
import type { Result } from '../../src/shared/result';
import { waitFor } from '../helpers/wait';

/**
 * A TLS proxy in front of the backend (as the README advises) answers the greeting with HTTP when the
 * backend behind it is down, or when it redirects plain http to https: the words say which.
 */
const servers: Server[] = [];
async function answering(handler: RequestListener): Promise<string> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(s.address() as { port: number }).port}`;
}

let core: Core;
let badGateway: string;
let redirect: string;
const manager: CallContext = { transport: 'test', session: new Session('manager') };

beforeAll(async () => {
  badGateway = await answering((_, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>'));
  redirect = await answering((_, res) => res.writeHead(301, { location: 'https://gym.example.com/' }).end());
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-proxy-')), backend: { endpoints: [badGateway], token: 'tok' } });
});
afterAll(async () => {
  await core.stop();
  for (const s of servers) s.close();
});

describe('a proxy answers in place of the backend', () => {
  it('502: the connection, its pool and Health say the backend behind the proxy is down, not that the address is wrong', async () => {
    const cause = await waitFor(() => core.stream.current('connection').cause, 10_000);
    expect(cause).toMatchObject({ kind: 'gateway', text: "A proxy or gateway answers at the backend's address, but the gym backend behind it does not (HTTP 502 Bad Gateway)." });
    expect(cause!.next).toMatch(/^The address reaches the proxy, so it is probably right: check that the gym backend behind it is running/);
    expect(cause!.detail).toBe('Unexpected server response: 502');
    expect(core.stream.current('pools')[0]!.endpoints[0]!.cause?.kind).toBe('gateway');
    // The backend down behind a proxy may come back by itself: the row counts down to the next try, it does not say "IT must fix".
    expect(core.stream.current('connection').endpoints[0]!.needsFix).toBeUndefined();
    const backend = await waitFor(() => core.stream.current('health').checks.find((c) => c.id === 'backend' && c.status === 'failing'), 10_000);
    expect(backend!.reason).toMatch(/^No backend instance is connected \(0 of 1\)\. A proxy or gateway answers/);
    expect(backend!.reason).not.toMatch(/not the gym backend/);
  });

  it('Test connection: 502 and a 301 to https, each in its own words', async () => {
    const r = await dispatch(core.handlers, 'backend.test', { endpoints: [badGateway, redirect], token: 'tok' }, manager);
    const [gw, moved] = (r as Result<EndpointTestResult[]> & { ok: true }).value.map((x) => (x.ok ? null : x.cause));
    expect(gw).toMatchObject({ kind: 'gateway', text: expect.stringContaining('(HTTP 502 Bad Gateway)') });
    expect(moved).toMatchObject({ kind: 'not-backend', text: "The backend's address redirects to wss://gym.example.com (HTTP 301 Moved Permanently), so the gym backend does not answer at this address itself." });
    expect(moved!.nextHere).toBe('The site wants a secure connection. If that is the gym backend, use wss://gym.example.com as the address above, then Test connection again.');
    expect(moved!.detail).toBe('Unexpected server response: 301 (Location: https://gym.example.com/)');
  });
});
