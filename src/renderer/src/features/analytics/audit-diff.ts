import type { z } from 'zod';
import { formatStamp } from '../../format';
import { fieldWords, knownLabelAt } from '../../../../shared/field-errors';
import { DeskSettingsSchema } from '../../../../shared/desk';
import { AnalyticsSettingsSchema } from '../../../../shared/analytics';
import { PoolConfigSchema } from '../../../../shared/pools';
import { AlertRuleSchema, AlertSettingsSchema, CHECK_TEXT, WebhookEndpointSchema, type CheckKind } from '../../../../shared/health';
import { AUDIT_FIELD_WORDS, AUDIT_VALUE_WORDS, LANE_WORDS, opWords, type AuditAction } from '../../../../shared/words';

/** The settings each audited action records, so its fields are named as on screen. */
const SCHEMA_OF: Record<string, z.ZodType> = {
  'desk.configure': DeskSettingsSchema,
  'analytics.configure': AnalyticsSettingsSchema,
  'pools.create': PoolConfigSchema,
  'pools.configure': PoolConfigSchema,
  'pools.destroy': PoolConfigSchema,
  'alerts.configure': AlertSettingsSchema,
  'webhooks.save': WebhookEndpointSchema,
  'webhooks.remove': WebhookEndpointSchema,
};

/** One changed setting of an audit entry: its name on screen and the value before and after ('–' for none). */
export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

const NONE = '–';
const HIDDEN = '(hidden)';
/** Recorded as times (ms since 1970): shown as the PC's local date and time. */
const TIMES = new Set(['created', 'failedAt', 'askedAt']);

/** Leaf values by key path ("retentionDays.hours"); lists and plain values are kept whole. */
function flatten(v: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (v !== undefined && !(v === null && !prefix)) out.set(prefix, v); // a whole `null` is "nothing before"
  return out;
}

function parse(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw; // not JSON: compared as text
  }
}

/** A value in words: on/off, local times, lanes by name; a secret never shows. */
function show(path: string, v: unknown, action: string): string {
  const key = path.split('.').pop() ?? '';
  if (key === 'secret' || key === 'pin') return HIDDEN;
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (v === null) return NONE;
  if (typeof v === 'number' && (TIMES.has(key) || (!path && action.startsWith('alert.')))) return formatStamp(v);
  if (key === 'lane' && typeof v === 'string') return LANE_WORDS[v] ?? v;
  if (key === 'op' && typeof v === 'string') return opWords(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') || '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A field's name as staff read it: the form's label, else the word table's; null: not shown. */
function label(path: string, action: string): string | null {
  if (!path) return AUDIT_VALUE_WORDS[action as AuditAction] ?? 'Value';
  const rule = /^rules\.([a-z]+)\.(.+)$/.exec(path);
  if (action === 'alerts.configure' && rule && Object.hasOwn(CHECK_TEXT, rule[1]!)) {
    const what = knownLabelAt(AlertRuleSchema, rule[2]!) ?? fieldWords(rule[2]!);
    return `${CHECK_TEXT[rule[1] as CheckKind]}: ${what.charAt(0).toLowerCase()}${what.slice(1)}`;
  }
  const schema = SCHEMA_OF[action];
  const known = schema ? knownLabelAt(schema, path) : null;
  if (known) return known;
  const key = path.split('.').pop()!;
  return Object.hasOwn(AUDIT_FIELD_WORDS, key) ? AUDIT_FIELD_WORDS[key]! : fieldWords(path);
}

/** Only what changed between the recorded before and after; a created or removed thing lists every field. */
export function auditChanges(beforeRaw: string | null, afterRaw: string | null, action = ''): AuditChange[] {
  const before = flatten(parse(beforeRaw));
  const after = flatten(parse(afterRaw));
  // A webhook's save says whether its secret changed; the secret itself is never recorded nor shown.
  const secretChanged = after.get('secretChanged') === true;
  after.delete('secretChanged');
  const fields = [...new Set([...before.keys(), ...after.keys()])];
  return fields.flatMap((f) => {
    const name = label(f, action);
    const b = before.has(f) ? show(f, before.get(f), action) : NONE;
    const a = !after.has(f) ? NONE : f === 'secret' && secretChanged && before.has(f) ? `new one ${HIDDEN}` : show(f, after.get(f), action);
    return name === null || b === a ? [] : [{ field: name, before: b, after: a }];
  });
}

/** The note an entry carries (an override's "why"), shown with the entry itself. */
export function auditNote(afterRaw: string | null): string | null {
  const after = parse(afterRaw);
  const note = after && typeof after === 'object' && 'note' in after ? (after as { note: unknown }).note : null;
  return typeof note === 'string' && note ? note : null;
}

/**
 * The log row's summary. A change of settings names what changed; a record of something done (a door press,
 * PINs set: nothing before, no settings form) says what it recorded, as "Asked at: 6:08:24 AM", not
 * "1 changed: Asked at"; an entry's note is its reason.
 */
export function auditSummary(beforeRaw: string | null, afterRaw: string | null, action: string): string {
  const note = auditNote(afterRaw);
  if (note) return `Why: “${note}”`;
  const changes = auditChanges(beforeRaw, afterRaw, action);
  if (!changes.length) return '';
  // Stored as SQL NULL or as JSON `null`: either way, nothing before.
  if (parse(beforeRaw) == null && !SCHEMA_OF[action]) return changes.map((c) => `${c.field}: ${c.after}`).join('; ');
  return `${changes.length} changed: ${changes.map((c) => c.field).join(', ')}`;
}
