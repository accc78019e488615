import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { AnalyticsEngine } from '../../src/main/core/analytics/engine';
import type { AnalyticsStore, NewEvent, Sample } from '../../src/main/core/store/analytics-store';
import { slownessEvent } from '../../src/main/core/analytics/slowness';
import { eventWords } from '../../src/shared/words';

// Walkthrough 13b F10: a backend answering in 1.5 s was logged "Console running slowly · replies took 1501 ms;
// the console itself was 14 ms behind": the console was fine, and staff were sent to look at the wrong thing.
describe('who is slow, in the event log', () => {
  it('slow replies while the console keeps up are the gym\'s system\'s, and say what still works', () => {
    const e = slownessEvent({ latencyMs: 1_501, loopLagMs: 14 })!;
    expect(e.type).toBe('backend-slow');
    expect(e.source).toBe('backend');
    const words = eventWords({ category: 'performance', type: e.type, detail: e.detail });
    expect(words.what).toBe("Gym's system answering slowly");
    expect(words.what).not.toMatch(/console/i);
    expect(e.detail).toMatch(/replies take about 1\.5 s/);
    expect(e.detail).toMatch(/check-ins still work/);
    expect(slownessEvent({ latencyMs: 800, loopLagMs: 3 })!.detail).toMatch(/about 800 ms/);
  });

  it("the console's own delay is the console's, even when replies are slow with it", () => {
    const e = slownessEvent({ latencyMs: 900, loopLagMs: 450 })!;
    expect(e.type).toBe('slow');
    expect(eventWords({ category: 'performance', type: e.type, detail: e.detail }).what).toBe('Console running slowly');
    expect(e.detail).toMatch(/450 ms behind/);
  });

  it('the engine records a slow backend as the backend, from its 10 s sample', () => {
    const rows: NewEvent[] = [];
    const db = new Database(':memory:');
    db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const store = { db, record: (e: NewEvent) => rows.push(e), addSamples: () => {} } as unknown as AnalyticsStore;
    const e = new AnalyticsEngine(store, { occupancy: () => 0 } as never, () => 5_000);
    const sample = { ts: 0, values: { latencyMs: 1_501, loopLagMs: 14 } } as unknown as Sample;
    (e.sampler as unknown as { onSample: (s: Sample) => void }).onSample(sample);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ category: 'performance', type: 'backend-slow', source: 'backend' });
  });

  it('nothing is logged while both are quick', () => {
    expect(slownessEvent({ latencyMs: 40, loopLagMs: 5 })).toBeNull();
  });
});
