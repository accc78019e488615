import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import type { Db } from '../../src/main/core/store/db';
import { ROSTER_LIMITS, RosterCache, type RosterPager } from '../../src/main/core/desk/roster-cache';
import { ReplyBodies, type Member, type Replies } from '../../src/shared/protocol';
import { QuietWrites } from '../../src/main/core/store/quiet-writes';

const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});
const openCache = (dir = mkdtempSync(join(tmpdir(), 'gym-roster-'))) => {
  const db = openConsoleDb(dir);
  dbs.push(db);
  return { dir, db, cache: new RosterCache(db) };
};
const member = (n: number): Member => ({ id: `M${String(n).padStart(7, '0')}`, cardId: `4${String(n).padStart(9, '0')}`, name: `Member ${n}`, phone: '555-0100', status: 'active', expiresOn: '2030-01-01' });
const rows = (db: Db) => (db.prepare('SELECT COUNT(*) AS n FROM members').get() as { n: number }).n;

/** A backend paging a roster of `total` members, `per` a page, as the reference backend does. */
const honest = (total: number, per = 200): RosterPager => async (afterId) => {
  const start = afterId ? Number(afterId.slice(1)) : 0;
  const members = Array.from({ length: Math.max(0, Math.min(per, total - start)) }, (_, i) => member(start + i + 1));
  return { members, done: start + per >= total };
};

/** The pager the desk builds: every reply goes through the check first, as the connection does. */
const checked = (pager: (afterId: string) => Replies['roster'], faults: string[]): RosterPager => async (afterId, check) => {
  const reply = pager(afterId);
  const problem = check(reply);
  if (problem) {
    faults.push(problem);
    throw new Error(`malformed roster reply: ${problem}`);
  }
  return reply;
};

describe('the roster cache with an honest backend', () => {
  it('does not blame the hedge that brings the same page after the first copy was staged', async () => {
    const { cache } = openCache();
    const faults: string[] = [];
    const late: (() => void)[] = [];
    // Each page is answered twice, as when a request was hedged to a second socket: the second copy
    // is checked (as the connection does) only after the sync has staged the first.
    const hedged: RosterPager = async (afterId, check) => {
      const reply = await honest(450)(afterId, check);
      late.push(() => {
        const problem = check(reply);
        if (problem) faults.push(problem);
      });
      const first = check(reply);
      if (first) throw new Error(first);
      return reply;
    };
    const sync = cache.sync(hedged, 1_000);
    await sync;
    for (const answer of late) answer();
    expect(faults).toEqual([]);
    expect(cache.size).toBe(450);
  });
});

