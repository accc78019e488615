import { expect, it } from 'vitest';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import { hostileCore } from '../helpers/hostile-core';
import { waitFor } from '../helpers/wait';

// A door release the backend refused is a dead letter a manager can read, but never sent again from there:
// a retry would open the door whenever it was pressed, long after whoever stood at it had gone.

it('a refused door release waits in Dead letters and cannot be retried from there; a refused staff note can', async () => {
  const { hb, core: c } = await hostileCore({ instances: 1, dataDirPrefix: 'gym-door-refused-' });
  await waitFor(() => c.pools.connectionView().state === 'connected', 10_000);
  hb.refuseActions('forbidden');
  const desk = { transport: 'test' as const, session: new Session('desk') };
  const manager = { transport: 'test' as const, session: new Session('manager') };
  expect(await dispatch(c.handlers, 'door.release', { door: 'front' }, desk)).toMatchObject({ ok: true });
  expect(await dispatch(c.handlers, 'outbox.send', { lane: 'realtime', kind: 'staff.note', data: 'towels' }, desk)).toMatchObject({ ok: true });
  const letters = (await waitFor(() => (c.outbox.deadLetters().length === 2 ? c.outbox.deadLetters() : null), 10_000))!;
  const door = letters.find((d) => d.body.includes('door.open'))!;
  const note = letters.find((d) => d.body.includes('staff.note'))!;
  expect(door.reason).toMatch(/refused/);
  hb.refuseActions(null);
  expect(await dispatch(c.handlers, 'outbox.retry', { key: door.key }, manager)).toMatchObject({ ok: false, error: { code: 'door-release-not-retried' } });
  expect(await dispatch(c.handlers, 'outbox.retry', { key: note.key }, manager)).toMatchObject({ ok: true });
  expect(c.outbox.deadLetters().map((d) => d.key)).toEqual([door.key]);
}, 30_000);
