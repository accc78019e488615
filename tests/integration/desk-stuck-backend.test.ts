import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { CheckinResult } from '../../src/shared/desk';
import { startHostileBackend, type HostileBackend } from '../helpers/hostile-backend';
import { waitFor } from '../helpers/wait';

/** A backend that answers pings but never a request (a stuck database): a scan still gets its verdict in the promised time. */

let hb: HostileBackend | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  await hb?.close();
  hb = core = null;
});

describe('a scan at a backend that takes requests and never answers', () => {
  it.each([1, 2])('a typed code the roster copy does not know is decided on this PC within the wait (%i instances)', async (instances) => {
    hb = await startHostileBackend({ instances });
    core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-stuck-')), backend: { endpoints: hb.urls, token: hb.token } });
    const c = core;
    await waitFor(() => c.pools.connectionView().state === 'connected', 10_000);
    for (let i = 0; i < instances; i++) hb.setAttack(i, 'silent-requests');
    const started = Date.now();
    const r = await dispatch(c.handlers, 'desk.checkin', { cardId: 'GUEST42X', source: 'kiosk' }, { transport: 'test', session: new Session('kiosk') });
    // The lookup of a code with letters and the verdict share the 1.5 s wait (was 6.6 s with one instance, 178 s with two).
    expect(Date.now() - started).toBeLessThan(4_000); // 1.5 s and a busy machine's margin
    expect(r).toMatchObject({ ok: true, value: { offline: true } });
    expect((r as { value: CheckinResult }).value.verdict).not.toBeNull();
  }, 30_000);
});
