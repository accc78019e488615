import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { exportAnalytics } from '../../src/main/core/store/export';
import { MAX_WAITING_LOADS, ReviewLoader } from '../../src/main/core/store/review-thread';
import { UserError } from '../../src/shared/result';

/** Opening an export reads and checks every row: that happens on a worker, so the desk keeps working meanwhile. */

const TOKEN = 'review-thread';
const FROM = Date.UTC(2026, 10, 1);
const RANGE = { from: FROM, to: FROM + 6 * 3_600_000 };
const ctx = { transport: 'test' as const, session: new Session('manager') };
let cluster: Cluster;
let file: string;

beforeAll(async () => {
  cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'gym-review-thread-'));
  const { store } = openAnalytics(dir, 'UTC');
  store.insertEvents(Array.from({ length: 20_000 }, (_, i) => ({ ts: FROM + i * 1000, category: 'checkin' as const, type: 'checkin', source: 's', detail: `member ${i}` })));
  file = join(dir, 'north.json');
  await exportAnalytics(store, { range: RANGE, format: 'json' }, file, { site: 'North', app: 't', now: RANGE.to });
  store.db.close();
});
afterAll(() => cluster.close());

async function withCore(run: (core: Core, pick: () => Promise<string>) => Promise<void>): Promise<void> {
  const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-review-core-')), backend: { endpoints: cluster.urls, token: TOKEN }, pickExportFiles: async () => [file] });
  const pick = async (): Promise<string> => {
    const r = await dispatch(core.handlers, 'analytics.pickExport', undefined, ctx);
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as { ref: string }[])[0]!.ref;
  };
  try {
    await run(core, pick);
  } finally {
    await core.stop();
  }
}

const call = (core: Core, name: 'analytics.openExport' | 'analytics.cancelOpen' | 'analytics.view', input: unknown) =>
  dispatch(core.handlers, name as never, input as never, ctx) as Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;

describe('opening an export off the main thread', () => {
  it('answers the screens while an export is still being read, then shows it', async () => {
    await withCore(async (core, pick) => {
      const order: string[] = [];
      const opening = call(core, 'analytics.openExport', { refs: [await pick()] }).then((r) => (order.push('opened'), r));
      // Asked after the open: read on the main thread, it could only be answered once the file was read.
      await new Promise((r) => setTimeout(r, 1));
      const view = await call(core, 'analytics.view', { range: { last: '1h' } }).then((r) => (order.push('view'), r));
      expect(view).toMatchObject({ ok: true, value: { source: { kind: 'live' } } });
      expect(await opening).toMatchObject({ ok: true, value: { sites: ['North'], files: ['north.json'] } });
      expect(order).toEqual(['view', 'opened']);
      expect(await call(core, 'analytics.view', { range: { last: '6h' } })).toMatchObject({ ok: true, value: { source: { kind: 'export' }, eventCounts: { checkin: 20_000 } } });
    });
  });

  it('can be cancelled: the view stays live, the file must be chosen again, and nothing is reported as an error of the file', async () => {
    await withCore(async (core, pick) => {
      const ref = await pick();
      const opening = call(core, 'analytics.openExport', { refs: [ref] });
      expect(await call(core, 'analytics.cancelOpen', undefined)).toMatchObject({ ok: true, value: { cancelled: true } });
      expect(await opening).toMatchObject({ ok: false, error: { code: 'export-cancelled', message: expect.stringMatching(/cancelled; the Analytics tab shows what it showed before/) } });
      expect(await call(core, 'analytics.view', { range: { last: '1h' } })).toMatchObject({ ok: true, value: { source: { kind: 'live' } } });
      expect(await call(core, 'analytics.openExport', { refs: [ref] })).toMatchObject({ ok: false, error: { code: 'export-gone' } });
      expect(await call(core, 'analytics.cancelOpen', undefined)).toMatchObject({ ok: true, value: { cancelled: false } });
    });
  });

  it('a second open replaces one still being read; only the second is shown', async () => {
    await withCore(async (core, pick) => {
      const first = call(core, 'analytics.openExport', { refs: [await pick()] });
      const second = call(core, 'analytics.openExport', { refs: [await pick()] });
      expect(await first).toMatchObject({ ok: false, error: { code: 'export-cancelled' } });
      expect(await second).toMatchObject({ ok: true, value: { files: ['north.json'] } });
    });
  });

  it('stopping the console ends a load still running', async () => {
    const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-review-core-')), backend: { endpoints: cluster.urls, token: TOKEN }, pickExportFiles: async () => [file] });
    const picked = (await dispatch(core.handlers, 'analytics.pickExport', undefined, ctx)) as { ok: true; value: { ref: string }[] };
    const opening = call(core, 'analytics.openExport', { refs: [picked.value[0]!.ref] });
    await core.stop();
    expect(await opening).toMatchObject({ ok: false });
  });
});

