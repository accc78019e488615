import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolConfig } from '../../src/shared/pools';
import { waitFor } from '../helpers/wait';

const TOKEN = 'missing-ca';
// A real certificate: a file with only the markers is refused (see ca-file.test.ts).
const PEM = readFileSync(join(import.meta.dirname, '../fixtures/tls/gym-test-ca.pem'), 'utf8');
let cluster: Cluster | null = null;
let core: Core | null = null;
let dir = '';
afterEach(async () => {
  await core?.stop();
  await cluster?.close();
  core = cluster = null;
  rmSync(dir, { recursive: true, force: true });
});

const pool = (name: string, endpoints: string[], extra: Partial<PoolConfig> = {}): PoolConfig => ({
  name, endpoints, maxConnections: 2, healthCheckInterval: 200, reconnectAttempts: 2, strategy: 'round-robin', ...extra,
});

// A CA file saved with a pool can be moved or deleted while the console is stopped. The console must
// still start (the screens are where the path is fixed): only that pool fails, and says why.
describe('a saved pool whose CA file is gone', () => {
  it('the console starts, the other pools connect, and the pool says plainly why it cannot', async () => {
    cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
    dir = mkdtempSync(join(tmpdir(), 'gym-missing-ca-'));
    const caFile = join(dir, 'gone.pem');
    const store = memoryPoolStore();
    store.save([pool('main', [cluster.urls[0]!]), pool('secure', [cluster.urls[1]!], { caFile })]);

    core = await startCore({ version: 't', dataDir: dir, backend: { endpoints: [], token: TOKEN }, poolStore: store });

    await waitFor(() => core!.pools.list().find((p) => p.config.name === 'main')!.healthRatio === 1, 10_000);
    const plain = `Cannot read the CA file ${caFile}: there is no file there. Check the path.`;
    const secure = () => core!.pools.list().find((p) => p.config.name === 'secure')!;
    const why = await waitFor(() => secure().endpoints[0]!.cause, 10_000);
    expect(why).toMatchObject({ kind: 'ca-file', text: plain });
    expect(why!.next).toMatch(/pool's settings/);
    expect(secure().healthRatio).toBe(0);
    // Health checks (and so alerts) name it too.
    const check = await waitFor(() => core!.stream.snapshot().gauges.health.checks.find((c) => c.id === 'pool:secure' && c.status === 'failing'), 10_000);
    expect(check!.reason).toContain(plain);

    // The file comes back: the pool's next try reads it, with nothing changed on a screen.
    writeFileSync(caFile, PEM);
    await waitFor(() => secure().healthRatio === 1, 15_000);
    expect(secure().endpoints[0]!.cause).toBeNull();
  });

  it('the main pool gone this way: the Overview says why, and a manager fixing the path brings it back at once', async () => {
    cluster = await startCluster({ instances: 2, port: 0, token: TOKEN });
    dir = mkdtempSync(join(tmpdir(), 'gym-missing-ca-'));
    const caFile = join(dir, 'gone.pem');
    const store = memoryPoolStore();
    store.save([pool('main', [cluster.urls[0]!], { caFile }), pool('other', [cluster.urls[1]!])]);

    core = await startCore({ version: 't', dataDir: dir, backend: { endpoints: [], token: TOKEN }, poolStore: store });

    // Another pool answers, but the main one carries the check-ins: the Overview says why it is down.
    await waitFor(() => core!.stream.current('connection').state === 'degraded', 10_000);
    expect(core.stream.current('connection').cause).toMatchObject({ kind: 'ca-file', text: `Cannot read the CA file ${caFile}: there is no file there. Check the path.` });

    // Saving a path that is still wrong is refused in the same words, with one full stop.
    expect(() => core!.pools.configure('main', { caFile: join(dir, 'nope.pem') })).toThrow(/^Cannot read the CA file .*nope\.pem: there is no file there\. Check the path\.$/);
    const good = join(dir, 'ca.pem');
    writeFileSync(good, PEM);
    const guard = () => core!.pools.list().find((p) => p.config.name === 'main')!.endpoints[0]!.breaker;
    // Its failures open the breaker (five tries of the address, however many sockets try together).
    await waitFor(() => guard() !== 'closed', 20_000);
    core.pools.configure('main', { caFile: good });
    // At once: not after the cooldown of the breaker its failures opened.
    expect(guard()).toBe('closed');
    await waitFor(() => core!.pools.connectionView().state === 'connected', 1_000);
  });

  it('the file put back (or a renewed CA) under the same path: saving that path again tries at once', async () => {
    cluster = await startCluster({ instances: 1, port: 0, token: TOKEN });
    dir = mkdtempSync(join(tmpdir(), 'gym-missing-ca-'));
    const caFile = join(dir, 'gym-ca.pem');
    const store = memoryPoolStore();
    store.save([pool('main', [cluster.urls[0]!], { caFile })]);
    core = await startCore({ version: 't', dataDir: dir, backend: { endpoints: [], token: TOKEN }, poolStore: store });
    const guard = () => core!.pools.list()[0]!.endpoints[0]!.breaker;
    await waitFor(() => guard() !== 'closed', 20_000);
    writeFileSync(caFile, PEM);
    core.pools.configure('main', { caFile });
    expect(guard()).toBe('closed');
    await waitFor(() => core!.pools.connectionView().state === 'connected', 1_000);
  });
});
