import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../helpers/fake-clock';
import { alertRig, type AlertRig } from '../helpers/alert-rig';
import { SECRET } from '../helpers/webhook-receiver';

// Receivers nothing listens on: every try fails, so notices stay queued for their next try.
const HOOK = 'http://127.0.0.1:59998/hook?x=1&y=%C3%A4';
const MOVED = 'http://127.0.0.1:59998/gym-alerts';
let rig: AlertRig | null = null;
afterEach(() => {
  rig?.close();
  rig = null;
});
const start = (): AlertRig => (rig = alertRig(mkdtempSync(join(tmpdir(), 'gym-webhook-edit-')), new FakeClock(), [0, 60_000, 1_800_000]));
const urls = (r: AlertRig) => r.center.webhookViews().map((v) => v.url);

describe('webhook addresses, changed', () => {
  // probe26b B4: saved three times in three spellings, it received every notice three times.
  it('the same address spelt otherwise is a change of the saved one, not a second receiver', () => {
    const r = start();
    r.center.saveWebhook({ url: HOOK, secret: SECRET, enabled: true, timeoutSeconds: 5 }, 'Manager');
    r.center.saveWebhook({ url: 'HTTP://127.0.0.1:59998/hook?x=1&y=ä', secret: '', enabled: true, timeoutSeconds: 7 }, 'Manager');
    expect(urls(r)).toEqual([HOOK]);
    expect(r.center.webhookSettings().endpoints[0]).toMatchObject({ timeoutSeconds: 7, secret: SECRET });
  });

  // probe26b B5: Edit could not change an address ("a new address needs a signing secret"), the old one kept receiving,
  // and a removed address's queued notices showed "sending" for up to 30 minutes.
  // review26 V4: ended, the firing notice of an alert still open never reached the corrected receiver.
  it('Edit changes the address it was opened on, keeping its secret and its queued notices; a removed one’s end at once', () => {
    const r = start();
    r.center.saveWebhook({ url: HOOK, secret: SECRET, enabled: true, timeoutSeconds: 5 }, 'Manager');
    r.raise('a');
    expect(r.center.deliveries.list().filter((d) => d.state === 'pending')).toHaveLength(1);
    r.center.saveWebhook({ url: MOVED, secret: '', enabled: true, timeoutSeconds: 5, replaces: HOOK }, 'Manager');
    expect(urls(r)).toEqual([MOVED]);
    expect(r.center.webhookSettings().endpoints[0]!.secret).toBe(SECRET);
    expect(r.center.deliveries.list().filter((d) => d.url === HOOK)).toEqual([]);
    expect(r.center.deliveries.list().filter((d) => d.url === MOVED && d.state === 'pending')).toHaveLength(1);
    r.raise('b');
    r.center.removeWebhook(MOVED, 'Manager');
    expect(r.center.deliveries.list().filter((d) => d.state === 'pending')).toEqual([]);
    expect(r.center.deliveries.list().filter((d) => d.url === MOVED).map((d) => [d.state, d.lastError])).toEqual([['dead', 'the address was removed'], ['dead', 'the address was removed']]);
  });

  it('Edit onto another saved address is refused at the address, naming it; one removed meanwhile is said so', () => {
    const r = start();
    r.center.saveWebhook({ url: HOOK, secret: SECRET, enabled: true, timeoutSeconds: 5 }, 'Manager');
    r.center.saveWebhook({ url: MOVED, secret: SECRET, enabled: true, timeoutSeconds: 5 }, 'Manager');
    expect(() => r.center.saveWebhook({ url: MOVED, secret: '', enabled: true, timeoutSeconds: 5, replaces: HOOK }, 'Manager')).toThrow(`${MOVED} is saved already: change or remove that one instead.`);
    r.center.removeWebhook(HOOK, 'Manager');
    expect(() => r.center.saveWebhook({ url: 'http://127.0.0.1:59998/other', secret: '', enabled: true, timeoutSeconds: 5, replaces: HOOK }, 'Manager')).toThrow(/no longer saved/);
  });
});
