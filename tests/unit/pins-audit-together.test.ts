import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { PinStore } from '../../src/main/core/auth/pins';

// probe22 K4: a kill in the moment between a PIN change and its audit row left the desk PIN changed (the old one
// refused) with no row saying who changed it. The two commit together now, or neither does.
describe('a PIN change and its audit row', () => {
  it('are saved in one transaction: no row, no change', () => {
    const db = new Database(':memory:');
    migrate(db, CONSOLE_MIGRATIONS);
    const pins = new PinStore(db);
    pins.set({ desk: '1234', manager: '9876' });
    expect(() =>
      pins.set({ desk: '5678' }, () => {
        throw new Error('stopped before the audit row was written');
      }),
    ).toThrow(/stopped before/);
    expect(pins.check('desk', '1234')).toBe(true);
    expect(pins.check('desk', '5678')).toBe(false);
    let rows = 0;
    pins.set({ desk: '5678' }, () => void rows++);
    expect([rows, pins.check('desk', '5678')]).toEqual([1, true]);
  });
});
