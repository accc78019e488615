import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { depthWithin, parseBoundedJson } from '../../src/shared/json-guard';

const nested = (n: number): string => '['.repeat(n) + ']'.repeat(n);

describe('bounded JSON', () => {
  it('measures depth outside strings only', () => {
    expect(depthWithin(nested(3), 3)).toBe(true);
    expect(depthWithin(nested(4), 3)).toBe(false);
    expect(depthWithin(JSON.stringify({ a: '[[[[[[[[', b: '\\"[[[[' }), 2)).toBe(true);
    expect(depthWithin(JSON.stringify({ a: { b: { c: [1] } } }), 3)).toBe(false);
  });

  it('refuses a 20,000-level nesting without recursing, and never throws', () => {
    expect(parseBoundedJson(nested(20_000))).toEqual({ ok: false, error: 'nested deeper than 32 levels' });
    expect(parseBoundedJson('{"a":')).toEqual({ ok: false, error: 'not JSON' });
  });

  it('agrees with JSON.parse on every value within the bound', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const r = parseBoundedJson(JSON.stringify(v));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => void parseBoundedJson(s)), { numRuns: 500 });
  });
});
