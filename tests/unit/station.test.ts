import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveStation, stationFile } from '../../src/main/core/startup/station';

const fresh = () => mkdtempSync(join(tmpdir(), 'gym-station-'));

describe('a kiosk PC stays a kiosk', () => {
  it('--kiosk is remembered: a restart without flags is a kiosk again, and says so', () => {
    const dir = fresh();
    expect(resolveStation(dir, {}, false)).toEqual({ ok: true, kiosk: false, notes: [] });
    expect(resolveStation(dir, { kiosk: true }, false)).toMatchObject({ ok: true, kiosk: true, notes: [expect.stringContaining('later starts need no --kiosk')] });
    expect(resolveStation(dir, {}, false)).toMatchObject({ ok: true, kiosk: true, notes: [expect.stringContaining('start it with --desk')] });
    expect(resolveStation(dir, { kiosk: true }, false)).toEqual({ ok: true, kiosk: true, notes: [] });
  });

  it('--desk makes it a front-desk console again, for good', () => {
    const dir = fresh();
    resolveStation(dir, { kiosk: true }, false);
    expect(resolveStation(dir, { desk: true }, false)).toMatchObject({ ok: true, kiosk: false, notes: [expect.stringContaining('front-desk console again')] });
    expect(existsSync(stationFile(dir))).toBe(false);
    expect(resolveStation(dir, {}, false)).toEqual({ ok: true, kiosk: false, notes: [] });
  });

  it('a station file that cannot be read (damaged, a folder) starts a kiosk, the screen that shows least, and says why; --kiosk writes it again, --desk clears it', () => {
    const dir = fresh();
    writeFileSync(stationFile(dir), '{"kio');
    expect(resolveStation(dir, {}, false)).toEqual({
      ok: true,
      kiosk: true,
      notes: [`${stationFile(dir)} cannot be read (it is not what the console writes there); only a kiosk start writes it, so this PC starts as a kiosk check-in station, the screen that shows least. If this PC is a front desk, start it once with --desk (that removes the file); --kiosk writes it again.`],
    });
    expect((resolveStation(dir, {}, false) as { notes: string[] }).notes.join()).not.toContain('as this PC was set up');
    expect(resolveStation(dir, { kiosk: true }, false)).toMatchObject({ ok: true, kiosk: true, notes: [expect.stringContaining('now a kiosk')] });
    expect(resolveStation(dir, {}, false)).toMatchObject({ ok: true, kiosk: true });
    writeFileSync(stationFile(dir), '{"version":1}');
    expect(resolveStation(dir, {}, false)).toMatchObject({ ok: true, kiosk: true, notes: [expect.stringContaining('only a kiosk start writes it')] });
    const other = fresh();
    mkdirSync(stationFile(other));
    expect(resolveStation(other, {}, false)).toMatchObject({ ok: true, kiosk: true, notes: [`${stationFile(other)} is not a file; only a kiosk start writes it, so this PC starts as a kiosk check-in station, the screen that shows least. If this PC is a front desk, start it once with --desk (that removes the file); --kiosk writes it again.`] });
    expect(resolveStation(other, { desk: true }, false)).toMatchObject({ ok: true, kiosk: false, notes: [expect.stringContaining('front-desk console again')] });
    expect(existsSync(stationFile(other))).toBe(false);
    expect(resolveStation(other, {}, false)).toEqual({ ok: true, kiosk: false, notes: [] });
  });

  it('refuses --kiosk with --desk, and a kiosk on a run that only reviews exports; a review run is never a kiosk', () => {
    const dir = fresh();
    expect(resolveStation(dir, { kiosk: true, desk: true }, false)).toMatchObject({ ok: false, problem: expect.stringContaining('--kiosk and --desk do not go together') });
    expect(resolveStation(dir, { kiosk: true }, true)).toMatchObject({ ok: false, problem: expect.stringContaining('reviewing exports') });
    resolveStation(dir, { kiosk: true }, false);
    expect(resolveStation(dir, {}, true)).toEqual({ ok: true, kiosk: false, notes: [] });
    // The review run left the kiosk as it was.
    expect(resolveStation(dir, {}, false)).toMatchObject({ kiosk: true });
  });
});
