import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { OfflineDecisions } from '../../src/main/core/desk/offline-decisions';
import type { Outbox } from '../../src/main/core/delivery/outbox';
import type { Answered } from '../../src/main/core/desk/offline-decisions';

function setup() {
  const db = new Database(':memory:');
  migrate(db, CONSOLE_MIGRATIONS);
  const outbox = new EventEmitter();
  const answers: Answered[] = [];
  const decisions = new OfflineDecisions(db, outbox as unknown as Outbox, (a) => answers.push(a));
  return { db, outbox, answers, decisions };
}

describe('offline decisions', () => {
  it('passes on each answer once, agreeing or not, and ignores other operations', () => {
    const { outbox, answers, decisions } = setup();
    decisions.record('k1', '1234567', { allowed: true, reason: 'ok' }, 1);
    decisions.record('k2', '7654321', { allowed: false, reason: 'frozen' }, 1);
    outbox.emit('reply', 'k1', 'lookup', { verdict: { allowed: false, reason: 'frozen' } }); // not a check-in
    outbox.emit('reply', 'k2', 'checkin', { verdict: { allowed: false, reason: 'frozen' } });
    outbox.emit('reply', 'k1', 'checkin', { verdict: { allowed: false, reason: 'duplicate' } });
    outbox.emit('reply', 'k1', 'checkin', { verdict: { allowed: false, reason: 'duplicate' } }); // answered already
    expect(answers).toEqual([
      { key: 'k2', card: '7654321', decided: { allowed: false, reason: 'frozen' }, backend: { allowed: false, reason: 'frozen' } },
      { key: 'k1', card: '1234567', decided: { allowed: true, reason: 'ok' }, backend: { allowed: false, reason: 'duplicate' } },
    ]);
  });

  it("knows what it decided for a check-in while it waits and after the backend answered (its live event may come later)", () => {
    const { outbox, decisions } = setup();
    decisions.record('k1', '1234567', { allowed: false, reason: 'duplicate' }, 1);
    expect(decisions.decidedFor('k1', '1234567')).toEqual({ allowed: false, reason: 'duplicate' });
    // An event under this id for another card (a backend that mislabels ids) is not this decision's: probe-hostile14b R1.
    expect(decisions.decidedFor('k1', '7654321')).toBeUndefined();
    outbox.emit('reply', 'k1', 'checkin', { verdict: { allowed: true, reason: 'ok' } });
    expect(decisions.decidedFor('k1', '1234567')).toEqual({ allowed: false, reason: 'duplicate' });
    expect(decisions.decidedFor('k1', '7654321')).toBeUndefined();
    expect(decisions.decidedFor('never', '1234567')).toBeUndefined();
  });

  it('a reply it cannot read is flagged, not thrown into the main process', () => {
    const { outbox, answers, decisions } = setup();
    decisions.record('k1', '1234567', { allowed: true, reason: 'ok' }, 1);
    expect(() => outbox.emit('reply', 'k1', 'checkin', { verdict: 'yes' })).not.toThrow();
    expect(answers).toMatchObject([{ key: 'k1', backend: null }]);
  });

  it('on start, forgets decisions whose check-in is neither queued nor dead-lettered', () => {
    const { db, decisions } = setup();
    db.prepare("INSERT INTO outbox (key, lane, op, body, created, waiting_since) VALUES ('queued', 0, 'checkin', '{}', 0, 0)").run();
    decisions.record('queued', '1111111', { allowed: true, reason: 'ok' }, 1);
    decisions.record('gone', '2222222', { allowed: true, reason: 'ok' }, 1);
    new OfflineDecisions(db, new EventEmitter() as unknown as Outbox, () => {});
    expect((db.prepare('SELECT key FROM offline_decisions').all() as { key: string }[]).map((r) => r.key)).toEqual(['queued']);
  });
});

