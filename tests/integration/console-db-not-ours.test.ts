import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StartRefused } from '../../src/main/core/startup/start-refused';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { markConsoleDbKept } from '../../src/main/core/store/console-db-mark';

// Probe-hostile21 J5: analytics.db copied in as console.db refused the start as "built with a different schema step 1
// … install the console version that made it": developer words, and an installer IT would go looking for in vain.
const tmp = () => mkdtempSync(join(tmpdir(), 'gym-console-db-not-ours-'));

/** How the refusal reads: one line, with no developer words. */
function refusal(dir: string): string {
  try {
    openConsoleDb(dir).close();
  } catch (e) {
    expect(e).toBeInstanceOf(StartRefused);
    const said = (e as Error).message;
    expect(said).not.toMatch(/schema|migration|SQLITE/i);
    return said;
  }
  throw new Error('the start was not refused');
}

describe('a console.db that is not this console\'s', () => {
  it('analytics.db copied in under its name: said to be another file, with the advice for a damaged one; left as it is', () => {
    const dir = tmp();
    openConsoleDb(dir).close();
    openAnalytics(dir, 'UTC').store.close();
    copyFileSync(join(dir, 'analytics.db'), join(dir, 'console.db'));
    const before = readFileSync(join(dir, 'console.db'));
    const said = refusal(dir);
    expect(said).toContain(`${join(dir, 'console.db')} is not this console's console.db (another program's file, or another file copied in under its name`);
    expect(said).toContain('keep a copy of it for support');
    expect(said).toContain('Restore console.db together with its console.db-wal file from a backup');
    expect(said).not.toContain('install the console version');
    expect(readFileSync(join(dir, 'console.db')).equals(before)).toBe(true);
    // Looking at it left nothing beside it.
    expect(readdirSync(dir).filter((n) => n.startsWith('console.db'))).toEqual(['console.db']);
  });

  it('another program\'s database: the same words', () => {
    const dir = tmp();
    const db = new Database(join(dir, 'console.db'));
    db.exec("CREATE TABLE photos (name TEXT); INSERT INTO photos VALUES ('holiday.jpg')");
    db.close();
    expect(refusal(dir)).toContain('is not this console\'s console.db');
  });

  // probe27b D3: in a folder whose console.db had held data, it was said as "its -wal is missing or damaged (after a crash …)".
  it('another program\'s database put in place of a console.db that held data: the same words, not a lost -wal', () => {
    const dir = tmp();
    openConsoleDb(dir).close();
    markConsoleDbKept(dir);
    rmSync(join(dir, 'console.db'));
    const db = new Database(join(dir, 'console.db'));
    db.exec("CREATE TABLE contacts (name TEXT, phone TEXT); INSERT INTO contacts VALUES ('Ann', '555')");
    db.close();
    const said = refusal(dir);
    expect(said).toContain('is not this console\'s console.db');
    expect(said).not.toContain('-wal, is missing or damaged');
  });

  it('a console.db of a differently built console: said as that, in plain words, as a refusal (no "could not start")', () => {
    const dir = tmp();
    openConsoleDb(dir).close();
    const db = new Database(join(dir, 'console.db'));
    db.prepare("UPDATE schema_migrations SET hash = 'another build' WHERE version = 1").run();
    db.close();
    const said = refusal(dir);
    expect(said).toContain('was made by a different build of the console, one that lays out its data differently');
    expect(said).toContain('install the console version that made it');
  });
});
