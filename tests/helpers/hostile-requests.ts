import fc from 'fast-check';
import { connect } from 'node:net';
import WebSocket from 'ws';

/**
 * What a hostile or broken client may throw at the headless host, as fast-check arbitraries, and
 * `fuzzHost`, which fires a batch of them at a running host and counts what it did not survive well.
 * The integration suite and the long-running benchmark both use it.
 */

/** Frames are capped at 256 KiB by the host; stay under it so the cap itself is not what we test. */
const FRAME_CAP = 256 * 1024 - 1024;

/** Contract names that only read, sign in or fail: a fuzzed payload must not break the demo gym. */
const SAFE_NAMES = ['app.info', 'auth.status', 'auth.login', 'state.snapshot', 'analytics.view', 'analytics.openExport', 'pools.list', 'desk.lookup'];

/** A string of `n` copies of a character that matters to a parser, up to the frame cap. */
export const hugeString = fc
  .tuple(fc.integer({ min: 1_000, max: FRAME_CAP - 200 }), fc.constantFrom('a', '"', '\\', '[', '{', '%', 'é', '\u2028'))
  .map(([n, c]) => c.repeat(Math.floor(n / Buffer.byteLength(c))));

/** Arrays or objects nested past any depth limit. */
export const deepNesting = fc.tuple(fc.integer({ min: 1, max: 5_000 }), fc.boolean()).map(([depth, asObject]) => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
});

/** A request name of any JSON type, including deep nesting and `toString` look-alikes. */
export const hostileName: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...SAFE_NAMES),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', ''),
  fc.jsonValue({ maxDepth: 4 }),
  fc.constant({ toString: 'boom', valueOf: 1 }),
  deepNesting,
  hugeString,
);

/** Ids: fine ones, and everything a careless or hostile client might send instead. */
export const hostileId: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.string({ maxLength: 100 }),
  fc.constantFrom(null, true, Number.MAX_SAFE_INTEGER + 2, -0, 1e308),
  fc.jsonValue({ maxDepth: 3 }),
  deepNesting,
);

export const hostilePayload: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 6 }), deepNesting, hugeString, fc.constant(undefined));

/** One WebSocket frame: a JSON call, broken JSON, or binary. */
export const hostileFrame: fc.Arbitrary<{ data: string | Buffer; binary: boolean }> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ id: hostileId, name: hostileName, payload: hostilePayload }, { requiredKeys: [] }).map(jsonFrame) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(jsonFrame) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => ({ data: s, binary: false })) },
  { weight: 1, arbitrary: fc.integer({ min: 33, max: 20_000 }).map((n) => ({ data: '['.repeat(n), binary: false })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2_000 }).map((b) => ({ data: Buffer.from(b), binary: true })) },
);

function jsonFrame(value: unknown): { data: string; binary: boolean } {
  let data: string;
  try {
    data = JSON.stringify(value) ?? 'undefined';
  } catch {
    data = '['.repeat(10_000); // too deep for this side's own JSON.stringify: send a depth bomb instead
  }
  // Escapes and multi-byte characters grow the text: cut it (by characters, so it stays valid UTF-8) under the cap.
  while (Buffer.byteLength(data) > FRAME_CAP) data = data.slice(0, Math.floor(data.length * 0.9));
  return { data, binary: false };
}

/** Paths with broken percent-encoding, traversal, NULs and sheer length. */
export const hostilePath: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom('', 'index.html', 'assets', 'exports', 'uploads', 'bridge', '..', '%2e%2e', '%2f', '%', '%f', '%ff', '%E0%A4%A', '%00', '%C0%AF', '.', '~', '//', '\\'),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
      fc.integer({ min: 100, max: 12_000 }).map((n) => 'a'.repeat(n)),
    ),
    { maxLength: 6 },
  )
  .map((parts) => `/${parts.join('/')}`);

export const hostileQuery = (token: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(''),
    fc.constant(`?token=${token}`),
    fc.constant(`?token=${token}&name=%`),
    fc.constant(`?token=${token}&name=${'n'.repeat(400)}`),
    fc.constantFrom('?token=', '?token=%', '?%zz=1', '?token=x&token=y', `?token=${token.slice(1)}`),
    fc.string({ maxLength: 40 }).map((s) => `?${encodeURIComponent(s)}`),
  );

export interface HttpAttempt {
  method: string;
  path: string;
  /** null: no Host header at all. */
  host: string | null;
  body: string;
}

export const hostileHttp = (port: number, token: string): fc.Arbitrary<HttpAttempt> =>
  fc.record({
    method: fc.constantFrom('GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', 'BREW'),
    path: fc.tuple(hostilePath, hostileQuery(token)).map(([p, q]) => p + q),
    host: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(`127.0.0.1:${port}`, `localhost:${port}`) },
      { weight: 2, arbitrary: fc.constantFrom('evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`, `LOCALHOST:${port}`, `127.0.0.1:${port}.evil.example`, '', null) },
      { weight: 1, arbitrary: fc.string({ maxLength: 30 }).filter((s) => !/[\r\n]/.test(s)) },
    ),
    body: fc.oneof(fc.constant(''), fc.string({ maxLength: 300 })),
  });

