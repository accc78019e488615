import { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { healthSources, type SourceDeps } from '../../src/main/core/health/sources';
import { runChecks } from '../../src/main/core/health/checks';
import { dataDirProblem } from '../../src/main/core/data-dir';
import { folderTakesFiles, folderUnwritableWords } from '../../src/main/core/disk-words';
import { FakeClock } from '../helpers/fake-clock';
import { healthyInputs } from '../helpers/health-inputs';

// probe-hostile16b F3: a data folder made read-only while the console ran stayed "ok" in Health (SQLite writes
// on through open files), and the start after told IT to "give a folder", an empty one without the PINs and queue.
// Tests run as root, whom chmod does not stop: the folder's answer is a seam.

function rig(dir: string) {
  const clock = new FakeClock();
  const feed = Object.assign(new EventEmitter(), { applied: 0, head: 0 });
  let writable = true;
  let probes = 0;
  const deps = {
    clock,
    pools: { feed, connectionView: () => ({ endpoints: [] }), list: () => [] },
    outbox: { view: () => ({ queued: 5, inFlight: 2 }), alert: null },
    analytics: { storage: () => ({ freeDiskMb: 100 }), store: { sizes: () => ({ dbMb: 0, walMb: 0 }), lastCheckpoint: null, damaged: null, file: null } },
    desk: { cache: { size: 0, syncedAt: null }, rosterRefused: null },
    audit: { countSince: () => 0 },
    consoleDbFile: null,
    dataDir: dir,
    takesFiles: () => (probes++, writable),
    storeWarning: null,
    startupWarnings: () => [],
    lastPerf: () => null,
  } as unknown as SourceDeps;
  const read = healthSources(deps);
  const stores = () => runChecks({ ...healthyInputs(), stores: read().stores }).find((c) => c.id === 'stores')!;
  return { clock, stores, set: (w: boolean) => (writable = w), probes: () => probes };
}

describe('Health while the data folder cannot be written', () => {
  it('warns in IT\'s words within a minute, with what a start elsewhere would leave behind, and clears when writable again', () => {
    const r = rig('/srv/gym-data');
    expect(r.stores().status).toBe('ok');
    r.set(false);
    r.clock.advance(60_000);
    const c = r.stores();
    expect(c.status).toBe('degraded');
    // Seen in Health (e2e unwritable-folder): "keeps working on the files it has open" was SQLite's view, not IT's.
    expect(c.reason).toBe("The console's data folder /srv/gym-data can no longer be written. The console keeps working for now, but it will not start again until the folder is writable: tell the gym's IT to make this folder writable again. Do not start the console on another folder, or it starts without this PC's PINs and the 7 check-ins and staff actions not yet sent.");
    r.set(true);
    r.clock.advance(60_000);
    expect(r.stores().status).toBe('ok');
  });

  it('probes the folder at most once a minute, however often Health reads', () => {
    const r = rig('/srv/gym-data');
    for (let i = 0; i < 30; i++) {
      r.stores();
      r.clock.advance(1_000);
    }
    expect(r.probes()).toBe(1);
    r.clock.advance(30_000);
    r.stores();
    expect(r.probes()).toBe(2);
  });

  it('with nothing waiting it names the PINs and settings, not "0 check-ins"', () => {
    expect(folderUnwritableWords('/d', 0)).toMatch(/or it starts without this PC's PINs and settings\.$/);
  });

  it('the probe makes a file in a writable folder and leaves nothing behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-probe-'));
    expect(folderTakesFiles(dir)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the start refusal for a data folder this user cannot write', () => {
  const readOnly = { flag: '--data-dir', writable: () => false };

  it('a folder holding a console\'s data: make this one writable again, not another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-held-'));
    writeFileSync(join(dir, 'console.db'), '');
    expect(dataDirProblem(dir, readOnly)).toEqual({
      kind: 'cannot-use',
      message: `--data-dir ${dir} is not writable by this user, and it holds this console's data: its PINs, settings and any check-ins not yet sent to the gym's system. Make this folder writable for this user again and start the console again. Do not give it another folder: it would start empty, without those PINs and check-ins.`,
    });
  });

  it('an empty folder keeps the words it had', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-empty-'));
    expect(dataDirProblem(dir, readOnly)).toEqual({ kind: 'cannot-use', message: `--data-dir ${dir} is not writable by this user. Give a folder this user can write to.` });
  });
});
