import { describe, expect, it } from 'vitest';
import { availabilityWords, budgetWords, objectiveText, spanWords, WINDOW_TEXT } from '../../src/renderer/src/features/health/availability-words';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

// Staff saw "73.913 %" measured over 3 minutes: three decimals, and a catastrophe from a few samples.
describe('availability in staff words', () => {
  it('shows no share from under an hour of samples: says how long it has measured instead', () => {
    expect(availabilityWords(0.73913, 3 * MIN)).toBe('measured for 3 min so far');
    expect(availabilityWords(0.73913, 59 * MIN)).toBe('measured for 59 min so far');
    expect(availabilityWords(null, 0)).toBe('not measured yet');
  });

  it('rounds down, two decimals near the aim and one below it; never three', () => {
    expect(availabilityWords(0.73913, 2 * DAY)).toBe('73.9 %');
    expect(availabilityWords(0.99961, 2 * DAY)).toBe('99.96 %');
    expect(availabilityWords(0.999999, 2 * DAY)).toBe('99.99 %'); // not "100.00 %" with downtime in it
    expect(availabilityWords(1, 2 * DAY)).toBe('100 %');
    expect(availabilityWords(0.98765, 2 * DAY)).not.toMatch(/\d\.\d{3}/);
  });

  it('names the aim, the windows and the downtime left in words, with no "objective" or "budget"', () => {
    expect(objectiveText).toBe('99.9 %');
    expect(Object.values(WINDOW_TEXT)).toEqual(['Last 24 hours', 'Last 7 days', 'Last 30 days']);
    expect(budgetWords(43.2 * MIN)).toBe('43 min');
    expect(budgetWords(-90 * MIN)).toBe('1 h 30 min over');
    expect(spanWords(30 * DAY)).toBe('30 days'); // was "720 h 0 min"
    expect(spanWords(30_000)).toBe('30 s');
  });
});
