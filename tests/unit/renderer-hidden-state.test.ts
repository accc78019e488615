import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));

/** Top-level declarations that can change after load: `let`/`var`, or a `const` holding an array, object or instance (unless `as const`). */
const MUTABLE_LINE = /^(?:export )?(?:let|var)\s|^(?:export )?const \w+(?:: [^=]+)? = (?:\[|\{|new )(?!.*\bas const;$)/;
const MUTABLE = { test: (source: string): boolean => source.split('\n').some((l) => MUTABLE_LINE.test(l)) };
/** The page publishing something on window/globalThis: only the bench may install probes. */
const PUBLISHES = /(?:globalThis|window)(?:\.\w+|\[[^\]]+\])\s*=(?!=)|(?:globalThis|window) as /;

describe('renderer state has one home, the store', () => {
  it('store/ keeps no module-level mutable state', () => {
    const found = files('src/renderer/src/store').filter((f) => MUTABLE.test(readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('the charts and the Performance tab keep no module-level arrays or objects either', () => {
    const found = [...files('src/renderer/src/components/charts'), ...files('src/renderer/src/features/performance')]
      .filter((f) => !f.endsWith('time-ticks.ts')) // a memo of date formatters, not state
      .filter((f) => MUTABLE.test(readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('the renderer publishes nothing on window for benchmarks', () => {
    const found = files('src/renderer/src').filter((f) => PUBLISHES.test(readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('these checks catch what they are for', () => {
    expect(MUTABLE.test("import x from 'y';\nlet early: StatePatch[] = [];")).toBe(true);
    expect(MUTABLE.test('const rendererHeap: { x: number; y: number }[] = [];')).toBe(true);
    expect(MUTABLE.test('export const patchStats = { count: 0 };')).toBe(true);
    expect(MUTABLE.test("const KEEP = 3_600;\nconst WINDOWS = [5, 15] as const;\nexport const useX = () => 1;")).toBe(false);
    expect(PUBLISHES.test('(globalThis as { gymPatchStats?: T }).gymPatchStats = patchStats;')).toBe(true);
    expect(PUBLISHES.test('window.gymPatchStats = stats;')).toBe(true);
    expect(PUBLISHES.test('if (window.gym) return window.gym;')).toBe(false);
  });
});
