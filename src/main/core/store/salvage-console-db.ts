import { closeSync, existsSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { isDamagedDb } from './db';

/**
 * console.db's tables by what they hold, as IT reads it; `refilled`: what becomes of it when the table is emptied, for the
 * tables the console does without. A bad page in one of those cost the site its desk: the start was refused, and the one
 * way offered (move console.db out) lost the check-ins not yet sent, the PINs and the audit log, all still readable (probe24 P1).
 */
export const CONSOLE_TABLES: Record<string, { holds: string; refilled?: string }> = {
  outbox: { holds: 'the check-ins and staff actions not yet sent' },
  dead: { holds: 'the messages the backend refused' },
  audit: { holds: 'the audit log' },
  settings: { holds: 'the PINs and settings' },
  offline_decisions: { holds: 'the check-ins decided on this PC' },
  outbox_clock: { holds: "the outbox's clock" },
  schema_migrations: { holds: 'its layout record' },
  members: { holds: 'the copy of the member list', refilled: 'downloaded again from the gym system' },
  presence: { holds: 'who the live feed showed inside', refilled: 'learned again from the live feed' },
  last_known: { holds: 'the last occupancy and check-ins the gym system sent', refilled: 'sent again once it answers' },
  webhook_deliveries: { holds: 'the record of alert notices sent to webhooks', refilled: 'notices not yet delivered there are dropped' },
};

const refilled = (table: string): boolean => CONSOLE_TABLES[table]?.refilled !== undefined;

/** What `salvage` did: the tables left empty, the damaged file's new name; or which tables hold what cannot be lost. */
export type Salvage = { ok: true; emptied: string[]; setAside: string } | { ok: false; damaged: string[] };

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Whether a table's pages (and its indexes') read whole, and every row of it can be read. */
function readsWhole(db: Database.Database, table: string): boolean {
  try {
    const found = db.pragma(`quick_check(${quote(table)})`) as { quick_check: string }[];
    if (found[0]?.quick_check !== 'ok') return false;
    for (const _row of db.prepare(`SELECT * FROM ${quote(table)}`).iterate()) {
      // every row read once
    }
    return true;
  } catch (e) {
    if (isDamagedDb(e)) return false;
    throw e;
  }
}

/**
 * A damaged console.db whose damage is only in tables the console fills again: a new file is made beside it with the
 * same layout and every other table's rows, the damaged one is set aside (with its -wal and -shm) as
 * `console.db.damaged-<time>`, and the new one takes its name. Nothing is changed when anything else is damaged.
 */
export function salvageConsoleDb(file: string, now = Date.now()): Salvage {
  // Reading a file in WAL mode makes its -wal and -shm: those this made are taken away again when nothing is changed.
  const made = ['-wal', '-shm'].filter((ext) => !existsSync(file + ext));
  let old: Database.Database;
  try {
    // Read only: nothing is written into the damaged file (it is kept as it is, for support).
    old = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    if (isDamagedDb(e)) return { ok: false, damaged: [] };
    throw e;
  }
  const temp = copyName(file, now);
  let damaged: string[];
  try {
    let schema: { type: string; name: string; sql: string | null }[];
    try {
      schema = old.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type = 'table' DESC, rowid").all() as typeof schema;
    } catch (e) {
      if (isDamagedDb(e)) return { ok: false, damaged: [] }; // its table of tables: nothing can be told apart
      throw e;
    }
    const tables = schema.filter((s) => s.type === 'table').map((s) => s.name);
    damaged = tables.filter((t) => !readsWhole(old, t));
    // SQLite's own counter table too: it is copied with the rest.
    if (old.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get() && !readsWhole(old, 'sqlite_sequence')) return { ok: false, damaged: ['sqlite_sequence'] };
    if (!damaged.length || damaged.some((t) => !refilled(t))) return { ok: false, damaged };
    rmSync(temp, { force: true });
    // 0600 before SQLite makes it, as every console.db is: it holds the PINs' hashes and the check-ins (review24 V2).
    closeSync(openSync(temp, 'wx', 0o600));
    const fresh = new Database(temp);
    try {
      fresh.transaction(() => {
        for (const s of schema) if (s.sql) fresh.exec(s.sql);
        for (const t of tables.filter((x) => !damaged.includes(x))) copyRows(old, fresh, t);
        if (old.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get()) copyRows(old, fresh, 'sqlite_sequence');
        fresh.pragma(`user_version = ${old.pragma('user_version', { simple: true }) as number}`);
      })();
    } finally {
      fresh.close();
    }
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  } finally {
    old.close();
    if (!existsSync(temp)) for (const ext of made) rmSync(file + ext, { force: true });
  }
  const setAside = asideName(file, now);
  // The main file first: a crash after it finds no console.db, and the start names what is left (never a console.db
  // parted from its WAL, whose frames may hold check-ins). Its -wal and -shm after it; the new one takes the name last.
  for (const ext of ['', '-wal', '-shm']) if (existsSync(file + ext)) renameSync(file + ext, setAside + ext);
  renameSync(temp, file);
  return { ok: true, emptied: damaged, setAside };
}

const copyName = (file: string, at: number): string => `${file}.salvage-${at}`;
const asideName = (file: string, at: number): string => `${file}.damaged-${at}`;

/**
 * A start that stopped between the salvage's renames (a crash, a power cut) left no console.db: the damaged file set
 * aside, maybe its -wal and -shm still beside the name, and the copy, made whole before any rename, under its own name.
 * The next start refused for a missing console.db and never named the copy (review24 V6): finished here instead.
 * Returns the damaged file's name once finished; null when there was nothing to finish.
 */
export function finishSalvage(file: string): { setAside: string } | null {
  if (existsSync(file)) return null;
  const prefix = `${basename(file)}.salvage-`;
  const copies = readdirSync(dirname(file))
    .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
    .map((n) => Number(n.slice(prefix.length)))
    .sort((a, b) => b - a);
  // Only a copy whose damaged file was set aside: one without is a copy cut short, its console.db never moved.
  const at = copies.find((t) => existsSync(asideName(file, t)));
  if (at === undefined) return null;
  const setAside = asideName(file, at);
  for (const ext of ['-wal', '-shm']) if (existsSync(file + ext)) renameSync(file + ext, setAside + ext);
  renameSync(copyName(file, at), file);
  return { setAside };
}

function copyRows(from: Database.Database, to: Database.Database, table: string): void {
  const read = from.prepare(`SELECT * FROM ${quote(table)}`).raw();
  const columns = read.columns().map((c) => quote(c.name));
  if (table === 'sqlite_sequence') to.exec('DELETE FROM sqlite_sequence');
  const insert = to.prepare(`INSERT INTO ${quote(table)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  for (const row of read.iterate() as Iterable<unknown[]>) insert.run(...row);
}

/** What each emptied table held and what becomes of it, for the words said at start. */
export const emptiedWords = (tables: readonly string[]): string => tables.map((t) => (CONSOLE_TABLES[t] ? `${CONSOLE_TABLES[t].holds} (${CONSOLE_TABLES[t].refilled})` : t)).join('; ');
