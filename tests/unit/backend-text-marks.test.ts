import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backendId, backendLines, backendText, MAX_MARKS } from '../../src/shared/backend-text';
import { MemberSchema, parseFrame, ServerFrameSchema } from '../../src/shared/protocol';
import { checkinDetail, readCheckinDetail } from '../../src/shared/words';

// probe-hostile16 F2: "Z" and 196 combining accents drew a line of accents up over the rows above it, the
// table's header and the Front desk card. Stacks are cut to MAX_MARKS marks a letter; real names keep theirs.

/** The longest run of combining marks, invisible format characters (joiners) between them not counted as a break. */
const longestStack = (s: string): number => Math.max(0, ...Array.from(s.replace(/\p{Cf}/gu, '').matchAll(/\p{M}+/gu), (m) => [...m[0]].length));

/** Names as people write them, with their accents, vowel signs and points; none may change. */
const REAL_NAMES = [
  'Nguyễn Thị Ánh Tuyết', // Vietnamese, composed
  'Nguyễn Thị Ánh Tuyết'.normalize('NFD'), // the same decomposed: two marks on ễ
  'Trần Quốc Vượng'.normalize('NFD'),
  'ณัฐพงศ์ ศรีสุวรรณ', // Thai: vowel and tone marks on one consonant
  'ธีรวัฒน์ ทองดี',
  'श्रीकृष्ण सिद्धार्थ', // Devanagari
  'क़ुर्रतुलऐन',
  'রবীন্দ্রনাথ ঠাকুর', // Bengali
  'சுப்ரமணியம்', // Tamil
  'שְׁלֹמֹה', // Hebrew with points
  'י\u05B4שָּׂ\u05E9כָר', // shin with dagesh, sin dot and qamats: three
  '\u05E9\u05BC\u05C2\u05B8רה',
  'مُحَمَّد عَلِيّ', // Arabic with shadda and vowels
  'སྒྲོལ་མ', // Tibetan: a stack of three
  'Adéọ̀lá Ọlọ́run'.normalize('NFD'), // Yoruba: dot below and a tone
  'Zoë Ångström'.normalize('NFD'),
  'José Núñez',
  '김민준',
  '👩🏽\u200D⚕️ 🏳️\u200D🌈 1️⃣', // emoji: variation selectors and a keycap are marks too
  'क्\u200Dष नामे\u200Cहा',
];

describe('combining marks in text a backend supplies', () => {
  it('names in real scripts are kept exactly, marks and all', () => {
    for (const name of REAL_NAMES) {
      expect(backendText(name), name).toBe(name);
      expect(backendLines(name), name).toBe(name);
    }
  });

  it(`a stack is cut to ${MAX_MARKS} marks on its letter`, () => {
    const accents = '\u0301\u0302\u0303\u0304\u0306\u0307\u0308';
    expect(backendText(`Z${accents.repeat(28)}`)).toBe('Z\u0301\u0302\u0303');
    expect(backendText('\u0E47'.repeat(150))).toBe('\u0E47'.repeat(3)); // marks with no letter at all
    expect(backendText(`Ana${'\u0336'.repeat(40)} Lee`)).toBe('Ana\u0336\u0336\u0336 Lee');
    // Joiners, invisible format characters and zero-width spaces between them do not start a new stack.
    expect(backendText(`x${'\u0301\u200D'.repeat(50)}y`)).toBe(`x${'\u0301\u200D'.repeat(3)}${'\u200D'.repeat(47)}y`);
    expect(backendText(`x${'\u0301\u2061'.repeat(50)}`)).toBe(`x${'\u0301\u2061'.repeat(3)}${'\u2061'.repeat(47)}`);
    expect(backendText(`x${'\u0301\u200B'.repeat(50)}`)).toBe('x\u0301\u0301\u0301');
    expect(backendLines(`reason\nZ${'\u0301'.repeat(300)}`)).toBe('reason\nZ\u0301\u0301\u0301');
    // A stack after every letter: each keeps three.
    expect(backendText(`a${'\u0300'.repeat(9)}b${'\u0300'.repeat(9)}`)).toBe('a\u0300\u0300\u0300b\u0300\u0300\u0300');
  });

  it('property: the text shown never has a longer stack, and text with short stacks is kept as it is', () => {
    const marks = fc.constantFrom('\u0301', '\u0308', '\u0336', '\u0E47', '\u05BC', '\u093C', '\u0F92', '\uFE0F', '\u20E3');
    const between = fc.constantFrom('', '', '', '\u200D', '\u200C', '\u2061', '\u200B', '\u00AD');
    const letter = fc.constantFrom('a', 'Z', 'ท', 'क', 'ש', 'م', 'ས', '\uFDFD', '👨', ' ', '1');
    fc.assert(
      fc.property(fc.array(fc.tuple(letter, fc.array(fc.tuple(marks, between), { maxLength: 40 })), { maxLength: 30 }), (parts) => {
        const s = parts.map(([l, ms]) => l + ms.map(([m, j]) => m + j).join('')).join('');
        expect(longestStack(backendText(s))).toBeLessThanOrEqual(MAX_MARKS);
        expect(longestStack(backendLines(s))).toBeLessThanOrEqual(MAX_MARKS);
      }),
    );
    const fewMarks = fc.array(fc.tuple(fc.constantFrom('a', 'Z', 'ท', 'क', 'ש', 'م', 'ས', 'é'), fc.array(marks, { maxLength: MAX_MARKS })), { maxLength: 40 });
    fc.assert(
      fc.property(fewMarks, (parts) => {
        const s = parts.map(([l, ms]) => l + ms.join('')).join('');
        expect(backendText(s)).toBe(s);
      }),
    );
  });

  it('ids are never cut: a member id and card with stacks reach the console, and its screens, as the backend sent them', () => {
    const id = `W5${'\u0336'.repeat(20)}`;
    const cardId = `C${'\u0301'.repeat(31)}`;
    const name = `Z${'\u0301'.repeat(196)}`;
    const member = MemberSchema.parse({ id, cardId, name, phone: '\u0301'.repeat(32), status: 'active', expiresOn: '2030-01-01' });
    expect(member).toMatchObject({ id, cardId, name: 'Z\u0301\u0301\u0301', phone: '\u0301\u0301\u0301' });
    const event = parseFrame(
      ServerFrameSchema,
      JSON.stringify({ t: 'event', stream: 'gym', seq: 1, ts: 1, body: { kind: 'checkin', cardId, member: { id, name, status: 'active' }, verdict: { allowed: true, reason: 'ok' }, source: 'door', occupancy: 1 } }),
    );
    expect(event).toMatchObject({ ok: true, frame: { body: { cardId, member: { id, name: 'Z\u0301\u0301\u0301' } } } });
    expect(backendId(cardId)).toBe(cardId);
    // As the analytics store keeps a check-in and its event log reads it back: the ids whole, the name cut.
    const read = readCheckinDetail(checkinDetail('ok', name, null, { memberId: id, cardId, staff: null, extra: null }));
    expect(read).toMatchObject({ who: 'Z\u0301\u0301\u0301', memberId: id, card: cardId });
  });
});
