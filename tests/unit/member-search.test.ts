import { describe, expect, it } from 'vitest';
import { foldText, memberMatcher, searchMembers } from '../../src/shared/member-search';
import type { Member } from '../../src/shared/protocol';
import { Gym } from '../../src/server/gym';

const member = (id: string, name: string): Member => ({ id, cardId: `40000${id.slice(1)}`, name, phone: '555-0100-0001', status: 'active', expiresOn: '2030-01-01' });

describe('accent- and case-insensitive member search', () => {
  it('folds accents, case and combining marks', () => {
    expect(foldText('Müller')).toBe('muller');
    expect(foldText('MULLER')).toBe('muller');
    expect(foldText('Mu\u0308ller')).toBe('muller'); // "u" + combining diaeresis, as some keyboards send it
    expect(foldText('José Ñúñez')).toBe('jose nunez');
    expect(foldText('Zoë')).toBe(foldText('ZOE'));
  });

  it('"Muller" finds "Müller" and "müller" finds "Muller"; an id matches whatever its case', () => {
    const ms = [member('M00001', 'Ava Müller'), member('M00002', 'Ben Muller'), member('M00003', 'Chloe Costa')];
    expect(ms.filter(memberMatcher('Muller')).map((m) => m.id)).toEqual(['M00001', 'M00002']);
    expect(ms.filter(memberMatcher('müller')).map((m) => m.id)).toEqual(['M00001', 'M00002']);
    expect(ms.filter(memberMatcher('m00003')).map((m) => m.name)).toEqual(['Chloe Costa']);
    expect(ms.filter(memberMatcher('costa')).map((m) => m.id)).toEqual(['M00003']);
  });

  it('a member whose card is exactly what was typed comes first, even past the first 20 phones holding it', () => {
    const phone = (id: string, digits: string): Member => ({ ...member(id, `Member ${id}`), phone: `555-${digits}` });
    const ms = [...Array.from({ length: 30 }, (_, i) => phone(`M1${String(i).padStart(4, '0')}`, '4000000070')), phone('M00070', '123456')];
    const r = searchMembers(ms, '4000000070', 20);
    expect(r.members[0]!.id).toBe('M00070');
    expect(r.members).toHaveLength(20);
    expect(r.total).toBe(31);
  });

  it('a query shaped like a member id finds that id, not the phones holding its digits (probe-walk15: M00010 found M00011 by phone …0010)', () => {
    const phone = (id: string, digits: string): Member => ({ ...member(id, `Member ${id}`), phone: `555-${digits}` });
    const ms = [phone('M00010', '0009'), phone('M00011', '0010'), ...Array.from({ length: 30 }, (_, i) => phone(`M1${String(i).padStart(4, '0')}`, '000700'))];
    expect(searchMembers(ms, 'M00010')).toEqual({ members: [ms[0]], total: 1 });
    expect(searchMembers(ms, 'm00070').total).toBe(0);
    // Digits alone (with a phone's spaces and dashes) still find phones.
    expect(searchMembers(ms, '555 0010').members.map((m) => m.id)).toEqual(['M00011']);
  });

  it('returns the first matches and the total of all matches', () => {
    const ms = Array.from({ length: 50 }, (_, i) => member(`M${String(i).padStart(5, '0')}`, `Member ${i} Müller`));
    const r = searchMembers(ms, 'muller', 20);
    expect(r.members).toHaveLength(20);
    expect(r.total).toBe(50);
  });

  it('the reference backend searches the same way and sends the total', () => {
    const gym = new Gym({ rosterSize: 2400 });
    const all = [...gym.members].filter((m) => m.name.includes('Müller'));
    expect(all.length).toBeGreaterThan(20);
    const r = gym.search('Muller');
    expect(r.members).toHaveLength(20);
    expect(r.total).toBe(all.length);
    expect(r.members.every((m) => m.name.includes('Müller'))).toBe(true);
  });
});
