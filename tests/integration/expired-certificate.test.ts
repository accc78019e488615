import { afterEach, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { startCluster } from '../../src/server/cluster';
import { testEndpoints } from '../../src/main/core/pool/connection-test';
import { certificateDates } from '../../src/main/core/pool/cert-dates';
import { tryCaFile } from '../../src/main/core/pool/ca-file-trial';
import { socketFactoryFor } from '../../src/main/core/pool/tls';
import { systemClock } from '../../src/main/core/clock';
import { TOKEN } from '../helpers/pool-setup';
import { hasOpenssl, makeExpiredCa } from '../helpers/test-ca';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Node's error says only "certificate has expired": IT had to find out elsewhere since when.
describe('Test connection to a backend whose certificate has expired', () => {
  it.skipIf(!hasOpenssl())('says the day it ran out, and renewing it, not the CA file', async () => {
    const { key, cert, caFile } = makeExpiredCa();
    const cluster = await startCluster({ instances: 1, port: 0, token: TOKEN, tls: { key, cert } });
    cleanups.push(() => cluster.close());
    const day = new Date(new X509Certificate(cert).validTo).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    const [r] = await testEndpoints(cluster.urls, { token: TOKEN, clock: systemClock, socketFactory: socketFactoryFor(caFile) });
    expect(r).toMatchObject({ ok: false, cause: { kind: 'tls', text: `The secure connection failed: the backend's certificate expired on ${day}.`, detail: expect.stringMatching(/CERT_HAS_EXPIRED/) } });
    expect(!r!.ok && r!.cause.nextHere).toMatch(/renew it; a CA file cannot help/);
  });

  it('the look at the certificate gives up after its short limit on an address that never answers TLS', async () => {
    const held = new Set<Socket>();
    const tarpit = createNetServer((s) => void held.add(s.on('error', () => {})));
    await new Promise<void>((r) => tarpit.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => tarpit.close(r)), () => held.forEach((s) => s.destroy()));
    const t0 = Date.now();
    expect(await certificateDates(`wss://127.0.0.1:${(tarpit.address() as AddressInfo).port}`, systemClock, 300)).toBeNull();
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await certificateDates('not a url', systemClock)).toBeNull();
  });
});

// Stalls are one cause now ("no-welcome"); one before the secure connection was made says nothing of the certificate.
describe('a CA file tried on a wss:// address that takes the connection and never answers', () => {
  it('is not said to be trusted: the certificate was never seen', async () => {
    const held = new Set<Socket>();
    const tarpit = createNetServer((s) => void held.add(s.on('error', () => {})));
    await new Promise<void>((r) => tarpit.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => tarpit.close(r)), () => held.forEach((s) => s.destroy()));
    const said = await tryCaFile([`wss://127.0.0.1:${(tarpit.address() as AddressInfo).port}`], { token: TOKEN, clock: systemClock, socketFactory: socketFactoryFor(undefined) });
    expect(said).toMatch(/^Saved, but the file could not be tried: The console reached the backend's address, but the backend did not answer it within \d+ seconds\./);
    expect(said).not.toMatch(/trusted with this file/);
  });
});
