import type { SequencedEvent } from '../../shared/protocol';
import type { CheckinEntry } from '../../shared/state';

/** A backend check-in event as the front desk reads it; null for events that are not check-ins. */
export function toCheckinEntry(e: SequencedEvent): CheckinEntry | null {
  const b = e.body;
  if (b.kind !== 'checkin') return null;
  return {
    seq: e.seq,
    ts: e.ts,
    cardId: b.cardId,
    memberId: b.member?.id ?? null,
    name: b.member?.name ?? null,
    status: b.member?.status ?? null,
    allowed: b.verdict.allowed,
    reason: b.verdict.reason,
    source: b.source,
  };
}
