import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from '../../src/server/cluster';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolConfig } from '../../src/shared/pools';
import { TOKEN } from '../helpers/pool-setup';
import { hasOpenssl, makeTestCa } from '../helpers/test-ca';
import { waitFor } from '../helpers/wait';

/** Said for another authority's file: which file it must be, and that working connections are kept. */
const NOT_TRUSTED =
  "Saved, but the backend's certificate is not signed by the authority in this file, so it is still not trusted. Check that this is the gym's own CA certificate, the one that signed the backend's certificate (the gym's IT has it). Connections already open stay open until they drop; new ones will fail until the file is right.";
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Saving a CA file while connected used to answer "saved" untried: a wrong file broke the pool at the next reconnect.
describe('a CA file saved on a wss:// pool is tried at once', () => {
  it.skipIf(!hasOpenssl())('says whether the certificate is trusted with it, and keeps the open sockets either way', async () => {
    const { dir, key, cert, caFile } = makeTestCa();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const cluster = await startCluster({ instances: 1, port: 0, token: TOKEN, tls: { key, cert } });
    cleanups.push(() => cluster.close());
    const config: PoolConfig = { name: 'tls', endpoints: cluster.urls, maxConnections: 1, healthCheckInterval: 200, reconnectAttempts: 2, strategy: 'round-robin', caFile };
    const manager = new PoolManager({ token: TOKEN, store: memoryPoolStore(), defaults: [config] });
    cleanups.push(() => manager.stop());
    manager.start();
    const open = () => manager.list()[0]!.sockets.filter((s) => s.state === 'open').length;
    await waitFor(() => open() === 1);

    // Another CA's certificate (a real one): saved, said not trusted, and the working socket stays.
    const wrong = join(dir, 'other-ca.pem');
    writeFileSync(wrong, readFileSync(join(import.meta.dirname, '../fixtures/tls/gym-test-ca.pem')));
    manager.configure('tls', { caFile: wrong });
    const said = await manager.tryCaFile('tls');
    expect(said).toBe(NOT_TRUSTED);
    expect(open()).toBe(1);

    // The right one again: trusted.
    manager.configure('tls', { caFile });
    expect(await manager.tryCaFile('tls')).toBe("Saved. The backend's certificate is trusted with this file.");

    // Markers around bytes that are not a certificate: refused at save, in the CA file words, nothing changed.
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n');
    expect(() => manager.configure('tls', { caFile: garbage })).toThrow(/garbage\.pem is not a CA certificate file/);
    expect(manager.list()[0]!.config.caFile).toBe(caFile);
  });
});
