import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { CheckinResult } from '../../src/shared/desk';
import type { Member } from '../../src/shared/protocol';
import { startHostileBackend, type HostileBackend, type WireMember } from '../helpers/hostile-backend';
import { waitFor } from '../helpers/wait';

/**
 * Cards as gyms issue them, from a backend that follows the protocol: card ids of 1–32 characters of any
 * kind. Each one the backend's roster holds is checked in, from the desk's button and from a kiosk.
 */
const person = (id: string, cardId: string): WireMember => ({ id, cardId, name: `Member ${id}`, phone: '555-0100', status: 'active', expiresOn: '2030-01-01' });
const DESK = [person('D1', '1234'), person('D2', 'A-123456'), person('D3', '04:A3:2B:1C'), person('D4', '123456789012345678901234'), person('D5', '1234-5678'), person('D6', 'Z')];
const KIOSK = [person('K1', '4321'), person('K2', 'B-654321'), person('K3', '04:B3:2C:1D'), person('K4', '987654321098765432109876'), person('K5', '8765-4321')];
// Member ids are 1–64 characters: a typed one stands for the member's card, whatever either looks like.
const TYPED = [person('m-7', '77'), person('MEMBER-00000000000000000000000000000042', '7777')];

let hb: HostileBackend;
let core: Core;
const kiosk = { transport: 'test' as const, session: new Session('kiosk') };
const desk = { transport: 'test' as const, session: new Session('desk') };
const checkin = async (cardId: string, source: 'desk' | 'kiosk'): Promise<CheckinResult> => {
  const r = await dispatch(core.handlers, 'desk.checkin', { cardId, source }, source === 'desk' ? desk : kiosk);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as CheckinResult;
};

beforeAll(async () => {
  hb = await startHostileBackend({ instances: 1, members: [...DESK, ...KIOSK, ...TYPED] });
  core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-cards-')), backend: { endpoints: hb.urls, token: hb.token } });
  await waitFor(() => core.desk.cache.size === DESK.length + KIOSK.length + TYPED.length, 10_000);
});
afterAll(async () => {
  await core.stop();
  await hb.close();
});

describe('cards of every shape the protocol allows', () => {
  it.each(DESK.map((m) => [m.cardId, m] as const))("the desk's Check in button of a member found by lookup checks in card %s", async (_, m) => {
    const found = await dispatch(core.handlers, 'desk.lookup', { query: m.name }, desk);
    const listed = (found as { value: { members: Member[] } }).value.members.find((x) => x.id === m.id)!;
    expect(await checkin(listed.cardId, 'desk')).toMatchObject({ ignored: null, offline: false, verdict: { allowed: true }, member: { id: m.id } });
    expect(hb.checkins.at(-1)).toBe(m.cardId); // the backend's own id, exactly
  });

  // What a keyboard-wedge reader types for each card (the Tab or Enter that ends it is not part of the code).
  it.each([
    [';4321?', KIOSK[0]!], // a short number on a magnetic stripe
    [']C1B-654321', KIOSK[1]!], // a lettered barcode, symbology prefix on
    ['04:B3:2C:1D', KIOSK[2]!], // an RFID UID as the reader prints it
    ['9876 5432 1098 7654 3210 9876', KIOSK[3]!], // 24 digits typed as printed
    ['8765-4321', KIOSK[4]!], // a card that looks like grouped digits is taken as the roster has it
    ['M-7', TYPED[0]!], // a typed member id, as a person types it
    ['MEMBER-00000000000000000000000000000042', TYPED[1]!], // longer than any card
  ])('a kiosk scan or typed entry %s checks in its member', async (scan, m) => {
    // A kiosk is told the first name only (kiosk-replies.ts): the backend's log says which member it was.
    expect(await checkin(scan, 'kiosk')).toMatchObject({ ignored: null, verdict: { allowed: true }, member: { name: m.name.split(' ')[0] } });
    expect(hb.checkins.at(-1)).toBe(m.cardId);
  });

  it("a card the roster copy does not know yet is sent for the backend to judge, not refused as 'not read'", async () => {
    for (const card of ['B-1', '05:A3:2B:1C']) {
      expect(await checkin(card, 'kiosk')).toMatchObject({ ignored: null, verdict: { allowed: false, reason: 'unknown-card' } });
      expect(hb.checkins.at(-1)).toBe(card);
    }
  });
});
