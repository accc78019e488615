import type { CheckKind, CheckResult } from '../../../shared/health';

/**
 * How long a check's new status must hold before it is shown, for checks judged from readings that
 * waver about a line. Backend speed blames the gym's system or the console by the console's own delay
 * (200 ms), which on a busy console crosses that line every other second: it switched 5 times in 7 s.
 */
export const SETTLE_MS: Partial<Record<CheckKind, number>> = { speed: 10_000 };

interface Shown {
  result: CheckResult;
  /** A different status seen since `since` (monotonic) in every reading: shown once it has held SETTLE_MS. */
  pending: { status: CheckResult['status']; since: number } | null;
}

/**
 * Holds each settling check at its shown status until a new one has held for its time; a reading
 * that goes back to the shown status starts the wait over. Leaving "unknown" is at once: it is no verdict.
 */
export class StatusSettler {
  private readonly shown = new Map<string, Shown>();

  settle(results: CheckResult[], mono: number): CheckResult[] {
    for (const id of [...this.shown.keys()]) if (!results.some((r) => r.id === id)) this.shown.delete(id);
    return results.map((r) => {
      const hold = SETTLE_MS[r.kind];
      if (hold === undefined) return r;
      const s = this.shown.get(r.id);
      if (!s || s.result.status === r.status || s.result.status === 'unknown') {
        this.shown.set(r.id, { result: r, pending: null });
        return r;
      }
      if (s.pending?.status !== r.status) s.pending = { status: r.status, since: mono };
      if (mono - s.pending.since < hold) return s.result;
      this.shown.set(r.id, { result: r, pending: null });
      return r;
    });
  }
}
