import { describe, expect, it } from 'vitest';
import { OwnEvents } from '../../src/main/core/desk/own-events';
import type { Presence } from '../../src/main/core/desk/presence';
import type { SequencedEvent } from '../../src/shared/protocol';

// probe-hostile13b L1: the live event of a check-in still waiting on its late reply is that check-in's own, not
// proof that the member was already inside; every other event reaches presence as it comes.
const checkin = (seq: number, cardId: string, source: 'door' | 'desk' | 'kiosk' = 'kiosk'): SequencedEvent => ({
  seq,
  ts: 1_000 + seq,
  body: { kind: 'checkin', cardId, member: { id: `M${cardId}`, name: 'A Member', status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source, occupancy: 1 },
});

function rig() {
  const counted: number[] = [];
  const own = new OwnEvents({ seen: (e: SequencedEvent) => counted.push(e.seq) } as unknown as Presence);
  return { own, counted };
}

describe('events of check-ins still waiting at this desk', () => {
  it('its own event (the first for its card and station after it was sent) waits, replayed or not, and counts once decided', () => {
    const { own, counted } = rig();
    own.seen(checkin(1, '42')); // before the scan: a visit already under way
    const p = own.watch('42', 'kiosk');
    own.seen(checkin(2, '42', 'door')); // at the door meanwhile: not this check-in
    own.seen(checkin(3, '77')); // another card
    own.seen(checkin(4, '42'));
    own.seen(checkin(4, '42')); // replayed by a resync
    expect(p.event?.seq).toBe(4);
    expect(counted).toEqual([1, 2, 3]);
    own.done(p);
    expect(counted).toEqual([1, 2, 3, 4]);
  });

  it('an old event replayed at a resync is no check-in sent since; a log that started over is numbered anew', () => {
    const { own, counted } = rig();
    own.seen(checkin(50, '9'));
    const p = own.watch('42', 'desk');
    own.resync(50);
    own.seen(checkin(49, '42', 'desk'));
    expect(p.event).toBeNull();
    own.resync(3); // the backend's log started over
    own.seen(checkin(4, '42', 'desk'));
    expect(p.event?.seq).toBe(4);
    expect(counted).toEqual([50, 49]);
  });
});

describe('events that name their request', () => {
  it('are matched by that id, so the same card checked in elsewhere at the same moment is not taken for this one', () => {
    const { own, counted } = rig();
    const p = own.watch('42', 'kiosk');
    p.key = 'mine';
    own.seen({ ...checkin(5, '42'), body: { ...checkin(5, '42').body, requestId: 'another-console' } } as SequencedEvent);
    expect(p.event).toBeNull();
    expect(counted).toEqual([5]); // a real visit under way: presence knows it
    own.seen({ ...checkin(6, '42'), body: { ...checkin(6, '42').body, requestId: 'mine' } } as SequencedEvent);
    expect(p.event?.seq).toBe(6);
    own.done(p);
    expect(counted).toEqual([5, 6]);
  });
});

it('an event naming this request but another card or station is not its own (a backend that mislabels ids: probe-hostile14b R1)', () => {
  const { own, counted } = rig();
  const p = own.watch('42', 'kiosk');
  p.key = 'mine';
  own.seen({ ...checkin(7, '77'), body: { ...checkin(7, '77').body, requestId: 'mine' } } as SequencedEvent);
  own.seen({ ...checkin(8, '42', 'door'), body: { ...checkin(8, '42', 'door').body, requestId: 'mine' } } as SequencedEvent);
  expect(p.event).toBeNull();
  expect(counted).toEqual([7, 8]);
});
