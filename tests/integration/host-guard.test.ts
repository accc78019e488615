import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startCore, type Core } from '../../src/main/core/app';
import { startHost, type Host } from '../../src/main/web/host';
import { IDLE_MS, MAX_CONNECTIONS } from '../../src/main/web/connection-places';
import { MAX_UNANSWERED_CALLS, SEND_LIMITS } from '../../src/main/web/bridge-socket';
import { connect, type Socket } from 'node:net';
import type { HostFrame } from '../../src/shared/web-bridge';
import type { Result } from '../../src/shared/result';
import { waitFor } from '../helpers/wait';
import { rawHttp } from '../helpers/hostile-requests';
import { MAX_UPLOADING } from '../../src/main/core/analytics/export-inbox';

// Issue #11, host side: each way a fuzzing client brought the headless host down, or made it answer what it should not.
let core: Core;
let host: Host;
const dataDir = mkdtempSync(join(tmpdir(), 'gym-guard-'));
const UPLOAD_CAP = 4 * 1024 * 1024;

beforeAll(async () => {
  writeFileSync(join(dataDir, 'index.html'), '<!doctype html><title>t</title>');
  core = await startCore({ version: 'test', dataDir, demoRatePerHour: 600 });
  host = await startHost({ handlers: core.handlers, stream: core.stream, rendererDir: dataDir, newSession: core.newSession, tickets: core.tickets, inbox: core.inbox, maxUploadBytes: UPLOAD_CAP });
});
afterAll(async () => {
  await host.close();
  await core.stop();
});

const own = () => `127.0.0.1:${host.port}`;
const get = (path: string, hostHeader: string | null = own()) => rawHttp(host.port, { method: 'GET', path, host: hostHeader, body: '' });

async function bridge() {
  const ws = new WebSocket(`ws://${own()}/bridge?token=${host.token}`);
  const replies: Extract<HostFrame, { result: unknown }>[] = [];
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as HostFrame;
    if ('result' in f) replies.push(f);
  });
  await new Promise((r) => ws.once('open', r));
  const send = async (frame: string | Buffer) => {
    const before = replies.length;
    ws.send(frame, { binary: typeof frame !== 'string' });
    return (await waitFor(() => replies[before]))!;
  };
  const call = async (name: string, payload?: unknown): Promise<Result<unknown>> => (await send(JSON.stringify({ id: 1, name, payload }))).result;
  return { ws, send, call };
}

/** An upload ticket, as the Analytics tab asks for one before each file it sends (the demo's screens are the manager's). */
async function uploadTicket(): Promise<string> {
  const b = await bridge();
  const t = (await b.call('analytics.uploadTicket')) as Result<{ ticket: string }>;
  b.ws.close();
  if (!t.ok) throw new Error(t.error.message);
  return t.value.ticket;
}

async function stillServes(): Promise<void> {
  expect((await get('/')).status).toBe(200);
  const b = await bridge();
  expect(await b.call('app.info')).toMatchObject({ ok: true });
  b.ws.close();
}

describe('malformed addresses', () => {
  it.each(['/%', '/%ff', '/%E0%A4%A', '/assets/%', '/exports/%?token=x', '/%00', '/a%00b.html'])('answers GET %s with 400 and keeps serving', async (path) => {
    const r = await get(path);
    expect(r.status === 400 || r.status === 401).toBe(true);
    await stillServes();
  });

  it('answers an address the URL parser refuses with 400', async () => {
    expect((await get('//[')).status).toBe(400);
    await stillServes();
  });
});

