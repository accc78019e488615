import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { lostConsoleDb } from '../../src/main/core/startup/lost-console-db';
import { StartRefused } from '../../src/main/core/startup/start-refused';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { openConsoleDb, type OlderFile } from '../../src/main/core/store/open-console-db';
import { startCore } from '../../src/main/core/app';
import { waitFor } from '../helpers/wait';

const tmp = () => mkdtempSync(join(tmpdir(), 'gym-console-db-'));
const row = (dir: string, name: string, value: string) => {
  const db = openDb(join(dir, name), CONSOLE_MIGRATIONS);
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('mark', JSON.stringify(value));
  return db;
};
const mark = (db: ReturnType<typeof openConsoleDb>) => (db.prepare("SELECT value FROM settings WHERE key = 'mark'").get() as { value: string } | undefined)?.value;

describe('console.db file name', () => {
  it('a new data folder gets console.db', () => {
    const dir = tmp();
    openConsoleDb(dir).close();
    expect(readdirSync(dir).filter((f) => f.endsWith('.db'))).toEqual(['console.db']);
  });

  it('renames an older folder\'s outbox.db with its -wal file, keeping what was only in the WAL', () => {
    const live = tmp();
    const db = row(live, 'outbox.db', 'from the old name');
    // A copy while the writer is still open: the row sits only in the -wal, as after a crash.
    expect(existsSync(join(live, 'outbox.db-wal'))).toBe(true);
    const dir = tmp();
    for (const ext of ['', '-wal', '-shm']) copyFileSync(join(live, `outbox.db${ext}`), join(dir, `outbox.db${ext}`));
    db.close();

    const said: OlderFile[] = [];
    const opened = openConsoleDb(dir, { older: (o) => said.push(o) });
    expect(mark(opened)).toBe('"from the old name"');
    expect(readdirSync(dir).filter((f) => f.startsWith('outbox.db'))).toEqual([]);
    // Said, so IT's backup of outbox.db does not go on copying a name nothing writes any more.
    expect(said).toEqual([{ kind: 'renamed', line: `${join(dir, 'outbox.db')}, this console's data file under the name an older version gave it, is now ${join(dir, 'console.db')} (with its -wal file): back up that name from now on.` }]);
    opened.close();
  });

  // review27 V5: a rename cut short by a crash (the -wal moved, the main file not yet) was no longer finished, and the
  // check-ins only in that -wal were lost.
  it('finishes a rename a crash cut short, keeping what was only in the -wal moved before it', () => {
    const live = tmp();
    const db = row(live, 'outbox.db', 'only in the wal');
    const dir = tmp();
    for (const ext of ['', '-wal', '-shm']) copyFileSync(join(live, `outbox.db${ext}`), join(dir, `outbox.db${ext}`));
    db.close();
    renameSync(join(dir, 'outbox.db-wal'), join(dir, 'console.db-wal')); // the crash: the -wal moved, nothing else
    const opened = openConsoleDb(dir);
    expect(mark(opened)).toBe('"only in the wal"');
    expect(readdirSync(dir).filter((f) => f.startsWith('outbox.db'))).toEqual([]);
    opened.close();
  });

  // probe27b D1: `sqlite3 console.db …` run to look into an old folder leaves a 0-byte console.db; the start then ran
  // on a new, empty console.db (first-run PINs) and the check-ins waiting in outbox.db were never sent.
  it('an empty console.db (0 bytes) beside an older outbox.db holds nothing: the outbox.db is taken', () => {
    const dir = tmp();
    row(dir, 'outbox.db', 'from the old name').close();
    writeFileSync(join(dir, 'console.db'), '');
    const said: OlderFile[] = [];
    const opened = openConsoleDb(dir, { older: (o) => said.push(o) });
    expect(mark(opened)).toBe('"from the old name"');
    expect(said.map((o) => o.kind)).toEqual(['renamed']);
    opened.close();
  });

  it('never overwrites an existing console.db with an old outbox.db, and says the old one was left unread', () => {
    const dir = tmp();
    row(dir, 'console.db', 'current').close();
    row(dir, 'outbox.db', 'stale').close();
    const said: OlderFile[] = [];
    const opened = openConsoleDb(dir, { older: (o) => said.push(o) });
    expect(mark(opened)).toBe('"current"');
    expect(existsSync(join(dir, 'outbox.db'))).toBe(true);
    expect(said).toHaveLength(1);
    expect(said[0]!.kind).toBe('left-unread');
    expect(said[0]!.line).toMatch(/outbox\.db, an older version's data file, lies beside .*console\.db and was not read: it may hold check-ins never sent/);
    opened.close();
  });
});

describe('an older outbox.db left unread beside console.db, in a running console', () => {
  it('is said on Health (Local databases) and in the event list, every start until IT moves one', async () => {
    const dir = tmp();
    row(dir, 'console.db', 'current').close();
    row(dir, 'outbox.db', 'stale').close();
    const core = await startCore({ version: 't', dataDir: dir, backend: { endpoints: ['ws://127.0.0.1:9'], token: 'older-file' } });
    try {
      const stores = () => core.stream.snapshot().gauges.health.checks.find((c) => c.kind === 'stores');
      await waitFor(() => stores()?.status === 'degraded' || null, 10_000);
      expect(stores()!.reason).toMatch(/^.*outbox\.db, an older version's data file, lies beside/);
      expect(core.stream.snapshot().feeds.activity.some((a) => a.type === 'store-left-unread' && a.detail === stores()!.reason)).toBe(true);
    } finally {
      await core.stop();
    }
  });
});

describe('a pipe or a folder where a database file goes', () => {
  it('refuses the start naming the file and what it is; a pipe is never waited on, and is not taken for a lost console.db', () => {
    const dir = tmp();
    execFileSync('mkfifo', [join(dir, 'console.db')]);
    writeFileSync(join(dir, 'site.json'), '{}'); // a data folder that has been live
    expect(lostConsoleDb(dir)).toBeNull();
    expect(() => openConsoleDb(dir)).toThrow(new StartRefused(`${join(dir, 'console.db')} is a named pipe, not a database file: move it out of the data folder, then start the console again (a new, empty one is made).`));
    mkdirSync(join(dir, 'analytics.db'));
    expect(() => openDb(join(dir, 'analytics.db'), [])).toThrow(/analytics\.db is a folder, not a database file/);
  });
});
