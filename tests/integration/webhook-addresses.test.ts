import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/main/core/clock';
import { requests } from '../../src/shared/contract';
import { parseInWords } from '../../src/shared/field-errors';
import { alertRig } from '../helpers/alert-rig';
import { SECRET } from '../helpers/webhook-receiver';
import { waitFor } from '../helpers/wait';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The save form's one message about the address, or null when the address is taken. */
function urlProblem(url: string): string | null {
  const r = parseInWords(requests['webhooks.save'].input, { url, secret: SECRET, enabled: true, timeoutSeconds: 5 });
  return r.success ? null : (r.problems.find((p) => p.field === 'url')?.message ?? null);
}

describe('webhook addresses the console could never send to are refused when saved', () => {
  it('a user name and password in the address: refused in plain words, the password not repeated', () => {
    const said = urlProblem('http://user:hunter2@127.0.0.1:8080/hook');
    expect(said).toMatch(/must not carry a user name or password/);
    expect(said).not.toContain('hunter2');
    expect(urlProblem('https://user@hooks.example.com/gym')).toMatch(/must not carry a user name or password/);
    expect(urlProblem('https://hooks.example.com/gym?user=me')).toBeNull();
  });
});

describe('an address saved with a password by an older console', () => {
  it('never shows the password again, and its notices stop at once with a plain reason instead of retrying for a day', async () => {
    const rig = alertRig(mkdtempSync(join(tmpdir(), 'gym-webhook-addr-')), systemClock, [0, 50, 50]);
    cleanups.push(rig.close);
    const url = 'http://gym:hunter2@127.0.0.1:9/hook';
    rig.db.prepare("INSERT INTO settings (key, value) VALUES ('webhooks', ?)").run(JSON.stringify({ endpoints: [{ url, secret: SECRET, enabled: true, timeoutSeconds: 5 }] }));
    const [shown] = rig.center.webhookViews();
    expect(shown!.url).toBe('http://gym:***@127.0.0.1:9/hook');
    // What the list shows is what the screen sends back for Send a test and Remove.
    rig.center.testWebhook(shown!.url, 'manager');
    await waitFor(() => rig.center.deliveries.list()[0]?.state === 'dead', 2_000);
    const [delivery] = rig.center.deliveries.list();
    expect(delivery).toMatchObject({ url: shown!.url, attempts: 0, lastError: expect.stringMatching(/must not carry a user name or password/) });
    rig.center.removeWebhook(shown!.url, 'manager');
    expect(rig.center.webhookViews()).toEqual([]);
    const audit = rig.db.prepare("SELECT subject, before, after FROM audit WHERE action LIKE 'webhooks.%'").all();
    expect(audit).toHaveLength(2);
    expect(JSON.stringify([audit, delivery])).not.toContain('hunter2');
  });
});
