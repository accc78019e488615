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
import { FakeClock } from '../helpers/fake-clock';

// probe28b H3: a desk setting edited by hand in console.db reset the gym's whole desk policy, said on stderr only.
function deskOn(saved: unknown) {
  const db = openConsoleDb(mkdtempSync(join(tmpdir(), 'gym-desk-damaged-')));
  db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('desk', ?)").run(typeof saved === 'string' ? saved : JSON.stringify(saved));
  const told: string[] = [];
  const pools = Object.assign(new EventEmitter(), { connectionView: () => ({ state: 'offline', cause: null }) }) as unknown as PoolManager;
  const outbox = new EventEmitter() as unknown as Outbox;
  const desk = new FrontDesk({ pools, outbox, audit: { record: () => {} } as unknown as AuditLog, cache: new RosterCache(db), db, clock: new FakeClock(), onConflict: () => {}, gymZone: () => 'UTC', onSettingsDamaged: (d) => told.push(d) });
  return { desk, told };
}

describe('desk settings saved on this PC that do not all read', () => {
  it('keep what reads, and tell staff which setting went back, in the settings card’s words', () => {
    const { desk, told } = deskOn({ offlinePolicy: { allowStatuses: ['active'], unknownCard: 'deny' }, verdictSeconds: 1, busyAt: 40, nearlyFullAt: 45 });
    expect(desk.settings).toEqual({ offlinePolicy: { allowStatuses: ['active'], unknownCard: 'deny' }, verdictSeconds: 4, busyAt: 40, nearlyFullAt: 45 });
    expect(told).toEqual([
      'Part of the desk and kiosk settings saved on this PC could not be read: Verdict time (kiosk) is back to the default until a manager saves Desk and kiosk settings on Overview again. The rest are as saved.',
    ]);
  });

  it('none that reads: the defaults, said so', () => {
    const { desk, told } = deskOn('{not json');
    expect(desk.settings.verdictSeconds).toBe(4);
    expect(told[0]).toMatch(/^The desk and kiosk settings saved on this PC could not be read, so the defaults are used until a manager saves/);
  });
});
