import { EventEmitter } from 'node:events';
import { chownSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { healthSources, type SourceDeps } from '../../src/main/core/health/sources';
import { runChecks } from '../../src/main/core/health/checks';
import { dataDirProblem } from '../../src/main/core/data-dir';
import { folderTakesFiles, folderUnwritableWords } from '../../src/main/core/disk-words';
import { notAllowedIntoWords } from '../../src/main/core/data-dir-words';
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
  const refusing = (code = 'EACCES') => ({ flag: '--data-dir', writeRefusal: () => code });
  const HELD = "its PINs, settings and any check-ins not yet sent to the gym's system";
  const KEEP = 'Do not give it another folder: it would start empty, without those PINs and check-ins.';

  it('a folder holding a console\'s data: make this one writable again, not another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-held-'));
    writeFileSync(join(dir, 'console.db'), '');
    expect(dataDirProblem(dir, refusing())).toEqual({
      kind: 'cannot-use',
      message: `--data-dir ${dir} is not writable by this user. It holds this console's data: ${HELD}. Make it writable for this user again: chmod u+rwx ${dir}, then start the console again. ${KEEP}`,
    });
  });

  // probe-readme18 #1: a live folder owned by root (a start with sudo), mode 0700, started as another user: the
  // console could not look inside, so it said "give a folder", and the console started empty there.
  it('a folder of another owner that this user cannot look inside: names the owner and gives it back, never another folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-owned-'));
    chownSync(dir, 65534, 65534); // tests run as root: the folder belongs to someone else
    const cannotList = (): string[] => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    const me = userInfo().username;
    const owner = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[2] === '65534')?.split(':')[0] ?? 'user id 65534';
    const message = dataDirProblem(dir, { ...refusing(), list: cannotList })?.message;
    expect(message).toBe(
      `--data-dir ${dir} belongs to ${owner}, so this user (${me}) may not write in it (was the console started once with sudo?). This user cannot look inside it, so it may hold this console's data: ${HELD}. Give it back to this user: sudo chown -R ${me} ${dir}, then start the console again. ${KEEP}`,
    );
    expect(message).not.toMatch(/Give a folder/);
  });

  it('a folder on a read-only disk says so: no chmod or chown fixes that', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-disk-'));
    writeFileSync(join(dir, 'console.db'), '');
    expect(dataDirProblem(dir, refusing('EROFS'))?.message).toBe(
      `--data-dir ${dir} is on a read-only disk (mounted read-only?). It holds this console's data: ${HELD}. Make that disk writable again (mount it read-write), then start the console again. ${KEEP}`,
    );
    // probe-readme18 #5: a new folder on a read-only disk was "not writable by this user".
    expect(dataDirProblem(join(dir, 'new'), refusing('EROFS'))?.message).toBe(`--data-dir ${join(dir, 'new')} cannot be created: ${dir} is on a read-only disk (mounted read-only?). Give a folder this user can write to (--data-dir DIR, or AV_GYM_DATA_DIR=DIR).`);
  });

  it('an empty folder may be swapped for another, and says how', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-empty-'));
    expect(dataDirProblem(dir, refusing())).toEqual({ kind: 'cannot-use', message: `--data-dir ${dir} is not writable by this user. To use it, make it writable for this user again: chmod u+rwx ${dir}; or give a folder this user can write to (--data-dir DIR, or AV_GYM_DATA_DIR=DIR).` });
  });
});

describe('a data folder behind a folder this user may not enter', () => {
  // probe-readme18 #1: the default folder under a root-owned XDG_DATA_HOME said "Give a folder this user can read
  // and write", without how to give one, and without that the console's data may be in there.
  it('names the owner, gives it back for a console that has run there, and says how a new one chooses a folder', () => {
    const who = { owner: 'root', me: 'gymdesk', other: true };
    expect(notAllowedIntoWords('The data folder /srv/xdg/av-gym-console', '/srv/xdg', '--data-dir DIR, or AV_GYM_DATA_DIR=DIR', who)).toBe(
      "The data folder /srv/xdg/av-gym-console cannot be used: this user (gymdesk) is not allowed into /srv/xdg, which belongs to root (was the console started once with sudo?). If this PC's console has kept its data there (its PINs and any check-ins not yet sent), give it back to this user: sudo chown -R gymdesk /srv/xdg, then start the console again. Only for a new console, give another folder (--data-dir DIR, or AV_GYM_DATA_DIR=DIR).",
    );
  });
});
