import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { answeredKioskWords, CHANGED_WORDS, kioskVerdictWords, notReadWords, type KioskWords } from '../../src/renderer/src/kiosk/kiosk-words';
import type { AnsweredCheckin } from '../../src/shared/state';
import { KioskVerdict } from '../../src/renderer/src/kiosk/KioskVerdict';
import type { CheckinResult } from '../../src/shared/desk';
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

  it('a card this kiosk let in moments ago, scanned again: told they are in and to go ahead, in its own colour, by first name', () => {
    const at = new Date(2026, 11, 5, 6, 2, 24).getTime();
    const again = kioskVerdictWords({ ignored: 'repeat', verdict: null, member: { id: 'M00042', cardId: '4000837832', name: 'Tara  Ito-Lindqvist', status: 'active', expiresOn: '2026-11-06' }, insideSince: at, offline: false, occupancy: null });
    const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(at);
    expect(screen(again).replace(/&#x27;/g, "'")).toBe(`✓ Tara You're already checked in Checked in at ${clock} Go ahead.`);
    expect(again).toMatchObject({ allowed: true, again: true });
    expect(renderToStaticMarkup(createElement(KioskVerdict, { words: again }))).toContain('verdict-banner big again');
  });

  it('a card the main process refused as not a card is "not read", as on this screen', () => {
    expect(kioskVerdictWords({ ignored: 'not-read', verdict: null, member: null, offline: false, occupancy: null })).toEqual(notReadWords());
  });
});

describe('what a kiosk says to what is not a card number', () => {
  const notRead = { allowed: false, mark: '!', who: null, why: 'Card not read', more: null, next: 'Please scan again.' };

  // A short number is a card the protocol allows (the backend judges it): only what is no card at all reaches these words.
  it('tells anything it did not send, junk or hostile, no more than "not read"', () => {
    for (const junk of ['', '   ', '9'.repeat(40), ';E?', '%B12^', "1' OR 1=1", '１２３']) expect(notReadWords(junk), junk).toEqual(notRead);
  });
});

describe("a kiosk verdict the gym's system answered otherwise while it was up", () => {
  const said = (w: KioskWords): string => screen(w).replace(/&#x27;/g, "'");
  const answer = (decided: CheckinResult, verdict: AnsweredCheckin['verdict'], extra: Partial<AnsweredCheckin> = {}): AnsweredCheckin => ({ key: 'k1', decided: decided.verdict!, verdict, ...extra });

  it('first let in, then refused: sent to the desk, by first name, with no reason', () => {
    const r = { ...verdict('ok', 'active', true), key: 'k1' };
    for (const reason of ['frozen', 'unpaid', 'expired'] as const) {
      const w = answeredKioskWords(r, answer(r, { allowed: false, reason }));
      expect(said(w)).toBe(`✕ Tara Not checked in ${CHANGED_WORDS} Please see the front desk.`);
    }
  });

  it('first refused, then let in: told to go ahead', () => {
    const r = { ...verdict('duplicate', 'active', true), key: 'k1' };
    expect(said(answeredKioskWords(r, answer(r, { allowed: true, reason: 'ok' })))).toBe(`✓ Tara Allowed ${CHANGED_WORDS} Go ahead.`);
  });

  it('shown from the live event naming nobody: the answer names the member, first name only', () => {
    const r = { ...verdict('frozen', null), key: 'k1' };
    const a = answer(r, { allowed: true, reason: 'ok' }, { fromEvent: true, member: { id: 'M00032', cardId: '4000100032', name: 'Mia Thirtytwo', status: 'active', expiresOn: '2030-01-01' } });
    expect(said(answeredKioskWords(r, a))).toBe(`✓ Mia Allowed ${CHANGED_WORDS} Go ahead.`);
  });

  it('confirmed, or an answer it could not read: the verdict stays as it was, nothing said', () => {
    const r = { ...verdict('ok', 'active', true), key: 'k1' };
    expect(answeredKioskWords(r, answer(r, { allowed: true, reason: 'ok' }))).toEqual(kioskVerdictWords(r));
    expect(answeredKioskWords(r, answer(r, null))).toEqual(kioskVerdictWords(r));
    expect(answeredKioskWords(r, undefined)).toEqual(kioskVerdictWords(r));
  });
});
