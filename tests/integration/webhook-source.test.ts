import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { SECRET, startReceiver } from '../helpers/webhook-receiver';
import { waitFor } from '../helpers/wait';

// A desk and a kiosk posting to one receiver: each notice must say which gym and which PC it is from.
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function core(kiosk: boolean): Promise<Core> {
  const c = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-webhook-source-')), demoRatePerHour: 0, kiosk });
  cleanups.push(() => c.stop());
  return c;
}

describe("the running console's webhook notices name the gym and the PC", () => {
  it.each([
    [true, 'kiosk'],
    [false, 'front desk'],
  ] as const)('kiosk %s: the test notice carries the gym name, "%s" and the host name', async (kiosk, station) => {
    const receiver = await startReceiver(SECRET, () => 'ok');
    cleanups.push(receiver.close);
    const c = await core(kiosk);
    c.analytics.configure({ ...c.analytics.settings(), siteName: 'Riverside Gym' });
    c.alerts.saveWebhook({ url: receiver.url, secret: SECRET, enabled: true, timeoutSeconds: 15 }, 'Manager');
    c.alerts.testWebhook(receiver.url, 'Manager');
    await waitFor(() => receiver.accepted.size === 1);
    const { body, verified } = receiver.arrivals[0]!;
    expect(verified).toBe(true);
    expect(body.data).toMatchObject({ kind: 'test', site: 'Riverside Gym', station, host: hostname(), title: `Riverside Gym, ${station} on ${hostname()}: Test from AV Gym Console` });
  });
});
