import { z } from 'zod';

/** How a field is named on screen; attached to its schema with `.meta(...)`. */
export interface FieldLabel {
  label: string;
  /** Said after a limit: "between 2 and 30 seconds". */
  unit?: string;
  /** What a well-formed value looks like, for format errors. */
  example?: string;
}

/** One problem, said once, about one field (`field` is its key path without list positions; '' for the form). */
export interface FieldProblem {
  field: string;
  message: string;
}

// Marks messages zod wrote itself: those are replaced by ours; a message written in a schema is kept.
const OURS = '\u0000';
// With the input in each issue, a wrong value is told from a missing one.
const WORDS_FIRST = { error: () => OURS, reportInput: true };

export type Parsed<T> = { success: true; data: T } | { success: false; problems: FieldProblem[]; detail: string };

/** Parses like `safeParse`, but a failure comes back as one staff-worded sentence per field. */
export function parseInWords<S extends z.ZodType>(schema: S, value: unknown): Parsed<z.output<S>> {
  const r = schema.safeParse(value, WORDS_FIRST);
  if (r.success) return { success: true, data: r.data };
  return { success: false, problems: explain(schema, r.error.issues), detail: describeIssues(r.error.issues) };
}

/** The precise schema detail, for the log only. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}${i.message && i.message !== OURS ? ` ${i.message}` : ''}`).join('; ');
}

/** One sentence per field: the first issue about a field is the one said (a bad URL is one problem, not three). */
export function explain(root: z.ZodType, issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const at = locate(root, issue.path);
    const { meta, leaf } = at;
    // An unknown key is about that key, not about the form around it.
    const field = issue.code === 'unrecognized_keys' ? [at.field, issue.keys[0]].filter(Boolean).join('.') : at.field;
    if (byField.has(field)) continue;
    byField.set(field, issue.message && issue.message !== OURS ? issue.message : sentence(issue, meta ?? { label: humanize(field) }, leaf));
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/** The on-screen name of the field at `path` ("retentionDays.hours" → "Days to keep hourly rollups"). */
export function labelAt(root: z.ZodType, path: string): string {
  return knownLabelAt(root, path) ?? humanize(path);
}

/** The label the schema gives the field at `path`, or null when it gives none. */
export function knownLabelAt(root: z.ZodType, path: string): string | null {
  const at = locate(root, path.split('.'));
  return at.meta && at.field === path ? at.meta.label : null;
}

/** A key path as words when nothing names it: "maxConnections" → "Max connections". */
export const fieldWords = (path: string): string => humanize(path);

/** All problems as one line, for places that show a single message. */
export const joinProblems = (problems: FieldProblem[]): string => problems.map((p) => p.message).join(' ');

function sentence(issue: z.core.$ZodIssue, f: FieldLabel, leaf: z.ZodType | undefined): string {
  const unit = f.unit ? ` ${f.unit}` : '';
  const n = (x: number | bigint): string => Number(x).toLocaleString('en');
  const { min, max } = bounds(leaf);
  const between = min !== undefined && max !== undefined ? `between ${n(min)} and ${n(max)}${unit}` : min !== undefined ? `at least ${n(min)}${unit}` : max !== undefined ? `at most ${n(max)}${unit}` : '';
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return `${f.label} must be ${between}.`;
      if (issue.origin === 'string') {
        if (issue.code === 'too_small' && Number(issue.minimum) <= 1) return `${f.label} cannot be empty.`;
        return issue.code === 'too_small' ? `${f.label} must be at least ${n(issue.minimum)} characters.` : `${f.label} can be at most ${n(issue.maximum)} characters.`;
      }
      return issue.code === 'too_small' ? `${f.label} needs at least ${n(issue.minimum)}.` : `${f.label} can have at most ${n(issue.maximum)}.`;
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return `${f.label} must be a ${leaf && isInt(leaf) ? 'whole ' : ''}number${between ? ` ${between}` : ''}.`;
      if (issue.expected === 'undefined') return `${f.label} should not be given: this request takes none.`;
      return issue.input === undefined ? `${f.label} is missing.` : `${f.label} is not valid.`;
    case 'invalid_value':
      return `${f.label} must be one of: ${issue.values.map(String).join(', ')}.`;
    case 'invalid_format':
      return `${f.label} is not in the right form${f.example ? `; write it like ${f.example}` : ''}.`;
    case 'unrecognized_keys':
      return `The console does not know the setting ${issue.keys.map((k) => `"${k.slice(0, 40)}"`).join(', ')}; reload the console and try again.`;
    default:
      return `${f.label} is not valid${f.example ? `; write it like ${f.example}` : ''}.`;
  }
}

const isInt = (s: z.ZodType): boolean => s instanceof z.ZodNumber && s.isInt;

function bounds(s: z.ZodType | undefined): { min?: number; max?: number } {
  if (!(s instanceof z.ZodNumber)) return {};
  const finite = (x: number | null): number | undefined => (x !== null && Number.isFinite(x) && Math.abs(x) < Number.MAX_SAFE_INTEGER ? x : undefined);
  return { min: finite(s.minValue), max: finite(s.maxValue) };
}

/** Follows an issue's path through the schema; the deepest labelled schema on the way names the field. */
function locate(root: z.ZodType, path: readonly PropertyKey[]): { field: string; meta?: FieldLabel; leaf?: z.ZodType } {
  let s: z.ZodType | undefined = root;
  const keys: string[] = [];
  let found: { field: string; meta?: FieldLabel } = { field: '' };
  for (const key of path) {
    s = s && child(s, key);
    if (typeof key === 'string') keys.push(key);
    const meta = s && labelOf(s);
    if (meta) found = { field: keys.join('.'), meta };
  }
  if (!found.meta && keys.length) found = { field: keys.join('.') };
  return { ...found, leaf: s && unwrap(s) };
}

function labelOf(s: z.ZodType): FieldLabel | undefined {
  for (let cur: z.ZodType | undefined = s; cur; cur = peel(cur)) {
    const m = cur.meta() as Partial<FieldLabel> | undefined;
    if (m?.label) return m as FieldLabel;
  }
  return undefined;
}

function peel(s: z.ZodType): z.ZodType | undefined {
  if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) return s.unwrap() as z.ZodType;
  if (s instanceof z.ZodDefault) return s.removeDefault() as z.ZodType;
  if (s instanceof z.ZodPipe) return s.in as z.ZodType;
  return undefined;
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let next = peel(cur); next; next = peel(cur)) cur = next;
  return cur;
}

function child(s: z.ZodType, key: PropertyKey): z.ZodType | undefined {
  const u = unwrap(s);
  if (u instanceof z.ZodObject) return (u.shape as Record<string, z.ZodType>)[String(key)];
  if (u instanceof z.ZodArray) return u.element as z.ZodType;
  if (u instanceof z.ZodUnion) {
    for (const o of u.options as z.ZodType[]) {
      const c = child(o, key);
      if (c) return c;
    }
  }
  return undefined;
}

/** "maxConnections" → "Max connections": never shown in place of a label, only when one is missing. */
const humanize = (path: string): string => {
  const last = path.split('.').pop() || 'This value';
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
