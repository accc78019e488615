import { afterEach, describe, expect, it } from 'vitest';
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
import type { Member, MemberStatus, SequencedEvent } from '../../src/shared/protocol';
import { gymStores, type OpenedGym } from '../helpers/gym-stores';
import { FakeClock } from '../helpers/fake-clock';

// review27 V9: the verdict order (membership, a second entry, a full gym) and the override rule are written three
// times: the reference backend in memory, its Lua on Redis, and this PC's offline decision. One table for all three,
// so a change to one that the others lack fails here.
type Row = {
  status: MemberStatus | 'unknown';
  inside: boolean;
  full: boolean;
  override: boolean;
  backend: string;
  /** Where this PC's offline decision differs on purpose: its full count is an estimate, so staff may override it. */
  offline?: string;
};

const ROWS: Row[] = [
  { status: 'unknown', inside: false, full: false, override: false, backend: 'unknown-card' },
  { status: 'unknown', inside: false, full: true, override: true, backend: 'unknown-card' },
  { status: 'active', inside: false, full: false, override: false, backend: 'ok' },
  { status: 'expiring', inside: false, full: false, override: false, backend: 'expiring-soon' },
  { status: 'active', inside: true, full: false, override: false, backend: 'duplicate' },
  { status: 'active', inside: true, full: true, override: false, backend: 'duplicate' },
  { status: 'active', inside: false, full: true, override: false, backend: 'capacity-full' },
  { status: 'expiring', inside: false, full: true, override: false, backend: 'capacity-full' },
  { status: 'frozen', inside: false, full: true, override: false, backend: 'frozen' },
  { status: 'unpaid', inside: false, full: false, override: false, backend: 'unpaid' },
  { status: 'expired', inside: false, full: true, override: false, backend: 'expired' },
  // Staff override: past any denial but a full gym; one already inside adds nobody, so a full gym does not stop it.
  { status: 'active', inside: false, full: false, override: true, backend: 'ok' },
  { status: 'active', inside: true, full: false, override: true, backend: 'override' },
  { status: 'active', inside: true, full: true, override: true, backend: 'override' },
  { status: 'frozen', inside: false, full: false, override: true, backend: 'override' },
  { status: 'expired', inside: false, full: false, override: true, backend: 'override' },
  { status: 'frozen', inside: false, full: true, override: true, backend: 'capacity-full', offline: 'override' },
  { status: 'unpaid', inside: false, full: true, override: true, backend: 'capacity-full', offline: 'override' },
  { status: 'active', inside: false, full: true, override: true, backend: 'capacity-full', offline: 'override' },
];

const CAPACITY = 3;
const NOTE = { note: 'staff checked', staff: 'front desk' };
const name = (r: Row) => `${r.status}${r.inside ? ', inside' : ''}${r.full ? ', gym full' : ''}${r.override ? ', staff override' : ''}`;

describe.each(gymStores('verdict-order'))('the verdict order on the reference backend ($name store)', ({ skip, open }) => {
  let opened: OpenedGym | null = null;
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });

  it.skipIf(skip).each(ROWS.map((r) => [name(r), r] as const))('%s', async (_, row) => {
    opened = await open({ capacity: CAPACITY });
    const store = opened.store;
    const all = [...store.members];
    const others = all.filter((m) => m.status === 'active').slice(-CAPACITY);
    const m = row.status === 'unknown' ? undefined : all.find((x) => x.status === row.status && !others.includes(x))!;
    if (row.inside) await store.checkIn(m!.cardId, 'door', undefined, m!.status === 'active' || m!.status === 'expiring' ? {} : { override: NOTE });
    const fill = row.full ? CAPACITY - (row.inside ? 1 : 0) : 0;
    for (const o of others.slice(0, fill)) expect((await store.checkIn(o.cardId, 'door')).verdict.allowed).toBe(true);
    const r = await store.checkIn(m?.cardId ?? '999999999999', 'desk', undefined, row.override ? { override: NOTE } : {});
    expect(r.verdict.reason).toBe(row.backend);
  });
});

describe("the verdict order of this PC's own decision while the backend is away", () => {
  const member = (i: number, status: MemberStatus): Member => ({ id: `M${i}`, cardId: `40000000${i}`, name: `Member ${i}`, phone: '555', status, expiresOn: '2030-01-01' });

  it.each(ROWS.map((r) => [name(r), r] as const))('%s', async (_, row) => {
    const clock = new FakeClock();
    const pools = Object.assign(new EventEmitter(), { connectionView: () => ({ state: 'offline', cause: null }) }) as unknown as PoolManager;
    let n = 0;
    const outbox = Object.assign(new EventEmitter(), { enqueue: async () => ({ key: `k${++n}` }) }) as unknown as Outbox;
    const db = openConsoleDb(mkdtempSync(join(tmpdir(), 'gym-verdict-order-')));
    const cache = new RosterCache(db);
    const m = member(10, row.status === 'unknown' ? 'active' : row.status);
    const others = [1, 2, 3].map((i) => member(i, 'active'));
    cache.store(row.status === 'unknown' ? others : [m, ...others], clock.now());
    const inside = [...(row.inside ? [m] : []), ...others.slice(0, row.full ? CAPACITY - (row.inside ? 1 : 0) : 0)];
    const desk = new FrontDesk({
      pools, outbox, audit: { record: () => {} } as unknown as AuditLog, cache, db, clock, onConflict: () => {}, gymZone: () => 'UTC',
      lastOccupancy: () => ({ count: inside.length, capacity: CAPACITY, at: clock.now() - 1_000 }),
    });
    // The live feed showed them going in an hour before the backend went away.
    inside.forEach((x, i) => desk.seen({ seq: i + 1, ts: clock.now() - 3_600_000, body: { kind: 'checkin', cardId: x.cardId, member: { id: x.id, name: x.name, status: x.status }, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy: i + 1 } } as unknown as SequencedEvent));
    clock.advance(2_000);
    const r = await desk.checkin({ cardId: row.status === 'unknown' ? '999999999999' : m.cardId, source: 'desk', ...(row.override && { override: { note: NOTE.note } }) }, 'front desk');
    expect(r.offline).toBe(true);
    expect(r.verdict?.reason).toBe(row.offline ?? row.backend);
  });
});
