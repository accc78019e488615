import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { LOOKUP_WITHIN_MS } from '../../src/main/core/desk/front-desk';
import type { Member } from '../../src/shared/protocol';
import type { WireMember } from '../helpers/hostile-backend';
import { hostileCore } from '../helpers/hostile-core';
import { waitFor } from '../helpers/wait';

// A Find waited for the request's whole time limit and its retries when the backend took requests and did not answer:
// the desk stared at the last list for 10 s and more, though the roster copy on this PC could answer at once.

const MEMBERS: WireMember[] = [1, 2, 3].map((n) => ({ id: `M0000${n}`, cardId: `400000002${n}`, name: `Dana ${n}`, phone: '555-0100', status: 'active', expiresOn: '2030-01-01' }));

describe('a Find while the backend takes requests and does not answer them', () => {
  it('answers from the roster copy within its wait, and says the backend could not answer', async () => {
    const { hb, core: c } = await hostileCore({ instances: 1, members: MEMBERS, dataDirPrefix: 'gym-lookup-late-' });
    await waitFor(() => c.pools.connectionView().state === 'connected' && c.desk.cache.size === MEMBERS.length, 10_000);
    hb.setAttack(0, 'silent-requests'); // every request taken, none answered; pings still are
    const asked = Date.now();
    const r = await dispatch(c.handlers, 'desk.lookup', { query: 'Dana' }, { transport: 'test', session: new Session('desk') });
    const took = Date.now() - asked;
    expect(r).toMatchObject({ ok: true, value: { source: 'cache' } });
    expect((r as { ok: true; value: { members: Member[] } }).value.members.map((m) => m.id).sort()).toEqual(MEMBERS.map((m) => m.id));
    // Its own wait and a loaded machine's slack, well short of the request's 5 s limit and its retries.
    expect(took).toBeLessThan(LOOKUP_WITHIN_MS + 1_500);
  }, 30_000);
});
