import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { CheckinResult } from '../../src/shared/desk';
import { startHostileBackend, type HostileBackend, type WireMember } from '../helpers/hostile-backend';
import { waitFor } from '../helpers/wait';

// probe-hostile15 R3: a backend event naming the desk's request (same card and station) said "denied: frozen", the
// desk showed that at once, and the reply a moment later said "allowed": nothing on the desk changed, while presence
// and occupancy took the member as inside. The reply is the backend's answer to this check-in: the desk follows it,
// as it follows a reply that overrules a verdict this PC decided itself.

const MEMBERS: WireMember[] = [{ id: 'M00032', cardId: '4000100032', name: 'Member Thirtytwo', phone: '555-0100', status: 'active', expiresOn: '2030-01-01' }];

let hb: HostileBackend | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  await hb?.close();
  hb = core = null;
});

describe('a check-in shown from its live event, then answered otherwise by its reply', () => {
  it('the desk follows the reply: the answer names the member and the verdict, and the event log says what changed', async () => {
    hb = await startHostileBackend({ instances: 1, members: MEMBERS });
    core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-event-then-reply-')), backend: { endpoints: hb.urls, token: hb.token } });
    const c = core;
    await waitFor(() => c.pools.connectionView().state === 'connected' && c.desk.cache.size === 1 && hb!.subs > 0, 10_000);
    hb.stealIds(true);
    hb.lateCheckins(800);
    const r = await dispatch(c.handlers, 'desk.checkin', { cardId: '4000100032', source: 'desk' }, { transport: 'test', session: new Session('desk') });
    const shown = (r as { ok: true; value: CheckinResult }).value;
    // Shown at once from the event, as before: the backend's word, not this PC's.
    expect(shown).toMatchObject({ offline: false, verdict: { allowed: false, reason: 'frozen' } });
    expect(shown.key).toEqual(expect.any(String));
    const answer = await waitFor(() => c.desk.answered.find((a) => a.key === shown.key), 5_000);
    expect(answer).toMatchObject({ decided: { allowed: false, reason: 'frozen' }, verdict: { allowed: true, reason: 'ok' }, fromEvent: true, member: { id: 'M00032', name: 'Member Thirtytwo' } });
    expect(c.stream.snapshot().gauges.answeredCheckins.map((a) => a.key)).toContain(shown.key);
    const told = await waitFor(() => c.stream.snapshot().feeds.activity.find((a) => a.type === 'reconcile-conflict'), 5_000);
    expect(told!.detail).toBe(
      "Member Thirtytwo (card 4000100032): first shown as turned away (membership frozen) from the gym's system's live events; its answer to this check-in let them in after all and counts them inside, and that answer counts. Check with the member.",
    );
  });
});
