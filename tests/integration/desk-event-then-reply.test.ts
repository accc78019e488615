import { describe, expect, it } from 'vitest';
import type { CheckinResult } from '../../src/shared/desk';
import type { WireMember } from '../helpers/hostile-backend';
import { deskCheckin, hostileCore } from '../helpers/hostile-core';
import { waitFor } from '../helpers/wait';

// probe-hostile15 R3: a backend event naming the desk's request (same card and station) said "denied: frozen", the
// desk showed that at once, and the reply a moment later said "allowed": nothing on the desk changed, while presence
// and occupancy took the member as inside. The reply is the backend's answer to this check-in: the desk follows it,
// as it follows a reply that overrules a verdict this PC decided itself.

const MEMBERS: WireMember[] = [{ id: 'M00032', cardId: '4000100032', name: 'Member Thirtytwo', phone: '555-0100', status: 'active', expiresOn: '2030-01-01' }];

describe('a check-in shown from its live event, then answered otherwise by its reply', () => {
  it('the desk follows the reply: the answer names the member and the verdict, and the event log says what changed', async () => {
    const { hb, core: c } = await hostileCore({ instances: 1, members: MEMBERS, dataDirPrefix: 'gym-event-then-reply-' });
    await waitFor(() => c.pools.connectionView().state === 'connected' && c.desk.cache.size === 1 && hb.subs > 0, 10_000);
    hb.stealIds(true);
    hb.lateCheckins(800);
    const r = await deskCheckin(c, '4000100032');
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
