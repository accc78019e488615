import { describe, expect, it } from 'vitest';
import { alertLine } from '../../src/main/core/diagnostics';
import type { AlertView } from '../../src/shared/health';

const alert = (over: Partial<AlertView>): AlertView => ({
  id: 'backend',
  kind: 'backend',
  label: 'Backend connection',
  severity: 'critical',
  state: 'firing',
  reason: "The backend refused the console's token.",
  since: Date.UTC(2026, 11, 6, 17, 0),
  firedAt: Date.UTC(2026, 11, 6, 17, 0, 30),
  clearedAt: null,
  resolvedAt: null,
  durationMs: null,
  ackedBy: null,
  silencedUntil: null,
  inhibitedBy: null,
  ageMs: 60_000,
  ...over,
});

// readme21 R12: a paste taken just after the token was fixed said "health: ok" and, two lines on, "alert backend
// firing: … refused the console's token", as if the trouble went on.
describe('an alert in Copy diagnostics', () => {
  it('says firing while the trouble lasts, and back to normal (closing) once it has ended', () => {
    expect(alertLine(alert({}))).toBe("  alert backend firing: The backend refused the console's token.");
    expect(alertLine(alert({ clearedAt: Date.UTC(2026, 11, 6, 17, 2) }))).toBe("  alert backend back to normal since 2026-12-06T17:02:00.000Z, closing: The backend refused the console's token.");
    expect(alertLine(alert({ state: 'pending', ackedBy: 'manager' }))).toBe("  alert backend pending, acknowledged by manager: The backend refused the console's token.");
  });
});
