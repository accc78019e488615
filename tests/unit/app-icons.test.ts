import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRAY_STATUS } from '../../src/main/electron/tray-status';

const res = join(import.meta.dirname, '../../resources');
/** Width and height from a PNG's IHDR chunk. */
const pngSize = (file: string) => {
  const b = readFileSync(join(res, file));
  expect(b.subarray(1, 4).toString('latin1'), file).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
};

describe('resources/: icons drawn from icon.svg by scripts/icons.mjs', () => {
  it('has the app icon at 512x512 at least', () => {
    const { width, height } = pngSize('icon.png');
    expect(width).toBeGreaterThanOrEqual(512);
    expect(height).toBe(width);
  });

  it("has Linux's NxN.png set, each the size its name says", () => {
    for (const n of [16, 32, 48, 64, 128, 256, 512]) expect(pngSize(`icons/${n}x${n}.png`)).toEqual({ width: n, height: n });
  });

  it("has Windows' .ico with 16 to 256 px inside", () => {
    const ico = readFileSync(join(res, 'icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1); // an icon, not a cursor
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16] || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });

  it('has a tray picture for every backend state, with its high-DPI twin, and words for it', () => {
    for (const { icon, words } of Object.values(TRAY_STATUS)) {
      expect(pngSize(icon)).toEqual({ width: 16, height: 16 });
      expect(pngSize(icon.replace('.png', '@2x.png'))).toEqual({ width: 32, height: 32 });
      expect(words.length).toBeGreaterThan(10);
    }
    expect(new Set(Object.values(TRAY_STATUS).map((s) => s.icon)).size).toBe(3);
  });

  it('has the desktop entry metadata the Linux packages use', () => {
    const entry = JSON.parse(readFileSync(join(res, 'desktop-entry.json'), 'utf8')) as Record<string, string>;
    expect(entry.Name).toBe('AV Gym Console');
    expect(entry.Comment).toBeTruthy();
    expect(entry.Categories).toMatch(/^(\w+;)+$/);
    expect(existsSync(join(res, 'icon.svg'))).toBe(true);
  });
});
