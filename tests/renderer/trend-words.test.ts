import { describe, expect, it } from 'vitest';
import { trendWords, halvesWords, forecastWords, notEnoughWords, spanWords, emptyWords, outageWords } from '../../src/renderer/src/features/analytics/trend-words';
import { splitAddress } from '../../src/renderer/src/components/split-address';

describe('trends in a manager\'s words', () => {
  it('a rise in errors from a tiny base is a rise, judged against its start, but not a percentage', () => {
    const w = trendWords('errorRate', { direction: 'up', changePct: 362, from: 0.001, to: 0.005 });
    expect(w.text).toBe('Errors rising: first half 0.1% → second half 0.5% of messages');
    expect(w.text).not.toMatch(/%\)/);
    expect(w).toMatchObject({ arrow: '▲', tone: 'bad' });
    // From none at all (the review PC read "Errors low: 0% → 0.6%" with a flat mark).
    expect(trendWords('errorRate', { direction: 'up', changePct: 0, from: 0, to: 0.006 })).toEqual({ text: 'Errors rising: first half 0% → second half 0.6% of messages', arrow: '▲', tone: 'bad' });
    expect(trendWords('errorRate', { direction: 'down', changePct: -80, from: 0.005, to: 0.001 })).toMatchObject({ text: 'Errors falling: first half 0.5% → second half 0.1% of messages', tone: 'good' });
    expect(trendWords('errorRate', { direction: 'up', changePct: 900, from: 0.0001, to: 0.001 }).text).toBe('Errors rising: first half under 0.1% → second half 0.1% of messages');
    // The same words at both ends are no change to tell.
    expect(trendWords('errorRate', { direction: 'up', changePct: 300, from: 0.0001, to: 0.0004 }).text).toBe('Errors low: under 0.1% of messages');
    // Other small values still read as low: 2.1 → 2.5 ms is no news.
    expect(trendWords('latencyMs', { direction: 'up', changePct: 19, from: 2.1, to: 2.5 }).text).toBe('Response time low: first half 2.1 → second half 2.5 ms');
    expect(trendWords('errorRate', { direction: 'stable', changePct: 0, from: 0.0001, to: 0.0001 }).text).toBe('Errors low: under 0.1% of messages');
  });

  it('a real change says which way, from what to what, and by how much; rising errors are bad news', () => {
    // The percentage is that of the two values shown, whatever the fitted trend's own figure.
    expect(trendWords('checkins', { direction: 'down', changePct: -51.3, from: 180, to: 90 }).text).toBe('Check-ins falling: first half 180 → second half 90 an hour (−50%)');
    const errors = trendWords('errorRate', { direction: 'up', changePct: 80, from: 0.05, to: 0.1 });
    expect(errors.text).toBe('Errors rising: first half 5% → second half 10% of messages (+100%)');
    // From nothing there is no percentage (it read "0.0 → 139 ms (+380%)").
    expect(trendWords('latencyMs', { direction: 'up', changePct: 380, from: 0, to: 139 }).text).toBe('Response time rising: first half 0.0 → second half 139 ms');
    expect(errors.tone).toBe('bad');
    expect(trendWords('occupancy', { direction: 'stable', changePct: 2, from: 100, to: 104 }).text).toBe('People inside steady: about 102');
  });

  it('the halves compared are named, with their times', () => {
    const H = 3_600_000;
    const day = (ms: number): string => `day ${Math.floor(ms / (24 * H)) + 1}`;
    const clock = (ms: number): string => `${(ms / H) % 24}:00`;
    // The day said where it changes only.
    expect(halvesWords({ from: 6 * H, to: 30 * H }, day, clock)).toBe('Each trend compares the first half of this range (day 1, 6:00 to 18:00) with the second half (18:00 to day 2, 6:00).');
    expect(halvesWords({ from: 0, to: 12 * H }, day, clock)).toBe('Each trend compares the first half of this range (day 1, 0:00 to 6:00) with the second half (6:00 to 12:00).');
  });

  it('the forecast speaks of the next full hour and how good the guesses have been, not of sigma', () => {
    const f = forecastWords({ hour: 0, checkins: 4638, low: 3752, high: 5524, connections: 6, backtestMape: 8.2, method: 'mean ±2σ' }, (ms) => (ms ? '18:00' : '17:00'));
    // "Next full hour": at 16:13 it is 17:00–18:00, not the coming 60 minutes ("Next hour" read as those).
    expect(f.text).toBe('Next full hour (17:00–18:00): expect about 4,638 check-ins, most likely between 3,752 and 5,524.');
    expect(f.note).toBe('Based on the same hour on the last 7 days; lately these guesses were off by about 8%.');
    expect(f.text + f.note).not.toMatch(/σ|mean|MAPE/);
  });
});

