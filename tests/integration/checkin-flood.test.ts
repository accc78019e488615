import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { CheckinResult } from '../../src/shared/desk';
import { waitFor } from '../helpers/wait';

// probe-hostile18 F2: anyone with the page token is a kiosk screen, and desk.checkin had no rate limit. With the
// backend away, 4 connections of made-up cards filled the 50,000-message offline queue in ~17 s, and then every
// real member's scan was "NOT taken"; with the backend up, one connection pushed ~660 made-up check-ins a second.

let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
  vi.restoreAllMocks();
});

// Many fresh connections, as a program reconnecting over and over: each new screen has 3 scans at once.
const FLOODERS = 40;
const EACH = 40;

describe('a flood of check-ins from token-only connections', () => {
  it('is refused in words, keeps the offline queue small, says so to IT once, and a member at a kiosk is let in meanwhile', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-flood-')), demoRatePerHour: 0 });
    const c = core;
    const members = [...c.demo!.cluster.gym.members].filter((m) => m.status === 'active');
    await waitFor(() => c.desk.cache.size >= members.length, 15_000);
    await Promise.all(c.demo!.cluster.instances.map((i) => i.kill()));
    await waitFor(() => c.pools.connectionView().state === 'offline', 10_000);

    // 40 kiosk connections, every call in flight at once, each a made-up card; a member scans at a kiosk station meanwhile.
    const wave = (tag: number) =>
      Promise.all(
        Array.from({ length: FLOODERS }, (_, f) => {
          const kiosk = { transport: 'test' as const, session: new Session('kiosk') };
          return Promise.all(Array.from({ length: EACH }, (_, i) => dispatch(c.handlers, 'desk.checkin', { cardId: `9${tag}${String(f).padStart(2, '0')}${String(i).padStart(6, '0')}`, source: 'kiosk' }, kiosk)));
        }),
      ).then((r) => r.flat());
    const flood = await wave(1);
    const refused = flood.filter((r) => !r.ok);
    // A new screen scans 3 at once, and made-up cards from all kiosk screens together 60 (plus what refills meanwhile).
    expect(flood.length - refused.length).toBeLessThanOrEqual(70);
    expect(refused.length).toBeGreaterThanOrEqual(FLOODERS * EACH - 70);
    for (const r of refused) expect(r.ok ? null : r.error.code).toBe('too-many-scans');
    const words = new Set(refused.map((r) => (r.ok ? '' : r.error.message)));
    expect([...words].sort()).toEqual([
      'Too many scans at once from this station: this check-in was NOT taken. Wait a moment and scan again.',
      "Too many scans of unknown cards across this console's stations: this check-in was NOT taken. Wait a moment and scan again.",
    ]);
    expect(c.outbox.view().queued).toBeLessThanOrEqual(70);
    // IT is told once, not once per refused scan.
    const lines = warn.mock.calls.map((a) => String(a[0])).filter((l) => l.startsWith('check-ins refused'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^check-ins refused: a kiosk screen \(anyone with the page address can open one\) \(screen-\d+\) asked for check-ins faster than anyone scans cards; they were not taken or sent\./);

    // The front desk, signed in with its PIN, checks a real member in during the flood (decided on this PC).
    const desk = { transport: 'test' as const, session: new Session('desk') };
    const real = await dispatch(c.handlers, 'desk.checkin', { cardId: members[0]!.cardId, source: 'desk' }, desk);
    expect(real).toMatchObject({ ok: true, value: { offline: true, verdict: { allowed: true } } });
    // A member at a new kiosk station, in the middle of a second flood, is let in: the console's ceiling is for cards its roster copy lacks.
    const station = { transport: 'test' as const, session: new Session('kiosk') };
    const [again, atKiosk] = await Promise.all([wave(2), dispatch(c.handlers, 'desk.checkin', { cardId: members[1]!.cardId, source: 'kiosk' }, station)]);
    expect(again.filter((r) => !r.ok && r.error.message.startsWith('Too many scans of unknown cards')).length).toBeGreaterThan(100);
    expect((atKiosk as { value?: CheckinResult }).value).toMatchObject({ verdict: { allowed: true } });
    expect(c.outbox.view().queued).toBeLessThanOrEqual(150);
  }, 60_000);
});
