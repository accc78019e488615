import { describe, expect, it } from 'vitest';
import { formatMb } from '../../src/shared/size-words';
import { figure } from '../../src/shared/words';

describe('sizes are said one way on every screen', () => {
  it('MB below a GB, GB above it; a decimal only for small numbers', () => {
    expect(formatMb(4.42)).toBe('4.4 MB');
    expect(formatMb(850)).toBe('850 MB');
    expect(formatMb(9.5 * 1024)).toBe('9.5 GB');
    expect(formatMb(64_692)).toBe('63 GB');
    expect(formatMb(2_000_000)).toBe('1,953 GB');
    // The figure beside a Health check too (Disk space read "63,710 MB" beside "62 GB free.").
    expect(figure(63_710, 'MB')).toBe('62 GB');
    expect(figure(4.7, 'MB of recent changes')).toBe('4.7 MB of recent changes');
  });
});
