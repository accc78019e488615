import { expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { EventFeed } from '../../src/main/core/pool/event-feed';
import type { PooledSocket } from '../../src/main/core/pool/socket';
import type { SequencedEvent } from '../../src/shared/protocol';
import { FakeClock } from '../helpers/fake-clock';

// probe-hostile14b C1: events replayed after the link came back carry the times they were recorded, minutes ago;
// read as clock readings, Health told staff "This PC's clock is 473 s ahead… Set the PC's time". The feed says
// which events are replays (at or below a `subbed`'s head), so only live ones are read as the backend's clock.
function fakeSocket() {
  const conn = Object.assign(new EventEmitter(), {
    subs: [] as number[],
    subscribe(after: number) {
      this.subs.push(after);
    },
    unsubscribe() {},
    close() {},
    request: () => Promise.resolve({ head: 0, occupancy: 0, capacity: 0, recent: [] }),
  });
  return { endpoint: 'ws://a', conn, open: true, draining: false, routable: true, score: 100, subscribed: false } as unknown as PooledSocket & { conn: typeof conn };
}
const event = (seq: number): SequencedEvent => ({ seq, ts: 0, body: { kind: 'checkout', memberId: 'M1', name: 'n', auto: false, occupancy: 0 } });

it('events a replay brings are flagged as replayed; those after its head, live', async () => {
  const sock = fakeSocket();
  const feed = new EventFeed(() => [sock], new FakeClock(), 1);
  const seen: [number, boolean][] = [];
  feed.on('event', (e, replayed) => seen.push([e.seq, replayed]));
  feed.attach(sock);
  await new Promise((r) => setImmediate(r));
  sock.conn.emit('subbed', { head: 0, gap: false });
  sock.conn.emit('event', event(1), 100);
  // The link drops and comes back: the replay names head 4, so 2–4 were missed, then 5 happens live.
  sock.conn.emit('pong', { ts: 0, head: 4 });
  sock.conn.emit('subbed', { head: 4, gap: false });
  for (const seq of [2, 3, 4, 5]) sock.conn.emit('event', event(seq), 100);
  expect(seen).toEqual([
    [1, false],
    [2, true],
    [3, true],
    [4, true],
    [5, false],
  ]);
});
