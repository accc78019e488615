import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT } from '../../src/main/core/heap-growth';

// setFlagsFromString ignores a flag V8 does not know: a runtime that dropped it would silently
// let the main process grow to 4x its live heap again (docs/benchmarks.md, console-1k). Its effect
// is timing-dependent in V8's heuristics, so the console-1k bench measures it, not this test.
describe('main-process heap growth', () => {
  it('is a flag this V8 knows, and bounds the heap to at most twice what survived', () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    expect(options).toContain('--heap-growing-percent');
    expect(HEAP_GROWING_PERCENT).toBeGreaterThan(0);
    expect(HEAP_GROWING_PERCENT).toBeLessThanOrEqual(100);
  });
});
