import { describe, expect, it } from 'vitest';
import { STATE_TEXT, clearingWords, overWords } from '../../src/renderer/src/features/health/alert-words';
import { formatTime } from '../../src/renderer/src/format';
import type { AlertView } from '../../src/shared/health';

describe('a resolved alert card', () => {
  it('gives the trouble’s length as the resolved notice does, and says the end came after the keep-firing wait', () => {
    const since = Date.UTC(2026, 3, 12, 23, 30, 4);
    const a: AlertView = {
      id: 'backend', kind: 'backend', label: 'Backend connection', severity: 'critical', state: 'resolved', reason: 'x',
      since, firedAt: since + 10_000, clearedAt: since + 89_000, resolvedAt: since + 119_000, durationMs: 89_000,
      ackedBy: null, silencedUntil: null, inhibitedBy: null,
    };
    // Was "lasted 1 min, resolved 11:32:03 PM": 2 min by its own times, and the notice said 1 min 29 s.
    expect(overWords(a)).toBe(`trouble lasted 1 min 29 s; closed at ${formatTime(since + 119_000)} after 30 s back to normal`);
  });

  // Staff read "it counts as over once it stays so for the rule's keep-firing time" as developer talk.
  it('says an active alert back to normal closes after a short while, with no "keep-firing" or "firing"', () => {
    const w = clearingWords(Date.UTC(2026, 3, 12, 6, 31));
    expect(w).toMatch(/^Back to normal since .*; the alert closes if it stays normal for a short while\.$/);
    for (const text of [w, ...Object.values(STATE_TEXT)]) expect(text).not.toMatch(/keep-firing|firing|pending/i);
    expect(STATE_TEXT).toEqual({ pending: 'Starting: told if it lasts', firing: 'Active', resolved: 'Resolved' });
  });
});
