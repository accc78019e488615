import { describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartRefused } from '../../src/main/core/startup/start-refused';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';

/**
 * One bad page inside console.db (a bad sector), not a file cut short: found at start, whichever table it
 * belongs to, and refused in the same named words as a truncated file. Before, a broken settings page
 * started a console no one could sign in to, and a broken outbox page stopped it with SQLite's bare words.
 */
function liveFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gym-console-page-'));
  const db = openConsoleDb(dir);
  db.transaction(() => {
    const m = db.prepare('INSERT INTO members (id, card_id, name, phone, status, expires_on, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 500; i++) m.run(`m${i}`, `c${i}`, `Member ${i}`, '+15550100', 'active', '2030-01-01', 1);
    const o = db.prepare("INSERT INTO outbox (key, lane, op, body, created, waiting_since) VALUES (?, 0, 'checkin', ?, 1, 0)");
    for (let i = 0; i < 200; i++) o.run(`k${i}`, JSON.stringify({ cardId: `c${i}`, note: 'x'.repeat(60) }));
    const d = db.prepare("INSERT INTO offline_decisions (key, card_id, allowed, reason, ts) VALUES (?, ?, 1, 'offline', 1)");
    for (let i = 0; i < 50; i++) d.run(`k${i}`, `c${i}`);
    db.prepare("INSERT INTO settings (key, value) VALUES ('pins', '{}')").run();
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return dir;
}

/** Overwrites the start of `table`'s root page (from sqlite_master.rootpage), as a bad sector would. */
function damageRootPage(dir: string, table: string): void {
  const db = openConsoleDb(dir);
  const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { rootpage: number };
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(join(dir, 'console.db'), 'r+');
  writeSync(fd, Buffer.alloc(16, 0xff), 0, 16, (rootpage - 1) * pageSize);
  closeSync(fd);
}

describe('a damaged page inside console.db', () => {
  const part: Record<string, string> = { outbox: 'the check-ins and staff actions not yet sent', offline_decisions: 'the check-ins decided on this PC', settings: 'the PINs and settings' };
  for (const table of ['outbox', 'offline_decisions', 'settings']) {
    it(`the ${table} table's page: the start is refused naming the file, what it holds and what to do; the file is left as it was`, () => {
      const dir = liveFolder();
      damageRootPage(dir, table);
      const file = join(dir, 'console.db');
      const before = readFileSync(file);
      const files = readdirSync(dir).sort();
      let refused: unknown;
      try {
        openConsoleDb(dir).close();
      } catch (e) {
        refused = e;
      }
      expect(refused).toBeInstanceOf(StartRefused);
      const words = (refused as Error).message;
      expect(words).toContain(`${file} is damaged and cannot be read (in ${part[table]}: database disk image is malformed`);
      expect(words).toContain('It holds the check-ins not yet sent to the backend, the PINs and the audit log: keep a copy of it for support.');
      expect(words).toContain(`To start afresh without them, move console.db (and any console.db-wal, console.db-shm and console-db.json beside it) out of ${dir};`);
      // Nothing set aside, rewritten or made anew: a person decides, and support gets the file as it was.
      expect(readFileSync(file).equals(before)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(files);
    });
  }

  // The roster copy is downloaded again from the backend: the rest is kept (console-db-salvage.test.ts).
  it('the members table\'s page: it opens from a copy of the rest, the waiting check-ins kept', () => {
    const dir = liveFolder();
    damageRootPage(dir, 'members');
    const said: string[] = [];
    const db = openConsoleDb(dir, { repaired: (line) => said.push(line) });
    expect(db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 200 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM offline_decisions').get()).toEqual({ n: 50 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM members').get()).toEqual({ n: 0 });
    db.close();
    expect(said.join('')).toMatch(/was damaged in the copy of the member list/);
  });

  it('an undamaged folder with the same data opens', () => {
    const dir = liveFolder();
    const db = openConsoleDb(dir);
    expect(db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 200 });
    db.close();
  });
});
