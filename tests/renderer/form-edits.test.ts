import { describe, expect, it } from 'vitest';
import { changedFields, withEdits } from '../../src/renderer/src/components/form-edits';

// probe26b B2: the second of two manager screens to save put back what the first had saved.
describe('a settings form saves only what it changed', () => {
  const drawn = { offlinePolicy: { allowStatuses: ['active', 'expiring'], unknownCard: 'deny' }, verdictSeconds: 4, busyAt: 0 };
  it('a partial change: only the fields that differ from what the form drew', () => {
    expect(changedFields(drawn, { ...drawn, verdictSeconds: 6 })).toEqual({ verdictSeconds: 6 });
    expect(changedFields(drawn, { ...drawn, offlinePolicy: { ...drawn.offlinePolicy, allowStatuses: ['active'] } })).toEqual({ offlinePolicy: { allowStatuses: ['active'], unknownCard: 'deny' } });
    expect(changedFields(drawn, structuredClone(drawn))).toEqual({});
  });
  it('a whole set: each value the form changed, laid over the set as saved now', () => {
    const rulesDrawn = { rules: { backend: { pendingSeconds: 10, severity: 'critical' }, disk: { pendingSeconds: 0, severity: 'warning' } }, maxPerHour: 20 };
    const savedSince = { ...rulesDrawn, rules: { ...rulesDrawn.rules, backend: { pendingSeconds: 30, severity: 'critical' } } };
    const edited = { ...rulesDrawn, rules: { ...rulesDrawn.rules, disk: { pendingSeconds: 0, severity: 'critical' } } };
    expect(withEdits(savedSince, rulesDrawn, edited)).toEqual({ rules: { backend: { pendingSeconds: 30, severity: 'critical' }, disk: { pendingSeconds: 0, severity: 'critical' } }, maxPerHour: 20 });
    // Both changed one value: the one saved last stands, as typed.
    expect(withEdits(savedSince, rulesDrawn, { ...rulesDrawn, rules: { ...rulesDrawn.rules, backend: { pendingSeconds: 15, severity: 'critical' } } }).rules.backend.pendingSeconds).toBe(15);
  });
});
