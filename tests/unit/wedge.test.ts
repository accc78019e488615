import { describe, expect, it } from 'vitest';
import { WedgeDetector } from '../../src/shared/wedge';
import { CheckinRequestSchema, isCardId, readCard } from '../../src/shared/desk';
import { RequestBodies } from '../../src/shared/protocol';

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
  /** Types `text` then Enter with these gaps (ms) before each key, cycling. */
  const typeWith = (d: WedgeDetector, text: string, gaps: number[], start = 1000) => {
    let t = start;
    [...text].forEach((ch, i) => d.key(ch, (t += gaps[i % gaps.length]!)));
    return d.key('Enter', t + gaps[text.length % gaps.length]!);
  };

  // probe-walk14 W17: on a loaded PC the page saw some of a scan's keys 20–60 ms apart, and the kiosk's
  // manager PIN prompt took the card as a wrong PIN ("Wrong PIN.", waits, a security alert).
  it('a scan the page sees with some slow keys (a busy PC) is still a scan', () => {
    expect(typeWith(new WedgeDetector(), '4000104729', [5, 5, 45, 5])).toEqual({ kind: 'scan', code: '4000104729' });
    expect(typeWith(new WedgeDetector(), '4000104729', [8, 60, 8, 8, 8, 8, 8, 8, 8, 8, 8])).toEqual({ kind: 'scan', code: '4000104729' });
    expect(typeWith(new WedgeDetector(), '4025553876', [22, 38, 25, 31, 40, 21, 27])).toEqual({ kind: 'scan', code: '4025553876' });
    expect(typeWith(new WedgeDetector(), '4000', [5, 5, 45, 5])).toEqual({ kind: 'scan', code: '4000' });
  });

  it('a person typing, even quickly, is a person: a pause, or a pace no reader has', () => {
    expect(typeWith(new WedgeDetector(), '5678', [70, 60, 80, 65])).toEqual({ kind: 'human' }); // a quick hand on a keypad
    expect(typeWith(new WedgeDetector(), '40001047', [8, 8, 8, 8, 200])).toEqual({ kind: 'human' }); // a pause in the middle
    expect(typeWith(new WedgeDetector(), '4000104729', [45])).toEqual({ kind: 'human' }); // even, but slower than a reader
  });

  it('an entry longer than any PIN is a scan in a PIN prompt, whatever its pace', () => {
    expect(typeWith(new WedgeDetector({ longestTyped: 12 }), '4000104729123', [120])).toEqual({ kind: 'scan', code: '4000104729123' });
    expect(typeWith(new WedgeDetector({ longestTyped: 12 }), '400010472912', [120])).toEqual({ kind: 'human' });
    expect(typeWith(new WedgeDetector(), '4000104729123', [120])).toEqual({ kind: 'human' });
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

  // probe28a R4: a card scanned while a manager's PIN opened the station went to the backend as its last digits
  // ("9572", or "7" and Enter), and the member was told "Card not recognised".
  describe('listening from the middle of a burst (the check-in box appearing as a card is scanned)', () => {
    const listening = (lastKeyAt: number) => {
      const d = new WedgeDetector();
      d.listenFrom(lastKeyAt);
      return d;
    };
    it('the rest of that card, however long or short, is cut: never a scan or an entry to send', () => {
      expect(type(listening(1000), '579572', 8, 1000)).toEqual({ kind: 'cut' });
      expect(type(listening(1000), '7', 8, 1000)).toEqual({ kind: 'cut' });
      expect(typeWith(listening(1000), '9572', [40, 8, 60, 8])).toEqual({ kind: 'cut' });
      const d = listening(1000);
      expect(d.cutting).toBe(true);
      expect(d.key('Enter', 1008)).toEqual({ kind: 'cut' }); // only its Enter was left
    });
    it('the next card after it is read whole', () => {
      const d = listening(1000);
      expect(type(d, '9572', 8, 1000)).toEqual({ kind: 'cut' });
      expect(d.cutting).toBe(false);
      expect(type(d, '4216579572', 8, 3000)).toEqual({ kind: 'scan', code: '4216579572' });
    });
    it('a scan or a number typed after a pause is its own: the box was listening by then', () => {
      expect(type(listening(1000), '4216579572', 8, 1000 + 600)).toEqual({ kind: 'scan', code: '4216579572' });
      expect(type(listening(1000), '4216579572', 8, 1000 + 200)).toEqual({ kind: 'scan', code: '4216579572' });
      expect(type(listening(1000), '1234', 120, 1000 + 200)).toEqual({ kind: 'human' });
      const d = listening(1000);
      expect(d.key('Enter', 1400)).toBeNull(); // a person's Enter alone, not a card's end
      expect(listening(-Infinity).key('Enter', 5)).toBeNull(); // nothing typed before the box: nothing cut
      expect(type(listening(-Infinity), '4216579572', 8, 0)).toEqual({ kind: 'scan', code: '4216579572' });
    });
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

describe("cards as gyms' readers print them", () => {
  // A short number, a lettered one, an RFID UID as readers print it, a 24-digit one: all cards the protocol takes.
  it.each([
    ['1234', '1234'],
    ['A-123456', 'A-123456'],
    ['04:A3:2B:1C', '04:A3:2B:1C'],
    ['123456789012345678901234', '123456789012345678901234'],
    ['1234 5678 9012 3456 7890 1234', '123456789012345678901234'], // grouped as printed
    [']C1A-123456', 'A-123456'], // a barcode of a lettered card, with its symbology prefix
    [']C1123456789012345678901234', '123456789012345678901234'],
    ['04:A3:2B:1C\t', '04:A3:2B:1C'], // a reader set up to end with Tab
  ])('%s → %s, a card', (raw, card) => {
    expect(readCard(raw)).toBe(card);
    expect(isCardId(readCard(raw))).toBe(true);
  });

  it('a card the roster copy holds is taken exactly, or from inside any framing, however short', () => {
    const roster = new Set(['1234-5678', '12', '1234', ' 77', 'A;B?']);
    const known = (c: string) => roster.has(c);
    expect(readCard('1234-5678', known)).toBe('1234-5678'); // not read as 12345678
    expect(readCard('1234-5678')).toBe('12345678');
    expect(readCard(';12?', known)).toBe('12'); // a stripe of a short card
    expect(readCard(';1234=2512?', known)).toBe('1234');
    expect(readCard('%1234?', known)).toBe('1234');
    expect(readCard(' 77', known)).toBe(' 77'); // exactly as the backend has it
    expect(readCard('A;B?', known)).toBe('A;B?');
    // Nothing known in it: read as without a roster.
    expect(readCard(';4000104729=2512?', known)).toBe('4000104729');
    expect(readCard('note: see ;1234? thanks', known)).toBe('note: see ;1234? thanks');
  });
});

describe('card-number check (malformed scans are never sent)', () => {
  it.each([
    ['4000104729', true],
    ['ab12cd', true],
    ['123', true],
    ['1', true],
    ['4000-104729', true],
    ['04:A3:2B:1C', true],
    ['x'.repeat(32), true], // the protocol's bound
    ['ÿÿÿÿÿÿ', true],
    ['x'.repeat(33), false],
    ['', false],
    ['\u{1F600}'.repeat(17), false], // 34 UTF-16 units: the protocol counts as JavaScript does
    ['4000104729\u0000', false], // line noise, never typed by a reader
    ['M\u202E1000', false],
    ['a\u200Bb', false],
    [';12?', false], // a stripe that could not be read
    [';E?', false], // a reader's error track
    ['%B^x^?', false],
  ])('%s → %s', (s, ok) => {
    expect(isCardId(s)).toBe(ok);
    // What the console takes is always what the protocol takes.
    if (ok) expect(RequestBodies.checkin.shape.cardId.safeParse(s).success).toBe(true);
  });
});
