import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../src/server/cluster';
import { startCore, type Core } from '../../src/main/core/app';
import { openLog, type ConsoleLog } from '../../src/main/core/log';
import { waitFor } from '../helpers/wait';

// probe-hostile12 F12, end to end in the core: a roster past the limit is said in the log, the
// activity list and Health, where before the refusal was swallowed and every check said OK.
const TOKEN = 'roster-refused';
let cluster: Cluster;
let core: Core;
let log: ConsoleLog;
const dataDir = mkdtempSync(join(tmpdir(), 'gym-roster-refused-'));

beforeAll(async () => {
  cluster = await startCluster({ instances: 1, port: 0, token: TOKEN, rosterSize: 100_001 });
  log = openLog(dataDir);
  core = await startCore({ version: 't', dataDir, backend: { endpoints: cluster.urls, token: TOKEN }, log });
});
afterAll(async () => {
  await core?.stop();
  await log?.close();
  await cluster?.close();
});

describe('a roster past 100,000 members', () => {
  it('is said in the log, the activity list and Health: offline check-ins will not know these members', async () => {
    const check = () => core.stream.snapshot().gauges.health.checks.find((c) => c.kind === 'roster');
    await waitFor(() => check()?.status === 'failing', 60_000);
    expect(check()!.reason).toMatch(/^No copy of the members list on this PC, so a check-in taken while the backend is unreachable knows no member and turns each away as an unknown card\. The backend's roster has more than 100,000 members, past what this console keeps;/);
    expect(core.desk.cache.size).toBe(0);
    const said = core.stream.snapshot().feeds.activity.filter((a) => a.type === 'roster-refused');
    expect(said).toHaveLength(1);
    expect(said[0]!.detail).toMatch(/more than 100,000 members.* Next try in 20 min\.$/);
    await waitFor(() => core.stream.snapshot().gauges.alerts.some((a) => a.text.startsWith('Roster copy for offline check-ins: No copy of the members list')), 10_000);
    await waitFor(() => /roster sync refused: The backend's roster has more than 100,000 members/.test(readFileSync(log.file, 'utf8')), 10_000);
  }, 90_000);
});
