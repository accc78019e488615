import type { Member, MemberStatus } from '../shared/protocol';
import { pick, seededRandom } from './random';

const FIRST = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hugo', 'Isla', 'Jonas', 'Kemi', 'Liam', 'Maya', 'Noah', 'Olga', 'Pavel', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Umar', 'Vera', 'Wei', 'Xena', 'Yusuf', 'Zoe', 'Aiko', 'Bruno', 'Carmen', 'Diego', 'Emma', 'Finn', 'Hana', 'Ivan', 'Jade', 'Kofi', 'Lena', 'Marco', 'Nina', 'Omar'];
const LAST = ['Adams', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez', 'Müller', 'Nakamura', 'Okafor', 'Petrov', 'Quinto', 'Rossi', 'Silva', 'Tanaka', 'Usman', 'Varga', 'Walsh', 'Xu', 'Young', 'Zhang', 'Novak', 'Berg', 'Moreau', 'Kim'];

/** Share of each status in the seeded roster. */
const STATUS_MIX: [MemberStatus, number][] = [
  ['active', 0.72],
  ['expiring', 0.08],
  ['expired', 0.08],
  ['frozen', 0.05],
  ['unpaid', 0.07],
];

const DAY = 86_400_000;

function statusFor(r: number): MemberStatus {
  let acc = 0;
  for (const [status, share] of STATUS_MIX) {
    acc += share;
    if (r < acc) return status;
  }
  return 'active';
}

function expiryFor(status: MemberStatus, now: number, r: number): string {
  const offset = status === 'expiring' ? 1 + r * 6 : status === 'expired' ? -(1 + r * 90) : 30 + r * 335;
  return new Date(now + offset * DAY).toISOString().slice(0, 10);
}

/** Builds the same members (ids, cards, names, statuses) for the same seed; expiry dates are relative to `now`. */
export function seedRoster(size = 2400, seed = 42, now = Date.now()): Member[] {
  const rand = seededRandom(seed);
  const members: Member[] = [];
  for (let i = 0; i < size; i++) {
    const status = statusFor(rand());
    members.push({
      id: `M${String(i + 1).padStart(5, '0')}`,
      // Distinct for distinct i, always 10 digits.
      cardId: String(4_000_000_000 + i * 104_729),
      name: `${pick(rand, FIRST)} ${pick(rand, LAST)}`,
      phone: `555-${String(Math.floor(rand() * 10_000)).padStart(4, '0')}-${String(i % 10_000).padStart(4, '0')}`,
      status,
      expiresOn: expiryFor(status, now, rand()),
    });
  }
  return members;
}
