import { describe, expect, it } from 'vitest';
import { formatStamp } from '../../src/renderer/src/format';
import { auditChanges, auditNote, auditSummary } from '../../src/renderer/src/features/analytics/audit-diff';
import { csvWords } from '../../src/main/core/store/csv-words';
import { CATEGORIES } from '../../src/shared/analytics';
import { auditWords } from '../../src/shared/words';

describe('audit log diff', () => {
  it('shows only the settings that changed, in words even for an action it has no form for', () => {
    const before = JSON.stringify({ name: 'primary', endpoints: ['ws://a:1', 'ws://b:2'], maxConnections: 6, retention: { hours: 90, days: 365 } });
    const after = JSON.stringify({ name: 'primary', endpoints: ['ws://a:1', 'ws://b:2', 'ws://c:3'], maxConnections: 6, retention: { hours: 30, days: 365 } });
    expect(auditChanges(before, after)).toEqual([
      { field: 'Backend addresses', before: 'ws://a:1, ws://b:2', after: 'ws://a:1, ws://b:2, ws://c:3' },
      { field: 'Hours', before: '90', after: '30' },
    ]);
  });

  it('lists every field of something created or removed, and copes with no JSON at all', () => {
    expect(auditChanges(null, JSON.stringify({ name: 'spare', maxConnections: 2 }))).toEqual([
      { field: 'Name', before: '–', after: 'spare' },
      { field: 'Max connections', before: '–', after: '2' },
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

  it('names every field the console records in words, never a key, and shows no secret', () => {
    const fields = (b: unknown, a: unknown, action: string) => auditChanges(b === undefined ? null : JSON.stringify(b), a === undefined ? null : JSON.stringify(a), action);
    // A door release: nothing before, the lane after (was "Value, lane").
    expect(fields(null, { lane: 'realtime' }, 'door.release')).toEqual([{ field: 'Sent as', before: '–', after: 'Urgent (doors and check-ins)' }]);
    // An override: the note is the entry (was "cardId, note"); an older entry's card is named too.
    expect(fields(null, { note: 'forgot card' }, 'checkin.override')).toEqual([{ field: 'Why (note)', before: '–', after: 'forgot card' }]);
    expect(fields({ cardId: '123' }, { note: 'x y z' }, 'checkin.override').map((c) => c.field)).toEqual(['Card', 'Why (note)']);
    expect(auditNote(JSON.stringify({ note: 'forgot card' }))).toBe('forgot card');
    expect(auditNote(JSON.stringify({ lane: 'realtime' }))).toBeNull();
    // A webhook saved with a new secret (was "Value, url, secret, enabled, timeoutSeconds, secretChanged").
    const old = { url: 'https://h.example/a', secret: '(hidden)', enabled: true, timeoutSeconds: 5 };
    expect(fields(old, { ...old, enabled: false, timeoutSeconds: 10, secretChanged: true }, 'webhooks.save')).toEqual([
      { field: 'Signing secret', before: '(hidden)', after: 'new one (hidden)' },
      { field: 'Send to this address', before: 'on', after: 'off' },
      { field: 'Timeout', before: '5', after: '10' },
    ]);
    expect(fields(null, { ...old, secret: 's3cret-that-leaked', secretChanged: false }, 'webhooks.save')).toEqual([
      { field: 'Webhook address', before: '–', after: 'https://h.example/a' },
      { field: 'Signing secret', before: '–', after: '(hidden)' },
      { field: 'Send to this address', before: '–', after: 'on' },
      { field: 'Timeout', before: '–', after: '5' },
    ]);
    // An alert rule says which check it is for (was "rules.backend.pendingSeconds").
    expect(fields({ rules: { backend: { pendingSeconds: 10 } } }, { rules: { backend: { pendingSeconds: 30 } } }, 'alerts.configure')[0]!.field).toBe('Backend connection: alert after');
    // A whole value is named by its action; an internal id is not shown at all.
    expect(fields(false, true, 'app.setStartAtLogin')).toEqual([{ field: 'Start with this PC', before: 'off', after: 'on' }]);
    expect(fields(null, { id: '6f1c-uuid' }, 'webhooks.test')).toEqual([]);
    // A first run's PINs recorded by an older console: no "1 changed: PINs set for" cut short.
    expect(fields(null, { roles: 'front desk, manager and kiosk' }, 'auth.setup')).toEqual([]);
    const dead = fields({ key: 'k-1', lane: 'system', op: 'action', attempts: 3, reason: 'refused' }, undefined, 'dlq.discard');
    expect(dead.map((c) => c.field)).toEqual(['Sent as', 'Message', 'Tries', 'Why']);
    expect(dead.find((c) => c.field === 'Message')!.before).toBe('A staff action');
    for (const c of dead) expect(c.field).not.toMatch(/^[a-z]+[A-Z]|^[a-z]+$/);
  });
});

describe('a door press in the audit log and the CSV export', () => {
  const staff = CATEGORIES.indexOf('user');
  const asked = JSON.stringify({ askedAt: Date.UTC(2026, 11, 5, 6, 8, 24) });

  it('says the outcome in the same words on the screen and in the export: a refused release never reads as released', () => {
    const outcomes = {
      'door.release': 'Released the front door',
      'door.refused': 'Front door release refused — not sent: the gym system was not answering',
      'door.expired': 'Front door not released — the gym system did not confirm it in time (never sent later)',
      'door.rejected': 'Front door not released — the gym system refused it',
      'door.releasedLate': 'Front door released late, after the desk was told it was not',
    };
    for (const [action, words] of Object.entries(outcomes)) {
      expect(auditWords(action)).toBe(words);
      expect(csvWords(staff, action, 'front desk', 'front')).toBe(`${words.includes(',') ? `"${words}"` : words},front desk,,,,,,front`);
    }
  });

  it('sums up a record of something done in plain words, not "1 changed: Why"', () => {
    // A time in it is written as every list writes one (the date before it when not today), never "12/5/2026, 9:08:23 AM".
    const at = `Asked at: ${formatStamp(Date.UTC(2026, 11, 5, 6, 8, 24))}`;
    expect(at).not.toMatch(/\d+\/\d+\/\d{4}/);
    expect(auditSummary(null, asked, 'door.refused')).toBe(at);
    expect(auditSummary('null', asked, 'door.refused')).toBe(at); // the audit log stores "nothing before" as JSON null
    // A first run names its PINs in the row's subject ("Set the PINs · front desk, manager and kiosk"): nothing to sum up.
    expect(auditSummary(null, JSON.stringify({ roles: 'desk, manager and kiosk' }), 'auth.setup')).toBe('');
    // A change of settings still names what changed; a note is the reason.
    expect(auditSummary(JSON.stringify({ busyAt: 100 }), JSON.stringify({ busyAt: 120 }), 'desk.configure')).toMatch(/^1 changed: /);
    expect(auditSummary(null, JSON.stringify({ note: 'Paid cash' }), 'checkin.override')).toBe('Why: “Paid cash”');
    expect(auditSummary(null, null, 'alert.ack')).toBe('');
  });
});

