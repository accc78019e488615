import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { CheckinResult } from '../../src/shared/desk';
import type { Member } from '../../src/shared/protocol';
import type { StoredEvent } from '../../src/shared/analytics';
import { readCheckinDetail } from '../../src/shared/words';
import { startHostileBackend, type HostileBackend, type WireMember } from '../helpers/hostile-backend';
import { sleep, waitFor } from '../helpers/wait';

/**
 * A backend whose ids carry direction overrides and invisible characters (the protocol takes any
 * characters): check-ins still go to the member (the id is sent back exactly), and nothing staff are
 * shown carries them (an override in an id reversed the rest of its row on the desk).
 */
const UNSEEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const SPOOF: WireMember = { id: 'M\u202E1000', cardId: '4000\u202E91\u200B', name: 'Ana Lee', phone: '555\u202E-0100', status: 'active', expiresOn: '2030-01-01\u2066' };

let hb: HostileBackend;
let core: Core;
const manager = { transport: 'test' as const, session: new Session('manager') };
const call = async <T>(name: string, payload?: unknown): Promise<T> => {
  const r = await dispatch(core.handlers, name, payload, manager);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};

beforeAll(async () => {
  hb = await startHostileBackend({ instances: 1, members: [SPOOF] });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-ids-')), backend: { endpoints: hb.urls, token: hb.token } });
  await waitFor(() => core.desk.cache.size === 1, 10_000);
});
afterAll(async () => {
  await core.stop();
  await hb.close();
});

describe('ids with direction controls from a backend', () => {
  it("round-trip exactly to the backend, and reach no screen, log or export with what nobody sees", async () => {
    const found = await call<{ members: Member[] }>('desk.lookup', { query: 'Ana' });
    const m = found.members[0]!;
    expect([m.id, m.cardId]).toEqual([SPOOF.id, SPOOF.cardId]); // kept, to be sent back
    expect([m.phone, m.expiresOn]).toEqual(['555-0100', '2030-01-01']); // only read: cleaned
    // The desk's Check in button, with an override so the audit log names the card too.
    const r = await call<CheckinResult>('desk.checkin', { cardId: m.cardId, source: 'desk', override: { note: 'card left at home' } });
    expect(r).toMatchObject({ ignored: null, offline: false, member: { name: 'Ana Lee' } });
    expect(hb.checkins).toEqual([SPOOF.cardId]);

    await waitFor(() => core.stream.snapshot().feeds.checkins.length === 1, 5_000);
    const row = core.stream.snapshot().feeds.checkins[0]!;
    expect([row.cardId, row.memberId]).toEqual(['4000\uFFFD91\uFFFD', 'M\uFFFD1000']);
    const events = await call<StoredEvent[]>('analytics.events', { range: { last: '1h' }, categories: ['checkin'] });
    // A stored detail is fields joined by NOTE_MARK (a tab); what staff and exports get is each field.
    expect(events.flatMap((e) => Object.values(readCheckinDetail(e.detail))).join(' ')).not.toMatch(UNSEEN);
    const audit = await call<{ subject: string }[]>('audit.list');
    expect(audit.find((a) => a.subject.startsWith('card '))!.subject).toBe('card 4000\uFFFD91\uFFFD');
  });

  it('a check-in waiting for the backend is listed with its card as staff are shown it', async () => {
    hb.setAttack(0, 'silent-requests');
    await sleep(2_100); // past the bounce window of the check-in above
    await dispatch(core.handlers, 'desk.checkin', { cardId: SPOOF.cardId, source: 'kiosk' }, { transport: 'test', session: new Session('kiosk') });
    await waitFor(() => core.stream.snapshot().gauges.waitingCheckins.length === 1, 5_000);
    expect(core.stream.snapshot().gauges.waitingCheckins[0]).toMatchObject({ cardId: '4000\uFFFD91\uFFFD', name: 'Ana Lee' });
  });
});
