import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { activityWords } from '../../src/shared/words';
import { waitFor } from '../helpers/wait';

// readme25 W9: "Live events moved to another connection" stood over "no connection left to carry them; reconnecting".
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
});

describe('the live feed losing its last connection', () => {
  it('is told as having no connection, not as a move to another', async () => {
    const cluster = await startCluster({ instances: 1, port: 0, token: 'stranded-token' });
    core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-stranded-')), backend: { endpoints: cluster.urls, token: 'stranded-token' } });
    const c = core;
    await waitFor(() => c.stream.current('connection').state === 'connected' || null, 15_000);
    await cluster.close();
    const stranded = await waitFor(() => c.stream.snapshot().feeds.activity.find((a) => a.type === 'feed-stranded') ?? null, 15_000);
    expect(stranded!.detail).toMatch(/no connection left to carry them/);
    expect(activityWords('feed-stranded')).toBe('Live events have no connection');
    expect(c.stream.snapshot().feeds.activity.filter((a) => a.type === 'failover' && /no connection left/.test(a.detail ?? ''))).toEqual([]);
  }, 30_000);
});
