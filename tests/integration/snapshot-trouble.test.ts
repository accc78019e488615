import { describe, expect, it } from 'vitest';
import { PROGRAM_SILENCE_MS } from '../../src/main/core/pool/heartbeat';
import type { CheckinResult } from '../../src/shared/desk';
import { deskCheckin, healthCheck, hostileCore } from '../helpers/hostile-core';
import { sleep, waitFor } from '../helpers/wait';

// probe-hostile19 G1, G2: a resync whose snapshot failed or came late closed its socket as "could not catch up". A
// backend whose snapshot alone failed then lost every socket as it opened (every check-in decided on this PC, Health
// saying no instance was reachable); one stuck from the start never kept a socket long enough to be found stuck.

describe("a backend whose snapshot fails while it answers everything else", () => {
  it('keeps its sockets and takes check-ins live; Health says the picture cannot be had; once it can, the feed starts', async () => {
    const { hb: b, core: c, activity } = await hostileCore({ instances: 1, attacks: { 0: 'snapshot-fails' }, dataDirPrefix: 'gym-snapshot-' });
    await waitFor(() => healthCheck(c, 'feed').status === 'degraded', 15_000);
    expect(healthCheck(c, 'feed').reason).toMatch(/^The gym's system answers, but could not send its picture of who is in, try after try: the live list and reports have not started\. Every check-in this PC sends still reaches it\./);
    expect(healthCheck(c, 'backend')).toMatchObject({ status: 'ok' });
    const r = await deskCheckin(c, 'SNAP1');
    expect((r as { ok: true; value: CheckinResult }).value.offline).toBe(false);
    expect(activity.filter((a) => a.type === 'disconnected')).toEqual([]);
    // Its snapshots mend: asked again by itself (the waits double, 8 s at most by then), the feed starts.
    b.setAttack(0, null);
    await waitFor(() => c.pools.feed.synced, 20_000);
    await waitFor(() => healthCheck(c, 'feed').status === 'ok', 5_000);
  }, 60_000);
});

describe('a one-instance backend whose program is stuck from the start (its WebSocket answers pings)', () => {
  it('is found stuck and said so, though its first picture never came', async () => {
    const { core: c } = await hostileCore({ instances: 1, frozen: [0], dataDirPrefix: 'gym-snapshot-' });
    await waitFor(() => healthCheck(c, 'backend').status === 'failing', PROGRAM_SILENCE_MS + 10_000);
    expect(healthCheck(c, 'backend').reason).toMatch(/^No backend instance is answering \(0 of 1\)\. The backend takes the console's connection, but the backend program itself answered nothing for more than 10 seconds: it may be stuck\./);
    expect(healthCheck(c, 'feed').reason).not.toMatch(/Up to date/);
    await sleep(100);
  }, 60_000);
});
