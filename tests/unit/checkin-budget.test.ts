import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKIN_LIMITS, CheckinBudget, TOO_FAST_CONSOLE, TOO_FAST_SCREEN } from '../../src/main/core/desk/checkin-budget';
import { FrontDesk } from '../../src/main/core/desk/front-desk';
import { RosterCache } from '../../src/main/core/desk/roster-cache';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import type { PoolManager } from '../../src/main/core/pool/manager';
import type { Outbox } from '../../src/main/core/delivery/outbox';
import type { AuditLog } from '../../src/main/core/store/audit-log';
import type { Member } from '../../src/shared/protocol';
import type { Role } from '../../src/shared/roles';
import { FakeClock } from '../helpers/fake-clock';

// probe-hostile18 F2: a token-only connection asked for check-ins as fast as the console answered them.

const screen = (n: number, role: Role = 'kiosk') => ({ screenId: `screen-${n}`, role });
const refusal = (f: () => void): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('the check-in budget', () => {
  it('lets a queue at the door through, then one a second, per screen; unknown cards also per console', () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const budget = new CheckinBudget(clock, (l) => lines.push(l), { screen: { burst: 3, perSecond: 1 }, console: { burst: 5, perSecond: 2 } });
    const a = screen(1);
    for (let i = 0; i < 3; i++) expect(refusal(() => budget.take(a))).toBeNull();
    expect(refusal(() => budget.take(a))).toBe(TOO_FAST_SCREEN);
    const b = screen(2);
    for (let i = 0; i < 5; i++) expect(refusal(() => budget.unknownCard(b))).toBeNull();
    // Five unknown cards from kiosk screens: a sixth is over the ceiling, a desk screen's is not.
    expect(refusal(() => budget.unknownCard(screen(3)))).toBe(TOO_FAST_CONSOLE);
    expect(refusal(() => budget.unknownCard(screen(4, 'desk')))).toBeNull();
    clock.advance(1_000);
    expect(refusal(() => budget.take(a))).toBeNull();
    expect(refusal(() => budget.take(a))).toBe(TOO_FAST_SCREEN);
    // IT heard of the first refusal only; a minute on, one line counts the rest (screen 3's and screen 1's),
    // though no scan came since (review18 L3: it was said only with the next refusal, so a flood's last minute went untold).
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      "check-ins refused: a kiosk screen (anyone with the page address can open one) (screen-1) asked for check-ins faster than anyone scans cards; they were not taken or sent. If no one is scanning that fast, look for a program using the console's page address. Told once a minute at most.",
    );
    clock.advance(60_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^check-ins refused: .*\(screen-1\).* \(2 refused, from 2 screens, since the last such line\)\./);
    // Ten more within the minute after that line (three fit its refilled burst): counted, and said when it is up.
    for (let i = 0; i < 10; i++) refusal(() => budget.take(a));
    expect(lines).toHaveLength(2);
    clock.advance(60_000);
    expect(lines[2]).toMatch(/ \(7 refused, from 1 screen, since the last such line\)\./);
    budget.stop();
  });

  it('may give a new screen a small start (`fresh`), growing to its burst', () => {
    const clock = new FakeClock();
    const budget = new CheckinBudget(clock, () => {}, { ...CHECKIN_LIMITS, screen: { ...CHECKIN_LIMITS.screen, fresh: 3 } });
    const fresh = screen(1);
    for (let i = 0; i < 3; i++) expect(refusal(() => budget.take(fresh))).toBeNull();
    expect(refusal(() => budget.take(fresh))).toBe(TOO_FAST_SCREEN);
    // A minute on it has its whole burst of 20, and no more.
    const settled = screen(2);
    refusal(() => budget.take(settled));
    clock.advance(60_000);
    let taken = 0;
    while (refusal(() => budget.take(settled)) === null) taken++;
    expect(taken).toBe(CHECKIN_LIMITS.screen.burst);
  });
});

/** A front desk over a roster copy holding Zoe, with an outbox that keeps what it is given. */
function deskWith(clock: FakeClock) {
  const queued: { cardId: string; unknownCard?: boolean; override?: unknown }[] = [];
  const pools = Object.assign(new EventEmitter(), { connectionView: () => ({ state: 'offline', cause: null }) }) as unknown as PoolManager;
  const outbox = Object.assign(new EventEmitter(), {
    enqueue: async (_lane: string, _op: string, body: { cardId: string; override?: unknown }, opts?: { unknownCard?: boolean }) => (
      queued.push({ cardId: body.cardId, unknownCard: opts?.unknownCard, ...(body.override ? { override: true } : {}) }), { key: `k${queued.length}` }
    ),
  }) as unknown as Outbox;
  const db = openConsoleDb(mkdtempSync(join(tmpdir(), 'gym-budget-')));
  const cache = new RosterCache(db);
  cache.store([ZOE, { ...ZOE, id: 'M00008', cardId: '4000837833', name: 'Ada Lee' }], clock.now());
  const desk = new FrontDesk({ pools, outbox, audit: { record: () => {} } as unknown as AuditLog, cache, db, clock, onConflict: () => {}, gymZone: () => 'UTC' });
  return { desk, queued, close: () => db.close() };
}

const ZOE: Member = { id: 'M00007', cardId: '4000837832', name: 'Zoe Park', phone: '555-0107', status: 'active', expiresOn: '2030-01-01' };

