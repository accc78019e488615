import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckinBudget, TOO_FAST_CONSOLE, TOO_FAST_SCREEN } from '../../src/main/core/desk/checkin-budget';
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
  it('lets a queue at the door through, then one a second, per screen and per console', () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const budget = new CheckinBudget(clock, (l) => lines.push(l), { screen: { burst: 3, perSecond: 1 }, console: { burst: 5, perSecond: 2 } });
    const a = screen(1);
    for (let i = 0; i < 3; i++) expect(refusal(() => budget.take(a))).toBeNull();
    expect(refusal(() => budget.take(a))).toBe(TOO_FAST_SCREEN);
    const b = screen(2);
    expect(refusal(() => budget.take(b))).toBeNull();
    expect(refusal(() => budget.take(b))).toBeNull();
    // Five kiosk scans in the console's burst: a third kiosk screen is over the ceiling, a desk screen is not.
    expect(refusal(() => budget.take(screen(3)))).toBe(TOO_FAST_CONSOLE);
    expect(refusal(() => budget.take(screen(4, 'desk')))).toBeNull();
    clock.advance(1_000);
    expect(refusal(() => budget.take(a))).toBeNull();
    expect(refusal(() => budget.take(a))).toBe(TOO_FAST_SCREEN);
    // IT heard of the first refusal only; a minute on, one line counts the rest (screen 3s, screen 1s, and its own).
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      "check-ins refused: a kiosk screen (anyone with the page address can open one) (screen-1) asked for check-ins faster than anyone scans cards; they were not taken or sent. If no one is scanning that fast, look for a program using the console's page address. Told once a minute at most.",
    );
    clock.advance(60_000);
    for (let i = 0; i < 10; i++) refusal(() => budget.take(a));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^check-ins refused: .* \(3 refused, from 2 screens, since the last such line\)\./);
  });
});

describe('a check-in of a card the roster copy lacks', () => {
  it('is queued as an unknown card, so it may not take the places kept for members; a member or an override is not', async () => {
    const zoe: Member = { id: 'M00007', cardId: '4000837832', name: 'Zoe Park', phone: '555-0107', status: 'active', expiresOn: '2030-01-01' };
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
