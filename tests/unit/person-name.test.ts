import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstName, NO_NAME, personName } from '../../src/shared/person-name';
import { MemberSchema, GymEventSchema } from '../../src/shared/protocol';

// probe-hostile18 F5: names made of characters nobody sees came through blank, and soft hyphens, invisible
// operators, tag characters and the like made a name look exactly like another member's.

const member = (name: string) => MemberSchema.parse({ id: 'M1', cardId: '1001', name, phone: '555-0100', status: 'active', expiresOn: '2030-01-01' });
/** As the desk, kiosk, live list and exports get it: through the protocol's schema. */
const clean = (s: string): string => member(s).name;
const JOINERS_ONLY_BETWEEN_LETTERS = /(?<![\p{L}\p{M}])[\u200C\u200D]|[\u200C\u200D](?![\p{L}\p{M}])/u;

describe('member names as shown', () => {
  it.each([
    ['zero-width characters alone', '\u200b\u200b\u2060'],
    ['a Hangul filler', '\u3164'],
    ['halfwidth Hangul fillers', '\uFFA0\uFFA0'],
    ['Hangul jamo fillers', '\u115F\u1160'],
    ['braille blanks', '\u2800\u2800\u2800'],
    ['direction marks alone', '\u200e\u200f'],
    ['exotic spaces alone', '\u00A0\u3000\u2009\u202F'],
    ['a soft hyphen alone', '\u00AD'],
    ['nothing', ''],
    ['accents with no letter', '\u0301\u0301'],
  ])('a name of %s is shown as having no name', (_what, name) => {
    expect(member(name).name).toBe(NO_NAME);
  });

  it.each([
    ['a soft hyphen', 'Ada Exa\u00ADmple'],
    ['an invisible times', 'Ada\u2062 Example'],
    ['invisible operators', '\u2061Ada \u2063Exa\u2064mple'],
    ['the Arabic letter mark', 'Ada \u061CExample'],
    ['the Mongolian vowel separator', 'Ada \u180EExample'],
    ['tag characters', 'Ada Example\u{E0041}\u{E0042}\u{E007F}'],
    ['variation selectors', 'Ada\uFE0F Exa\u{E0100}mple'],
    ['a combining grapheme joiner', 'Ada Ex\u034Fample'],
    ['a joiner between Latin letters', 'Ada Ex\u200Dam\u200Cple'],
    ['direction marks', '\u200EAda\u200F Example'],
    ['a Hangul filler for a space', 'Ada \u3164Example'],
    ['exotic spaces', '\u3000Ada\u00A0\u2003 Example\u202F'],
    ['a word joiner and a BOM', 'Ada\u2060 \uFEFFExample'],
  ])('a name with %s looks, and is, the plain name', (_what, name) => {
    expect(member(name).name).toBe('Ada Example');
  });

  it('a checkout event cleans its name the same way', () => {
    const e = GymEventSchema.parse({ kind: 'checkout', memberId: 'M1', name: '\u3164', auto: false, occupancy: 3 });
    expect(e.kind === 'checkout' && e.name).toBe(NO_NAME);
  });

  it.each([
    ['Persian: a non-joiner between two parts of a surname', 'حسین\u200Cزاده'],
    ['Sinhala: Sri with a joiner', 'ශ්\u200Dරී ලංකා'],
    ['Devanagari: a half form with a joiner', 'क्\u200Dष'],
    ['Malayalam: a non-joiner', 'പ്\u200Cമ'],
  ])('%s keeps it', (_what, name) => {
    expect(member(name).name).toBe(name);
  });

  it('a run of joiners is one', () => {
    expect(clean('क्\u200D\u200D\u200Cष')).toBe('क्\u200Dष');
  });

  it('names people write stay as they are', () => {
    for (const n of ['Ada Example', 'Nguyễn Thị Ánh Tuyết', 'Zoë Ångström', 'O’Brien-Smith', '李小龍', 'مُحَمَّد عَلِيّ', 'Ṣọlá Adé'])
      expect(clean(n)).toBe(n);
  });

  it('the first name of a member with no name is none: the kiosk greets nobody by "(no"', () => {
    expect(firstName(NO_NAME)).toBeNull();
    expect(firstName('Ada Example')).toBe('Ada');
  });

  // Names from anywhere: every code point, with the invisible ones, spaces and joiners made frequent.
  const hostile = fc
    .array(
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 3 }),
        fc.string({ unit: 'binary', maxLength: 3 }),
        fc.constantFrom('\u200C', '\u200D', '\u00AD', '\u2062', '\u{E0041}', '\u3164', '\u2800', '\uFE0F', '\u061C', '\u180E', ' ', '\u00A0', '\u3000', '\t', '\u0301', 'क्', 'ش', 'a'),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(''));

  it('a joiner beside a Brahmic script\'s punctuation (the Khmer sign khan) goes: only letters and marks keep one (fast-check found it)', () => {
    expect(clean('\u0915\u094D\u200C\u17D4')).toBe('\u0915\u094D\u17D4');
  });

  it('a cleaned name has no format character (but a joiner between letters), no blank, no space at an end or two together', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const n = clean(s);
        expect(n.replace(/[\u200C\u200D]/g, '')).not.toMatch(/\p{Cf}/u);
        expect(n).not.toMatch(JOINERS_ONLY_BETWEEN_LETTERS);
        expect(n).not.toMatch(/[\u3164\uFFA0\u115F\u1160\u2800]/u);
        expect(n).not.toMatch(/^\s|\s$|\s\s|[^\S ]/u);
        expect(n.length).toBeGreaterThan(0);
      }),
      { numRuns: 2_000 },
    );
  });

  it('cleaning a cleaned name changes nothing', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 60 }), (s, max) => {
        const once = clean(s);
        expect(clean(once)).toBe(once);
        // Cut short, too: a cut never leaves a joiner or a space at the end for a second cleaning to take.
        const cut = personName(s, Math.max(max, NO_NAME.length));
        expect(personName(cut, Math.max(max, NO_NAME.length))).toBe(cut);
      }),
      { numRuns: 2_000 },
    );
  });
});
