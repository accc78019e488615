import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch, type CallContext } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { TokenVault } from '../../src/main/core/token-vault';
import type { BackendSettings, EndpointTestResult } from '../../src/shared/backend';
import type { AuditView } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
import { waitFor } from '../helpers/wait';

const RIGHT = 'right-token';
let cluster: Cluster;
let core: Core;
let saved: string | null = null;
const vault: TokenVault = { where: 'memory', load: () => saved, save: (t) => void (saved = t), clear: () => void (saved = null) };
const as = (role: 'desk' | 'manager'): CallContext => ({ transport: 'test', session: new Session(role) });
const manager = as('manager');
const raw = (name: string, payload?: unknown, ctx = manager): Promise<Result<unknown>> => dispatch(core.handlers, name, payload, ctx);
const call = async <T>(name: string, payload?: unknown, ctx = manager): Promise<T> => {
  const r = await raw(name, payload, ctx);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};
const connection = () => core.stream.current('connection');

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: RIGHT });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-backend-')), backend: { endpoints: cluster.urls, token: 'wrong-token' }, tokenVault: vault });
});
afterAll(async () => {
  await core.stop();
  await cluster.close();
});

describe('backend connection: a wrong token, said plainly and fixed from the screen', () => {
  it('the connection gauge says the backend refused the token, with what to do next', async () => {
    const cause = await waitFor(() => connection().cause, 10_000);
    expect(connection().state).toBe('offline');
    expect(cause).toMatchObject({ kind: 'unauthorized', text: "The backend refused the console's token." });
    expect(cause!.next).toMatch(/manager can enter the right one under Backend connection/);
    const pool = core.stream.current('pools')[0]!;
    expect(pool.endpoints.map((e) => e.cause?.kind)).toEqual(['unauthorized', 'unauthorized']);
  });

  it('a lookup with no roster copy says there is none and why, not "0 found"', async () => {
    const r = await raw('desk.lookup', { query: 'smith' }, as('desk'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('no-roster-copy');
    expect(r.error.message).toMatch(/^No copy of the members list on this PC yet, and the backend is unreachable: the backend refused the console's token\./);
  });

  it('is for managers only', async () => {
    for (const name of ['backend.settings', 'backend.test', 'backend.configure']) {
      const r = await raw(name, name === 'backend.settings' ? undefined : {}, as('desk'));
      expect(r.ok ? null : r.error.code).toBe('forbidden');
    }
  });

  it('shows the endpoints and whether a token is saved, never the token', async () => {
    const s = await call<BackendSettings>('backend.settings');
    expect(s).toMatchObject({ demo: false, pool: 'gym', endpoints: cluster.urls, tokenSaved: false, tokenWhere: 'memory' });
    expect(JSON.stringify(s)).not.toContain('wrong-token');
  });

  it('"Test connection" reports each endpoint: the cause with the saved token, OK with the typed one', async () => {
    const withSaved = await call<EndpointTestResult[]>('backend.test', {});
    expect(withSaved.map((r) => (r.ok ? 'ok' : r.cause.kind))).toEqual(['unauthorized', 'unauthorized']);
    // The box was empty: the result names the token that was tried. This console's token is not saved (yet)...
    expect(withSaved.map((r) => !r.ok && r.cause.text)).toEqual(Array(2).fill('The backend refused the token this console is using (the token box was empty, so the test used it).'));
    expect(withSaved.map((r) => !r.ok && r.cause.nextHere)).toEqual(Array(2).fill('Type the right token in Backend token above, then Test connection again or Save and reconnect.'));
    // ...and once it is the saved one, it says "the saved token".
    saved = 'wrong-token';
    const withVault = await call<EndpointTestResult[]>('backend.test', {});
    expect(withVault.map((r) => !r.ok && r.cause.text)).toEqual(Array(2).fill('The backend refused the saved token (the token box was empty, so the test used it).'));
    saved = null;
    // A typed wrong token is the console's words as before: it is no saved token.
    const typedWrong = await call<EndpointTestResult[]>('backend.test', { token: 'also-wrong' });
    expect(typedWrong.map((r) => !r.ok && r.cause.text)).toEqual(Array(2).fill("The backend refused the console's token."));

    const nothing = `ws://127.0.0.1:${await closedPort()}`;
    const typed = await call<EndpointTestResult[]>('backend.test', { endpoints: [cluster.urls[1]!, nothing], token: RIGHT });
    expect(typed[0]).toMatchObject({ url: cluster.urls[1], ok: true, instance: 'instance-1' });
    expect(typed[0]!.ok && typed[0]!.rttMs).toBeGreaterThanOrEqual(0);
    expect(typed[1]).toMatchObject({ url: nothing, ok: false, cause: { kind: 'refused' } });
    // A test changes nothing.
    expect(connection().state).toBe('offline');
    expect(saved).toBeNull();
  });

  it('tells a silent backend and a web server that is not the backend apart', async () => {
    const silent = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => silent.once('listening', r));
    const web = createHttpServer((_, res) => res.writeHead(404).end());
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    try {
      const urls = [`ws://127.0.0.1:${(silent.address() as { port: number }).port}`, `ws://127.0.0.1:${(web.address() as { port: number }).port}`];
      const r = await call<EndpointTestResult[]>('backend.test', { endpoints: urls, token: RIGHT });
      expect(r.map((x) => (x.ok ? 'ok' : x.cause.kind))).toEqual(['no-welcome', 'not-backend']);
    } finally {
      silent.close();
      web.close();
    }
  });

  it('a service that does not speak HTTP is not the backend, and a message over the limit is the backend\'s fault, not a hang-up', async () => {
    // SSH, Redis, a mail server on the backend's port: the console's greeting gets bytes that are not HTTP.
    const ssh = createServer((s) => s.end('SSH-2.0-OpenSSH_9.6\r\n'));
    await new Promise<void>((r) => ssh.listen(0, '127.0.0.1', r));
    // A backend that welcomes, then sends one frame over the protocol's 64 KB.
    const huge = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 1 << 20 });
    huge.on('connection', (ws) => ws.once('message', () => {
      ws.send(JSON.stringify({ t: 'welcome', version: 2, instance: 'big', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } }));
      ws.send('x'.repeat(70_000));
    }));
    await new Promise((r) => huge.once('listening', r));
    try {
      const urls = [`ws://127.0.0.1:${(ssh.address() as { port: number }).port}`, `ws://127.0.0.1:${(huge.address() as { port: number }).port}`];
      const r = await call<EndpointTestResult[]>('backend.test', { endpoints: urls, token: RIGHT });
      expect(r.map((x) => (x.ok ? 'ok' : x.cause.kind))).toEqual(['not-backend', 'too-large']);
      const [notBackend, tooLarge] = r.map((x) => (x.ok ? null : x.cause));
      expect(notBackend!.text).toBe("Something answered at the backend's address, but it is not the gym backend.");
      expect(tooLarge!.text).toBe('The backend sent a message larger than the protocol allows (64 KB), so the console closed the connection.');
      expect(tooLarge!.next).toMatch(/fault in the backend.*report it to whoever runs the backend/);
      for (const c of [notBackend!, tooLarge!]) expect(`${c.text} ${c.next}`).not.toMatch(/backend closed the connection/);
    } finally {
      ssh.close();
      huge.close();
    }
  });

  it('refuses a bad change with a message per problem, and saves nothing', async () => {
    const audits = (await call<AuditView[]>('audit.list')).length;
    const r = await raw('backend.configure', { endpoints: ['http://10.0.0.5:9100', cluster.urls[0], 'ws://10.0.0.5:99999'], token: 'two words' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid-backend');
    expect(r.error.message).toMatch(/Token: A backend token has no spaces/);
    expect(r.error.message).toMatch(/Address 1: "http:\/\/10\.0\.0\.5:9100" must start with ws:\/\/ or wss:\/\//);
    expect(r.error.message).toMatch(/Address 3: .*port 99999/);
    expect(r.error.message).not.toMatch(/Address 2/);
    expect((await raw('backend.configure', { endpoints: [] })).ok).toBe(false);
    expect(saved).toBeNull();
    expect(core.pools.main!.config.endpoints).toEqual(cluster.urls);
    expect(await call<AuditView[]>('audit.list')).toHaveLength(audits);
  });

  it('the right token is saved, every pool reconnects with it, and the change is audited without the token', async () => {
    const second = { name: 'second', endpoints: [cluster.urls[1]], maxConnections: 1, healthCheckInterval: 250, reconnectAttempts: 2, strategy: 'round-robin' };
    await call('pools.create', { config: second });
    await waitFor(() => core.stream.current('pools').find((p) => p.config.name === 'second')?.endpoints[0]?.cause?.kind === 'unauthorized', 10_000);
    const s = await call<BackendSettings>('backend.configure', { token: ` ${RIGHT} ` });
    expect(s.tokenSaved).toBe(true);
    expect(saved).toBe(RIGHT);
    await waitFor(() => connection().state === 'connected', 10_000);
    expect(core.stream.current('pools').map((p) => [p.config.name, p.healthRatio])).toEqual([
      ['gym', 1],
      ['second', 1],
    ]);
    expect(connection().cause).toBeNull();
    const entry = (await call<AuditView[]>('audit.list')).find((a) => a.action === 'backend.configure')!;
    expect(entry).toMatchObject({ actor: 'manager', subject: 'backend connection' });
    expect(`${entry.before} ${entry.after}`).not.toContain(RIGHT);
    expect(entry.after).toContain('a new token was saved');
    const found = await call<{ source: string }>('desk.lookup', { query: 'a' }, as('desk'));
    expect(found.source).toBe('backend');
  });

  it('changes the endpoints of the main pool', async () => {
    const s = await call<BackendSettings>('backend.configure', { endpoints: [cluster.urls[0]] });
    expect(s.endpoints).toEqual([cluster.urls[0]]);
    const gymSockets = () => core.stream.current('pools').find((p) => p.config.name === 'gym')!.sockets;
    await waitFor(() => gymSockets().length > 0 && gymSockets().every((x) => x.endpoint === cluster.urls[0] && x.state === 'open') && connection().state === 'connected', 10_000);
    // readme25 W10: the audit row said the token changed when only the addresses did.
    const entry = (await call<AuditView[]>('audit.list')).find((a) => a.action === 'backend.configure')!;
    const [before, after] = [JSON.parse(entry.before!), JSON.parse(entry.after!)] as { token: string }[];
    expect(after!.token).toBe(before!.token);
  });
});

describe('backend connection on the demo gym', () => {
  it('is built in: shown, testable, not changeable', async () => {
    const demo = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-backend-demo-')), demoRatePerHour: 0 });
    try {
      const ask = (name: string, payload?: unknown) => dispatch(demo.handlers, name, payload, manager);
      const s = await ask('backend.settings');
      expect(s.ok && (s.value as BackendSettings)).toMatchObject({ demo: true, tokenSaved: true, tokenWhere: null });
      const r = await ask('backend.configure', { token: 'anything' });
      expect(r.ok ? null : r.error.message).toBe("The demo gym's connection is built in and cannot be changed.");
      const t = await ask('backend.test', {});
      expect(t.ok && (t.value as EndpointTestResult[]).every((x) => x.ok)).toBe(true);
    } finally {
      await demo.stop();
    }
  });
});
