import { describe, expect, it } from 'vitest';
import { DENY_REASONS } from '../../src/shared/protocol';
import { NEXT_STEP_WORDS, noMatchWords, overridable } from '../../src/shared/words';

describe('every denial tells front desk what to do next', () => {
  it('each reason has one plain line, never a code, ending in a full stop', () => {
    for (const r of DENY_REASONS) {
      const line = NEXT_STEP_WORDS[r]({});
      expect(line, r).toMatch(/^[A-Z].*\.$/);
      for (const code of ['unknown-card', 'capacity-full', 'duplicate']) expect(line, r).not.toContain(code);
    }
  });

  it('already checked in: when, if known, and that a member who left and came back is let in with a note', () => {
    expect(NEXT_STEP_WORDS.duplicate({ insideSince: '18:42' })).toBe('Checked in at 18:42. If they left and came back, let them in with a note below: check-out is automatic, 3 hours after entry.');
    expect(NEXT_STEP_WORDS.duplicate({})).toMatch(/^If they left and came back, let them in with a note below/);
  });

  it('expired, frozen and unpaid: fix the membership first, or let them in with a note', () => {
    expect(NEXT_STEP_WORDS.expired({})).toBe('Renew the membership first, or let them in with a note below.');
    expect(NEXT_STEP_WORDS.frozen({})).toMatch(/freeze.*or let them in with a note below\.$/);
    expect(NEXT_STEP_WORDS.unpaid({})).toBe('Take the overdue payment first, or let them in with a note below.');
  });

  it('a full gym: how full, and that no override lets anyone in; an unknown card: look them up', () => {
    expect(NEXT_STEP_WORDS['capacity-full']({ count: 5, capacity: 5 })).toBe('The gym is full (5 of 5). Nobody can be let in until someone leaves, not even by override.');
    expect(NEXT_STEP_WORDS['capacity-full']({})).toBe('The gym is full. Nobody can be let in until someone leaves, not even by override.');
    // A count no gym holds, in the check-in's own answer (probe-hostile17 F6's class): not repeated to staff.
    expect(NEXT_STEP_WORDS['capacity-full']({ count: 1_000_000, capacity: 300 })).toBe('The gym is full. Nobody can be let in until someone leaves, not even by override.');
    expect(NEXT_STEP_WORDS['capacity-full']({ count: 1_310, capacity: 1_300 })).toBe('The gym is full (1,310 of 1,300). Nobody can be let in until someone leaves, not even by override.');
    // probe27a P1: decided on this PC, which cannot see who leaves.
    // review27 V3: an estimate (this PC cannot see people leave), so staff who see room may still let someone in.
    expect(NEXT_STEP_WORDS['capacity-full']({ count: 13, capacity: 13, offline: true })).toBe("The gym is full as far as this PC can count (13 of 13): it cannot see people leave while the gym's system is away. If you can see there is room, let them in with a note below; the gym's system may still turn it down when it is back.");
    expect(NEXT_STEP_WORDS['unknown-card']({})).toMatch(/^Find them by name or phone/);
    // readme27 W2: at a full gym an override would be refused: none is offered, and the words do not offer one.
    expect(NEXT_STEP_WORDS.expired({ fullNow: true })).toBe('Renew the membership first. The gym is full, so nobody can be let in by override until someone leaves.');
    expect(NEXT_STEP_WORDS.frozen({})).toBe('Lift the freeze first if it is over, or let them in with a note below.');
  });

  it('an override is offered only where the backend takes one', () => {
    expect(DENY_REASONS.filter((r) => overridable(r))).toEqual(['expired', 'frozen', 'unpaid', 'duplicate']);
    // A full gym this PC counted itself, the backend away, is an estimate: staff may judge it.
    expect(DENY_REASONS.filter((r) => overridable(r, true))).toEqual(['expired', 'frozen', 'unpaid', 'duplicate', 'capacity-full']);
  });
});

describe('a Find with no match says what it looked for and what to do next', () => {
  it('a number (a card scanned or typed): no member has it; ask for the name; not on file, register the card or sign them up', () => {
    expect(noMatchWords(' 9999999999 ')).toBe('No member has card or phone number 9999999999. Ask for their name, find them by it and check them in from the list. Not on file: register the card or sign them up in the membership system first.');
    expect(noMatchWords('M99999')).toMatch(/^No member has card or member id M99999\. Ask for their name/);
  });

  it('a name: no match, check the spelling or find them another way', () => {
    expect(noMatchWords('Zzyzx')).toBe('No member\'s name matches "Zzyzx". Check the spelling, or find them by phone number or card. Not on file: sign them up in the membership system first.');
  });

  it('searched the copy on this PC: says so, and that it lacks whoever joined since', () => {
    expect(noMatchWords('Zzyzx', true)).toMatch(/^No member's name matches "Zzyzx" in the copy on this PC \(the backend could not answer; it lacks anyone who joined since it was made\)\. /);
  });

  it('a long scan is cut to a line, and nothing ends without a full stop', () => {
    const line = noMatchWords(`%B${'4'.repeat(100)}^`);
    expect(line).toContain(`"%B${'4'.repeat(37)}…"`);
    for (const q of ['1', 'ab', '12 34-56', 'x1']) expect(noMatchWords(q)).toMatch(/^No member.*\.$/);
  });
});
