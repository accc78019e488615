import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { waitFor } from '../helpers/wait';

// probe25 Q3: the data folder deleted under a running console (a clean-up script, a roaming-profile reset) went
// unseen, Health saying "Saving works", and the next start came up as the demo with the PINs and waiting check-ins gone.
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
});

const stores = (c: Core) => c.stream.current('health').checks.find((x) => x.id === 'stores');

describe('console.db deleted or replaced under the running console', () => {
  it('deleted with its folder: Health fails, in words that say what is lost and what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-folder-gone-'));
    core = await startCore({ version: 't', dataDir: dir, demoRatePerHour: 0 });
    await waitFor(() => (stores(core!)?.status === 'ok' ? true : null), 15_000);
    rmSync(dir, { recursive: true, force: true });
    const check = await waitFor(() => (stores(core!)?.status === 'failing' ? stores(core!) : null), 25_000);
    expect(check!.reason).toMatch(/^The console's data folder .*gym-folder-gone-.* \(or its console\.db\) was deleted while the console runs\. .*Tell the gym's IT now: keep the console running, and put the folder back from a backup before it stops\.$/);
  }, 40_000);

  it('replaced by another file (a backup put back under it): Health fails, saying a restart opens the file now there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-folder-swapped-'));
    core = await startCore({ version: 't', dataDir: dir, demoRatePerHour: 0 });
    await waitFor(() => (stores(core!)?.status === 'ok' ? true : null), 15_000);
    // The demo keeps its console.db in a folder of its own inside the data folder.
    const db = (readdirSync(dir, { recursive: true }) as string[]).map((f) => join(dir, f)).find((f) => f.endsWith('console.db'))!;
    renameSync(db, `${db}.moved`);
    writeFileSync(db, '');
    expect(db).toBeTruthy();
    const check = await waitFor(() => (stores(core!)?.status === 'failing' ? stores(core!) : null), 25_000);
    expect(check!.reason).toMatch(/console\.db was replaced by another file while the console runs/);
  }, 40_000);
});
