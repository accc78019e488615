import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { MAX_SCREEN_REVIEWS } from '../../src/main/core/analytics/screen-reviews';

/**
 * An export opened for review is the screen's that opened it: the manager's. A desk PC's screen, or
 * another manager's new browser session, opening Analytics meanwhile sees live data, not the export.
 */

const TOKEN = 'review-per-screen';
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
});
afterAll(() => cluster.close());

const source = (r: unknown): string => ((r as { ok: boolean; value: { source: { kind: string } } }).value.source.kind);

describe('an export opened for review', () => {
  it('is shown only on the screen that opened it; a screen that goes away lets it go', async () => {
    let file = '';
    const core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-review-screen-')), backend: { endpoints: cluster.urls, token: TOKEN }, pickExportFiles: async () => [file] });
    try {
      const manager = { transport: 'test' as const, session: core.newSession() };
      manager.session.rightPin('manager');
      const desk = { transport: 'test' as const, session: core.newSession() };
      desk.session.rightPin('desk');
      const exported = (await dispatch(core.handlers, 'analytics.export', { range: { last: '1h' }, format: 'sqlite' }, manager)) as { ok: true; value: { file: string } };
      file = exported.value.file;
      const open = async (ctx: typeof manager) => {
        const picked = (await dispatch(core.handlers, 'analytics.pickExport', undefined, ctx)) as { ok: true; value: { ref: string }[] };
        return dispatch(core.handlers, 'analytics.openExport', { refs: picked.value.map((p) => p.ref) }, ctx);
      };
      expect(await open(manager)).toMatchObject({ ok: true });
      const range = { range: { last: '24h' as const } };
      expect(source(await dispatch(core.handlers, 'analytics.view', range, manager))).toBe('export');
      expect(source(await dispatch(core.handlers, 'analytics.view', range, desk))).toBe('live');
      // A new screen (a reload, another PC's browser) starts on live data too.
      const later = { transport: 'test' as const, session: core.newSession() };
      later.session.rightPin('manager');
      expect(source(await dispatch(core.handlers, 'analytics.view', range, later))).toBe('live');
      // Its "Back to live data" closes nothing of the manager's.
      expect(await dispatch(core.handlers, 'analytics.closeExport', undefined, later)).toEqual({ ok: true, value: { closed: false } });
      expect(source(await dispatch(core.handlers, 'analytics.view', range, manager))).toBe('export');

      // As many screens as the console holds reviews for may each have one; one more is told why not.
      expect(await open(later)).toMatchObject({ ok: true });
      expect(MAX_SCREEN_REVIEWS).toBe(2);
      expect(await open(desk)).toMatchObject({ ok: false, error: { code: 'too-many-reviews', message: expect.stringMatching(/Close one there \(Back to live data\)/) } });
      expect(source(await dispatch(core.handlers, 'analytics.view', range, desk))).toBe('live');
      // The manager's screen goes away (window closed, browser tab closed): its review is let go, and room made.
      manager.session.end();
      expect(await open(desk)).toMatchObject({ ok: true });
      expect(source(await dispatch(core.handlers, 'analytics.view', range, desk))).toBe('export');
    } finally {
      await core.stop();
    }
  });
});
