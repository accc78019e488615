import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GymInstance } from '../../src/server/instance';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { CheckinResult } from '../../src/shared/desk';
import type { AnsweredCheckin, CheckinEntry, StatePatch } from '../../src/shared/state';
import { overruledWords } from '../../src/shared/words';
import { Gym } from '../../src/server/gym';
import type { WireMember } from '../helpers/hostile-backend';
import { hostileCore } from '../helpers/hostile-core';
import { waitFor } from '../helpers/wait';

// A kiosk's verdict decided on this PC (the backend slow) or shown from the backend's live event, then answered
// otherwise by the backend's late reply: the kiosk screen is told (the state patch every signed-in screen gets, the
// kiosk's included), the desk's live list flags it, and the kiosk's 30 s "same visit" rule follows the answer: a
// member turned away and then let in after all, who scans again, is told to go ahead instead of being sent again
// (and turned away as "already checked in", a denial logged against them).

const TOKEN = 'kiosk-late-answer';
const SLOW_MS = 3_000;

// The first test's own rig: a reference gym instance that can be slowed.
let core: Core | null = null;
let instance: GymInstance | null = null;
afterEach(async () => {
  await core?.stop();
  await instance?.kill();
  core = instance = null;
});

/** One kiosk screen: its rescans are the same station's. */
let station = new Session('kiosk');
afterEach(() => {
  station = new Session('kiosk');
});
const kioskScan = async (c: Core, card: string): Promise<CheckinResult> => {
  const r = await dispatch(c.handlers, 'desk.checkin', { cardId: card, source: 'kiosk' }, { transport: 'test', session: station });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as CheckinResult;
};

/** The answers screens are sent as they come, as a kiosk screen's bridge passes them on. */
const told = (c: Core): AnsweredCheckin[][] => {
  const seen: AnsweredCheckin[][] = [];
  c.stream.subscribe((p: StatePatch) => p.gauges.answeredCheckins && seen.push(p.gauges.answeredCheckins));
  return seen;
};

describe('a kiosk verdict the backend answers otherwise, late', () => {
  it('decided on this PC (turned away), let in by the backend: the screen is told, the desk flags it, and a rescan is the same visit', async () => {
    const store = new Gym({ rosterSize: 60, duplicateWindowMs: 1 });
    instance = new GymInstance(0, store, TOKEN, 0);
    await instance.start();
    core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-kiosk-late-')), backend: { endpoints: [instance.url], token: TOKEN } });
    const c = core;
    await waitFor(() => c.pools.connectionView().state === 'connected' && c.desk.cache.size >= 60, 15_000);
    const m = [...store.members].find((x) => x.status === 'active')!;
    // Seen going in on the live feed, then checked out at the backend while its replies are slow: this PC still has them inside.
    await store.checkIn(m.cardId, 'door');
    await waitFor(() => c.desk.presence.inside(m.cardId, m.id, 0), 10_000);
    instance.delay(SLOW_MS);
    await store.checkOut(m.id);
    const seen = told(c);

    const r = await kioskScan(c, m.cardId);
    // Decided here (the answer below is to its key); a kiosk is not told so, only its verdict.
    expect(r).toMatchObject({ key: expect.any(String), verdict: { allowed: false, reason: 'duplicate' } });
    const answer = await waitFor(() => seen.flat().find((a) => a.key === r.key), 15_000);
    expect(answer).toEqual({ key: r.key, decided: { allowed: false, reason: 'duplicate' }, verdict: { allowed: true, reason: 'ok' } });
    // The desk's live list has the kiosk's check-in, flagged.
    const row = await waitFor(() => c.stream.snapshot().feeds.checkins.find((e: CheckinEntry) => e.cardId === m.cardId && e.source === 'kiosk'), 10_000);
    expect(row).toMatchObject({ allowed: true, decidedOffline: { allowed: false, reason: 'duplicate' } });
    expect(overruledWords(row!)).toContain('Turned away by the kiosk');

    // Back at the reader, as the corrected verdict told them to go ahead: the same visit, nothing sent.
    instance.delay(0);
    const again = await kioskScan(c, m.cardId);
    expect(again).toMatchObject({ ignored: 'repeat', member: { name: m.name.split(' ')[0] } });
  }, 60_000);

  it('shown from its live event (turned away), let in by the reply: the screen is told whom, and a rescan is the same visit', async () => {
    const MEMBERS: WireMember[] = [{ id: 'M00032', cardId: '4000100032', name: 'Member Thirtytwo', phone: '555-0100', status: 'active', expiresOn: '2030-01-01' }];
    const { hb, core: c } = await hostileCore({ instances: 1, members: MEMBERS, dataDirPrefix: 'gym-kiosk-late-event-' });
    await waitFor(() => c.pools.connectionView().state === 'connected' && c.desk.cache.size === 1 && hb.subs > 0, 10_000);
    hb.stealIds(true);
    hb.lateCheckins(800);
    const seen = told(c);
    const r = await kioskScan(c, '4000100032');
    // Shown from the live event; a kiosk is told no reason the queue does not read.
    expect(r).toMatchObject({ key: expect.any(String), verdict: { allowed: false } });
    expect(r.verdict).not.toHaveProperty('reason');
    const answer = await waitFor(() => seen.flat().find((a) => a.key === r.key), 5_000);
    expect(answer).toMatchObject({ decided: { allowed: false, reason: 'frozen' }, verdict: { allowed: true, reason: 'ok' }, fromEvent: true, member: { name: 'Member Thirtytwo' } });
    hb.stealIds(false);
    hb.lateCheckins(0);
    await new Promise((r) => setTimeout(r, 2_100)); // past the reader's 2 s double-read filter
    expect(await kioskScan(c, '4000100032')).toMatchObject({ ignored: 'repeat', member: { name: 'Member' } });
  }, 30_000);
});
