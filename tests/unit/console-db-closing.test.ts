import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_DB_MARK, markClosed, markClosing, markOpen, uncleanStop, walGoneSinceUncleanStop } from '../../src/main/core/store/console-db-mark';

// probe22 K3: SIGKILL 20-50 ms after SIGTERM landed after console.db had closed (its -wal folded in and removed) and
// before the mark was updated: the next start warned that check-ins "may be lost", and all 13 were kept.
describe('a stop killed in the last moments of closing console.db', () => {
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-closing-'));
    writeFileSync(join(dir, CONSOLE_DB_MARK), `${JSON.stringify({ pinsSet: '2026-12-06T00:00:00.000Z' })}\n`);
    return { dir, file: join(dir, 'console.db') };
  };

  it('after the close folded the -wal in: no warning of loss, and no unclean stop', () => {
    const { dir, file } = folder();
    markOpen(dir);
    markClosing(dir);
    // killed here: console.db closed (no -wal left), the mark not yet updated
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(walGoneSinceUncleanStop(file, dir, 30_000)).toBeNull();
    expect(uncleanStop(file, dir)).toBeNull();
  });

  it('killed before the close could finish (the -wal still there): an unclean stop, nothing lost; the next run is open afresh', () => {
    const { dir, file } = folder();
    markOpen(dir);
    markClosing(dir);
    writeFileSync(`${file}-wal`, 'x');
    expect(uncleanStop(file, dir)).toMatch(/ended in a crash, a power cut or a forced stop/);
    markOpen(dir);
    expect(JSON.parse(readFileSync(join(dir, CONSOLE_DB_MARK), 'utf8'))).not.toHaveProperty('closingSince');
    markClosed(dir);
    expect(JSON.parse(readFileSync(join(dir, CONSOLE_DB_MARK), 'utf8'))).toEqual({ pinsSet: '2026-12-06T00:00:00.000Z' });
  });

  it('open, no close begun, its -wal gone: the warning stands', () => {
    const { dir, file } = folder();
    markOpen(dir);
    expect(walGoneSinceUncleanStop(file, dir, 30_000)).toMatch(/was missing at this start/);
  });
});
