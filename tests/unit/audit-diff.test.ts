import { describe, expect, it } from 'vitest';
import { auditChanges } from '../../src/renderer/src/features/analytics/audit-diff';

describe('audit log diff', () => {
  it('shows only the settings that changed, by key path', () => {
    const before = JSON.stringify({ name: 'primary', endpoints: ['ws://a:1', 'ws://b:2'], maxConnections: 6, retention: { hours: 90, days: 365 } });
    const after = JSON.stringify({ name: 'primary', endpoints: ['ws://a:1', 'ws://b:2', 'ws://c:3'], maxConnections: 6, retention: { hours: 30, days: 365 } });
    expect(auditChanges(before, after)).toEqual([
      { field: 'endpoints', before: 'ws://a:1, ws://b:2', after: 'ws://a:1, ws://b:2, ws://c:3' },
      { field: 'retention.hours', before: '90', after: '30' },
    ]);
  });

  it('lists every field of something created or removed, and copes with no JSON at all', () => {
    expect(auditChanges(null, JSON.stringify({ name: 'spare', maxConnections: 2 }))).toEqual([
      { field: 'name', before: '–', after: 'spare' },
      { field: 'maxConnections', before: '–', after: '2' },
    ]);
    expect(auditChanges(null, null)).toEqual([]);
    expect(auditChanges('"desk"', 'not json')).toEqual([{ field: 'value', before: 'desk', after: 'not json' }]);
  });
});
