import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { waitFor } from '../helpers/wait';

// A live data dir whose token file was lost starts with none: the backend says "unauthorized",
// but the fix is to enter a token, not to correct one, and staff are told that.
let cluster: Cluster;
let core: Core;
beforeAll(async () => {
  cluster = await startCluster({ instances: 2, port: 0, token: 'right-token' });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-no-token-')), backend: { endpoints: cluster.urls, token: '' } });
});
afterAll(async () => {
  await core.stop();
  await cluster.close();
});

describe('a console with no backend token saved', () => {
  it('says no token is saved, not that the backend refused it', async () => {
    const cause = await waitFor(() => core.stream.current('connection').cause, 10_000);
    expect(cause).toMatchObject({ kind: 'no-token', text: 'No backend token is saved on this PC, so the backend cannot let the console in.' });
    expect(cause!.next).toMatch(/manager can enter it under Backend connection/);
  });
});
