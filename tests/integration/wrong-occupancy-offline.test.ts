import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { CheckinResult } from '../../src/shared/desk';
import { startHostileBackend, type HostileBackend, type WireMember } from '../helpers/hostile-backend';
import { waitFor } from '../helpers/wait';

// probe28b H1: once the backend had sent a count that cannot be right, the desk, offline, let everyone in by itself,
// though the last believable count (beside it on Overview) was a full gym.
const ADA: WireMember = { id: 'M1', cardId: '4000000001', name: 'Ada Example', phone: '555-0100', status: 'active', expiresOn: '2030-01-01' };
let hb: HostileBackend;
let core: Core;
const desk = { transport: 'test' as const, session: new Session('desk') };

beforeAll(async () => {
  hb = await startHostileBackend({ instances: 1, members: [ADA], streamCheckins: true });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-wrong-offline-')), backend: { endpoints: hb.urls, token: hb.token } });
  await waitFor(() => core.desk.cache.size === 1, 10_000);
});
afterAll(async () => {
  await core.stop();
  await hb.close();
});

describe('a count that cannot be right, then the backend away', () => {
  it('the desk holds the gym full by the last believable count', async () => {
    const occupancy = () => core.stream.snapshot().gauges.occupancy;
    hb.emitEvent({ kind: 'checkout', memberId: 'M9', name: 'Someone', auto: false, occupancy: 300 }, Date.now());
    await waitFor(() => (occupancy().count === 300 && occupancy().capacity === 300) || null, 10_000);
    hb.emitEvent({ kind: 'checkout', memberId: 'M9', name: 'Someone', auto: false, occupancy: 1_000_000 }, Date.now());
    await waitFor(() => occupancy().wrong || null, 10_000);
    await hb.close();
    await waitFor(() => core.pools.connectionView().state === 'offline' || null, 15_000);
    const r = await dispatch(core.handlers, 'desk.checkin', { cardId: ADA.cardId, source: 'desk' }, desk);
    expect(r.ok && (r.value as CheckinResult)).toMatchObject({ offline: true, verdict: { allowed: false, reason: 'capacity-full' }, occupancy: 300 });
  }, 40_000);
});
