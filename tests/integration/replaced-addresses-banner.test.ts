import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { freePort } from '../helpers/free-port';
import { waitFor } from '../helpers/wait';

// readme25 W12 / review25 V1: a start whose --backend put old addresses back over a manager's is said on the screens
// until the console first connects, and never stands in for the backend's own words in a later outage.
let core: Core | null = null;
let cluster: Cluster | null = null;
afterEach(async () => {
  await core?.stop();
  await cluster?.close();
  core = cluster = null;
});

const LINE = 'This start replaced the backend addresses saved on this PC (…) with the ones on its command line (…).';

describe('a start that replaced the saved addresses', () => {
  it('is on the banner until the console first connects, and not after, even offline again', async () => {
    const port = await freePort();
    core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-replaced-')), backend: { endpoints: [`ws://127.0.0.1:${port}`], token: 'replaced-token' }, replacedAddresses: LINE });
    const c = core;
    const banner = () => c.stream.current('alerts').map((a) => a.text);
    await waitFor(() => banner().includes(LINE) || null, 10_000);
    cluster = await startCluster({ instances: 1, port, token: 'replaced-token' });
    await waitFor(() => c.stream.current('connection').state === 'connected' || null, 20_000);
    await waitFor(() => !banner().includes(LINE) || null, 10_000);
    await cluster.close();
    cluster = null;
    await waitFor(() => c.stream.current('connection').state === 'offline' || null, 20_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(banner()).not.toContain(LINE);
  }, 60_000);
});
