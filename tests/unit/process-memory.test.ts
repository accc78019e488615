import { afterEach, describe, expect, it, vi } from 'vitest';
import { processMemory } from '../../src/main/core/process-memory';
import { ProcessProbe } from '../../src/main/core/analytics/process-probe';

const EMFILE = () => Object.assign(new Error('EMFILE: too many open files, uv_resident_set_memory'), { code: 'EMFILE' });

afterEach(() => vi.restoreAllMocks());

describe('the process memory read every few seconds', () => {
  it('when /proc cannot be opened (out of open files) gives the last size read instead of throwing from a timer', () => {
    const before = processMemory();
    vi.spyOn(process, 'memoryUsage').mockImplementation(() => {
      throw EMFILE();
    });
    const during = processMemory();
    expect(during.rss).toBe(before.rss);
    expect(during.heapUsed).toBeGreaterThan(0);
    const probe = new ProcessProbe();
    expect(() => probe.take()).not.toThrow();
  });
});
