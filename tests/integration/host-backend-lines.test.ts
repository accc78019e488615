import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { killBuiltHosts, requireBuild, startBuiltHost, stopBuiltHost, type Started } from '../helpers/built-host';
import { sleep, waitFor } from '../helpers/wait';
import { freePort } from '../helpers/free-port';

// The terminal must say how the backend answered: a wrong --backend-token, or nothing answering, used to look like a start that worked.
const TOKEN = 'backend-lines-token';
const clusters: Cluster[] = [];
const dir = () => mkdtempSync(join(tmpdir(), 'gym-backend-lines-'));

beforeAll(requireBuild);
afterAll(async () => {
  killBuiltHosts();
  for (const c of clusters) await c.close();
});

async function started(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const h = await startBuiltHost(args, { env });
  if (!('url' in h)) throw new Error(`host exited ${h.code}: ${h.stderr}`);
  return h;
}

async function cluster(port = 0): Promise<Cluster> {
  const c = await startCluster({ instances: port ? 1 : 2, port, token: TOKEN });
  clusters.push(c);
  return c;
}


const count = (text: string, re: RegExp): number => text.split('\n').filter((l) => re.test(l)).length;

describe('a live start says on the terminal how the backend answered', () => {
  it('a wrong --backend-token: the start names the backend, the saved token is "not checked yet", then one line says it was refused (not one per retry)', async () => {
    const c = await cluster();
    const h = await started(['--data-dir', dir(), '--backend', c.urls.join(','), '--backend-token', 'WRONGtok']);
    expect(h.stderr()).toContain(`console: starting live, with the gym's backend at ${c.urls[0]} (and 1 more).`);
    expect(h.stderr()).toMatch(/console: backend token saved in .*; the backend has not checked it yet: a line below says when it takes or refuses it\./);
    // The fix it names is the README's: the token by environment (saved), and the flag left out (it would win again).
    const refused = /^console: the backend refused the token given with --backend-token, so this PC cannot check members in with it\. Ask whoever runs the backend for the right token, then start the console again as GYM_BACKEND_TOKEN=TOKEN npm run web with the flags it had but without --backend-token \(the token is saved, so later starts need none\), or have a manager enter it under Backend connection \(Connection Pools tab\)\.$/;
    await waitFor(() => count(h.stderr(), refused) === 1, 15_000);
    await sleep(3_000); // retries go on: still said once
    expect(count(h.stderr(), refused)).toBe(1);
    expect(h.stderr()).not.toMatch(/connected to the gym's backend/);
    await stopBuiltHost(h.child);
  }, 40_000);

  it('nothing answering: one line once every address has failed, and one when the backend comes up', async () => {
    const port = await freePort();
    const h = await started(['--data-dir', dir(), '--backend', `ws://127.0.0.1:${port}`, '--backend-token', TOKEN]);
    const none = /^console: no backend address answers yet \(ws:\/\/127\.0\.0\.1:\d+\): Nothing is listening at the backend's address.* A line here says when it connects\.$/;
    await waitFor(() => count(h.stderr(), none) === 1, 15_000);
    await sleep(2_000);
    expect(count(h.stderr(), none)).toBe(1);
    await cluster(port);
    await waitFor(() => h.stderr().includes(`console: connected to the gym's backend at ws://127.0.0.1:${port}.`), 40_000);
    expect(count(h.stderr(), /connected to the gym's backend/)).toBe(1);
    await stopBuiltHost(h.child);
  }, 70_000);

  it('the right token: one line naming where it connected', async () => {
    const c = await cluster();
    const h = await started(['--data-dir', dir(), '--backend', c.urls.join(','), '--backend-token', TOKEN]);
    await waitFor(() => /^console: connected to the gym's backend at ws:\/\/127\.0\.0\.1:\d+/m.test(h.stderr()), 15_000);
    expect(h.stderr()).not.toMatch(/refused|no backend address answers/);
    await stopBuiltHost(h.child);
  }, 40_000);

  it('a demo start says it is the demo gym, and how to go live with the command that started it', async () => {
    const h = await started(['--data-dir', dir(), '--demo-rate', '0'], { npm_lifecycle_event: 'web' });
    expect(h.stderr()).toContain("console: starting the demo gym: simulated members and check-ins, not a real gym. To connect to the gym's backend, start it as GYM_BACKEND_TOKEN=TOKEN npm run web -- --backend ws://host:port.");
    await stopBuiltHost(h.child);
    // readme21 R4: started with `npm start`, the line named `npm run web`.
    const s = await started(['--data-dir', dir(), '--demo-rate', '0'], { npm_lifecycle_event: 'start' });
    expect(s.stderr()).toContain('start it as GYM_BACKEND_TOKEN=TOKEN npm start -- --backend ws://host:port.');
    await stopBuiltHost(s.child);
  }, 40_000);
});
