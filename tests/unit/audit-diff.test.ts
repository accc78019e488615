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
    expect(auditChanges('"desk"', 'not json')).toEqual([{ field: 'Value', before: 'desk', after: 'not json' }]);
  });

  it('names a setting as its form does when the action is known', () => {
    const before = JSON.stringify({ timezone: 'UTC', retentionDays: { events: 30, samples: 14, hours: 730, days: 3650 } });
    const after = JSON.stringify({ timezone: 'Europe/Berlin', retentionDays: { events: 30, samples: 14, hours: 365, days: 3650 } });
    expect(auditChanges(before, after, 'analytics.configure').map((c) => c.field)).toEqual(['Time zone', 'Days to keep hourly rollups']);
    expect(auditChanges(JSON.stringify({ maxConnections: 6 }), JSON.stringify({ maxConnections: 8 }), 'pools.configure')[0]!.field).toBe('Max sockets');
  });
});
