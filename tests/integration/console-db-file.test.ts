import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { lostConsoleDb } from '../../src/main/core/startup/lost-console-db';
import { StartRefused } from '../../src/main/core/startup/start-refused';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/main/core/store/db';
import { CONSOLE_MIGRATIONS } from '../../src/main/core/store/console-schema';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';

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

    const opened = openConsoleDb(dir);
    expect(mark(opened)).toBe('"from the old name"');
    expect(readdirSync(dir).filter((f) => f.startsWith('outbox.db'))).toEqual([]);
    opened.close();
  });

  it('never overwrites an existing console.db with an old outbox.db', () => {
    const dir = tmp();
    row(dir, 'console.db', 'current').close();
    row(dir, 'outbox.db', 'stale').close();
    const opened = openConsoleDb(dir);
    expect(mark(opened)).toBe('"current"');
    expect(existsSync(join(dir, 'outbox.db'))).toBe(true);
    opened.close();
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
