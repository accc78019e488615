import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/main/core/clock';
import { requests } from '../../src/shared/contract';
import { parseInWords } from '../../src/shared/field-errors';
import { FETCH_BAD_PORTS } from '../../src/shared/webhook-address';
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

  it('a port web clients never use (fetch\'s "bad port"): refused, naming the port', () => {
    expect(urlProblem('http://127.0.0.1:25/hook')).toMatch(/^Port 25 is one web clients never use/);
    expect(urlProblem('https://hooks.example.com:6000/gym')).toMatch(/^Port 6000 /);
    for (const fine of ['http://127.0.0.1:8080/hook', 'https://hooks.example.com/gym', 'http://hooks.example.com:80/gym', 'https://hooks.example.com:443/gym']) {
      expect(urlProblem(fine), fine).toBeNull();
    }
  });

  it('port 0 and a port past 65535 are refused in words, not as "Invalid URL"', () => {
    expect(urlProblem('http://127.0.0.1:0/hook')).toMatch(/^Port 0 is not one a receiver can listen on/);
    expect(urlProblem('http://[::1]:0/hook')).toMatch(/^Port 0 /);
    expect(urlProblem('http://127.0.0.1:65536/hook')).toMatch(/not a web address the console can send to.*a port goes from 1 to 65535/);
  });

  it('the list of bad ports is the one Node\'s own fetch refuses', async () => {
    for (const port of FETCH_BAD_PORTS) {
      const err = (await fetch(`http://127.0.0.1:${port}/`).catch((e: Error) => e)) as Error;
      expect((err.cause as Error | undefined)?.message, `port ${port}`).toBe('bad port');
    }
  });
});

describe('an address an older console saved against these rules', () => {
  it('with a password: never shows it again, and its notices stop at once with a plain reason instead of retrying for a day', async () => {
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

  it('on a bad port: its notices stop at once, saying why, instead of "could not reach it (bad port)" for a day', async () => {
    const rig = alertRig(mkdtempSync(join(tmpdir(), 'gym-webhook-addr-')), systemClock, [0, 50, 50]);
    cleanups.push(rig.close);
    rig.db.prepare("INSERT INTO settings (key, value) VALUES ('webhooks', ?)").run(JSON.stringify({ endpoints: [{ url: 'http://127.0.0.1:6000/hook', secret: SECRET, enabled: true, timeoutSeconds: 5 }] }));
    rig.raise('port');
    await waitFor(() => rig.center.deliveries.list()[0]?.state === 'dead', 2_000);
    expect(rig.center.deliveries.list()[0]).toMatchObject({ attempts: 0, lastError: expect.stringMatching(/^Port 6000 is one web clients never use/) });
  });
});
