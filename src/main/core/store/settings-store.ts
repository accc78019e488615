import type { z } from 'zod';
import { UserError } from '../../../shared/result';
import type { Db } from './db';

export interface SettingsStoreOptions {
  /** The key/value table: `settings` in console.db, `meta` in analytics.db (so an export carries them). */
  table?: 'settings' | 'meta';
  /** Told when a saved value cannot be read and the fallback is used instead. */
  warn?: (message: string) => void;
}

/**
 * Key/value settings as JSON, checked by a schema both ways: a value is checked before it is saved,
 * and again when read, since the file may have been written by another version or damaged.
 */
export class SettingsStore {
  private readonly s;
  private readonly warn: (message: string) => void;
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
    return this.damaged(key, row.value, `${issue?.path.join('.') || 'value'}: ${issue?.message}`, fallback);
  }

  private damaged<T>(key: string, value: string, why: string, fallback: T): T {
    if (!this.reported.has(`${key}\0${value}`)) {
      this.reported.add(`${key}\0${value}`);
      this.warn(`the saved "${key}" is damaged (${why}); it is ignored, and the default used, until it is saved again.`);
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
