import { describe, expect, it } from 'vitest';
import { addressChange } from '../../src/renderer/src/address-follow';

describe('an open page whose address is edited (readme21 R1)', () => {
  it('follows a tab in place, and loads afresh for a kiosk mark or another key', () => {
    expect(addressChange('#token=abc', '#token=abc&tab=health')).toBe('tab');
    expect(addressChange('#token=abc&tab=health', '#token=abc&tab=pools')).toBe('tab');
    // Typed onto an address that already named one: the last wins.
    expect(addressChange('#token=abc&tab=health', '#token=abc&tab=health&tab=pools')).toBe('tab');
    expect(addressChange('#token=abc', '#token=abc&kiosk')).toBe('reload');
    expect(addressChange('#token=abc&kiosk', '#token=abc')).toBe('reload');
    expect(addressChange('#token=abc', '#token=xyz')).toBe('reload');
    // Nothing that matters changed, or the tab was taken off: the page stays as it is.
    expect(addressChange('#token=abc&tab=health', '#token=abc&tab=health&x=1')).toBe('none');
    expect(addressChange('#token=abc&tab=health', '#token=abc')).toBe('none');
  });
});