describe('the roster cache under a hostile backend', () => {
  it('stops a roster that never ends at the member limit, and keeps the good copy it had', async () => {
    const { db, cache } = openCache();
    await cache.sync(honest(450), 1_000);
    expect(cache.size).toBe(450);
    let next = 1_000_000;
    let pages = 0;
    // 200 new members a page, always "more to come".
    const endless: RosterPager = async () => {
      pages++;
      return { members: Array.from({ length: 200 }, () => member(next++)), done: false };
    };
    await expect(cache.sync(endless, 2_000)).rejects.toThrow(/roster has more than 100,000 members.*left as it was/);
    expect(pages).toBeLessThanOrEqual(ROSTER_LIMITS.maxMembers / 200 + 1);
    expect(cache.size).toBe(450);
    expect(rows(db)).toBe(450);
    expect(cache.byMemberId(member(1_000_000).id)).toBeUndefined();
    expect(cache.syncedAt).toBe(1_000);
  });

  it('stops a roster that dribbles one member a page at the page limit', async () => {
    const { cache } = openCache();
    let next = 1;
    let pages = 0;
    const dribble: RosterPager = async () => {
      pages++;
      return { members: [member(next++)], done: false };
    };
    await expect(cache.sync(dribble, 1)).rejects.toThrow(/more than 1,000 pages/);
    expect(pages).toBe(ROSTER_LIMITS.maxPages);
    expect(cache.size).toBe(0);
  });

  it.each([
    ['the same page again and again', () => ({ members: [member(1), member(2)], done: false })],
    ['a page that holds no members but says more is coming', () => ({ members: [], done: false })],
    ['a page that goes back to its own cursor', (after: string) => ({ members: [member(after ? Number(after.slice(1)) : 1)], done: false })],
    ['a page that names one member twice', () => ({ members: [member(5), member(5)], done: true })],
  ])('a cursor that does not move on (%s) is a fault, and the sync stops at once', async (_what, page) => {
    const { cache } = openCache();
    await cache.sync(honest(10), 1);
    const faults: string[] = [];
    let asked = 0;
    const pager = checked((after) => (asked++, page(after) as Replies['roster']), faults);
    // A first page of its own, so a repeat has something to repeat.
    const first = (after: string): Replies['roster'] => (after === '' ? { members: [member(1), member(2)], done: false } : (page(after) as Replies['roster']));
    await expect(cache.sync(after0(pager, first, faults), 2)).rejects.toThrow(/roster/);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatch(/more was to come but held no members|repeated members/);
    expect(asked).toBeLessThanOrEqual(1);
    expect(cache.size).toBe(10);
    expect(cache.syncedAt).toBe(1);
  });

  // Members a page held that could not be read are left out (the rest taken, paging goes on past them), but never loop.
  it.each([
    ['only unreadable members, the last naming the cursor it was asked after', (after: string) => ({ members: [{ id: after, status: 'gone' }], done: false }), /repeated members/],
    ['only unreadable members, none with an id that can be sent back', () => ({ members: [42, { id: 'X'.repeat(65) }], done: false }), /held no member this console could read/],
  ])('a page of %s is a fault, and the sync stops at once', async (_what, page, why) => {
    const { cache } = openCache();
    await cache.sync(honest(10), 1);
    const faults: string[] = [];
    const pager = checked((after) => ReplyBodies.roster.parse(page(after)), faults);
    const first = (after: string): Replies['roster'] => (after === '' ? { members: [member(1), member(2)], done: false } : ReplyBodies.roster.parse(page(after)));
    await expect(cache.sync(after0(pager, first, faults), 2)).rejects.toThrow(/roster/);
    expect(faults).toEqual([expect.stringMatching(why)]);
    expect(cache.size).toBe(10);
  });

  it('a page whose last member cannot be read moves on past it, and the readable ones are kept', async () => {
    const { cache } = openCache();
    const pages: Record<string, unknown> = {
      '': { members: [member(1), { ...member(2), status: 'gone' }], done: false },
      [member(2).id]: { members: [member(3)], done: true },
    };
    const asked: string[] = [];
    await expect(cache.sync(checked((after) => (asked.push(after), ReplyBodies.roster.parse(pages[after])), []), 1)).resolves.toBe(2);
    expect(asked).toEqual(['', member(2).id]);
    expect(cache.byMemberId(member(2).id)).toBeUndefined();
    expect(cache.byMemberId(member(3).id)).toBeDefined();
  });

  it('a complete sync replaces the copy: members gone from the roster go from this PC too', async () => {
    const { db, cache } = openCache();
    await cache.sync(honest(300), 1);
    await cache.sync(honest(120), 2);
    expect(cache.size).toBe(120);
    expect(rows(db)).toBe(120);
    expect(cache.byMemberId(member(121).id)).toBeUndefined();
  });

  it('a status an event brought while the sync paged is not undone by the older page', async () => {
    const { cache } = openCache();
    await cache.sync(honest(400), 1);
    const pager = honest(400);
    const slow: RosterPager = async (after, check) => {
      const r = await pager(after, check);
      if (after === '') cache.status(member(3).id, 'frozen'); // after page 1 was read
      return r;
    };
    await cache.sync(slow, 2);
    expect(cache.byMemberId(member(3).id)?.status).toBe('frozen');
  });

  it('one sync at a time: a second caller shares the first', async () => {
    const { cache } = openCache();
    let calls = 0;
    const pager: RosterPager = async (after, check) => (calls++, honest(400)(after, check));
    const [a, b] = await Promise.all([cache.sync(pager, 1), cache.sync(pager, 1)]);
    expect(a).toBe(400);
    expect(b).toBe(400);
    expect(calls).toBe(2);
  });

  // review19 L9: a Find answered late (the desk had moved on to the copy) stored its older answer over a whole roster
  // synced meanwhile, and stamped the copy as synced when it came.
  it('a lookup answered after a whole roster synced since it was asked is not stored over it', async () => {
    const { cache } = openCache();
    await cache.sync(honest(10), 1_000);
    const findAsked = cache.stamp(); // a Find asked now, answered late
    const renamed = { ...member(3), name: 'Renamed Since' };
    const pager: RosterPager = async (after, check) => {
      const r = await honest(10)(after, check);
      return { ...r, members: r.members.map((m) => (m.id === renamed.id ? renamed : m)) };
    };
    await cache.sync(pager, 3_000); // the whole roster, after the Find was asked
    cache.store([member(3), member(99)], findAsked); // its late answer: the old name, and a member the roster no longer has
    expect(cache.byMemberId(member(3).id)?.name).toBe('Renamed Since');
    expect(cache.byMemberId(member(99).id)).toBeUndefined();
    expect(cache.syncedAt).toBe(3_000);
    // One asked after the sync began is newer: stored; the copy is still as of the last whole sync.
    cache.store([{ ...member(3), name: 'Renamed Again' }], cache.stamp());
    expect(cache.byMemberId(member(3).id)?.name).toBe('Renamed Again');
    expect(cache.syncedAt).toBe(3_000);
  });

  // review20b L3: Finds were ordered against syncs by the wall clock, so one stepped back after a sync (a PC's clock
  // put right) dropped every Find's answer until the clock caught up with the sync's date.
  it('a Find asked after a sync is stored whatever the wall clock said at the sync', async () => {
    const { cache } = openCache();
    await cache.sync(honest(10), Date.UTC(2027, 0, 1)); // the clock was a month ahead at the sync, then put right
    cache.store([{ ...member(3), name: 'Found After' }], cache.stamp());
    expect(cache.byMemberId(member(3).id)?.name).toBe('Found After');
  });

  it('a lookup asked before a sync began and answered while it pages is not stored over the newer pages', async () => {
    const { cache } = openCache();
    const pager = honest(400);
    const findAsked = cache.stamp(); // a Find asked before the sync began
    const paging: RosterPager = async (after, check) => {
      if (after === '') cache.store([{ ...member(250), name: 'Older Name' }], findAsked); // answered while it pages
      return pager(after, check);
    };
    await cache.sync(paging, 2_000);
    expect(cache.byMemberId(member(250).id)?.name).toBe(member(250).name);
  });

  // probe-hostile20 H2: a first sync cut short (a kill, the backend gone) left the members a Find brought, and the
  // next start took them for a synced roster: Health said "ok", paid members were turned away as unknown cards.
  it('members a Find brought alone are not a synced roster, before a restart or after it; a sync\'s date survives a Find', async () => {
    const { dir, db, cache } = openCache();
    cache.store([member(1)], cache.stamp());
    expect(cache.syncedAt).toBeNull();
    expect(new RosterCache(db).syncedAt).toBeNull();
    await cache.sync(honest(10), 2_000);
    cache.store([{ ...member(3), name: 'Found Later' }], cache.stamp());
    const again = new RosterCache(db);
    expect(again.syncedAt).toBe(2_000);
    expect(again.byMemberId(member(3).id)?.name).toBe('Found Later');
    expect(dir).toBeTruthy();
  });

  it('lookups cannot grow the copy past the limit, and a copy past it from before loads only up to it', async () => {
    const { db } = openCache();
    const insert = db.prepare('INSERT INTO members (id, card_id, name, phone, status, expires_on, synced_at) VALUES (?, ?, ?, ?, ?, ?, 1)');
    db.transaction(() => {
      for (let n = 1; n <= ROSTER_LIMITS.maxMembers + 50; n++) {
        const m = member(n);
        insert.run(m.id, m.cardId, m.name, m.phone, m.status, m.expiresOn);
      }
    })();
    const again = new RosterCache(db);
    expect(again.size).toBe(ROSTER_LIMITS.maxMembers);
    again.store([member(9_000_000)], again.stamp());
    expect(again.size).toBe(ROSTER_LIMITS.maxMembers);
    expect(again.byMemberId(member(9_000_000).id)).toBeUndefined();
  });
});