/** A scan as the desk.checkin handler makes it: through the budget, then the front desk. */
const scan = (budget: CheckinBudget, desk: FrontDesk, who: object & { screenId: string; role: Role | null }, cardId: string, override?: { note: string }) =>
  budget
    .spend(who, !!override, (beforeSend) => desk.checkin({ cardId, source: who.role === 'kiosk' ? 'kiosk' : 'desk', override }, 'staff', `${who.role}:${who.screenId}`, beforeSend))
    .then(
      (r) => r.ignored ?? (r.verdict?.allowed ? 'in' : 'refused'),
      (e: Error) => e.message,
    );

describe('the check-in budget at the front desk', () => {
  it('lets a member in from a fresh kiosk screen while made-up cards from fresh screens are over the console ceiling', async () => {
    const clock = new FakeClock();
    const { desk, queued, close } = deskWith(clock);
    const budget = new CheckinBudget(clock, () => {}, { screen: { burst: 20, perSecond: 1, fresh: 3 }, console: { burst: 6, perSecond: 1 } });
    const said: string[] = [];
    for (let n = 0; n < 10; n++) for (let i = 0; i < 3; i++) said.push(await scan(budget, desk, screen(n), `9${n}0000000${i}`));
    expect(said.filter((w) => w === TOO_FAST_CONSOLE)).toHaveLength(24);
    expect(queued.filter((q) => q.unknownCard)).toHaveLength(6);
    // The same fact the outbox keeps the queue's last places by: FrontDesk decides it once.
    expect(await scan(budget, desk, screen(99), ZOE.cardId)).toBe('in');
    expect(queued.at(-1)).toEqual({ cardId: ZOE.cardId, unknownCard: false });
    // A made-up card refused and scanned again at once is not taken for the reader's double read.
    expect(await scan(budget, desk, screen(98), '9555555555')).toBe(TOO_FAST_CONSOLE);
    clock.advance(1_000);
    expect(await scan(budget, desk, screen(98), '9555555555')).not.toBe('bounce');
    close();
  });

  it("charges a reader's double read and a repeat of a visit nothing; staff screens and overrides are held to no screen pace", async () => {
    const clock = new FakeClock();
    const { desk, close } = deskWith(clock);
    const budget = new CheckinBudget(clock, () => {}, { screen: { burst: 3, perSecond: 0.001 }, console: { burst: 60, perSecond: 5 } });
    const kiosk = screen(1);
    // Every card read twice, and Zoe again a moment later: three scans' worth of cards, within a budget of 3.
    expect(await scan(budget, desk, kiosk, ZOE.cardId)).toBe('in');
    expect(await scan(budget, desk, kiosk, ZOE.cardId)).toBe('bounce');
    clock.advance(2_500);
    expect(await scan(budget, desk, kiosk, ZOE.cardId)).toBe('repeat');
    expect(await scan(budget, desk, kiosk, '4000837833')).toBe('in');
    expect(await scan(budget, desk, kiosk, '4000837833')).toBe('bounce');
    expect(await scan(budget, desk, kiosk, '9000000001')).toBe('refused');
    expect(await scan(budget, desk, kiosk, '9000000002')).toBe(TOO_FAST_SCREEN);
    // Staff signed in with a PIN are held to no pace of their own (a front desk checking a queue in), and an
    // override is never charged: past a kiosk's budget the desk still sends, and still overrides.
    const frontDesk = screen(2, 'desk');
    for (let i = 0; i < 3; i++) expect(await scan(budget, desk, frontDesk, `900000010${i}`)).toBe('refused');
    expect(await scan(budget, desk, frontDesk, ZOE.cardId, { note: 'Card would not read at the kiosk' })).toBe('in');
    expect(await scan(budget, desk, frontDesk, '9000000300')).toBe('refused');
    close();
  });
});

describe('a check-in of a card the roster copy lacks', () => {
  it('is queued as an unknown card, so it may not take the places kept for members; a member or an override is not', async () => {
    const zoe = ZOE;
    const clock = new FakeClock();
    const queued: { cardId: string; unknownCard?: boolean }[] = [];
    const pools = Object.assign(new EventEmitter(), { connectionView: () => ({ state: 'offline', cause: null }) }) as unknown as PoolManager;
    const outbox = Object.assign(new EventEmitter(), {
      enqueue: async (_lane: string, _op: string, body: { cardId: string }, opts?: { unknownCard?: boolean }) => (queued.push({ cardId: body.cardId, unknownCard: opts?.unknownCard }), { key: `k${queued.length}` }),
    }) as unknown as Outbox;
    const db = openConsoleDb(mkdtempSync(join(tmpdir(), 'gym-unknown-card-')));
    const cache = new RosterCache(db);
    cache.store([zoe], clock.now());
    const desk = new FrontDesk({ pools, outbox, audit: { record: () => {} } as unknown as AuditLog, cache, db, clock, onConflict: () => {}, gymZone: () => 'UTC' });
    await desk.checkin({ cardId: '9000000001', source: 'kiosk' }, 'kiosk');
    await desk.checkin({ cardId: zoe.cardId, source: 'kiosk' }, 'kiosk');
    await desk.checkin({ cardId: '9000000002', source: 'desk', override: { note: 'New member, card printed today' } }, 'front desk');
    expect(queued).toEqual([
      { cardId: '9000000001', unknownCard: true },
      { cardId: zoe.cardId, unknownCard: false },
      { cardId: '9000000002', unknownCard: false },
    ]);
    db.close();
  });
});