describe('bridge frames', () => {
  it('refuses a request named by a non-string, echoing nothing of it', async () => {
    const b = await bridge();
    for (const name of [{ toString: 1 }, { toString: 'boom', secret: 'x'.repeat(50) }, [[[['deep']]]], 42, null, true]) {
      const f = await b.send(JSON.stringify({ id: 7, name }));
      expect(f).toMatchObject({ id: 7, result: { ok: false, error: { code: 'bad-call' } } });
      expect(JSON.stringify(f)).not.toMatch(/boom|secret|deep|x{10}/);
    }
    b.ws.close();
    await stillServes();
  });

  it('refuses nesting deeper than the JSON guard allows, without walking it', async () => {
    const b = await bridge();
    const f = await b.send(`{"id":3,"name":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(f).toMatchObject({ id: -1, result: { ok: false, error: { code: 'bad-call' } } });
    expect((f.result as { error: { message: string } }).error.message).toContain('nested deeper');
    b.ws.close();
  });

  it('echoes safe-integer and short string ids, and refuses any other id with id null', async () => {
    const b = await bridge();
    expect(await b.send(JSON.stringify({ id: 'call-1', name: 'app.info' }))).toMatchObject({ id: 'call-1', result: { ok: true } });
    expect(await b.send(JSON.stringify({ id: Number.MAX_SAFE_INTEGER, name: 'app.info' }))).toMatchObject({ id: Number.MAX_SAFE_INTEGER, result: { ok: true } });
    for (const id of [1.5, 2 ** 60, 'x'.repeat(65), { n: 1 }, [1], true, null]) {
      const f = await b.send(JSON.stringify({ id, name: 'app.info' }));
      expect(f).toMatchObject({ id: null, result: { ok: false, error: { code: 'bad-call' } } });
      expect((f.result as { error: { message: string } }).error.message).toMatch(/id must be/);
    }
    b.ws.close();
  });

  it('answers a binary frame and a frame that is not JSON without closing the socket', async () => {
    const b = await bridge();
    expect(await b.send('not json')).toMatchObject({ id: -1, result: { ok: false } });
    const before = (await b.send('[1,2]')).result;
    expect(before).toMatchObject({ ok: false, error: { code: 'bad-call' } });
    expect(await b.send(Buffer.from([0, 1, 2, 255]))).toMatchObject({ id: -1, result: { ok: false, error: { code: 'bad-call' } } });
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
    expect(await b.call('app.info')).toMatchObject({ ok: true });
    b.ws.close();
  });
});

describe('DNS rebinding', () => {
  it.each(['evil.example', `evil.example:PORT`, '127.0.0.1', `127.0.0.1:PORT.evil.example`, `127.0.0.2:PORT`, null])('serves nothing for Host %s', async (h) => {
    const r = await get('/', h?.replace('PORT', String(host.port)) ?? null);
    expect(r.status).not.toBe(200);
    expect(r.text).not.toContain('<title>');
  });

  it('serves the page for 127.0.0.1:PORT and localhost:PORT only', async () => {
    expect((await get('/', own())).status).toBe(200);
    expect((await get('/', `localhost:${host.port}`)).status).toBe(200);
    expect((await get('/', 'evil.example')).status).toBe(421);
  });

  it('refuses a bridge upgrade that names a foreign host, even with the token', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://${own()}/bridge?token=${host.token}`, { headers: { host: 'rebound.example' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(403);
  });
});

/** Streams `bytes` without a Content-Length, so the host only learns the size as it reads. */
function chunkedUpload(bytes: number, ticket: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method: 'POST', path: `/uploads?token=${host.token}&ticket=${ticket}&name=stream.sqlite` }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024);
    const pump = (left: number): void => {
      if (left <= 0) return void req.end();
      if (req.destroyed) return;
      req.write(chunk, () => pump(left - chunk.length));
    };
    pump(bytes);
  });
}

