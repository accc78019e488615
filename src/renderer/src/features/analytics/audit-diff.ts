import type { z } from 'zod';
import { labelAt } from '../../../../shared/field-errors';
import { DeskSettingsSchema } from '../../../../shared/desk';
import { AnalyticsSettingsSchema } from '../../../../shared/analytics';
import { PoolConfigSchema } from '../../../../shared/pools';

/** The settings each audited action records, so its fields are named as on screen. */
const SCHEMA_OF: Record<string, z.ZodType> = {
  'desk.configure': DeskSettingsSchema,
  'analytics.configure': AnalyticsSettingsSchema,
  'pools.create': PoolConfigSchema,
  'pools.configure': PoolConfigSchema,
  'pools.destroy': PoolConfigSchema,
};

/** One changed setting of an audit entry: its key path and the value before and after ('–' for none). */
export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

const NONE = '–';

/** Leaf values by key path ("retentionDays.hours"); lists and plain values are compared whole. */
function flatten(v: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (v !== undefined) out.set(prefix, Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') || '(none)' : typeof v === 'string' ? v : JSON.stringify(v));
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

/** Only what changed between the recorded before and after; a created or removed thing lists every field. */
export function auditChanges(beforeRaw: string | null, afterRaw: string | null, action = ''): AuditChange[] {
  const schema = SCHEMA_OF[action];
  const before = flatten(parse(beforeRaw));
  const after = flatten(parse(afterRaw));
  const fields = [...new Set([...before.keys(), ...after.keys()])];
  return fields
    .filter((f) => before.get(f) !== after.get(f))
    .map((f) => ({ field: !f ? 'Value' : schema ? labelAt(schema, f) : f, before: before.get(f) ?? NONE, after: after.get(f) ?? NONE }));
}
