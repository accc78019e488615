import type { z } from 'zod';
import { UserError } from '../../../shared/result';
import type { Db } from './db';

export interface SettingDamage {
  key: string;
  whole: boolean;
  fields: string[];
}

export interface SettingsStoreOptions {
  /** The key/value table: `settings` in console.db, `meta` in analytics.db (so an export carries them). */
  table?: 'settings' | 'meta';
  /**
   * Told when a saved value cannot be read and the fallback is used instead: `whole`, or only `fields` (its top-level
   * fields put back to the fallback's, the rest kept; none: only fields this version does not know were left out).
   */
  warn?: (message: string, damage: SettingDamage) => void;
}

/**
 * Key/value settings as JSON, checked by a schema both ways: a value is checked before it is saved,
 * and again when read, since the file may have been written by another version or damaged.
 */
export class SettingsStore {
  private readonly s;
  private readonly warn: (message: string, damage: SettingDamage) => void;
  /** Each damaged value is reported once, not on every read. */
  private readonly reported = new Set<string>();

  constructor(db: Db, opts: SettingsStoreOptions = {}) {
    const table = opts.table ?? 'settings';
    this.warn = opts.warn ?? ((m) => console.warn(`settings: ${m}`));
    this.s = {
      get: db.prepare(`SELECT value FROM ${table} WHERE key = ?`),
      set: db.prepare(`INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
      remove: db.prepare(`DELETE FROM ${table} WHERE key = ?`),
    };
  }

  remove(key: string): void {
    this.s.remove.run(key);
  }

  has(key: string): boolean {
    return this.s.get.get(key) !== undefined;
  }

  /** The saved value, or `fallback` when none is saved or the saved one does not pass `schema` (and says so). */
  get<S extends z.ZodType>(key: string, schema: S, fallback: z.output<S>): z.output<S> {
    const row = this.s.get.get(key) as { value: string } | undefined;
    if (!row) return fallback;
    let raw: unknown;
    try {
      raw = JSON.parse(row.value);
    } catch {
      return this.damaged(key, row.value, 'not readable JSON', fallback);
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const why = `${issue?.path.join('.') || 'value'}: ${issue?.message}`;
    // One bad field puts back that field's default, not all of them: a hand-edited verdict time reset the gym's
    // offline policy too (probe28b H3).
    const kept = this.keepWhatReads(schema, raw, fallback);
    // Every field put back is the fallback whole: said as such.
    if (kept && kept.fields.length < Object.keys(fallback as object).length) {
      if (!this.reported.has(`${key}\0${row.value}`)) {
        this.reported.add(`${key}\0${row.value}`);
        const back = kept.fields.length ? `${kept.fields.join(', ')} ${kept.fields.length === 1 ? 'is' : 'are'} back to the default until it is saved again, the rest kept` : 'fields this version does not know are left out, the rest kept';
        this.warn(`the saved "${key}" is partly damaged (${why}); ${back}.`, { key, whole: false, fields: kept.fields });
      }
      return kept.value;
    }
    return this.damaged(key, row.value, why, fallback);
  }

  /** `raw` with each top-level field the schema refuses put back to `fallback`'s (unknown ones dropped); null: it still does not read. */
  private keepWhatReads<S extends z.ZodType>(schema: S, raw: unknown, fallback: z.output<S>): { value: z.output<S>; fields: string[] } | null {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !fallback || typeof fallback !== 'object') return null;
    const value: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    const fields: string[] = [];
    for (let tries = 0; tries < 20; tries++) {
      const parsed = schema.safeParse(value);
      if (parsed.success) return { value: parsed.data, fields };
      const issue = parsed.error.issues[0]!;
      const unknown = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : null;
      const field = issue.path[0];
      if (unknown) for (const k of unknown) delete value[k];
      else if (typeof field === 'string' && field in fallback && !fields.includes(field)) {
        value[field] = (fallback as Record<string, unknown>)[field];
        fields.push(field);
      } else return null;
    }
    return null;
  }

  private damaged<T>(key: string, value: string, why: string, fallback: T): T {
    if (!this.reported.has(`${key}\0${value}`)) {
      this.reported.add(`${key}\0${value}`);
      this.warn(`the saved "${key}" is damaged (${why}); it is ignored, and the default used, until it is saved again.`, { key, whole: true, fields: [] });
    }
    return fallback;
  }

  /** Saves `value` once it passes `schema`; returns what was saved. */
  set<S extends z.ZodType>(key: string, schema: S, value: z.input<S>): z.output<S> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UserError('invalid-setting', `This ${key} setting was not saved: ${issue?.path.join('.') || 'value'}: ${issue?.message}. Correct it and save again.`);
    }
    this.s.set.run(key, JSON.stringify(parsed.data));
    return parsed.data;
  }
}
