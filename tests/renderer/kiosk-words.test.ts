import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { kioskVerdictWords, notReadWords, type KioskWords } from '../../src/renderer/src/kiosk/kiosk-words';
import { KioskVerdict } from '../../src/renderer/src/kiosk/KioskVerdict';
import { isCardId, type CheckinResult } from '../../src/shared/desk';
import { ALLOW_REASONS, DENY_REASONS, MEMBER_STATUSES, type AllowReason, type DenyReason, type MemberStatus } from '../../src/shared/protocol';

const verdict = (reason: AllowReason | DenyReason, status: MemberStatus | null, offline = false): CheckinResult =>
  ({
    ignored: null,
    verdict: { allowed: (ALLOW_REASONS as readonly string[]).includes(reason), reason },
    member: status && { id: 'M00042', name: 'Tara  Ito-Lindqvist', status, expiresOn: '2026-11-06' },
    offline,
    occupancy: 12,
  }) as CheckinResult;

/** Everything the big screen shows, as one line of text. */
const screen = (w: KioskWords): string => renderToStaticMarkup(createElement(KioskVerdict, { words: w })).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('the kiosk verdict, read by the whole queue', () => {
  it("names the member by first name only, and keeps a membership's trouble for the desk", () => {
    for (const status of MEMBER_STATUSES) {
      for (const reason of ['expired', 'frozen', 'unpaid'] as const) {
        const shown = screen(kioskVerdictWords(verdict(reason, status)));
        expect(shown).toBe('✕ Tara Not checked in Please see the front desk.');
      }
    }
  });

  it('says a denial that tells nothing about the account, once, and always where to go', () => {
    expect(screen(kioskVerdictWords(verdict('unknown-card', null)))).toBe('✕ Card not recognised Please see the front desk.');
    expect(screen(kioskVerdictWords(verdict('duplicate', 'active')))).toBe('✕ Tara Already checked in Please see the front desk.');
    expect(screen(kioskVerdictWords(verdict('capacity-full', 'unpaid')))).toBe('✕ Tara The gym is full right now Please see the front desk.');
    for (const reason of DENY_REASONS) expect(kioskVerdictWords(verdict(reason, 'active')).next).toBe('Please see the front desk.');
  });

  it("lets a member in by first name; only a membership about to end gets its date, in this PC's words", () => {
    expect(screen(kioskVerdictWords(verdict('ok', 'active')))).toBe('✓ Tara Allowed');
    const soon = kioskVerdictWords(verdict('expiring-soon', 'expiring'));
    expect(soon.more).toMatch(/^Membership ends on /);
    expect(soon.more).not.toContain('2026-11-06');
  });

  it('reads the same when decided on this PC while the backend is away: nothing about PCs, systems or confirming later', () => {
    for (const [reason, status] of [['ok', 'active'], ['expiring-soon', 'expiring'], ['unpaid', 'unpaid'], ['duplicate', 'active'], ['unknown-card', null]] as const) {
      expect(kioskVerdictWords(verdict(reason, status, true))).toEqual(kioskVerdictWords(verdict(reason, status, false)));
    }
  });

  it('a card the main process refused as not a card is "not read", as on this screen', () => {
    expect(kioskVerdictWords({ ignored: 'not-read', verdict: null, member: null, offline: false, occupancy: null })).toEqual(notReadWords());
  });
});

describe('what a kiosk says to what is not a card number', () => {
  const short = { allowed: false, mark: '!', who: null, why: 'That number is too short', more: null, next: 'Type the number on your card, or scan it.' };
  const notRead = { allowed: false, mark: '!', who: null, why: 'Card not read', more: null, next: 'Please scan again.' };

  it('tells a member who typed too few letters and digits to type the whole number, or scan', () => {
    for (const typed of ['1', '123', ' 12 34 ', '12-345', 'M0001']) expect(notReadWords(typed), typed).toEqual(short);
  });

  it('"too short" is just short of the shortest card number, as the one card pattern says', () => {
    const shortest = Array.from({ length: 64 }, (_, n) => n).find((n) => isCardId('7'.repeat(n)))!;
    expect(notReadWords('7'.repeat(shortest - 1))).toEqual(short);
    expect(isCardId('7'.repeat(shortest))).toBe(true);
  });

  it('tells anything else, junk or hostile, no more than "not read"', () => {
    for (const junk of ['', '   ', '12%', '9'.repeat(30), '<script>', '%B12^', "1' OR 1=1", '１２３']) expect(notReadWords(junk), junk).toEqual(notRead);
  });
});
