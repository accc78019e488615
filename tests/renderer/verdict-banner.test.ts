import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { VerdictBanner } from '../../src/renderer/src/components/VerdictBanner';
import type { CheckinResult } from '../../src/shared/desk';
import type { AllowReason, DenyReason, MemberStatus } from '../../src/shared/protocol';

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
});
