import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { PROGRAM_SILENCE_MS } from '../../src/main/core/pool/heartbeat';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import type { CheckinResult } from '../../src/shared/desk';
import { startHostileBackend, type HostileBackend } from '../helpers/hostile-backend';
import { sleep, waitFor } from '../helpers/wait';

// probe-hostile19 G1, G2: a resync whose snapshot failed or came late closed its socket as "could not catch up". A
// backend whose snapshot alone failed then lost every socket as it opened (every check-in decided on this PC, Health
// saying no instance was reachable); one stuck from the start never kept a socket long enough to be found stuck.

let hb: HostileBackend | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  await hb?.close();
  hb = core = null;
});

async function start(b: HostileBackend): Promise<{ core: Core; activity: PoolActivity[] }> {
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-snapshot-')), backend: { endpoints: b.urls, token: b.token } });
  const activity: PoolActivity[] = [];
  core.pools.on('activity', (a) => activity.push(a));
  return { core, activity };
}

const check = (c: Core, id: string) => c.stream.current('health').checks.find((x) => x.id === id)!;

describe("a backend whose snapshot fails while it answers everything else", () => {
  it('keeps its sockets and takes check-ins live; Health says the picture cannot be had; once it can, the feed starts', async () => {
    hb = await startHostileBackend({ instances: 1 });
    const b = hb;
    b.setAttack(0, 'snapshot-fails');
    const { core: c, activity } = await start(b);
    await waitFor(() => check(c, 'feed').status === 'degraded', 15_000);
    expect(check(c, 'feed').reason).toMatch(/^The gym's system answers, but could not send its picture of who is in, try after try: the live list and reports have not started\. Every check-in this PC sends still reaches it\./);
    expect(check(c, 'backend')).toMatchObject({ status: 'ok' });
    const r = await dispatch(c.handlers, 'desk.checkin', { cardId: 'SNAP1', source: 'desk' }, { transport: 'test', session: new Session('desk') });
    expect((r as { ok: true; value: CheckinResult }).value.offline).toBe(false);
    expect(activity.filter((a) => a.type === 'disconnected')).toEqual([]);
    // Its snapshots mend: asked again by itself (the waits double, 8 s at most by then), the feed starts.
    b.setAttack(0, null);
    await waitFor(() => c.pools.feed.synced, 20_000);
    await waitFor(() => check(c, 'feed').status === 'ok', 5_000);
  }, 60_000);
});

describe('a one-instance backend whose program is stuck from the start (its WebSocket answers pings)', () => {
  it('is found stuck and said so, though its first picture never came', async () => {
    hb = await startHostileBackend({ instances: 1 });
    hb.freezeApp(0, true);
    const { core: c } = await start(hb);
    await waitFor(() => check(c, 'backend').status === 'failing', PROGRAM_SILENCE_MS + 10_000);
    expect(check(c, 'backend').reason).toMatch(/^No backend instance is answering \(0 of 1\)\. The backend takes the console's connection, but the backend program itself answered nothing for more than 10 seconds: it may be stuck\./);
    expect(check(c, 'feed').reason).not.toMatch(/Up to date/);
    await sleep(100);
  }, 60_000);
});
