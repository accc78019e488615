import { describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { LastKnown } from '../../src/main/core/state/last-known';
import { FEED_CAPS, type CheckinEntry } from '../../src/shared/state';
import { FakeClock } from '../helpers/fake-clock';
import type { StreamPlace } from '../../src/main/core/pool/event-feed';

const entry = (seq: number): CheckinEntry => ({ seq, ts: 1_700_000_000_000 + seq, cardId: `40000${seq}`, memberId: `M${seq}`, name: 'Rosa Zhang', status: 'active', allowed: true, reason: 'ok', source: 'kiosk', note: null });

function setup() {
  const db = new Database(':memory:');
  migrate(db, CONSOLE_MIGRATIONS);
  const clock = new FakeClock();
  const now = { occupancy: { count: 9, capacity: 250, at: clock.now() }, checkins: [] as CheckinEntry[] };
  return { db, clock, now, kept: new LastKnown(db, clock, () => now) };
}

describe('the last known gym, kept in console.db', () => {
  it('writes a burst of changes once, two seconds on, and reads them back', () => {
    const { db, clock, now, kept } = setup();
    const writes = vi.spyOn(db, 'transaction');
    for (let i = 1; i <= 300; i++) {
      now.checkins.push(entry(i));
      kept.changed();
    }
    clock.advance(1_999);
    expect(kept.restore()).toEqual({ occupancy: null, checkins: [] });
    clock.advance(1);
    const back = kept.restore();
    expect(back.occupancy).toEqual({ count: 9, capacity: 250, at: clock.now() - 2_000 });
    expect(back.checkins).toHaveLength(FEED_CAPS.checkins);
    expect(back.checkins.at(-1)).toEqual(entry(300));
    expect(writes).not.toHaveBeenCalled(); // the transaction was made once, up front
  });

  it('a damaged or foreign value is left out, not shown as the gym', () => {
    const { db, kept } = setup();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    db.prepare("INSERT INTO last_known (key, value, at) VALUES ('occupancy', '{\"count\":-3,\"capacity\":250,\"at\":1}', 1), ('checkins', 'not json', 1)").run();
    expect(kept.restore()).toEqual({ occupancy: null, checkins: [] });
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('a check-in kept with a fraction of a ms (before times were made whole) comes back whole: the same row as the backend sends again', () => {
    const { db, kept } = setup();
    db.prepare("INSERT INTO last_known (key, value, at) VALUES ('checkins', ?, 1)").run(JSON.stringify([{ ...entry(1), ts: 1_700_000_000_001.75, arrivedAt: 1_700_000_090_000.5 }]));
    expect(kept.restore().checkins).toMatchObject([{ seq: 1, ts: 1_700_000_000_001, arrivedAt: 1_700_000_090_000 }]);
  });

  // probe-hostile17 F5: a row the backend stamped in 2031, taken as of its arrival, must come back so after a restart, not as 2031.
  it('a check-in taken as of its arrival keeps what the backend\'s clock said across a restart', () => {
    const { clock, now, kept } = setup();
    now.checkins.push({ ...entry(1), clockSaid: Date.UTC(2031, 11, 5, 4, 7, 14) });
    kept.changed();
    clock.advance(2_000);
    expect(kept.restore().checkins).toEqual([{ ...entry(1), clockSaid: Date.UTC(2031, 11, 5, 4, 7, 14) }]);
  });

  it("keeps where the feed stood in the backend's stream; a run that never synced leaves the kept place as it was", () => {
    const db = new Database(':memory:');
    migrate(db, CONSOLE_MIGRATIONS);
    const clock = new FakeClock();
    const now = { occupancy: null, checkins: [] as CheckinEntry[], place: { seq: 41, epoch: 'e-1', addresses: ['ws://10.0.0.5:9000'] } as StreamPlace | null };
    const kept = new LastKnown(db, clock, () => now);
    kept.changed();
    kept.flush();
    expect(kept.restore().place).toEqual({ seq: 41, epoch: 'e-1', addresses: ['ws://10.0.0.5:9000'] });
    now.place = null; // the next start, before its first sync
    kept.changed();
    kept.flush();
    expect(kept.restore().place).toEqual({ seq: 41, epoch: 'e-1', addresses: ['ws://10.0.0.5:9000'] });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    db.prepare("UPDATE last_known SET value = '{\"seq\":-1,\"addresses\":[]}' WHERE key = 'place'").run();
    expect(kept.restore().place).toBeUndefined(); // damaged: no comparison, never a restart claimed from it
    warn.mockRestore();
  });
});
