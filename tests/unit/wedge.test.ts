import { describe, expect, it } from 'vitest';
import { WedgeDetector } from '../../src/shared/wedge';
import { CheckinRequestSchema, isCardId, readCard } from '../../src/shared/desk';

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
  it('a reader set up to end with Tab scans too; a person pressing Tab does not submit', () => {
    const d = new WedgeDetector();
    let t = 1000;
    for (const ch of '4000104729') d.key(ch, (t += 8));
    expect(d.key('Tab', t + 8)).toEqual({ kind: 'scan', code: '4000104729' });
    for (const ch of '4000') d.key(ch, (t += 150));
    expect(d.key('Tab', t + 150)).toBeNull();
    expect(d.key('Enter', t + 300)).toEqual({ kind: 'human' });
  });
});

describe("the card number in what a reader typed", () => {
  it.each([
    ['4000104729', '4000104729'],
    ['  4000104729 ', '4000104729'],
    [';4000104729?', '4000104729'], // track 2, number only
    [';4000104729=2512101?', '4000104729'], // track 2 with expiry and more
    ['%B4000104729^FISCHER/SAMI^2512101000?', '4000104729'], // track 1
    ['%B4000104729^FISCHER/SAMI^2512?;4000104729=2512?', '4000104729'], // both tracks in one swipe
    ['%4000104729?', '4000104729'],
    [']C14000104729', '4000104729'], // barcode symbology prefix
    ['4000 1047 29', '4000104729'], // grouped as printed on the card
    ['4000-1047-29', '4000104729'],
  ])('%s → %s', (raw, card) => {
    expect(readCard(raw)).toBe(card);
    expect(CheckinRequestSchema.parse({ cardId: raw, source: 'kiosk' }).cardId).toBe(card);
  });

  it.each(['12%', ';12?', '%B^x^?', 'Mary-Jane', 'Ann Lee', '555 12', ';40001047290000000000000000?', '4000104729\u0000', '%CARD0001^GYM/A^?', 'note: see ;CARD0009? thanks', 'x;4000104729?'])('leaves %s as it was (not a card, or a name to search)', (raw) => {
    expect(readCard(raw)).toBe(raw.trim());
  });
});

describe('card-number check (malformed scans are never sent)', () => {
  it.each([['4000104729', true], ['ab12cd', true], ['123', false], ['4000-104729', false], ['x'.repeat(21), false], ['', false], ['ÿÿÿÿÿÿ', false]])('%s → %s', (s, ok) => {
    expect(isCardId(s)).toBe(ok);
  });
});
