import type { Member } from './protocol';

/**
 * Text as staff type it: case and accents ignored, so "muller" finds "Müller" and "Jose" finds "José".
 * NFKD splits "ü" into "u" plus a combining mark, which is then dropped.
 */
export function foldText(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/**
 * The one matching rule for the backend and the console's offline copy: id, card, 4+ phone digits, or part of a name.
 * Phone digits only from a query with no letters in it: "M00010" is a member id, not the phones ending "0010".
 */
export function memberMatcher(query: string): (m: Member) => boolean {
  const q = foldText(query);
  const digits = /\p{L}/u.test(q) ? '' : q.replace(/\D/g, '');
  return (m) =>
    m.id.toLowerCase() === q || m.cardId.toLowerCase() === q || (digits.length >= 4 && m.phone.replace(/\D/g, '').includes(digits)) || foldText(m.name).includes(q);
}

/**
 * The first `limit` matches and how many there are in all, so a list can say "20 of 134 shown". A member whose
 * id or card is exactly what was typed comes first: "M00070" is that member, before the phones holding 00070.
 */
export function searchMembers(members: Iterable<Member>, query: string, limit = 20): { members: Member[]; total: number } {
  const hit = memberMatcher(query);
  const q = foldText(query);
  const exact: Member[] = [];
  const out: Member[] = [];
  let total = 0;
  for (const m of members) {
    if (!hit(m)) continue;
    total++;
    if (m.id.toLowerCase() === q || m.cardId.toLowerCase() === q) exact.push(m);
    else if (out.length < limit) out.push(m);
  }
  return { members: [...exact, ...out].slice(0, limit), total };
}