describe('export uploads and refs', () => {
  const upload = async (body: Buffer | string, name: string, token = host.token) =>
    fetch(`http://${own()}/uploads?token=${encodeURIComponent(token)}&ticket=${await uploadTicket()}&name=${encodeURIComponent(name)}`, { method: 'POST', body });

  it('a desk screen cannot name a path: openExport takes refs only', async () => {
    const b = await bridge();
    expect(await b.call('analytics.openExport', { paths: ['/etc/passwd'] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const gone = await b.call('analytics.openExport', { refs: ['AAAAAAAAAAAAAAAAAAAAAA'] });
    expect(gone).toMatchObject({ ok: false, error: { code: 'export-gone' } });
    b.ws.close();
  });

  it('uploads need the token, POST, and a size under the cap', async () => {
    expect((await upload('x', 'a.sqlite', 'wrong')).status).toBe(401);
    expect((await fetch(`http://${own()}/uploads?token=${host.token}&name=a`)).status).toBe(405);
    const big = await upload(Buffer.alloc(UPLOAD_CAP + 1), 'huge.sqlite');
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toMatch(/huge\.sqlite is larger than the 4 MB .* export a shorter range/);
    // Without a declared length the cap is counted as the body streams in.
    const streamed = await chunkedUpload(UPLOAD_CAP + 64 * 1024, await uploadTicket());
    expect(streamed.status).toBe(413);
    expect(streamed.text).toContain('larger than');
    await waitFor(() => readdirSync(core.inbox.dir).length === 0);
  });

  it(`at most ${MAX_UPLOADING} uploads are received at once; another is told to wait, in words`, async () => {
    // Uploads held open (started, never finished): each holds a place while it streams to disk.
    const tickets = await Promise.all(Array.from({ length: MAX_UPLOADING }, uploadTicket));
    const held = tickets.map((ticket) => {
      const req = request({ host: '127.0.0.1', port: host.port, method: 'POST', path: `/uploads?token=${host.token}&ticket=${ticket}&name=slow.sqlite` });
      req.on('error', () => {});
      req.write(Buffer.alloc(1024));
      return req;
    });
    await waitFor(() => readdirSync(core.inbox.dir).length === MAX_UPLOADING);
    const refused = await upload('x', 'third.sqlite');
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: string }).error).toMatch(/still being uploaded .*wait for them, then choose third\.sqlite again/);
    for (const req of held) req.destroy();
    // Broken off, they free their places and leave nothing behind.
    await waitFor(() => readdirSync(core.inbox.dir).length === 0);
    const fourth = await upload('x', 'fourth.sqlite');
    expect(fourth.status).toBe(200);
    core.inbox.release([((await fourth.json()) as { ref: string }).ref]); // the tests below count the inbox's files
    expect(readdirSync(core.inbox.dir)).toEqual([]);
  });

  it('an upload becomes a private file behind a ref; reviewing it works, closing removes it', async () => {
    const b = await bridge();
    const exported = (await b.call('analytics.export', { range: { last: '1h' }, format: 'json' })) as Result<{ file: string }>;
    if (!exported.ok) throw new Error(exported.error.message);
    const r = await upload(readFileSync(exported.value.file), 'C:\\Users\\desk\\site-a.json');
    expect(r.status).toBe(200);
    const { ref, name } = (await r.json()) as { ref: string; name: string };
    expect(name).toBe('site-a.json');
    const [stored] = readdirSync(core.inbox.dir);
    expect(statSync(core.inbox.dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(core.inbox.dir, stored!)).mode & 0o777).toBe(0o600);

    expect(await b.call('analytics.openExport', { refs: [ref] })).toMatchObject({ ok: true, value: { files: ['site-a.json'] } });
    expect(await b.call('analytics.closeExport')).toMatchObject({ ok: true, value: { closed: true } });
    expect(existsSync(join(core.inbox.dir, stored!))).toBe(false);
    expect(await b.call('analytics.openExport', { refs: [ref] })).toMatchObject({ ok: false, error: { code: 'export-gone' } });
    b.ws.close();
  });

  it('two exports of one gym that overlap are refused by the names staff chose, not the upload ids', async () => {
    const b = await bridge();
    const files: string[] = [];
    for (const last of ['1h', '6h'] as const) {
      const exported = (await b.call('analytics.export', { range: { last }, format: 'json' })) as Result<{ file: string }>;
      if (!exported.ok) throw new Error(exported.error.message);
      files.push(exported.value.file);
    }
    const refs: string[] = [];
    for (const [i, file] of files.entries()) refs.push(((await (await upload(readFileSync(file), `north-${i}.json`)).json()) as { ref: string }).ref);
    const opened = (await b.call('analytics.openExport', { refs })) as { ok: false; error: { code: string; message: string } };
    expect(opened).toMatchObject({ ok: false, error: { code: 'export-overlap' } });
    expect(opened.error.message).toMatch(/^north-1\.json and north-0\.json are both exports of/);
    expect(opened.error.message).not.toMatch(/\.upload/);
    await waitFor(() => readdirSync(core.inbox.dir).length === 0); // refused: the copies are gone, chosen again if wanted
    b.ws.close();
  });

  it('a file that is not an export is refused by its own name, not where the console keeps it', async () => {
    const r = await upload('{"hello":"world"}', 'notes.json');
    const { ref } = (await r.json()) as { ref: string };
    const b = await bridge();
    const opened = await b.call('analytics.openExport', { refs: [ref] });
    expect(opened).toMatchObject({ ok: false, error: { code: 'not-an-export' } });
    const message = (opened as { error: { message: string } }).error.message;
    expect(message).toContain('notes.json is not an AV Gym Console export');
    expect(message).not.toContain(core.inbox.dir);
    b.ws.close();
  });

  it('in the browser form the screens are told to upload; there is no native dialog to ask for', async () => {
    const b = await bridge();
    expect(await b.call('app.info')).toMatchObject({ ok: true, value: { exportPicker: 'upload' } });
    expect(await b.call('analytics.pickExport')).toMatchObject({ ok: false, error: { code: 'no-dialog' } });
    b.ws.close();
  });
});

