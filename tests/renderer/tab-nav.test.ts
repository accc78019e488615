import { describe, expect, it } from 'vitest';
import { shownTabs, tabBeside, tabForDigit, tabFromHash } from '../../src/renderer/src/tab-nav';

describe('which tabs a console shows, and how keys and addresses reach them', () => {
  const review = shownTabs(true);
  const live = shownTabs(false);

  it('a review PC shows no Connection Pools or Performance: it has no backend, pools or live traffic', () => {
    expect(review).toEqual(['overview', 'analytics', 'health']);
    expect(live).toEqual(['overview', 'pools', 'performance', 'analytics', 'health']);
  });

  it('Alt+number counts the tabs shown, and does nothing past the last', () => {
    expect(tabForDigit('2', review)).toBe('analytics');
    expect(tabForDigit('2', live)).toBe('pools');
    expect(tabForDigit('4', review)).toBeNull();
    expect(tabForDigit('0', review)).toBeNull();
    expect(tabForDigit('x', review)).toBeNull();
  });

  it('arrows go round the tabs shown', () => {
    expect(tabBeside('overview', 1, review)).toBe('analytics');
    expect(tabBeside('overview', -1, review)).toBe('health');
    expect(tabBeside('health', 1, review)).toBe('overview');
  });

  it('an address naming a tab this PC does not show, or none it knows, opens Overview', () => {
    expect(tabFromHash('#token=abc&tab=pools', review)).toBe('overview');
    expect(tabFromHash('#token=abc&tab=performance', review)).toBe('overview');
    expect(tabFromHash('#token=abc&tab=nonsense', live)).toBe('overview');
    expect(tabFromHash('#token=abc', live)).toBe('overview');
    expect(tabFromHash('#token=abc&tab=analytics', review)).toBe('analytics');
    expect(tabFromHash('#token=abc&tab=pools', live)).toBe('pools');
  });
});
