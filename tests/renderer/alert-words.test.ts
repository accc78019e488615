import { describe, expect, it } from 'vitest';
import { overWords } from '../../src/renderer/src/features/health/alert-words';
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
    expect(overWords(a)).toBe(`trouble lasted 1 min 29 s; over at ${formatTime(since + 119_000)} after 30 s clear`);
  });
});
