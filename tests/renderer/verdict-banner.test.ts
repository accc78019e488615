import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { VerdictBanner } from '../../src/renderer/src/components/VerdictBanner';
import type { CheckinResult } from '../../src/shared/desk';
import { ALLOW_REASONS, DENY_REASONS, type AllowReason, type DenyReason, type MemberStatus } from '../../src/shared/protocol';

/** A desk verdict for a member of this standing, as its banner's lines of text. */
function lines(status: MemberStatus, reason: AllowReason | DenyReason): string[] {
  const result = {
    ignored: null,
    verdict: { allowed: reason === 'ok' || reason === 'expiring-soon' || reason === 'override', reason },
    member: { id: 'M00042', name: 'Tara Ito', status, expiresOn: '2026-11-06' },
    offline: false,
    occupancy: 12,
  } as CheckinResult;
  const html = renderToStaticMarkup(createElement(VerdictBanner, { result }));
  return [...html.matchAll(/<div[^>]*>([^<]+)<\/div>/g)].map((m) => m[1]!);
}

describe("the desk's verdict banner", () => {
  it('says a denial once: no "Payment overdue" under "Denied: payment overdue"', () => {
    expect(lines('unpaid', 'unpaid')).toEqual(['Tara Ito', 'Denied: payment overdue']);
    expect(lines('frozen', 'frozen')).toEqual(['Tara Ito', 'Denied: membership frozen']);
  });

  it('keeps the standing when it adds something: a date, or a fact the reason does not say', () => {
    const expired = lines('expired', 'expired');
    expect(expired).toHaveLength(3);
    expect(expired[2]).toMatch(/^Membership expired on .*2026/);
    expect(lines('unpaid', 'duplicate')).toEqual(['Tara Ito', 'Denied: already checked in', 'Payment overdue']);
    expect(lines('active', 'ok')[2]).toMatch(/^Membership active until /);
  });

  it('a card this desk let in moments ago, pressed again: the same visit, said apart from a new check-in and from a denial', () => {
    const at = new Date(2026, 11, 5, 6, 2, 24).getTime();
    const result = { ignored: 'repeat', verdict: null, member: { id: 'M00042', cardId: '4000837832', name: 'Tara Ito', status: 'active', expiresOn: '2030-01-01' }, insideSince: at, offline: false, occupancy: null } as CheckinResult;
    const html = renderToStaticMarkup(createElement(VerdictBanner, { result, card: '4000837832' }));
    expect(html).toContain('verdict-banner again');
    const said = [...html.matchAll(/<div[^>]*>([^<]+)<\/div>/g)].map((m) => m[1]!);
    expect(said).toEqual(['Tara Ito', 'M00042 · card 4000837832', `Already let in here at ${new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(at)}`, 'The same visit: not sent again, so the live list shows one check-in.']);
    expect(html).not.toMatch(/Allowed|Denied/);
  });

  // probe-hostile15 R3: shown "Denied: frozen" from a live event naming nobody, the reply then let the member in.
  it('shown from a live event and then answered otherwise: the answer names the member, wins, and says what changed', () => {
    const result = { ignored: null, verdict: { allowed: false, reason: 'frozen' }, member: null, offline: false, key: 'k1', occupancy: 3 } as CheckinResult;
    const answer = { key: 'k1', decided: { allowed: false, reason: 'frozen' }, verdict: { allowed: true, reason: 'ok' }, fromEvent: true, member: { id: 'M00032', cardId: '4000100032', name: 'Tara Ito', status: 'active', expiresOn: '2030-01-01' } } as const;
    const html = renderToStaticMarkup(createElement(VerdictBanner, { result, card: '4000100032', answer }));
    expect(html).toContain('verdict-banner ok');
    const said = [...html.matchAll(/<div[^>]*>([^<]+)<\/div>/g)].map((m) => m[1]!);
    expect(said[0]).toBe('Tara Ito');
    expect(html).toMatch(/data-testid="decided-here">The gym&#x27;s system&#x27;s answer let Tara in after all: they are checked in, so no override is needed\.</);
  });

  // readme21 R6: the badge was the member's initials, and "Omar Kim" was a big OK on a red "Denied: payment overdue" card.
  it("leads with the outcome, never the member's initials: no OK on a denial, no NO on a welcome", () => {
    const badge = (name: string | null, reason: AllowReason | DenyReason, ignored: 'repeat' | null = null): string => {
      const member = name === null ? null : { id: 'M00007', cardId: '4000000007', name, status: reason === 'unpaid' ? 'unpaid' : 'active', expiresOn: '2030-01-01' };
      const result = { ignored, verdict: ignored ? null : { allowed: (ALLOW_REASONS as readonly string[]).includes(reason), reason }, member, offline: false, occupancy: 3 } as CheckinResult;
      return /<span class="verdict-mark"[^>]*>([^<]*)<\/span>/.exec(renderToStaticMarkup(createElement(VerdictBanner, { result, card: '4000000007' })))![1]!;
    };
    expect(badge('Omar Kim', 'unpaid')).toBe('✕');
    expect(badge('Nora Olsen', 'ok')).toBe('✓');
    expect(badge(null, 'unknown-card')).toBe('✕');
    expect(badge('Nora Olsen', 'ok', 'repeat')).toBe('✓');
    for (const name of ['Omar Kim', 'Nora Olsen', 'Yusuf Eriksen', 'Ok']) {
      for (const reason of DENY_REASONS) expect(badge(name, reason)).toBe('✕');
      for (const reason of ALLOW_REASONS) expect(badge(name, reason)).toBe('✓');
    }
  });
});
