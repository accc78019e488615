import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import { PARTIAL_STALE_MS, partialFile } from '../../src/main/core/store/export-partial';

// probe-hostile18 F6: `npm run export` killed outright (kill -9: nothing to catch) left its part-written file of member
// data in the folder, for good. The next export to that folder removes it and says so; nothing else there is touched.
const tmp = (): string => mkdtempSync(join(tmpdir(), 'gym-export-killed-'));
const cli = (dataDir: string, out: string): string[] => ['--import', 'tsx', 'src/main/export-cli.ts', '--data-dir', dataDir, '--range', '7d', '--format', 'json', '--out', out];

describe('npm run export after one was killed', () => {
  it('removes the part-written file the killed export left, says so in one line, and keeps every other file', async () => {
    const dataDir = tmp();
    const { store } = openAnalytics(dataDir, 'UTC');
    const now = Date.now();
    const n = 200_000;
    store.insertEvents(Array.from({ length: n }, (_, i) => ({ ts: now - 6 * 86_400_000 + Math.floor((i / n) * 5 * 86_400_000), category: 'checkin' as const, type: 'allowed', source: 'door', detail: `member ${i}` })));
    store.close();
    const outDir = tmp();
    const child = spawn(process.execPath, cli(dataDir, join(outDir, 'week.json')), { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    while (!readdirSync(outDir).some((f) => f.endsWith('.partial'))) await new Promise((res) => setTimeout(res, 5));
    child.kill('SIGKILL');
    await exited;
    const left = readdirSync(outDir).filter((f) => f.endsWith('.partial'));
    expect(left).toHaveLength(1);
    // Killed just now, its file is left alone: a PC with the same host name writing to this shared folder would look
    // the same (review18 L5). Untouched for longer than any export pauses, it has no writer.
    const fresh = spawnSync(process.execPath, cli(dataDir, join(outDir, 'first.json')), { encoding: 'utf8' });
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(readdirSync(outDir)).toContain(left[0]);
    rmSync(join(outDir, 'first.json'));
    const before = (Date.now() - PARTIAL_STALE_MS - 5_000) / 1_000;
    utimesSync(join(outDir, left[0]!), before, before);

    // Not the killed export's: a file of the manager's, one an older console wrote (no writer in its name), one of an
    // export still running (this test's own process), and one another PC writes to this shared folder.
    const others = ['notes.partial', 'week.json.partial', 'old.json.0123456789ab.partial', basename(partialFile(join(outDir, 'running.json'))), 'shared.json.0123456789ab.999999999-ffffff.partial'];
    for (const f of others) writeFileSync(join(outDir, f), 'keep');

    const r = spawnSync(process.execPath, cli(dataDir, join(outDir, 'again.json')), { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`removed the part-written file that an export stopped before it finished left in ${outDir}: ${left[0]}`);
    expect(lines[1]).toMatch(/^exported 200000 events .* to .*again\.json/);
    expect(readdirSync(outDir).sort()).toEqual(['again.json', ...others].sort());

    // Nothing left to remove: nothing said.
    const quiet = spawnSync(process.execPath, cli(dataDir, join(outDir, 'third.json')), { encoding: 'utf8' });
    expect(quiet.stdout).toMatch(/^exported 200000 events [^\n]*\n$/);
  }, 120_000);
});
