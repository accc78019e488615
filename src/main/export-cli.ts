import { parseArgs } from 'node:util';
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { AnalyticsSettingsSchema, DEMO_SITE, EXPORT_FORMATS, RANGES, UNNAMED_SITE, type ExportFormat, type RangeName } from '../shared/analytics';
import { UserError } from '../shared/result';
import { joinNegativeValues, plainArgsError } from '../shared/cli-args';
import { openAnalytics } from './core/store/open-analytics';
import { exportAnalytics } from './core/store/export';
import { isSimulated } from './core/store/simulated-mark';
import { SettingsStore } from './core/store/settings-store';
import { LOCAL_TIMEZONE } from './core/analytics/open-engine';
import { APP_VERSION } from './core/version';
import { exportName } from './core/analytics/export-jobs';
import { sweepStoppedPartials } from './core/store/export-partial';
import Database from 'better-sqlite3';

const HELP = `Usage: npm run export -- --data-dir DIR --range ${RANGES.join('|')} --format ${EXPORT_FORMATS.join('|')} --out FILE [--force] [--site NAME]
Exports the console's analytics for a range, without starting the console (it may be running: this only reads).
  --out FILE   a new file outside the data folder; --force replaces an existing one (only once the new one is complete)
Exit status: 2 a wrong flag or --out, 1 the export could not be written, 130 or 143 stopped by Ctrl-C or SIGTERM
(nothing written: no part-written file is left, and a file --force would replace is kept). An export killed outright
(kill -9, a power cut) leaves its part-written NAME.….partial file: the next export to that folder removes it, and says so.`;

/** 2: fix the command; 1: fix the machine (disk full, no permission). */
function fail(message: string, code = 2): never {
  process.stderr.write(`export: ${message}\n`);
  process.exit(code);
}

/**
 * The gym's saved name and zone, read without opening the store for use (no migration, no setting aside):
 * only for the name a folder given as --out is told to add. Anything unreadable: none.
 */
function savedLightly(dataDir: string): { siteName?: string; timezone?: string } {
  try {
    const db = new Database(join(dataDir, 'analytics.db'), { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'settings'").get() as { value: string } | undefined;
      const parsed = AnalyticsSettingsSchema.partial().safeParse(row ? JSON.parse(row.value) : {});
      return parsed.success ? parsed.data : {};
    } finally {
      db.close();
    }
  } catch {
    return {};
  }
}

/** Why the export cannot be written to `out`, found before anything is read or written; null when it can. `name`: a file name to suggest. */
function outProblem(out: string, dataDir: string, force: boolean, name: () => string): string | null {
  const parent = dirname(out);
  let st;
  try {
    st = statSync(parent);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `--out ${out}: the folder ${parent} does not exist. Create it first, or give a file in a folder that does.`;
    if (code === 'ENOTDIR') return `--out ${out}: part of that path is a file, not a folder. Give a file in an existing folder.`;
    return `--out ${out}: the folder ${parent} cannot be read (${code}). Give a file in a folder this user can write to.`;
  }
  if (!st.isDirectory()) return `--out ${out}: ${parent} is a file, not a folder. Give a file in an existing folder.`;
  // Real paths: a symlink or ".." must not lead back into the console's own files.
  const rel = relative(realpathSync(dataDir), join(realpathSync(parent), basename(out)));
  if (!rel.startsWith('..') && !isAbsolute(rel)) return `--out ${out} is inside the data folder ${dataDir}, next to the console's own databases. Save the export somewhere else.`;
  if (existsSync(out)) {
    if (statSync(out).isDirectory()) return `--out ${out} is a folder: give a file name in it, like ${join(out, name())}.`;
    if (!force) return `--out ${out} exists already: give another file name, or add --force to replace it.`;
  }
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    return `--out ${out}: this user cannot write in ${parent}. Give a file in a folder you can write to.`;
  }
  return null;
}

/** One line for what the sweep removed: how many, where, and the first few names. */
function sweptWords(names: string[], dir: string): string {
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  const files = names.length === 1 ? 'the part-written file' : `${names.length} part-written files`;
  return `removed ${files} that an export stopped before it finished left in ${dir}: ${shown}`;
}

