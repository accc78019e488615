import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrontDesk } from '../../src/main/core/desk/front-desk';
import { RosterCache } from '../../src/main/core/desk/roster-cache';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import type { PoolManager } from '../../src/main/core/pool/manager';
import type { Outbox } from '../../src/main/core/delivery/outbox';
import type { AuditLog } from '../../src/main/core/store/audit-log';
import { checkinReplyProblem, type Member, type Replies } from '../../src/shared/protocol';
import { FakeClock } from '../helpers/fake-clock';

// probe-hostile17 F4: the backend answered Ada's scan with Bob's record (frozen) and "allowed": the kiosk said
// "Bob · Allowed" to the queue, and Ada's rescan was a "repeat" naming Bob.

const ADA: Member = { id: 'M1', cardId: '4000000001', name: 'Ada Lovelace', phone: '555-0101', status: 'active', expiresOn: '2030-01-01' };
const BOB: Member = { id: 'M2', cardId: '4000000002', name: 'Bob Secret', phone: '555-0102', status: 'frozen', expiresOn: '2030-01-01' };
const CY: Member = { id: 'M3', cardId: '4000000003', name: 'Cy Frost', phone: '555-0103', status: 'frozen', expiresOn: '2030-01-01' };

/** A console whose backend answers every check-in with `answer(card)`, or not at all while `offline`. */
function rig(answer: (card: string) => Replies['checkin'], offline = false) {
  const clock = new FakeClock();
  const told: { detail: string; raw: string }[] = [];
  const conflicts: string[] = [];
  const pools = Object.assign(new EventEmitter(), {
    connectionView: () => ({ state: offline ? 'offline' : 'connected', cause: null }),
  }) as unknown as PoolManager;
  let n = 0;
  const outbox = Object.assign(new EventEmitter(), {
    enqueue: async (_lane: string, _op: string, body: { cardId: string }, opts?: { onReply?: (r: unknown) => void }) => {
      n++;
      if (!offline) queueMicrotask(() => opts?.onReply?.(answer(body.cardId)));
      return { key: `k${n}` };
    },
  }) as unknown as Outbox;
  const db = openConsoleDb(mkdtempSync(join(tmpdir(), 'gym-wrong-answer-')));
  const cache = new RosterCache(db);
  cache.store([ADA, BOB, CY], clock.now());
  const desk = new FrontDesk({ pools, outbox, audit: { record: () => {} } as unknown as AuditLog, cache, db, clock, onConflict: (d) => conflicts.push(d), onWrong: (detail, raw) => told.push({ detail, raw }), gymZone: () => 'UTC' });
  const scan = (m: Member) => desk.checkin({ cardId: m.cardId, source: 'kiosk' }, 'kiosk');
  return { clock, desk, told, conflicts, scan, outbox };
}

describe('checkinReplyProblem: an answer is about the card sent and agrees with itself', () => {
  const reply = (member: Member | null, allowed: boolean, reason: string) => ({ verdict: { allowed, reason } as Replies['checkin']['verdict'], member });
  it('another card named is the backend mixing up its answers', () => {
    expect(checkinReplyProblem(reply(BOB, true, 'ok'), ADA.cardId)).toEqual({ kind: 'other-card', named: BOB.cardId });
    expect(checkinReplyProblem(reply(BOB, false, 'frozen'), ADA.cardId)).toEqual({ kind: 'other-card', named: BOB.cardId });
  });
  it('a member let in (not by override) whom the same answer says is frozen, unpaid or expired contradicts itself', () => {
    for (const status of ['frozen', 'unpaid', 'expired'] as const) {
      expect(checkinReplyProblem(reply({ ...ADA, status }, true, 'ok'), ADA.cardId)).toEqual({ kind: 'contradicts', reason: 'ok', status });
    }
    expect(checkinReplyProblem(reply({ ...ADA, status: 'expired' }, true, 'expiring-soon'), ADA.cardId)).toMatchObject({ kind: 'contradicts' });
  });
  it('what a backend may say stands: its own card, an override, a denial, an unknown card, an ending membership', () => {
    expect(checkinReplyProblem(reply(ADA, true, 'ok'), ADA.cardId)).toBeNull();
    expect(checkinReplyProblem(reply(BOB, true, 'override'), BOB.cardId)).toBeNull();
    expect(checkinReplyProblem(reply(BOB, false, 'frozen'), BOB.cardId)).toBeNull();
    expect(checkinReplyProblem(reply({ ...ADA, status: 'active' }, false, 'capacity-full'), ADA.cardId)).toBeNull();
    expect(checkinReplyProblem(reply(null, false, 'unknown-card'), ADA.cardId)).toBeNull();
    expect(checkinReplyProblem(reply({ ...ADA, status: 'expiring' }, true, 'expiring-soon'), ADA.cardId)).toBeNull();
  });
});