/** Serves `first` for the first page, then `pager`'s answers, all through the check. */
function after0(pager: RosterPager, first: (after: string) => Replies['roster'], faults: string[]): RosterPager {
  return async (after, check) => (after === '' ? checked(first, faults)(after, check) : pager(after, check));
}

// readme24 R1: on a full disk every desk lookup said "the backend could not answer" while it answered: the copy's write threw.
describe('the roster cache on a disk that refuses writes', () => {
  it('takes a lookup\'s answer all the same, says so once, and writes it once the disk takes writes again', () => {
    const { db } = openCache();
    const said: string[] = [];
    const cache = new RosterCache(db, new QuietWrites((line) => said.push(line)));
    const write = db.transaction.bind(db);
    let full = true;
    db.transaction = ((fn: (...a: unknown[]) => unknown) => (full ? () => { throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }); } : write(fn))) as typeof db.transaction;
    expect(() => cache.store([member(1), member(2)], cache.stamp())).not.toThrow();
    expect(cache.search('Member 2').members.map((m) => m.id)).toEqual([member(2).id]);
    cache.store([member(3)], cache.stamp());
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^the roster copy's looked-up members could not be saved in console\.db: /);
    expect(rows(db)).toBe(0);
    full = false;
    cache.store([member(4)], cache.stamp());
    expect(rows(db)).toBe(4);
    expect(said[1]).toMatch(/saved in console\.db again \(2 writes failed meanwhile\)/);
  });
});