describe('outages in the summary', () => {
  const when = (ms: number): string => `at ${ms}`;
  it('one outage says how long and when; alerts are counted', () => {
    expect(outageWords({ downMs: 90_000, spells: [{ from: 1000, to: 91_000 }], alerts: 1 }, when)).toEqual([
      '1 outage: the gym system could not be reached for 1 min 30 s (from at 1000)',
      '1 alert fired: see the event log',
    ]);
  });
  it('several say the total and the longest; down time with no times (samples gone) is still said', () => {
    expect(outageWords({ downMs: 150_000, spells: [{ from: 0, to: 30_000 }, { from: 100_000, to: 220_000 }], alerts: 0 }, when)).toEqual([
      '2 outages: the gym system could not be reached for 2 min 30 s in all (the longest 2 min, from at 100000)',
    ]);
    expect(outageWords({ downMs: 600_000, spells: [], alerts: 2 }, when)).toEqual(['Outages: the gym system could not be reached for 10 min in all', '2 alerts fired: see the event log']);
  });
  // probe28a R5: 15 s into an outage the summary read "could not be reached for 10 s", as if it were over.
  it('one still going on is said so, since when and how long so far', () => {
    expect(outageWords({ downMs: 50_000, spells: [{ from: 1000, to: 51_000 }], alerts: 0, ongoing: true }, when)).toEqual(['An outage, still going on: the gym system has not been reachable since at 1000 (50 s so far)']);
    expect(outageWords({ downMs: 150_000, spells: [{ from: 0, to: 100_000 }, { from: 200_000, to: 250_000 }], alerts: 0, ongoing: true }, when)).toEqual([
      'An outage, still going on: the gym system has not been reachable since at 200000 (50 s so far); before it, 1 more (1 min 40 s in all)',
    ]);
  });
  it('none: nothing to say', () => {
    expect(outageWords({ downMs: 0, spells: [], alerts: 0 }, when)).toEqual([]);
  });
});

describe('backend addresses', () => {
  it('split into host and a port that is never cut', () => {
    expect(splitAddress('ws://127.0.0.1:9101')).toEqual({ host: '127.0.0.1', port: ':9101' });
    expect(splitAddress('wss://gym-backend.example.org:443')).toEqual({ host: 'gym-backend.example.org', port: ':443' });
    expect(splitAddress('ws://[::1]:9100')).toEqual({ host: '[::1]', port: ':9100' });
    expect(splitAddress('ws://10.0.0.5')).toEqual({ host: '10.0.0.5', port: '' });
  });
});

describe('too little data for a trend', () => {
  it('says how much was measured and how much a trend needs, "yet" only for a range ending now', () => {
    expect(notEnoughWords({ ms: 12 * 60_000, neededMs: 15 * 60_000, enough: false }, true)).toBe('Not enough data yet for a trend (12 minutes measured; a trend needs 15 minutes in each half of the range).');
    expect(notEnoughWords({ ms: 5 * 3_600_000, neededMs: 3 * 3_600_000, enough: false }, false)).toBe('Not enough data in this range for a trend (5 hours measured; a trend needs 3 hours in each half of the range).');
    expect(spanWords(60_000)).toBe('1 minute');
    expect(spanWords(20_000)).toBe('under a minute'); // not '0 minutes'
    expect(spanWords(3 * 86_400_000)).toBe('3 days');
  });

  it('a range with nothing in it says why: in the future, before the records, after an export', () => {
    const when = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    expect(emptyWords({ why: 'future', earliest: 0 }, false, when)).toBe('This range is in the future: nothing has been recorded in it yet.');
    expect(emptyWords({ why: 'future', earliest: 0 }, true, when)).toBe('This range is after the end of the export: there is no data in it.');
    expect(emptyWords({ why: 'before-data', earliest: Date.UTC(2026, 10, 28) }, false, when)).toBe('There is no data in this range: the records start 2026-11-28.');
    expect(emptyWords({ why: 'before-data', earliest: Date.UTC(2026, 10, 28) }, true, when)).toBe('There is no data in this range: the export starts 2026-11-28.');
    expect(emptyWords({ why: 'before-data', earliest: null }, false, when)).toBe('There is no data in this range: nothing has been recorded yet.');
    expect(emptyWords({ why: 'gap', earliest: 0 }, false, when)).toBe('Nothing was recorded in this range: the console was not running then.');
  });
});
