import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { migrate } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { ANALYTICS_MIGRATIONS } from '../../src/main/core/store/analytics-schema';
import { SettingsStore } from '../../src/main/core/store/settings-store';
import { PinStore } from '../../src/main/core/auth/pins';
import { DEFAULT_DESK_SETTINGS, StoredDeskSettingsSchema } from '../../src/shared/desk';

const Volume = z.object({ level: z.number().int().min(0).max(10) }).strict();

function setup() {
  const db = new Database(':memory:');
  migrate(db, CONSOLE_MIGRATIONS);
  const warnings: string[] = [];
  const store = new SettingsStore(db, { warn: (m) => warnings.push(m) });
  const put = (key: string, value: string) => db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, value);
  return { db, store, warnings, put };
}

describe('settings store', () => {
  it('gives the fallback when nothing is saved, and what was saved after a set', () => {
    const { store, warnings } = setup();
    expect(store.has('volume')).toBe(false);
    expect(store.get('volume', Volume, { level: 5 })).toEqual({ level: 5 });
    expect(store.set('volume', Volume, { level: 7 })).toEqual({ level: 7 });
    expect(store.has('volume')).toBe(true);
    expect(store.get('volume', Volume, { level: 5 })).toEqual({ level: 7 });
    expect(warnings).toEqual([]);
  });

  it('refuses to save a value its schema rejects, and keeps the old one', () => {
    const { store } = setup();
    store.set('volume', Volume, { level: 3 });
    expect(() => store.set('volume', Volume, { level: 11 })).toThrow(/volume setting was not saved: level/);
    expect(store.get('volume', Volume, { level: 5 })).toEqual({ level: 3 });
  });

  it('falls back from a damaged value and says so, once per damaged value', () => {
    const { store, warnings, put } = setup();
    put('volume', '{"level": 99}');
    expect(store.get('volume', Volume, { level: 5 })).toEqual({ level: 5 });
    expect(store.get('volume', Volume, { level: 5 })).toEqual({ level: 5 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/saved "volume" is damaged \(level: .*\); it is ignored, and the default used, until it is saved again/);
    put('volume', '{not json');
    expect(store.get('volume', Volume, { level: 5 })).toEqual({ level: 5 });
    expect(warnings[1]).toMatch(/not readable JSON/);
  });

  // probe28b H3: one field edited by hand (a verdict time of 1 s) put the gym's whole desk policy back to the defaults.
  it('keeps the fields of a saved value that read, and says which went back to the default', () => {
    const { db, store, warnings, put } = setup();
    put('desk', JSON.stringify({ offlinePolicy: { allowStatuses: ['active'], unknownCard: 'deny' }, verdictSeconds: 1, busyAt: 40, nearlyFullAt: 45, extra: true }));
    expect(store.get('desk', StoredDeskSettingsSchema, DEFAULT_DESK_SETTINGS)).toEqual({ offlinePolicy: { allowStatuses: ['active'], unknownCard: 'deny' }, verdictSeconds: 4, busyAt: 40, nearlyFullAt: 45 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/saved "desk" is partly damaged \(.*\); verdictSeconds is back to the default until it is saved again, the rest kept/);
    const damage: unknown[] = [];
    new SettingsStore(db, { warn: (_m, d) => damage.push(d) }).get('desk', StoredDeskSettingsSchema, DEFAULT_DESK_SETTINGS);
    expect(damage).toEqual([{ key: 'desk', whole: false, fields: ['verdictSeconds'] }]);
  });

  it('reads desk settings saved by an older version through the stored-settings schema', () => {
    const { store, put } = setup();
    put('desk', JSON.stringify({ offlinePolicy: DEFAULT_DESK_SETTINGS.offlinePolicy, verdictSeconds: 6, capacity: 300 }));
    expect(store.get('desk', StoredDeskSettingsSchema, DEFAULT_DESK_SETTINGS)).toMatchObject({ verdictSeconds: 6, busyAt: 240, nearlyFullAt: 270 });
  });

  it('works over the analytics meta table too', () => {
    const db = new Database(':memory:');
    migrate(db, ANALYTICS_MIGRATIONS);
    const store = new SettingsStore(db, { table: 'meta' });
    store.set('volume', Volume, { level: 2 });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'volume'").get()).toEqual({ value: '{"level":2}' });
  });

  it('damaged PINs still count as set (setup stays closed) and no PIN passes', () => {
    const { db, put } = setup();
    const pins = new PinStore(db);
    pins.set({ desk: '1111', manager: '2222', kiosk: '3333' });
    expect(pins.check('desk', '1111')).toBe(true);
    put('pins', '{"desk": {"salt": "zz", "hash": 1}}');
    expect(pins.configured).toBe(true);
    expect(pins.check('desk', '1111')).toBe(false);
  });
});
