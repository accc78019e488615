import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type ServerResponse } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../src/main/core/clock';
import { alertRig } from '../helpers/alert-rig';
import { SECRET } from '../helpers/webhook-receiver';
import { waitFor } from '../helpers/wait';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The receiver stops here so a console that reads the whole reply cannot take the test run down with it. */
const SERVER_CAP = 64 * 1024 * 1024;
/** Loopback socket buffers take a few MB before the writer must wait; a console reading on would take the cap. */
const BOUNDED = 16 * 1024 * 1024;

/** Answers `status` and streams a body that never ends (up to SERVER_CAP, then holds the connection open). */
async function endlessReceiver(status = 200) {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const stats = { sent: 0, closed: false };
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      open.add(res);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.on('close', () => (stats.closed = true));
      const pump = (): void => {
        while (stats.sent < SERVER_CAP && !res.destroyed) {
          stats.sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const close = () =>
    new Promise<void>((r) => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      server.close(() => r());
    });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, stats, close };
}

describe('a webhook receiver that answers 200 and then streams without end', () => {
  it('counts as delivered at once; the console reads only a little of the reply and hangs up', async () => {
    const receiver = await endlessReceiver();
    cleanups.push(receiver.close);
    const rig = alertRig(mkdtempSync(join(tmpdir(), 'gym-webhook-endless-')), systemClock, [0, 60_000]);
    cleanups.push(rig.close);
    rig.center.saveWebhook({ url: receiver.url, secret: SECRET, enabled: true, timeoutSeconds: 2 }, 'Manager');
    const started = Date.now();
    rig.raise('endless');
    await waitFor(() => rig.center.deliveries.list()[0]?.state === 'delivered', 1_500);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(rig.center.deliveries.list()[0]).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200, lastError: null });
    // The console let go of the body: the receiver sees its connection closed, well short of the cap.
    await waitFor(() => receiver.stats.closed, 2_000);
    expect(receiver.stats.sent).toBeLessThan(BOUNDED);
  });

  it('an error answer streamed without end is read only in part and retried, within the attempt', async () => {
    const receiver = await endlessReceiver(500);
    cleanups.push(receiver.close);
    const rig = alertRig(mkdtempSync(join(tmpdir(), 'gym-webhook-endless-')), systemClock, [0, 60_000]);
    cleanups.push(rig.close);
    rig.center.saveWebhook({ url: receiver.url, secret: SECRET, enabled: true, timeoutSeconds: 2 }, 'Manager');
    rig.raise('endless-500');
    await waitFor(() => rig.center.deliveries.list()[0]?.attempts === 1, 1_500);
    expect(rig.center.deliveries.list()[0]).toMatchObject({ state: 'pending', lastStatus: 500, lastError: 'the receiver had a fault of its own (HTTP 500)' });
    await waitFor(() => receiver.stats.closed, 2_000);
    expect(receiver.stats.sent).toBeLessThan(BOUNDED);
  });
});
