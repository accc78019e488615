import { describe, expect, it } from 'vitest';
import { toCheckinEntry } from '../../src/main/core/feed';
import { LIMITS, type SequencedEvent } from '../../src/shared/protocol';
import { STAMP_AHEAD_MS, STAMP_FLOOR_MS } from '../../src/shared/backend-clock';

const at = Date.UTC(2026, 11, 5, 10);
const event = (scannedAt?: number, override?: { note: string; staff: string }): SequencedEvent => ({
  seq: 1,
  ts: at,
  body: { kind: 'checkin', cardId: '4000104729', member: { id: 'M1', name: 'Rosa Zhang', status: 'active' }, verdict: { allowed: true, reason: 'override' }, source: 'desk', occupancy: 1, ...(scannedAt !== undefined && { scannedAt }), ...(override && { override }) },
});

describe('a check-in event as the screens and analytics take it', () => {
  it('bounds the scan time as the backend does: never after it got it, never more than a day before', () => {
    expect(toCheckinEntry(event(at - 60 * 60_000))).toMatchObject({ ts: at - 60 * 60_000, arrivedAt: at });
    expect(toCheckinEntry(event(8.64e15))!.ts).toBe(at);
    expect(toCheckinEntry(event(0))).toMatchObject({ ts: at - LIMITS.maxScanAgeMs, arrivedAt: at });
    expect(toCheckinEntry(event())!.ts).toBe(at);
  });

  it('shows one that waited seconds at its scan, and says when it reached the backend only a minute or more on (the note has no seconds)', () => {
    for (const waited of [5_000, 40_000, 59_999]) {
      const entry = toCheckinEntry(event(at - waited))!;
      expect(entry.ts).toBe(at - waited);
      expect(entry).not.toHaveProperty('arrivedAt');
    }
    expect(toCheckinEntry(event(at - 60_000))).toMatchObject({ ts: at - 60_000, arrivedAt: at });
  });
});

describe("an override's note from the backend", () => {
  it('reaches the screens as one plain line: no control, direction or zero-width characters', async () => {
    const { SequencedEventSchema } = await import('../../src/shared/protocol');
    const raw = event(undefined, { note: 'paid\u0000 at\n the\u202E desk\u200B \u001b[31mnow', staff: 'desk\u0007' });
    const parsed = SequencedEventSchema.parse(JSON.parse(JSON.stringify(raw)));
    const note = toCheckinEntry(parsed)!.note!;
    expect([...note].filter((c) => /[\p{Cc}\u202a-\u202e\u200b]/u.test(c))).toEqual([]);
    expect(note).toMatch(/^paid at the desk/);
  });
});

// probe-hostile17 F5: one event stamped 5 years ahead (a backend clock glitch) set the "latest" every later row was judged by.
describe('a check-in whose backend stamp is past belief', () => {
  const stamped = (ts: number, scannedAt?: number): SequencedEvent => ({ ...event(scannedAt), ts });
  const received = at + 300;
  it('is taken as of when this PC received it, and keeps what the backend said', () => {
    const ahead = at + 5 * 365 * 86_400_000;
    expect(toCheckinEntry(stamped(ahead), undefined, received)).toMatchObject({ ts: received, clockSaid: ahead });
    expect(toCheckinEntry(stamped(0), undefined, received)).toMatchObject({ ts: received, clockSaid: 0 });
    // A scan time from the PC that took it is still the scan's, bounded by when this PC got it, not by 2031.
    expect(toCheckinEntry(stamped(ahead, at - 5_000), undefined, received)).toMatchObject({ ts: at - 5_000, clockSaid: ahead });
    expect(toCheckinEntry(stamped(ahead), undefined, received)).not.toHaveProperty('arrivedAt');
  });

  it('leaves a stamp within a day of this PC’s clock, or from a past that can be, as the backend sent it', () => {
    for (const ts of [received + STAMP_AHEAD_MS, received - 3 * 86_400_000, STAMP_FLOOR_MS]) {
      const entry = toCheckinEntry(stamped(ts), undefined, received)!;
      expect(entry.ts).toBe(ts);
      expect(entry).not.toHaveProperty('clockSaid');
    }
    expect(toCheckinEntry(stamped(received + STAMP_AHEAD_MS + 1), undefined, received)).toHaveProperty('clockSaid');
    expect(toCheckinEntry(stamped(STAMP_FLOOR_MS - 1), undefined, received)).toHaveProperty('clockSaid');
  });
});
