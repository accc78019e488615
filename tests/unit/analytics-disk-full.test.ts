import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AnalyticsEngine } from '../../src/main/core/analytics/engine';
import { openAnalytics } from '../../src/main/core/store/open-analytics';
import type { Sample } from '../../src/main/core/store/analytics-store';
import { SAMPLE_MS } from '../../src/shared/analytics';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// Probe 16 F1 (minor): with the disk full, every 10 s sample printed "unexpected error, logged and kept running"
// with a whole stack. The disk's own words go in the log, once when it starts and once when it ends.
describe("the analytics sampler on a disk that refuses writes", () => {
  it('says so once in the disk words, skips the samples without throwing, and says once when they are stored again', () => {
    dir = mkdtempSync(join(tmpdir(), 'gym-analytics-full-'));
    const { store } = openAnalytics(dir, 'UTC');
    const lines: string[] = [];
    store.report = (l) => lines.push(l);
    const engine = new AnalyticsEngine(store, { connections: () => 1, latencyMs: () => 20, poolHealth: () => 1, occupancy: () => 3 }, () => 0);
    const real = store.addSamples.bind(store);
    store.addSamples = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const sample = (i: number): Sample => ({ ...engine.sampler.take(), ts: i * SAMPLE_MS });
    const onSample = (engine.sampler as unknown as { onSample: (s: Sample) => void }).onSample;
    for (let i = 0; i < 6; i++) expect(() => onSample(sample(i))).not.toThrow();
    expect(lines).toEqual(["analytics samples could not be stored: this PC's disk is full. They are skipped until the disk takes them again (the charts show a gap there)."]);
    store.addSamples = real;
    onSample(sample(6));
    onSample(sample(7));
    expect(lines.slice(1)).toEqual(['analytics samples are stored again; 6 were skipped meanwhile.']);
    store.close();
  });
});