/** Sends bytes exactly as given (no client-side cleaning) and reads the status line; null if none came. */
export function rawHttp(port: number, a: HttpAttempt, timeoutMs = 5_000): Promise<{ status: number | null; text: string }> {
  const lines = [`${a.method} ${a.path} HTTP/1.1`];
  if (a.host !== null) lines.push(`Host: ${a.host}`);
  lines.push('Connection: close', `Content-Length: ${Buffer.byteLength(a.body)}`, '', a.body);
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('end', done);
    socket.on('error', done);
    socket.write(lines.join('\r\n'));
  });
}

/** Opens the bridge as a page would; resolves once open. */
export async function openBridge(url: string, token: string): Promise<WebSocket> {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/bridge?token=${token}`);
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  return ws;
}

/** The host closed the bridge for sending past its limits (bridge-socket.ts SEND_LIMITS): its defence, not a failure. */
const LIMITED = Symbol('closed for its limits');
const LIMIT_CODES = new Set([1008, 1009]);

/** Sends one frame and waits for the next reply; null when none came or the host dropped the socket. */
function exchange(ws: WebSocket, frame: { data: string | Buffer; binary: boolean }, timeoutMs: number): Promise<string | null | typeof LIMITED> {
  return new Promise((resolve) => {
    const finish = (reply: string | null | typeof LIMITED): void => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(reply);
    };
    const onMessage = (d: Buffer): void => {
      const text = d.toString();
      if (!text.startsWith('{"event"')) finish(text); // state patches stream alongside replies
    };
    const onClose = (code: number): void => finish(LIMIT_CODES.has(code) ? LIMITED : null);
    const timer = setTimeout(() => finish(null), timeoutMs);
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.send(frame.data, { binary: frame.binary });
  });
}

/** A reply the host may give: an id that is null, a number or a short string, and a Result. */
function wellFormed(reply: string): boolean {
  const f = JSON.parse(reply) as { id?: unknown; result?: { ok?: unknown; error?: { code?: unknown; message?: unknown } } };
  const idOk = f.id === null || Number.isSafeInteger(f.id) || (typeof f.id === 'string' && f.id.length <= 64);
  if (!idOk || typeof f.result?.ok !== 'boolean') return false;
  return f.result.ok || (typeof f.result.error?.message === 'string' && f.result.error.code !== 'internal');
}

export interface FuzzReport {
  /** Bridge frames and HTTP requests sent. */
  sent: number;
  /** No reply, a malformed or internal-error reply, a dropped socket, a 5xx, or a foreign Host served. */
  unexpected: number;
  /** The first few unexpected outcomes, for the failure message. */
  samples: string[];
  /** Times the host closed the bridge for sending past its limits (too much, or too big): reopened, not unexpected. */
  limited: number;
}

/** Samples in batches of 500, so a long run does not build (and block on) every sample up front. */
function* samples<T>(arb: fc.Arbitrary<T>, count: number, seed: number): Generator<T> {
  for (let done = 0, batch = 0; done < count; done += 500, batch++) {
    yield* fc.sample(arb, { numRuns: Math.min(500, count - done), seed: seed + batch });
  }
}

/**
 * Fires `count` random bridge frames and `count` random HTTP requests at a running host (one after
 * another, so every reply can be checked) and counts the unexpected outcomes. Same seed, same requests.
 */
export async function fuzzHost(opts: { url: string; token: string; count: number; seed: number; timeoutMs?: number }): Promise<FuzzReport> {
  const port = Number(new URL(opts.url).port);
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const report: FuzzReport = { sent: 0, unexpected: 0, samples: [], limited: 0 };
  const unexpected = (what: string): void => {
    report.unexpected++;
    if (report.samples.length < 5) report.samples.push(what.slice(0, 300));
  };

  let ws = await openBridge(opts.url, opts.token);
  for (const frame of samples(hostileFrame, opts.count, opts.seed)) {
    report.sent++;
    const reply = await exchange(ws, frame, timeoutMs);
    if (reply === LIMITED) {
      report.limited++;
      ws = await openBridge(opts.url, opts.token);
    } else if (reply === null || !wellFormed(reply)) {
      unexpected(`frame ${String(frame.data).slice(0, 120)} -> ${reply ?? 'no reply'}`);
      if (ws.readyState !== WebSocket.OPEN) ws = await openBridge(opts.url, opts.token);
    }
  }
  ws.close();

  for (const attempt of samples(hostileHttp(port, opts.token), opts.count, opts.seed)) {
    report.sent++;
    const { status, text } = await rawHttp(port, attempt, timeoutMs);
    const own = attempt.host === `127.0.0.1:${port}` || attempt.host === `localhost:${port}`;
    if (status === null || status >= 500) unexpected(`${attempt.method} ${attempt.path.slice(0, 120)} Host ${attempt.host} -> ${status ?? 'no answer'}`);
    else if (!own && status < 400) unexpected(`foreign Host ${attempt.host} was served ${status}: ${text.slice(0, 80)}`);
  }
  return report;
}
