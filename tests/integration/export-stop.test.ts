import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';

/** A console that stops while an export is written ends the export and leaves no file of it; a start clears what a crash left. */

const TOKEN = 'export-stop';
let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
});
afterAll(() => cluster.close());
const ctx = { transport: 'test' as const, session: new Session('manager') };

describe('an export when the console stops', () => {
  for (const format of ['json', 'csv'] as const) {
    it(`a ${format} export in progress is ended, says so, and its files are gone when the stop returns`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'gym-export-stop-'));
      const exportsDir = join(dataDir, 'exports');
      const core = await startCore({ version: 't', dataDir, backend: { endpoints: cluster.urls, token: TOKEN } });
      const now = Date.now();
      const n = 200_000;
      core.analytics.store.insertEvents(Array.from({ length: n }, (_, i) => ({ ts: now - 6 * 86_400_000 + Math.floor((i / n) * 5 * 86_400_000), category: 'checkin' as const, type: 'allowed', source: 'door', detail: `member ${i}` })));
      const reply = dispatch(core.handlers, 'analytics.export', { range: { last: '7d' }, format }, ctx);
      // Stopped once it has written part of the file.
      while (!readdirSync(exportsDir).some((f) => f.endsWith('.partial'))) await new Promise((res) => setImmediate(res));
      await core.stop();
      expect(readdirSync(exportsDir)).toEqual([]);
      expect(await reply).toMatchObject({ ok: false, error: { code: 'export-stopped', message: expect.stringContaining('nothing was saved') } });
    }, 60_000);
  }

  it('a start removes the files of an export a crash stopped (an empty reserved name, its .partial), and keeps the rest', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gym-export-stop-'));
    const exportsDir = join(dataDir, 'exports');
    mkdirSync(exportsDir);
    writeFileSync(join(exportsDir, 'gym-7d-2026-03-01T17-00-00.json'), '');
    writeFileSync(join(exportsDir, 'gym-7d-2026-03-01T17-00-00.json.0123456789ab.partial'), '{"meta":');
    writeFileSync(join(exportsDir, 'gym-24h-2026-03-01T16-00-00.csv'), '\uFEFFtime_utc');
    writeFileSync(join(exportsDir, 'notes.txt'), '');
    const core = await startCore({ version: 't', dataDir, backend: { endpoints: cluster.urls, token: TOKEN } });
    try {
      expect(readdirSync(exportsDir).sort()).toEqual(['gym-24h-2026-03-01T16-00-00.csv', 'notes.txt']);
    } finally {
      await core.stop();
    }
    expect(existsSync(exportsDir)).toBe(true);
  });
});