async function main(): Promise<void> {
  let v;
  const options = { 'data-dir': { type: 'string' }, range: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, site: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } } as const;
  const args = joinNegativeValues(process.argv.slice(2), ['data-dir', 'range', 'format', 'out', 'site']);
  try {
    v = parseArgs({ args, options }).values;
  } catch (e) {
    fail(plainArgsError(e, 'npm run export -- --help', { args, options }));
  }
  if (v.help) return void process.stdout.write(`${HELP}\n`);
  if (!v['data-dir']) fail(`--data-dir DIR is required: the console's data folder, the one that holds analytics.db (see "Where data lives" in the README).`);
  const dataDir = resolve(v['data-dir']);
  if (!existsSync(join(dataDir, 'analytics.db'))) {
    const demo = existsSync(join(dataDir, 'demo', 'analytics.db')) ? ` (the demo gym's is in ${join(dataDir, 'demo')})` : '';
    fail(`there is no analytics.db in ${dataDir}${demo}: give the console's data folder as --data-dir.`);
  }
  if (!RANGES.includes(v.range as RangeName)) fail(`--range must be one of ${RANGES.join(', ')}.`);
  if (!EXPORT_FORMATS.includes(v.format as ExportFormat)) fail(`--format must be one of ${EXPORT_FORMATS.join(', ')}.`);
  if (!v.out) fail('--out FILE is required: where to write the export, outside the data folder.');
  const out = resolve(v.out);
  // The demo keeps its store in a folder of its own, and marks it (simulated-mark.ts): what it holds is made up.
  let simulated = basename(dataDir) === 'demo';
  // The name the console's own Export would give (export-jobs.ts), after the gym.
  const name = (): string => {
    const saved = savedLightly(dataDir);
    return exportName(v.site ?? saved.siteName, v.range!, Date.now(), v.format!, saved.timezone ?? LOCAL_TIMEZONE, simulated);
  };
  const problem = outProblem(out, dataDir, v.force ?? false, name);
  if (problem) fail(problem);
  // An export killed where no signal could be caught (kill -9, a power cut) left its part-written file of member data here.
  const swept = sweepStoppedPartials(dirname(out));
  if (swept.length) process.stdout.write(`${sweptWords(swept, dirname(out))}\n`);

  // A backup share or a snapshot cannot be made writable, and SQLite wants to write beside what it reads: from a copy (probe25 Q9).
  let opened = openAnalytics(dataDir, LOCAL_TIMEZONE);
  let copy: string | null = null;
  if (opened.unopened?.readOnly) {
    const made = mkdtempSync(join(tmpdir(), 'av-gym-export-'));
    copy = made;
    // Every way out (a refusal exits at once) takes it away.
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    process.stderr.write(`export: ${dataDir} is read-only, so the export reads a copy of its analytics.db made in ${copy} (removed after).\n`);
    for (const ext of ['', '-wal']) if (existsSync(join(dataDir, `analytics.db${ext}`))) copyFileSync(join(dataDir, `analytics.db${ext}`), join(copy, `analytics.db${ext}`));
    opened = openAnalytics(copy, LOCAL_TIMEZONE);
  }
  const { store, unopened } = opened;
  // An export of a store that could not be opened would be an empty file passed off as the gym's history.
  if (unopened) fail(`the analytics database could not be opened, so nothing was exported: ${unopened.what}. To fix it: ${unopened.fix}, then run the export again.`, 1);
  simulated ||= isSimulated(store.db);
  // The gym's own name and time zone, as a manager set them on the Analytics tab.
  const saved = new SettingsStore(store.db, { table: 'meta' }).get('settings', AnalyticsSettingsSchema.partial(), {});
  if (saved.timezone) store.timezone = saved.timezone;
  const started = Date.now();
  // A progress line that rewrites itself is for a terminal; in a log or a pipe it would run together.
  const tty = process.stderr.isTTY === true;
  let shown = '';
  const progress = (done: number, total: number): void => {
    const line = `export: ${done} / ${total} events`;
    if (!tty || !total || line === shown) return;
    process.stderr.write(`\r${line}`);
    shown = line;
  };
  // Ctrl-C or a service stop mid-export: the export ends at its next pause and removes its part-written file.
  const stop = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      stoppedBy = sig;
      stop.abort();
    });
  }
  try {
    const r = await exportAnalytics(store, { range: { last: v.range as RangeName }, format: v.format as ExportFormat }, out, { site: v.site ?? saved.siteName ?? (simulated ? DEMO_SITE : UNNAMED_SITE), simulated, app: `av-gym-console ${APP_VERSION}`, now: Date.now() }, progress, stop.signal);
    if (shown) process.stderr.write('\n');
    process.stdout.write(`exported ${r.events} events (${Math.round(r.bytes / 1024)} KiB) to ${r.file} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (e) {
    if (shown) process.stderr.write('\n');
    if (stoppedBy) fail(`stopped by ${stoppedBy} before the export finished; nothing was written to ${out}.`, stoppedBy === 'SIGINT' ? 130 : 143);
    if (e instanceof UserError) fail(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code) fail(`could not write ${out} (${code}: ${(e as Error).message}); nothing was changed there. Free some disk space or pick another place.`, 1);
    throw e;
  } finally {
    store.close();
  }
}

main().catch((e: Error) => {
  // Not foreseen, and this command has no log of its own: the details are all there is to go on.
  process.stderr.write(`export: failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