describe('what one connection may take', () => {
  // A console that is not the demo starts its screens signed out (the demo's start signed in as manager).
  let live: Core;
  let liveHost: Host;
  beforeAll(async () => {
    live = await startCore({ version: 'test', dataDir: mkdtempSync(join(tmpdir(), 'gym-guard-live-')), reviewOnly: true });
    liveHost = await startHost({ handlers: live.handlers, stream: live.stream, rendererDir: dataDir, newSession: live.newSession, tickets: live.tickets });
  });
  afterAll(async () => {
    await liveHost.close();
    await live.stop();
  });

  async function signedOutBridge() {
    const ws = new WebSocket(`ws://127.0.0.1:${liveHost.port}/bridge?token=${liveHost.token}`);
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    return { ws, closed };
  }

  it('before sign-in only small frames: a big one closes that connection unread, and others are served', async () => {
    const b = await signedOutBridge();
    b.ws.send(JSON.stringify({ id: 1, name: 'nope', payload: 'x'.repeat(SEND_LIMITS.signedOut.frameBytes) }));
    expect(await b.closed).toBe(1009);
    const other = await signedOutBridge();
    const answered = new Promise<string>((resolve) => other.ws.once('message', (d) => resolve(String(d))));
    other.ws.send(JSON.stringify({ id: 2, name: 'auth.status' }));
    expect(JSON.parse(await answered)).toMatchObject({ id: 2, result: { ok: true } });
    other.ws.close();
  });

  it('a connection that floods is closed; a screen beside it keeps its answers', async () => {
    const flood = await signedOutBridge();
    const desk = await bridge(); // the demo host's, signed in
    const frame = JSON.stringify({ id: 1, name: 'nope', payload: 'x'.repeat(8 * 1024) });
    for (let i = 0; i < 64 && flood.ws.readyState === WebSocket.OPEN; i++) flood.ws.send(frame);
    expect(await flood.closed).toBe(1008);
    expect(await desk.call('app.info')).toMatchObject({ ok: true });
    desk.ws.close();
  });

  // probe-hostile17 F9: tiny calls sent faster than answered fit the byte budget and built a backlog of
  // 50,000 that held a desk's check-in 12 s. A connection may have MAX_UNANSWERED_CALLS waiting, no more.
  it('a connection with more calls waiting than any screen has is closed; one within it is answered in full', async () => {
    const closedWith = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const within = await bridge();
    const answered: unknown[] = [];
    within.ws.on('message', (d) => 'result' in JSON.parse(String(d)) && answered.push(d));
    // Member searches wait on the backend: sent at once, they are all waiting together.
    for (let i = 0; i < MAX_UNANSWERED_CALLS; i++) within.ws.send(JSON.stringify({ id: i, name: 'desk.lookup', payload: { query: 'a' } }));
    await waitFor(() => answered.length === MAX_UNANSWERED_CALLS, 20_000);
    expect(within.ws.readyState).toBe(WebSocket.OPEN);
    within.ws.close();

    const flood = await bridge();
    const closed = closedWith(flood.ws);
    for (let i = 0; i < 4 * MAX_UNANSWERED_CALLS && flood.ws.readyState === WebSocket.OPEN; i++) flood.ws.send(JSON.stringify({ id: i, name: 'desk.lookup', payload: { query: 'a' } }));
    expect(await closed).toBe(1008);
    const desk = await bridge();
    expect(await desk.call('app.info')).toMatchObject({ ok: true });
    desk.ws.close();
  });

  it('connections that never send a byte are closed when silent, and there are never more than the cap', async () => {
    const h = await startHost({ handlers: core.handlers, stream: core.stream, rendererDir: dataDir, newSession: core.newSession, tickets: core.tickets, idleMs: 500 });
    const open: Socket[] = [];
    let closed = 0;
    try {
      for (let i = 0; i < MAX_CONNECTIONS + 20; i++) {
        const s = connect(h.port, '127.0.0.1');
        s.on('error', () => {});
        s.on('close', () => closed++);
        open.push(s);
      }
      // Those past the cap at once; the silent ones after idleMs: then a page loads again.
      await waitFor(() => closed === open.length, 10_000);
      expect((await rawHttp(h.port, { method: 'GET', path: '/', host: `127.0.0.1:${h.port}`, body: '' })).status).toBe(200);
    } finally {
      for (const s of open) s.destroy();
      await h.close();
    }
  });

  it('every screen place held by connections that never sign in: a new screen still gets in, the oldest of them makes room', async () => {
    const held = [];
    for (let i = 0; i < 32; i++) held.push(await signedOutBridge());
    const screen = await signedOutBridge(); // refused with 503 before: "Connecting to the console…" for good
    const answered = new Promise<string>((resolve) => screen.ws.once('message', (d) => resolve(String(d))));
    screen.ws.send(JSON.stringify({ id: 5, name: 'auth.status' }));
    expect(JSON.parse(await answered)).toMatchObject({ id: 5, result: { ok: true } });
    await held[0]!.closed;
    for (const h of held) h.ws.terminate();
    screen.ws.close();
  });

  it('request headers dripped a byte at a time are cut off, so such connections cannot keep their places', async () => {
    const h = await startHost({ handlers: core.handlers, stream: core.stream, rendererDir: dataDir, newSession: core.newSession, tickets: core.tickets, idleMs: 3_000, headersMs: 1_500 });
    const s = connect(h.port, '127.0.0.1');
    s.on('error', () => {});
    const closed = new Promise<void>((resolve) => s.once('close', () => resolve()));
    s.write('GET / HTTP/1.1\r\n');
    let ended = false;
    void closed.then(() => (ended = true));
    const drip = setInterval(() => !ended && s.write('X: y\r\n'), 300); // never silent for the idle limit, even on a busy machine
    try {
      await waitFor(() => ended, 8_000);
    } finally {
      clearInterval(drip);
      s.destroy();
      await h.close();
    }
  });

  it('the default silence allowed is longer than any page needs between its requests', () => {
    expect(IDLE_MS).toBeGreaterThanOrEqual(10_000);
  });
});
