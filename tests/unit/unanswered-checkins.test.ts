import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { OfflineDecisions } from '../../src/main/core/desk/offline-decisions';
import { UNANSWERED_AFTER_MS, type Unanswered } from '../../src/main/core/desk/unanswered-checkins';
import type { Outbox } from '../../src/main/core/delivery/outbox';
import { QuietWrites } from '../../src/main/core/store/quiet-writes';
import { FakeClock } from '../helpers/fake-clock';

// probe28b H5: a check-in the backend acknowledged and never answered said "will be confirmed" for good, and nobody heard.
function rig(db = migrated()) {
  const outbox = new EventEmitter();
  const clock = new FakeClock();
  const told: Unanswered[] = [];
  const decisions = new OfflineDecisions(db, outbox as unknown as Outbox, () => {}, new QuietWrites(), { clock, tell: (u) => told.push(u) });
  return { db, outbox, clock, told, decisions };
}
function migrated() {
  const db = new Database(':memory:');
  migrate(db, CONSOLE_MIGRATIONS);
  return db;
}
const ok = { allowed: true, reason: 'ok' } as const;

describe('check-ins decided here that the backend took and never answered', () => {
  it('are told once, a minute after the ack; one answered, or not taken, is not', () => {
    const { outbox, clock, told, decisions } = rig();
    decisions.record('never', '1111111', ok, 5);
    decisions.record('answered', '2222222', { allowed: false, reason: 'frozen' }, 6);
    outbox.emit('acked', 'never');
    outbox.emit('acked', 'never'); // an ack twice is one wait
    outbox.emit('acked', 'answered');
    outbox.emit('acked', 'someone-else'); // not a check-in this PC decided
    outbox.emit('reply', 'answered', 'checkin', { verdict: { allowed: false, reason: 'frozen' } });
    clock.advance(UNANSWERED_AFTER_MS - 1);
    expect(told).toEqual([]);
    clock.advance(1);
    expect(told).toEqual([{ key: 'never', card: '1111111', decided: ok, at: 5, waitedMs: UNANSWERED_AFTER_MS }]);
    clock.advance(UNANSWERED_AFTER_MS * 10);
    expect(told).toHaveLength(1);
    // Its row stays: it still says who this PC let in, for the offline checks, until the backend's count has them.
    expect(decisions.admittedSince('1111111', 0)).toBe(true);
    expect(clock.pending).toBe(0);
  });

  // review29 V1: the ack came while the desk still waited for the answer (1.5 s), before this PC decided.
  it('an ack that came before this PC decided starts the wait from the ack', () => {
    const { outbox, clock, told, decisions } = rig();
    outbox.emit('acked', 'early');
    clock.advance(1_500);
    decisions.record('early', '1111111', ok, 7);
    clock.advance(UNANSWERED_AFTER_MS - 1_500);
    expect(told).toMatchObject([{ key: 'early', waitedMs: UNANSWERED_AFTER_MS }]);
  });

  // review29 V3: refused after its ack, it was told for IT already; a check-in that lapsed unsent was never taken.
  it('one refused after its ack, or lapsed, is not told as unanswered', () => {
    const { outbox, clock, told, decisions } = rig();
    decisions.record('refused', '1111111', ok, 5);
    decisions.record('lapsed', '2222222', ok, 5);
    outbox.emit('acked', 'refused');
    outbox.emit('refused', 'refused');
    outbox.emit('lapsed', 'lapsed', 'checkin', '{}', false, 5);
    clock.advance(UNANSWERED_AFTER_MS * 2);
    expect(told).toEqual([]);
  });

  // review29 V2: the console stopped (a restart, an update) within the minute: the start deleted the row unheard.
  it('one the console stopped before telling is told at the next start; one never taken is dropped silently', () => {
    const db = migrated();
    const first = rig(db);
    first.decisions.record('taken', '1111111', ok, 5);
    first.decisions.record('never-sent', '2222222', ok, 6);
    first.outbox.emit('acked', 'taken');
    first.clock.advance(10_000);
    first.decisions.stop();
    expect(first.told).toEqual([]);
    const next = rig(db);
    expect(next.told).toEqual([{ key: 'taken', card: '1111111', decided: ok, at: 5, waitedMs: null }]);
    expect(db.prepare('SELECT COUNT(*) FROM offline_decisions').pluck().get()).toBe(0);
    next.clock.advance(UNANSWERED_AFTER_MS * 2);
    expect(next.told).toHaveLength(1);
  });
});
