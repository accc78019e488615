import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrontDesk } from '../../src/main/core/desk/front-desk';
import { REPEAT_MS } from '../../src/main/core/desk/recent-admissions';
import { RosterCache } from '../../src/main/core/desk/roster-cache';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import type { PoolManager } from '../../src/main/core/pool/manager';
import type { Outbox } from '../../src/main/core/delivery/outbox';
import type { AuditLog } from '../../src/main/core/store/audit-log';
import type { Member, Replies, Verdict } from '../../src/shared/protocol';
import { FakeClock } from '../helpers/fake-clock';

// probe-staff13 N5: Zoe scanned again 3.4 s after her green "Allowed" (the turnstile did not turn): the
// 2 s bounce had passed, so the scan went to the backend, the kiosk turned her red "Already checked in ·
// Please see the front desk", and a "Denied: already checked in" row went on the desk's list and export.

const ZOE: Member = { id: 'M00007', cardId: '4000837832', name: 'Zoe Park', phone: '555-0107', status: 'active', expiresOn: '2030-01-01' };
const OLGA: Member = { id: 'M00008', cardId: '4005445908', name: 'Olga Berg', phone: '555-0108', status: 'active', expiresOn: '2030-01-01' };

/** A desk and a kiosk on one console, its backend one that lets a card in once and then says "duplicate". */
function rig(offline = false) {
  const clock = new FakeClock();
  const sent: { cardId: string; source: string; override?: unknown }[] = [];
  const inside = new Set<string>();
  const members = new Map([ZOE, OLGA].map((m) => [m.cardId, m]));
  const pools = Object.assign(new EventEmitter(), { connectionView: () => ({ state: offline ? 'offline' : 'connected', cause: null }) }) as unknown as PoolManager;
  let n = 0;
  const outbox = Object.assign(new EventEmitter(), {
    enqueue: async (_lane: string, _op: string, body: { cardId: string; source: string; override?: unknown }, opts?: { onReply?: (r: unknown) => void }) => {
      sent.push(body);
      const member = members.get(body.cardId) ?? null;
      const verdict: Verdict = !member ? { allowed: false, reason: 'unknown-card' } : inside.has(body.cardId) && !body.override ? { allowed: false, reason: 'duplicate' } : { allowed: true, reason: body.override ? 'override' : 'ok' };
      if (verdict.allowed) inside.add(body.cardId);
      const reply: Replies['checkin'] = { verdict, member, occupancy: inside.size, seq: ++n };
      if (!offline) queueMicrotask(() => opts?.onReply?.(reply));
      return { key: `k${n}` };
    },
  }) as unknown as Outbox;
  const db = openConsoleDb(mkdtempSync(join(tmpdir(), 'gym-repeat-scan-')));
  const cache = new RosterCache(db);
  cache.store([ZOE, OLGA], clock.now());
  const desk = new FrontDesk({ pools, outbox, audit: { record: () => {} } as unknown as AuditLog, cache, db, clock, onConflict: () => {}, gymZone: () => 'UTC' });
  const scan = (m: Member, source: 'desk' | 'kiosk' = 'kiosk') => desk.checkin({ cardId: m.cardId, source }, source === 'kiosk' ? 'kiosk' : 'front desk');
  return { clock, desk, sent, scan, outbox };
}

describe('the same card again at the station that just let it in', () => {
  it('is the same visit: "already in" with whom and when, nothing sent, no denial logged', async () => {
    const r = rig();
    const first = await r.scan(ZOE);
    expect(first).toMatchObject({ ignored: null, verdict: { allowed: true, reason: 'ok' } });
    const letIn = r.clock.now();
    r.clock.advance(3_400); // past the 2 s bounce, while her own 4 s verdict is still up
    expect(await r.scan(ZOE)).toEqual({ ignored: 'repeat', verdict: null, member: { id: ZOE.id, cardId: ZOE.cardId, name: ZOE.name, status: 'active', expiresOn: ZOE.expiresOn }, insideSince: letIn, offline: false, occupancy: null, today: '2023-11-14' });
    r.clock.advance(REPEAT_MS - 3_400 - 1); // a walk back to the reader, still the same visit
    expect(await r.scan(ZOE)).toMatchObject({ ignored: 'repeat', insideSince: letIn });
    expect(r.sent).toHaveLength(1); // the backend heard of one check-in: no "already checked in" row anywhere
  });

  it('goes to the backend once the window is over, and from another station at any time (a card passed on)', async () => {
    const r = rig();
    await r.scan(ZOE);
    r.clock.advance(2_500);
    // Handed to a friend at the desk: the desk's station did not let it in, so the backend judges it.
    expect(await r.scan(ZOE, 'desk')).toMatchObject({ ignored: null, verdict: { allowed: false, reason: 'duplicate' } });
    r.clock.advance(REPEAT_MS);
    expect(await r.scan(ZOE)).toMatchObject({ ignored: null, verdict: { allowed: false, reason: 'duplicate' } });
    expect(r.sent.map((s) => s.source)).toEqual(['kiosk', 'desk', 'kiosk']);
  });

  it('a denial is no admission: the member scanning again is sent again; an override is always sent', async () => {
    const r = rig();
    await r.scan(ZOE, 'desk');
    r.clock.advance(2_500);
    // At the desk, past the bounce: a stray second press is the same visit too.
    expect(await r.scan(ZOE, 'desk')).toMatchObject({ ignored: 'repeat' });
    expect(await r.desk.checkin({ cardId: ZOE.cardId, source: 'desk', override: { note: 'second visit' } }, 'front desk')).toMatchObject({ ignored: null, verdict: { allowed: true, reason: 'override' } });
    // Then at the kiosk, which did not let the card in: turned away, and each try after is judged again.
    r.clock.advance(2_500);
    expect(await r.scan(ZOE)).toMatchObject({ ignored: null, verdict: { allowed: false, reason: 'duplicate' } });
    r.clock.advance(2_500);
    expect(await r.scan(ZOE)).toMatchObject({ ignored: null, verdict: { allowed: false, reason: 'duplicate' } });
    expect(r.sent).toHaveLength(4);
  });

  it('a verdict time longer than the window stretches it: a member still reading their verdict is never turned away', async () => {
    const r = rig();
    r.desk.settings = { ...r.desk.settings, verdictSeconds: 30 };
    await r.scan(OLGA);
    r.clock.advance(29_999);
    expect(await r.scan(OLGA)).toMatchObject({ ignored: 'repeat' });
  });

  it('offline too: a card this kiosk let in from the roster copy is told "already in", not queued as a denial', async () => {
    const r = rig(true);
    expect(await r.scan(OLGA)).toMatchObject({ offline: true, verdict: { allowed: true } });
    r.clock.advance(5_000);
    // Said as what it is: a repeat of this PC's own decision, the backend not yet heard.
    expect(await r.scan(OLGA)).toMatchObject({ ignored: 'repeat', member: { name: OLGA.name }, offline: true });
    expect(r.sent).toHaveLength(1);
  });

  it('an offline admission the backend then overrules is no visit to repeat: the next scan asks the backend (probe-hostile13b K1)', async () => {
    const r = rig(true);
    expect(await r.scan(OLGA)).toMatchObject({ offline: true, verdict: { allowed: true } });
    // Back online, the backend answers the queued check-in: membership expired meanwhile.
    r.outbox.emit('reply', 'k1', 'checkin', { verdict: { allowed: false, reason: 'expired' } });
    r.clock.advance(5_000);
    const again = await r.scan(OLGA);
    expect(again.ignored).toBeNull();
    expect(r.sent).toHaveLength(2);
  });
});
