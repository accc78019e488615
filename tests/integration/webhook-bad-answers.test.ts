import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../src/main/core/clock';
import { alertRig } from '../helpers/alert-rig';
import { SECRET } from '../helpers/webhook-receiver';
import { waitFor } from '../helpers/wait';

/** A receiver that was reached but answers something that is not a readable HTTP answer is not "unreachable". */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A TCP server that answers each request with `answer` (raw bytes), or cuts the connection when null. */
async function rawReceiver(answer: string | null) {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('data', () => (answer === null ? s.destroy() : s.end(answer)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

async function lastError(url: string): Promise<string> {
  const rig = alertRig(mkdtempSync(join(tmpdir(), 'gym-webhook-bad-')), systemClock, [0, 60_000]);
  cleanups.push(rig.close);
  rig.center.saveWebhook({ url, secret: SECRET, enabled: true, timeoutSeconds: 2 }, 'Manager');
  rig.raise('bad-answer');
  await waitFor(() => rig.center.deliveries.list()[0]?.attempts === 1, 3_000);
  return rig.center.deliveries.list()[0]!.lastError ?? '';
}

describe('a webhook receiver that was reached but answered badly', () => {
  it('too many headers: reached, its answer could not be read', async () => {
    const headers = Array.from({ length: 20_000 }, (_, i) => `x-h${i}: ${'v'.repeat(20)}`).join('\r\n');
    expect(await lastError(await rawReceiver(`HTTP/1.1 200 OK\r\n${headers}\r\n\r\n`))).toMatch(/^reached it, but its answer could not be read \(/);
  });

  it('not HTTP at all: reached, its answer could not be read', async () => {
    expect(await lastError(await rawReceiver('SSH-2.0-OpenSSH_9.2\r\n'))).toMatch(/^reached it, but its answer could not be read \(/);
  });

  it('cut off without an answer: the connection was cut', async () => {
    expect(await lastError(await rawReceiver(null))).toMatch(/^the connection was cut before the receiver answered \(/);
  });
});
