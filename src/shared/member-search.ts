import type { Member } from './protocol';

/**
 * Text as staff type it: case and accents ignored, so "muller" finds "Müller" and "Jose" finds "José".
 * NFKD splits "ü" into "u" plus a combining mark, which is then dropped.
 */
export function foldText(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/**
 * A name or a typed query as its words: folded, an apostrophe dropped ("O'Brien" is "obrien", typed with it or
 * not), and any run of spaces or punctuation (commas, periods, hyphens) one break. So "Sami  Eriksen" (an easy
 * double space at a busy desk) and "Eriksen, Sami" are the same two words as "Sami Eriksen".
 */
export function nameWords(s: string): string[] {
  return foldText(s)
    .replace(/['’ʼ`]/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/**
 * Whether every typed word is part of its own word of the name, in any order: "eriksen sami" and "sami e" find
 * Sami Eriksen, and "jo jo" does not find Jo Smith (each typed word needs a name word of its own). A small
 * bipartite matching, since a typed word may fit more than one name word ("an" in "Anna Hanna").
 */
function wordsMatch(typed: readonly string[], name: readonly string[]): boolean {
  if (typed.length === 0 || typed.length > name.length) return false;
  const owner: number[] = name.map(() => -1); // name word → the typed word it is given to
  const place = (t: number, tried: boolean[]): boolean => {
    for (let n = 0; n < name.length; n++) {
      if (tried[n] || !name[n]!.includes(typed[t]!)) continue;
      tried[n] = true;
      if (owner[n] === -1 || place(owner[n]!, tried)) {
        owner[n] = t;
        return true;
      }
    }
    return false;
  };
  return typed.every((_, t) => place(t, name.map(() => false)));
}

/** Whether the typed words are in later and later words of the name: "sami erik" in Sami Eriksen, not in Erik Sami. */
function inOrder(typed: readonly string[], name: readonly string[]): boolean {
  let n = 0;
  for (const t of typed) {
    while (n < name.length && !name[n]!.includes(t)) n++;
    if (n++ >= name.length) return false;
  }
  return typed.length > 0;
}

/** How a member's name meets a query: in the order typed ("sami erik"), in another order ("eriksen sami"), or not. */
function nameFit(typed: readonly string[], name: string): 'in-order' | 'any-order' | null {
  const words = nameWords(name);
  if (inOrder(typed, words)) return 'in-order';
  return wordsMatch(typed, words) ? 'any-order' : null;
}

/** The parts of a query each rule reads, worked out once per search rather than once per member. */
function readQuery(query: string): { q: string; digits: string; typed: string[] } {
  const q = foldText(query);
  return { q, digits: /\p{L}/u.test(q) ? '' : q.replace(/\D/g, ''), typed: nameWords(query) };
}

const idOrCard = (m: Member, q: string): boolean => m.id.toLowerCase() === q || m.cardId.toLowerCase() === q;

/**
 * The one matching rule for the backend and the console's offline copy: id, card, 4+ phone digits, or the name's
 * words (see `wordsMatch`). Phone digits only from a query with no letters in it: "M00010" is a member id, not
 * the phones ending "0010".
 */
export function memberMatcher(query: string): (m: Member) => boolean {
  const { q, digits, typed } = readQuery(query);
  return (m) => idOrCard(m, q) || (digits.length >= 4 && m.phone.replace(/\D/g, '').includes(digits)) || nameFit(typed, m.name) !== null;
}

/**
 * The first `limit` matches and how many there are in all, so a list can say "20 of 134 shown". A member whose
 * id or card is exactly what was typed comes first: "M00070" is that member, before the phones holding 00070.
 * Then names that hold the words in the order typed, before those that hold them in another order.
 */
export function searchMembers(members: Iterable<Member>, query: string, limit = 20): { members: Member[]; total: number } {
  const { q, digits, typed } = readQuery(query);
  const exact: Member[] = [];
  const inOrder: Member[] = [];
  const rest: Member[] = [];
  let total = 0;
  for (const m of members) {
    if (idOrCard(m, q)) {
      total++;
      exact.push(m);
      continue;
    }
    const fit = nameFit(typed, m.name);
    if (fit === null && !(digits.length >= 4 && m.phone.replace(/\D/g, '').includes(digits))) continue;
    total++;
    if (fit === 'in-order') {
      if (inOrder.length < limit) inOrder.push(m);
    } else if (rest.length < limit) rest.push(m);
  }
  return { members: [...exact, ...inOrder, ...rest].slice(0, limit), total };
}
