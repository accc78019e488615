import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrontDesk, type RosterRefusal } from '../../src/main/core/desk/front-desk';
import { RosterCache } from '../../src/main/core/desk/roster-cache';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import type { PoolManager } from '../../src/main/core/pool/manager';
import type { Outbox } from '../../src/main/core/delivery/outbox';
import type { AuditLog } from '../../src/main/core/store/audit-log';
import type { Member } from '../../src/shared/protocol';
import { runChecks } from '../../src/main/core/health/checks';
import { healthyInputs } from '../helpers/health-inputs';
import { FakeClock } from '../helpers/fake-clock';

// probe-hostile12 F12: a roster past 100,000 members left the PC with no offline copy, silently
// (the refusal was swallowed), and the doomed 500-page sync was redone every 10 minutes.
const MIN = 60_000;
afterEach(() => void vi.useRealTimers());

/** A backend whose roster holds `size()` members, counting the pages it is asked for. */
function rig(size: () => number) {
  const clock = new FakeClock();
  let pages = 0;
  const pools = Object.assign(new EventEmitter(), {
    connectionView: () => ({ state: 'connected', cause: null }),
    request: async (_op: string, { afterId }: { afterId: string }) => {
      pages++;
      const from = afterId ? Number(afterId.slice(1)) + 1 : 0;
      const n = Math.max(0, Math.min(200, size() - from));
      const members: Member[] = Array.from({ length: n }, (_, k) => ({ id: `M${from + k}`, cardId: `C${String(from + k).padStart(8, '0')}`, name: `Member ${from + k}`, phone: '', status: 'active', expiresOn: '2030-01-01' }));
      return { members, done: from + n >= size() };
    },
  }) as unknown as PoolManager;
  const db = openConsoleDb(mkdtempSync(join(tmpdir(), 'gym-roster-refused-')));
  const told: (RosterRefusal | null)[] = [];
  /** A desk on this console.db: a second one is the console started again. */
  const deskOn = () => new FrontDesk({ pools, outbox: new EventEmitter() as unknown as Outbox, audit: {} as AuditLog, cache: new RosterCache(db), db, clock, onConflict: () => {}, gymZone: () => 'UTC', onRosterSync: (r) => told.push(r && { ...r }) });
  return { desk: deskOn(), deskOn, clock, told, pages: () => pages };
}

describe('a roster sync the console refuses', () => {
  it('is told once, in words, kept for Health, and not redone every 10 min at full cost', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let size = 100_001;
    const r = rig(() => size);
    r.desk.start();
    await expect(r.desk.sync()).rejects.toThrow(/more than 100,000 members/);
    expect(r.told).toHaveLength(1);
    expect(r.told[0]).toMatchObject({ message: expect.stringMatching(/the copy on this PC was left as it was/), times: 1, waitMs: 20 * MIN });
    expect(r.desk.rosterRefused?.message).toBe(r.told[0]!.message);
    const firstCost = r.pages();
    expect(firstCost).toBeGreaterThan(500);

    // Health: no copy at all, and what that means at the door.
    const roster = (refusal: RosterRefusal | null, members = r.desk.cache.size) => runChecks({ ...healthyInputs(), roster: { members, synced: r.desk.cache.syncedAt !== null, refused: refusal, notSaved: null } }).find((c) => c.kind === 'roster')!;
    expect(roster(r.desk.rosterRefused)).toMatchObject({ status: 'failing', label: 'Roster copy for offline check-ins' });
    expect(roster(r.desk.rosterRefused).reason).toMatch(/^No copy of the members list on this PC, so a check-in taken while the backend is unreachable knows no member and turns each away as an unknown card\. The backend's roster has more than 100,000 members.* The console tries the sync again in 20 min, not every 10 min\.$/);
    expect(roster(r.desk.rosterRefused, 3).status).toBe('degraded');

    // 10 min on: the timer fires, and nothing is asked of the backend.
    r.clock.jump(10 * MIN);
    await vi.advanceTimersByTimeAsync(10 * MIN);
    expect(r.pages()).toBe(firstCost);
    // 20 min after the refusal it is tried again; refused again, the next wait doubles.
    r.clock.jump(10 * MIN + 1);
    await vi.advanceTimersByTimeAsync(10 * MIN);
    await vi.waitFor(() => expect(r.told).toHaveLength(2));
    expect(r.told[1]).toMatchObject({ times: 2, waitMs: 40 * MIN });
    const secondCost = r.pages();
    r.clock.jump(30 * MIN);
    await vi.advanceTimersByTimeAsync(30 * MIN);
    expect(r.pages()).toBe(secondCost);

    // The roster is trimmed at the backend: the next sync takes it, and says the copy is current again.
    size = 90_000;
    r.clock.jump(10 * MIN + 1);
    await vi.advanceTimersByTimeAsync(10 * MIN);
    await vi.waitFor(() => expect(r.told).toHaveLength(3));
    expect(r.told[2]).toBeNull();
    expect(r.desk.rosterRefused).toBeNull();
    expect(r.desk.cache.size).toBe(90_000);
    expect(roster(null).status).toBe('ok');
    r.desk.stop();
  }, 60_000);

  it('is still said after a restart, until a sync completes; the first sync then is tried at once', async () => {
    const r = rig(() => 100_001);
    await expect(r.desk.sync()).rejects.toThrow(/more than 100,000 members/);
    const again = r.deskOn();
    expect(again.rosterRefused).toMatchObject({ message: r.told[0]!.message, times: 1 });
    const check = runChecks({ ...healthyInputs(), roster: { members: 0, synced: false, refused: again.rosterRefused, notSaved: null } }).find((c) => c.kind === 'roster')!;
    expect(check).toMatchObject({ status: 'failing', reason: expect.stringMatching(/The console tries the sync again once the backend answers\.$/) });
    const before = r.pages();
    await expect(again.sync()).rejects.toThrow(/more than 100,000 members/);
    expect(r.pages()).toBeGreaterThan(before);
    expect(again.rosterRefused).toMatchObject({ times: 2, waitMs: 40 * MIN });
  }, 60_000);

  it('a backend that is away is not a refusal: nothing is told, and the next tries are not held back', async () => {
    const r = rig(() => 10);
    (r.desk as unknown as { d: { pools: { request: () => Promise<never> } } }).d.pools.request = () => Promise.reject(new Error('No backend instance answered'));
    await expect(r.desk.sync()).rejects.toThrow(/No backend/);
    expect(r.told).toEqual([]);
    expect(r.desk.rosterRefused).toBeNull();
  });
});

describe('the roster check counts members in words', () => {
  const reason = (members: number, refused: RosterRefusal | null = null): string =>
    runChecks({ ...healthyInputs(), roster: { members, synced: true, refused, notSaved: null } }).find((c) => c.kind === 'roster')!.reason;
  it('says one member, not "1 members"', () => {
    expect(reason(1)).toBe('1 member kept for check-ins while the backend is unreachable.');
    expect(reason(12_345)).toBe('12,345 members kept for check-ins while the backend is unreachable.');
    expect(reason(1, { message: 'Refused.', times: 1, waitMs: 0 } as RosterRefusal)).toMatch(/\(1 member\) is no longer updated/);
  });
});
