import { describe, expect, it } from 'vitest';
import { STATE_TEXT, stateWords, clearingWords, overWords, sinceWords } from '../../src/renderer/src/features/health/alert-words';
import { formatStamp, formatTime } from '../../src/renderer/src/format';
import type { AlertView } from '../../src/shared/health';

describe('a resolved alert card', () => {
  it('gives the trouble’s length as the resolved notice does, and says the end came after the keep-firing wait', () => {
    const since = Date.UTC(2026, 3, 12, 23, 30, 4);
    const a: AlertView = {
      id: 'backend', kind: 'backend', label: 'Backend connection', severity: 'critical', state: 'resolved', reason: 'x',
      since, firedAt: since + 10_000, clearedAt: since + 89_000, resolvedAt: since + 119_000, durationMs: 89_000,
      ackedBy: null, silencedUntil: null, inhibitedBy: null, ageMs: null,
    };
    // Was "lasted 1 min, resolved 11:32:03 PM": 2 min by its own times, and the notice said 1 min 29 s.
    expect(overWords(a)).toBe(`trouble lasted 1 min 29 s; closed at ${formatTime(since + 119_000)} after 30 s back to normal`);
  });

  // Seen on Health: a start's loss, acknowledged, read "trouble lasted 2 s; closed at … after 0 s back to normal".
  it('says a start’s loss was closed, never how long it lasted or that it is back to normal; a close with no wait names none', () => {
    const since = Date.UTC(2026, 3, 12, 23, 30, 4);
    const lost: AlertView = {
      id: 'lost:1', kind: 'lost', label: 'Check-ins from before this start', severity: 'critical', state: 'resolved', reason: 'x',
      since, firedAt: since, clearedAt: since + 2_000, resolvedAt: since + 2_000, durationMs: 2_000,
      ackedBy: 'IT', silencedUntil: null, inhibitedBy: null, ageMs: null,
    };
    expect(overWords(lost)).toBe(`closed at ${formatTime(since + 2_000)}`);
    expect(overWords({ ...lost, kind: 'disk', label: 'Disk space' })).toBe(`trouble lasted 2 s; closed at ${formatTime(since + 2_000)}`);
  });

  // Staff read "it counts as over once it stays so for the rule's keep-firing time" as developer talk.
  it('says an active alert back to normal closes after a short while, with no "keep-firing" or "firing"', () => {
    const w = clearingWords(Date.UTC(2026, 3, 12, 6, 31));
    expect(w).toMatch(/^Back to normal since .*; the alert closes if it stays normal for a short while\.$/);
    for (const text of [w, ...Object.values(STATE_TEXT)]) expect(text).not.toMatch(/keep-firing|firing|pending/i);
    expect(STATE_TEXT).toEqual({ pending: 'Starting: told if it lasts', firing: 'Active', resolved: 'Resolved' });
    // Part of another alert: never told itself (readme25 W9).
    expect(stateWords({ state: 'pending', inhibitedBy: 'Backend connection' })).toBe('Starting');
    expect(stateWords({ state: 'pending', inhibitedBy: null })).toBe('Starting: told if it lasts');
    // readme27 W7: "Active" beside a header saying all is OK, while it only waits to close.
    expect(stateWords({ state: 'firing', inhibitedBy: null, clearedAt: 1 })).toBe('Back to normal, closing');
    expect(stateWords({ state: 'firing', inhibitedBy: null, clearedAt: null })).toBe('Active');
  });
});

describe('an active alert card', () => {
  const since = new Date(2026, 5, 10, 10, 0, 24).getTime();
  const active = (ageMs: number | null): AlertView => ({
    id: 'backend', kind: 'backend', label: 'Backend connection', severity: 'critical', state: 'firing', reason: 'x',
    since, firedAt: since + 10_000, clearedAt: null, resolvedAt: null, durationMs: null, ackedBy: null, silencedUntil: null, inhibitedBy: null, ageMs,
  });

  // probe-time16b #2: the PC's clock set back 2 h past the start read "since 10:00:24 AM · -7138 s so far".
  it('says how long so far from the engine’s own count, not from a clock set back past the start', () => {
    const now = since - 7_138_000;
    expect(sinceWords(active(62_000), now)).toBe(`since ${formatTime(since)} · 1 min so far`);
    expect(sinceWords(active(62_000), now)).not.toMatch(/-/);
    // A view without the engine's count (an older host) still never reads negative.
    expect(sinceWords(active(null), now)).toBe(`since ${formatTime(since)} · 0 s so far`);
  });

  // After 3 days, "since 10:00:24 AM · 70 h 1 min so far" read as today's 10:00.
  it('gives the start’s date when it is not today', () => {
    const now = new Date(2026, 5, 13, 8, 1, 24).getTime();
    const w = sinceWords(active(now - since), now);
    expect(w).toBe(`since ${formatStamp(since, now)} · 70 h 1 min so far`);
    expect(w).not.toBe(`since ${formatTime(since)} · 70 h 1 min so far`);
    expect(sinceWords(active(60_000), since + 60_000)).toBe(`since ${formatTime(since)} · 1 min so far`);
  });
});
