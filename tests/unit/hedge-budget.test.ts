import { describe, expect, it } from 'vitest';
import { RoutedRequest, type RequestRoute } from '../../src/main/core/pool/routed-request';
import type { RequestCallbacks } from '../../src/main/core/pool/connection';
import type { PooledSocket } from '../../src/main/core/pool/socket';
import { FakeClock } from '../helpers/fake-clock';

describe('the hedge budget', () => {
  it('gets back every hedge a request took, however many: a leak would end hedging for good', async () => {
    const clock = new FakeClock();
    const calls: RequestCallbacks[] = [];
    const elsewhere: string[] = [];
    const sock = (n: number) =>
      ({ endpoint: `ws://${n}`, routed: 0, open: true, conn: { requestJson: (...a: unknown[]) => calls.push(a[4] as RequestCallbacks), settledElsewhere: (id: string) => elsewhere.push(`${n}:${id}`) } }) as unknown as PooledSocket;
    const socks = [sock(1), sock(2), sock(3)];
    let taken = 0;
    let given = 0;
    const route: RequestRoute = {
      clock,
      requestTimeoutMs: 10_000,
      pick: (exclude) => socks.find((s) => !exclude.has(s)),
      hedgeMs: () => 150,
      takeHedge: () => (taken++, true),
      finished: (hedges) => (given += hedges),
      outcome: () => {},
      changed: () => {},
    };
    const done = new Promise((resolve, reject) => new RoutedRequest(route, 'action', { kind: 'sync', data: 'x' }, 'id1', resolve, reject).attempt());
    const turn = () => new Promise((r) => setImmediate(r));
    clock.advance(150); // the first socket is silent: hedged to the second (after the loop's next read)
    await turn();
    clock.advance(150); // so is the second: hedged to the third
    await turn();
    expect(calls).toHaveLength(3);
    calls[2]!.resolve({ applied: true });
    await done;
    expect([taken, given]).toEqual([2, 2]);
    // The copies on the first two sockets are owed there no more (review20b M2); the third's answer is already taken off.
    expect(elsewhere.sort()).toEqual(['1:id1', '2:id1', '3:id1']);
  });

  it('is not taken for an ack that was already readable when the hedge timer ran: the loop reads it first (a console busy with a burst)', async () => {
    const clock = new FakeClock();
    const calls: RequestCallbacks[] = [];
    const elsewhere: string[] = [];
    const sock = (n: number) =>
      ({ endpoint: `ws://${n}`, routed: 0, open: true, conn: { requestJson: (...a: unknown[]) => calls.push(a[4] as RequestCallbacks), settledElsewhere: (id: string) => elsewhere.push(`${n}:${id}`) } }) as unknown as PooledSocket;
    const socks = [sock(1), sock(2)];
    const route: RequestRoute = {
      clock,
      requestTimeoutMs: 10_000,
      pick: (exclude) => socks.find((s) => !exclude.has(s)),
      hedgeMs: () => 150,
      takeHedge: () => true,
      finished: () => {},
      outcome: () => {},
      changed: () => {},
    };
    const done = new Promise((resolve, reject) => new RoutedRequest(route, 'checkin', { cardId: '4000000001', source: 'desk' }, 'id1', resolve, reject).attempt());
    clock.advance(150); // the timer runs first in its turn; the ack waiting in the socket is read in the same turn
    calls[0]!.onAck?.();
    await new Promise((r) => setImmediate(r));
    expect(calls).toHaveLength(1);
    calls[0]!.resolve({ verdict: { allowed: true, reason: 'ok' } });
    await done;
  });
});
