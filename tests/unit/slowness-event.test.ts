import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { AnalyticsEngine } from '../../src/main/core/analytics/engine';
import type { AnalyticsStore, NewEvent, Sample } from '../../src/main/core/store/analytics-store';
import { SlowSpells, slownessEvent, type SpellLine } from '../../src/main/core/analytics/slowness';
import { SAMPLE_MS } from '../../src/shared/analytics';
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
    // Walkthrough 14b B4: the console's own few ms of delay mean nothing to staff when it is the backend that is slow.
    expect(e.detail).not.toMatch(/behind/);
    expect(slownessEvent({ latencyMs: 800, loopLagMs: 3 })!.detail).toMatch(/about 800 ms/);
  });

  it("the console's own delay is the console's, even when replies are slow with it", () => {
    const e = slownessEvent({ latencyMs: 900, loopLagMs: 450 })!;
    expect(e.type).toBe('slow');
    expect(eventWords({ category: 'performance', type: e.type, detail: e.detail }).what).toBe('Console running slowly');
    expect(e.detail).toMatch(/450 ms behind/);
  });

  it('nothing answering has no reply time: no slow backend, and a lagging console names none', () => {
    expect(slownessEvent({ latencyMs: null, loopLagMs: 14 })).toBeNull();
    expect(slownessEvent({ latencyMs: null, loopLagMs: 450 })!.detail).toBe('the console itself was 450 ms behind');
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

// Walkthrough 14: a slow backend wrote "Gym's system answering slowly" at every 10 s sample, 360 lines an hour,
// pushing the check-ins off the event log. Outages are told once, reminded every 5 min at most, and told over.
describe('a slow spell in the event log, told as an outage is', () => {
  function rig() {
    let t = 0;
    const lines: SpellLine[] = [];
    const spells = new SlowSpells(() => t, (l) => lines.push(l));
    const run = (ms: number, v: (i: number) => { latencyMs: number; loopLagMs: number }) => {
      for (let i = 0; i < ms / SAMPLE_MS; i++, t += SAMPLE_MS) spells.see({ connections: 4, ...v(i) });
    };
    return { lines, run };
  }
  const slow = () => ({ latencyMs: 1_500, loopLagMs: 12 });
  const quick = () => ({ latencyMs: 40, loopLagMs: 8 });

  it('once when it starts, a reminder every 5 min at most with how long, once when over with how long it lasted', () => {
    const { lines, run } = rig();
    run(22 * 60_000, slow);
    run(3 * 60_000, quick);
    expect(lines.map((l) => l.type)).toEqual(['backend-slow', 'backend-still-slow', 'backend-still-slow', 'backend-still-slow', 'backend-still-slow', 'backend-slow-over']);
    expect(lines[0]!.detail).toMatch(/^replies take about 1\.5 s/);
    expect(lines[1]!.detail).toMatch(/^for 5 min now: replies take about 1\.5 s/);
    expect(lines[4]!.detail).toMatch(/^for 20 min now:/);
    // Walkthrough 14b B8: told a minute after speed came back, it says so, so its time and the spell's length add up.
    expect(lines[5]!.detail).toBe('replies take about 40 ms again, for 1 min now; it was slow for 22 min before that');
    const words = lines.map((l) => eventWords({ category: 'performance', type: l.type, detail: l.detail }).what);
    expect(words[1]).toBe("Gym's system still answering slowly");
    expect(words[5]).toBe("Gym's system answering at normal speed again");
  });

  it('replies wavering about the line, or the console lagging every other sample, stay one spell', () => {
    const { lines, run } = rig();
    run(4 * 60_000, (i) => (i % 2 ? slow() : quick()));
    run(4 * 60_000, (i) => (i % 2 ? slow() : { latencyMs: 1_500, loopLagMs: 450 }));
    expect(lines.filter((l) => l.source === 'backend').map((l) => l.type)).toEqual(['backend-slow', 'backend-still-slow']);
    // The console's own lag, every other sample for 4 min: one spell of its own, not a line each time.
    expect(lines.filter((l) => l.source === 'console').map((l) => l.type)).toEqual(['slow']);
  });

  it('the engine writes one line for a minute of slow samples, not six', () => {
    const rows: NewEvent[] = [];
    const db = new Database(':memory:');
    db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const store = { db, record: (e: NewEvent) => rows.push(e), addSamples: () => {} } as unknown as AnalyticsStore;
    let t = 0;
    const e = new AnalyticsEngine(store, { occupancy: () => 0 } as never, () => 5_000, () => t);
    for (; t < 60_000; t += SAMPLE_MS) (e.sampler as unknown as { onSample: (s: Sample) => void }).onSample({ ts: t, values: { latencyMs: 1_501, loopLagMs: 14, connections: 2 } } as unknown as Sample);
    expect(rows.map((r) => r.type)).toEqual(['backend-slow']);
  });
});
