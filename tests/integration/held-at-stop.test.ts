import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { coreStart } from '../../src/main/core/startup/announce-start';
import { resolveStart } from '../../src/main/core/startup/resolve-start';
import { fileTokenVault } from '../../src/main/core/token-vault';
import { openLog } from '../../src/main/core/log';
import { freePort } from '../helpers/free-port';
import { heldForBackendWords } from '../../src/main/core/delivery/held-words';

// probe23 P2: a console stopped with check-ins not yet sent said nothing, nor did the next start: IT had no reason not
// to wipe or replace the data folder, or copy only its settings to a new PC, and lose them.
const cores: Core[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cores.splice(0)) await c.stop();
});

async function start(dir: string, backend?: string): Promise<{ core: Core; said: string[]; log: ReturnType<typeof openLog> }> {
  const d = resolveStart({ flags: backend ? { backend, backendToken: 'held-token' } : {}, env: {}, dataDir: dir, vault: fileTokenVault(dir) });
  if (!d.ok) throw new Error(d.problems.join(' '));
  const said: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((line) => (said.push(String(line)), true));
  const log = openLog(dir);
  const core = await startCore({ version: 't', dataDir: dir, ...coreStart(d.plan), log });
  return { core, said, log };
}

describe('what waits for the gym system is said at a stop and at the next start', () => {
  it('a stop with 3 waiting says how many, that they are kept, and where; the next start says they wait; none waiting says nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-held-'));
    const nobody = `ws://127.0.0.1:${await freePort()}`; // the backend is away: nothing can be sent
    const first = await start(dir, nobody);
    for (let i = 0; i < 3; i++) await first.core.outbox.enqueue('system', 'action', { kind: 'note', data: `n${i}` });
    // A door release waiting is never sent after its time, whatever happens: not counted (review23 V1).
    await first.core.outbox.enqueue('realtime', 'action', { kind: 'door.open', data: 'front' }, { ttlMs: 15_000 });
    await first.core.stop();
    await first.log.close();
    const atStop = first.said.filter((l) => /not yet confirmed by the gym's system/.test(l));
    expect(atStop).toEqual([
      `console: 3 check-ins or staff actions taken on this PC are not yet confirmed by the gym's system. They are kept in ${join(dir, 'console.db')} and sent once the console is started again and the gym's system answers: do not delete, move or replace the data folder ${dir} meanwhile.\n`,
    ]);
    vi.restoreAllMocks();

    const second = await start(dir);
    cores.push(second.core);
    expect(second.said.filter((l) => /not yet confirmed by the gym's system/.test(l))).toEqual([
      `console: 3 check-ins or staff actions taken on this PC before this start are not yet confirmed by the gym's system (kept in ${join(dir, 'console.db')}): they are sent as soon as it answers.\n`,
    ]);
    await second.log.close().catch(() => {});
    expect(readFileSync(join(dir, 'logs', 'console.log'), 'utf8').match(/not yet confirmed by the gym's system/g)).toHaveLength(2);
  });

  it('one is said as one', () => {
    expect(heldForBackendWords({ count: 1, unsaved: 0 }, '/d/console.db', '/d', 'stop')).toBe(
      "1 check-in or staff action taken on this PC is not yet confirmed by the gym's system. It is kept in /d/console.db and sent once the console is started again and the gym's system answers: do not delete, move or replace the data folder /d meanwhile.",
    );
    expect(heldForBackendWords({ count: 1, unsaved: 0 }, '/d/console.db', '/d', 'start')).toBe(
      "1 check-in or staff action taken on this PC before this start is not yet confirmed by the gym's system (kept in /d/console.db): it is sent as soon as it answers.",
    );
    expect(heldForBackendWords({ count: 4, unsaved: 2 }, '/d/console.db', '/d', 'stop')).toMatch(/ 2 of them could not be written to disk \(it refuses writes\), so they are lost if it still refuses\.$/);
  });

  it('nothing waiting: nothing said', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-held-'));
    const first = await start(dir, `ws://127.0.0.1:${await freePort()}`);
    await first.core.stop();
    expect(first.said.filter((l) => /gym's system yet/.test(l))).toEqual([]);
  });
});