describe('the review worker failing', () => {
  it('a reader that runs out of memory is ended, with a plain message, and the console carries on', async () => {
    const loader = new ReviewLoader(resolve('tests/helpers/greedy-review-worker.ts'));
    const e = await loader.load([file]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect(e).toMatchObject({ code: 'export-too-large', message: expect.stringMatching(/more memory to open than the console allows\. Export a shorter range as SQLite/) });
    expect(process.memoryUsage().heapUsed).toBeLessThan(512 * 1024 * 1024);
  }, 60_000);

  it('a missing worker file says to reinstall, not a stack', async () => {
    const e = await new ReviewLoader('/nonexistent/review-worker.js').load([file]).catch((x: unknown) => x);
    expect(String((e as Error).message)).toMatch(/The export reader is missing .* reinstall the console/);
  });

  it('refusals made on the worker arrive as the same plain refusals', async () => {
    const e = await new ReviewLoader().load([join(tmpdir(), 'no-such-export.sqlite')]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect(e).toMatchObject({ code: 'no-file', message: expect.stringContaining('There is no file at') });
  });
});

describe('one review built at a time on a console', () => {
  // A build's memory is SQLite's and the image's, outside the worker's heap: two at once would double it.
  const slow = (): { loader: ReviewLoader; log: string; lines: () => string[] } => {
    const log = join(mkdtempSync(join(tmpdir(), 'gym-review-turns-')), 'log');
    writeFileSync(log, '');
    return { loader: new ReviewLoader(resolve('tests/helpers/slow-review-worker.ts')), log, lines: () => readFileSync(log, 'utf8').trim().split('\n') };
  };

  it('a second open waits for the first to be built, then is built', async () => {
    const { loader, log, lines } = slow();
    const [a, b] = await Promise.all([loader.load([log, 'a']), loader.load([log, 'b'])]);
    expect([a.files, b.files]).toEqual([['a'], ['b']]);
    expect(lines()).toEqual(['start a', 'end a', 'start b', 'end b']);
  }, 30_000);

  it('one waiting can be cancelled and is never built; too many waiting are told to try again', async () => {
    const { loader, log, lines } = slow();
    const stop = new AbortController();
    const first = loader.load([log, 'a']);
    const waiting = loader.load([log, 'b'], stop.signal).catch((e: unknown) => e);
    const queued = Array.from({ length: MAX_WAITING_LOADS - 1 }, (_, i) => loader.load([log, `q${i}`], stop.signal).catch((e: unknown) => e));
    expect(await loader.load([log, 'one too many']).catch((e: unknown) => e)).toMatchObject({ code: 'review-queue-full', message: expect.stringMatching(/waiting to be opened on this console, one after another\. Open this one again when they are shown/) });
    stop.abort();
    expect(await waiting).toMatchObject({ code: 'export-cancelled' });
    for (const q of await Promise.all(queued)) expect(q).toMatchObject({ code: 'export-cancelled' });
    await first;
    expect(lines()).toEqual(['start a', 'end a']);
  }, 30_000);
});