describe('a check-in answered about another member', () => {
  const aboutBob = (): Replies['checkin'] => ({ verdict: { allowed: true, reason: 'ok' }, member: BOB, occupancy: 1, seq: 1 });

  it('is decided on this PC from its roster copy, naming the member whose card was scanned, never the other one', async () => {
    const r = rig(aboutBob);
    const res = await r.scan(ADA);
    expect(res).toMatchObject({ ignored: null, verdict: { allowed: true, reason: 'ok' }, member: { id: ADA.id, name: ADA.name }, offline: true, wrongAnswer: true });
    expect(JSON.stringify(res)).not.toContain('Bob');
    // Told once for IT, by cards: the other member's name is nobody's business at this desk.
    expect(r.told).toHaveLength(1);
    expect(r.told[0]!.detail).toContain('card 4000000001 with the record of another member (card 4000000002)');
    expect(r.told[0]!.detail).not.toContain('Bob');
    // Its live event under this request, should it name Bob's card, is not believed either (feed.ts).
    expect(r.desk.sentOtherwise('k1', BOB.cardId)).toBe(ADA.cardId);
    expect(r.desk.sentOtherwise('k1', ADA.cardId)).toBeUndefined();
  });

  it("a rescan moments later is Ada's same visit, not Bob's", async () => {
    const r = rig(aboutBob);
    await r.scan(ADA);
    r.clock.advance(3_400);
    const again = await r.scan(ADA);
    expect(again).toMatchObject({ ignored: 'repeat', member: { name: ADA.name }, offline: true });
  });

  it('turns away a member the roster copy says may not come in, whatever the answer about another said', async () => {
    const r = rig(() => ({ verdict: { allowed: true, reason: 'ok' }, member: ADA, occupancy: 1, seq: 1 }));
    expect(await r.scan(CY)).toMatchObject({ verdict: { allowed: false, reason: 'frozen' }, member: { name: CY.name }, wrongAnswer: true });
  });
});

describe('a check-in answer that contradicts itself', () => {
  it('"allowed" for a member the same answer says is frozen is not believed: this PC decides, and IT is told', async () => {
    const r = rig(() => ({ verdict: { allowed: true, reason: 'ok' }, member: CY, occupancy: 1, seq: 1 }));
    expect(await r.scan(CY)).toMatchObject({ verdict: { allowed: false, reason: 'frozen' }, offline: true, wrongAnswer: true });
    expect(r.told[0]!.detail).toContain('let card 4000000003 in while the same answer says the membership is frozen');
  });

  it('an override of a frozen member stands as the backend gave it', async () => {
    const r = rig(() => ({ verdict: { allowed: true, reason: 'override' }, member: CY, occupancy: 1, seq: 1 }));
    expect(await r.scan(CY)).toMatchObject({ verdict: { allowed: true, reason: 'override' }, offline: false });
    expect(r.told).toHaveLength(0);
  });
});

describe('a check-in decided offline, answered later about another member', () => {
  it('is no answer to reconcile with: told for IT, and the desk hears the answer could not be used', async () => {
    const r = rig(() => ({ verdict: { allowed: true, reason: 'ok' }, member: BOB, occupancy: 1, seq: 1 }), true);
    expect(await r.scan(ADA)).toMatchObject({ offline: true, verdict: { allowed: true } });
    r.outbox.emit('reply', 'k1', 'checkin', { verdict: { allowed: false, reason: 'frozen' }, member: BOB, occupancy: 1, seq: 1 });
    expect(r.desk.answered[0]).toMatchObject({ key: 'k1', verdict: null });
    expect(r.told).toHaveLength(1);
    expect(r.told[0]!.raw).toBe('checkin reply for card 4000000001 names card 4000000002');
    expect(r.conflicts.join(' ')).not.toContain('turned this down: membership frozen');
  });
});
