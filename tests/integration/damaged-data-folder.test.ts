import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { KIOSK_NO_PINS_NOTE } from '../../src/shared/roles';
import { killBuiltHosts, requireBuild, startBuiltHost, stopBuiltHost } from '../helpers/built-host';

// Something else where the console keeps a folder or a small file of its own: said in words that say what to change.
const TOKEN = 'damaged-folder';
let cluster: Cluster;
beforeAll(async () => {
  requireBuild();
  cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
});
afterAll(async () => {
  killBuiltHosts();
  await cluster.close();
});
const tmp = (): string => mkdtempSync(join(tmpdir(), 'gym-damaged-'));

describe('a file where the exports folder goes', () => {
  it('an export says the exports folder is not a folder and what to do, not "Something went wrong"', async () => {
    const dataDir = tmp();
    writeFileSync(join(dataDir, 'exports'), 'not a folder');
    const core = await startCore({ version: 't', dataDir, backend: { endpoints: cluster.urls, token: TOKEN } });
    try {
      const reply = await dispatch(core.handlers, 'analytics.export', { range: { last: '1h' }, format: 'csv' }, { transport: 'test', session: new Session('manager') });
      expect(reply).toEqual({
        ok: false,
        error: expect.objectContaining({
          code: 'exports-not-a-folder',
          message: `Nothing was exported: ${join(dataDir, 'exports')} is a file, where the console keeps the folder for exports. Ask the gym's IT to move it out of the console's data folder (or rename it), then export again.`,
        }),
      });
    } finally {
      await core.stop();
    }
    expect(readFileSync(join(dataDir, 'exports'), 'utf8')).toBe('not a folder');
  }, 30_000);
});

describe('a station.json that cannot be read', () => {
  it('starts a kiosk, the screen that shows least (only --kiosk writes the file), and stderr says why, never "as this PC was set up (--kiosk)"', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'station.json'), Buffer.alloc(300, 0x5a));
    const h = await startBuiltHost(['--data-dir', dir, '--backend', 'ws://127.0.0.1:1', '--backend-token', 'site-token']);
    if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
    const err = h.stderr();
    await stopBuiltHost(h.child);
    expect(err).toContain(`console: ${join(dir, 'station.json')} cannot be read (it is not what the console writes there); only a kiosk start writes it, so this PC starts as a kiosk check-in station, the screen that shows least.`);
    expect(err).not.toContain('as this PC was set up');
    // A kiosk with no PINs yet: IT is told how to set them.
    expect(err).toContain(KIOSK_NO_PINS_NOTE);
  }, 30_000);
});
