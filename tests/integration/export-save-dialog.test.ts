import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { StoredEvent } from '../../src/shared/analytics';

const TOKEN = 'save-dialog';
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
});
afterAll(() => cluster.close());
const ctx = { transport: 'test' as const, session: new Session('manager') };

describe('the desktop save dialog for exports', () => {
  it('writes the export where the manager chose, offering the usual name first', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-save-'));
    const chosen = join(mkdtempSync(join(tmpdir(), 'usb-stick-')), 'march.csv');
    const offered: string[] = [];
    const core = await startCore({ version: 't', dataDir, backend: { endpoints: cluster.urls, token: TOKEN }, pickSaveFile: async (name) => (offered.push(name), chosen) });
    try {
      const r = await dispatch(core.handlers, 'analytics.export', { range: { last: '1h' }, format: 'csv' }, ctx);
      expect(r).toMatchObject({ ok: true, value: { file: chosen, name: 'march.csv' } });
      expect(offered).toEqual([expect.stringMatching(/^gym-1h-.*\.csv$/)]);
      expect(readFileSync(chosen, 'utf8').length).toBeGreaterThan(0);
      expect(existsSync(join(dataDir, 'exports'))).toBe(false);
      // Nothing goes over HTTP in the desktop app: no download tickets, said in words.
      expect(await dispatch(core.handlers, 'analytics.downloadTicket', { name: 'march.csv' }, ctx)).toMatchObject({ ok: false, error: { code: 'no-download', message: expect.stringMatching(/save dialog/) } });
      // The event log says who exported: the signed-in manager, not "console".
      const events = await dispatch(core.handlers, 'analytics.events', { range: { last: '1h' }, categories: ['user'] }, ctx);
      expect(events.ok && (events.value as StoredEvent[]).find((e) => e.type === 'export')).toMatchObject({ source: 'manager', detail: expect.stringMatching(/ events? to march\.csv$/) });
    } finally {
      await core.stop();
    }
  });

  it('writes nothing when the dialog is closed, and says how to try again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-save-'));
    const core = await startCore({ version: 't', dataDir, backend: { endpoints: cluster.urls, token: TOKEN }, pickSaveFile: async () => null });
    try {
      const r = await dispatch(core.handlers, 'analytics.export', { range: { last: '1h' }, format: 'json' }, ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'export-cancelled', message: expect.stringMatching(/Export this range/) } });
      expect(core.stream.current('exportProgress')).toBeNull();
    } finally {
      await core.stop();
    }
  });
});
