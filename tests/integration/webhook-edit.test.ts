import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../helpers/fake-clock';
import { alertRig, type AlertRig } from '../helpers/alert-rig';
import { SECRET } from '../helpers/webhook-receiver';
import { SettingsStore } from '../../src/main/core/store/settings-store';
import { WebhookSettingsSchema } from '../../src/shared/health';

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

  // review26 V12: saved before addresses were compared, the three spellings each still received every notice.
  it('spellings of one address saved before then: notices go to the first, and the others are shown as repeats of it', () => {
    const r = start();
    const spelt = [HOOK, 'HTTP://127.0.0.1:59998/hook?x=1&y=ä', 'http://127.0.0.1:59998/./hook?x=1&y=%C3%A4'];
    new SettingsStore(r.db).set('webhooks', WebhookSettingsSchema, { endpoints: [...spelt.map((url) => ({ url, secret: SECRET, enabled: true, timeoutSeconds: 5 })), { url: MOVED, secret: SECRET, enabled: true, timeoutSeconds: 5 }] });
    r.raise('a');
    expect(r.center.deliveries.list().map((d) => d.url).sort()).toEqual([HOOK, MOVED].sort());
    expect(r.center.webhookViews().map((v) => v.repeats)).toEqual([null, HOOK, HOOK, null]);
    // Remove, as the note asks: that spelling goes, the first keeps receiving.
    r.center.removeWebhook(spelt[1]!, 'Manager');
    expect(r.center.webhookViews().map((v) => [v.url, v.repeats])).toEqual([[HOOK, null], [spelt[2], HOOK], [MOVED, null]]);
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
