import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookSender } from '../../src/main/core/alerts/webhooks';
import { WebhookStore } from '../../src/main/core/alerts/webhook-store';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import type { Db } from '../../src/main/core/store/db';
import type { AlertNotice, WebhookEndpoint } from '../../src/shared/health';
import { FakeClock } from '../helpers/fake-clock';

const URL_ = 'http://127.0.0.1:8080/hook'; // never reached: fetch is faked
const endpoint: WebhookEndpoint = { url: URL_, secret: `whsec_${Buffer.alloc(24, 7).toString('base64')}`, enabled: true, timeoutSeconds: 5 };
const notice = (id: string, kind: 'firing' | 'resolved', alert: string, at: number): AlertNotice => ({ id, kind, alert, severity: 'critical', title: `${kind}: ${alert}`, text: '', at, durationMs: kind === 'resolved' ? 1_000 : null });
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

let dir = '';
let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('webhook notices about one alert reach a receiver in order', () => {
  it('a resolved notice waits for its firing notice\'s retry, so the receiver never ends holding the alert open; other alerts do not wait', async () => {
    const clock = new FakeClock();
    dir = mkdtempSync(join(tmpdir(), 'webhook-order-'));
    db = openConsoleDb(dir);
    const received: string[] = [];
    let down = true;
    const fake = (async (_url: string, init: RequestInit) => {
      if (down) return new Response(null, { status: 503 });
      const body = JSON.parse(String(init.body)) as { type: string; data: { alert: string } };
      received.push(`${body.type} ${body.data.alert}`);
      return new Response(null, { status: 204 });
    }) as unknown as typeof fetch;
    const sender = new WebhookSender({ store: new WebhookStore(db), clock, endpoints: () => [endpoint], disable: () => {}, schedule: [0, 5_000, 300_000], fetch: fake });
    sender.enqueue(notice('a', 'firing', 'backend', clock.now()));
    await settle(); // refused: its retry is due in 5 s
    down = false;
    sender.enqueue(notice('b', 'resolved', 'backend', clock.now()));
    sender.enqueue(notice('c', 'firing', 'disk', clock.now()));
    await settle();
    expect(received).toEqual(['alert.firing disk']);
    clock.advance(5_000);
    await settle();
    expect(received).toEqual(['alert.firing disk', 'alert.firing backend', 'alert.resolved backend']);
    sender.stop();
  });
});

// probe25 Q6: the next wake-up was the earliest pending row's, the one on the wire among them (already due), so no
// timer was set and another address's retry waited for the hanging receiver's timeout.
describe('a receiver that hangs', () => {
  it("holds no other address's retry: that goes when it is due", async () => {
    const clock = new FakeClock();
    dir = mkdtempSync(join(tmpdir(), 'webhook-hang-'));
    db = openConsoleDb(dir);
    const HANG = 'http://127.0.0.1:8080/slow';
    const tries: { url: string; at: number }[] = [];
    const fake = ((url: string, init: RequestInit) => {
      tries.push({ url, at: clock.now() });
      if (url === HANG) return new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(new Error('timed out'))));
      return Promise.resolve(new Response(null, { status: 500 }));
    }) as unknown as typeof fetch;
    const slow: WebhookEndpoint = { ...endpoint, url: HANG, timeoutSeconds: 60 };
    const sender = new WebhookSender({ store: new WebhookStore(db), clock, endpoints: () => [endpoint, slow], disable: () => {}, schedule: [0, 5_000, 300_000], fetch: fake });
    const t0 = clock.now();
    sender.enqueue(notice('a', 'firing', 'backend', t0));
    await settle();
    expect(tries.map((t) => t.url).sort()).toEqual([URL_, HANG].sort());
    for (let i = 0; i < 6; i++) {
      clock.advance(1_000);
      await settle();
    }
    expect(tries.filter((t) => t.url === URL_).map((t) => t.at - t0)).toEqual([0, 5_000]);
    sender.stop();
  });
});
