import { describe, expect, it } from 'vitest';
import { formatMb } from '../../src/shared/size-words';

describe('sizes are said one way on every screen', () => {
  it('MB below a GB, GB above it; a decimal only for small numbers', () => {
    expect(formatMb(4.42)).toBe('4.4 MB');
    expect(formatMb(850)).toBe('850 MB');
    expect(formatMb(9.5 * 1024)).toBe('9.5 GB');
    expect(formatMb(64_692)).toBe('63 GB');
    expect(formatMb(2_000_000)).toBe('1,953 GB');
  });
});
