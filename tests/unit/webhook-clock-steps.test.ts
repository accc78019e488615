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

const DAY = 86_400_000;
const URL_ = 'http://127.0.0.1:8080/hook'; // never reached: fetch is faked
const endpoint: WebhookEndpoint = { url: URL_, secret: `whsec_${Buffer.alloc(24, 7).toString('base64')}`, enabled: true, timeoutSeconds: 5 };
const notice = (at: number): AlertNotice => ({ id: 'n-1', kind: 'firing', alert: 'disk', severity: 'critical', title: 'Critical: disk', text: 'disk is low', at, durationMs: null });
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

/** A sender to a receiver that answers 500 to the first `failures` posts, then 204; `restart()` makes a new sender over the same console.db. */
function rig(clock: FakeClock, failures: number, schedule = [0, 5_000, 300_000]) {
  dir = mkdtempSync(join(tmpdir(), 'webhook-steps-'));
  db = openConsoleDb(dir);
  const store = new WebhookStore(db);
  const posts: number[] = [];
  const fake = (async () => {
    posts.push(clock.mono());
    return new Response(null, { status: posts.length <= failures ? 500 : 204 });
  }) as unknown as typeof fetch;
  const make = () => new WebhookSender({ store, clock, endpoints: () => [endpoint], disable: () => {}, schedule, fetch: fake });
  let sender = make();
  return {
    store, posts,
    get sender() { return sender; },
    restart() { sender.stop(); sender = make(); sender.start(); },
  };
}

describe('webhook retries when the PC clock is set forward or back', () => {
  it('a retry set while the clock ran 40 days ahead goes 5 s later once the clock is put right, not in 40 days', async () => {
    const clock = new FakeClock();
    clock.stepWall(40 * DAY);
    const r = rig(clock, 1);
    r.sender.enqueue(notice(clock.now()));
    await settle();
    expect(r.posts).toHaveLength(1);
    clock.stepWall(-40 * DAY);
    clock.advance(5_000);
    await settle();
    expect(r.posts).toHaveLength(2);
    expect(r.store.list()[0]).toMatchObject({ state: 'delivered', attempts: 2 });
    r.sender.stop();
  });

  it('a clock set back a day does not hold a retry a day', async () => {
    const clock = new FakeClock();
    const r = rig(clock, 1);
    r.sender.enqueue(notice(clock.now()));
    await settle();
    clock.stepWall(-DAY);
    clock.advance(5_000);
    await settle();
    expect(r.posts).toHaveLength(2);
    r.sender.stop();
  });

  it('a clock set forward a day does not send the retries at once: each waits the time it was given', async () => {
    const clock = new FakeClock();
    const r = rig(clock, 2);
    r.sender.enqueue(notice(clock.now()));
    await settle();
    clock.advance(5_000);
    await settle();
    expect(r.posts).toHaveLength(2); // the next waits 5 min
    clock.stepWall(DAY);
    clock.advance(1_000);
    r.sender.enqueue({ ...notice(clock.now()), id: 'n-2', alert: 'clock' }); // anything that wakes the sender (another alert: one about disk would wait its turn)
    await settle();
    expect(r.posts).toHaveLength(3); // n-2 only
    clock.advance(299_000);
    await settle();
    expect(r.posts).toHaveLength(4);
    expect(r.posts[3]! - r.posts[1]!).toBe(300_000);
    r.sender.stop();
  });

  it('after a restart, a retry saved while the clock ran 40 days ahead waits what it was given, not the 40 days', async () => {
    const clock = new FakeClock();
    clock.stepWall(40 * DAY);
    const r = rig(clock, 1);
    r.sender.enqueue(notice(clock.now()));
    await settle();
    r.sender.stop();
    clock.stepWall(-40 * DAY); // put right while the console was off
    r.restart();
    clock.advance(5_000);
    await settle();
    expect(r.posts).toHaveLength(2);
    expect(clock.pending).toBeLessThan(3); // no timer Node cannot hold, respun at once
    r.sender.stop();
  });
});
