import { describe, expect, it } from 'vitest';
import { WedgeDetector } from '../../src/shared/wedge';
import { isCardId } from '../../src/shared/desk';

const type = (d: WedgeDetector, text: string, gapMs: number, start = 1000) => {
  let t = start;
  let out = null;
  for (const ch of text) out = d.key(ch, (t += gapMs)) ?? out;
  return d.key('Enter', t + gapMs) ?? out;
};

describe('keyboard-wedge detection', () => {
  it('takes a fast burst ending in Enter as a scan', () => {
    expect(type(new WedgeDetector(), '4000104729', 8)).toEqual({ kind: 'scan', code: '4000104729' });
  });
  it('takes slow typing as a person, not a scan', () => {
    expect(type(new WedgeDetector(), '4000104729', 120)).toEqual({ kind: 'human' });
  });
  it('one slow key in the burst makes it human', () => {
    const d = new WedgeDetector();
    let t = 0;
    for (const [i, ch] of [...'40001047'].entries()) d.key(ch, (t += i === 4 ? 60 : 8));
    expect(d.key('Enter', t + 8)).toEqual({ kind: 'human' });
  });
  it('ignores a lone Enter and modifier keys, and starts fresh after a pause', () => {
    const d = new WedgeDetector();
    expect(d.key('Enter', 0)).toBeNull();
    d.key('Shift', 5);
    d.key('1', 10);
    d.key('2', 15);
    expect(type(d, '4000104729', 8, 2000)).toEqual({ kind: 'scan', code: '4000104729' });
  });
});

describe('card-number check (malformed scans are never sent)', () => {
  it.each([['4000104729', true], ['ab12cd', true], ['123', false], ['4000-104729', false], ['x'.repeat(21), false], ['', false], ['ÿÿÿÿÿÿ', false]])('%s → %s', (s, ok) => {
    expect(isCardId(s)).toBe(ok);
  });
});
