import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { VerdictBanner } from '../../src/renderer/src/components/VerdictBanner';
import { kioskVerdictWords } from '../../src/renderer/src/kiosk/kiosk-words';
import { FoundMembers } from '../../src/renderer/src/features/overview/DeskCard';
import { formatDay } from '../../src/renderer/src/format';
import type { CheckinResult } from '../../src/shared/desk';
import type { AllowReason, DenyReason, Member, MemberStatus } from '../../src/shared/protocol';

const END = '2026-07-02';
const day = formatDay(END);
const result = (status: MemberStatus, reason: AllowReason | DenyReason, today: string | undefined, offline = false): CheckinResult => ({
  ignored: null,
  verdict: { allowed: reason === 'ok' || reason === 'expiring-soon' || reason === 'override', reason } as CheckinResult['verdict'],
  member: { id: 'M00042', cardId: '4000837832', name: 'Umar Ito', status, expiresOn: END },
  offline,
  occupancy: null,
  ...(today !== undefined && { today }),
});
const banner = (r: CheckinResult): string[] => [...renderToStaticMarkup(createElement(VerdictBanner, { result: r })).matchAll(/<div[^>]*>([^<]+)<\/div>/g)].map((m) => m[1]!);

// probe-time16b #1: "Membership ends on Jul 2, 2026" said on Jul 9, at the kiosk and the desk.
describe("a membership's end date, said by tense against the gym's day", () => {
  it('the desk banner: "ended on" once the day has passed, whatever status was stored; "ends on" / "active until" through the last day', () => {
    expect(banner(result('expiring', 'expiring-soon', '2026-07-09'))).toContain(`Membership ended on ${day}`);
    expect(banner(result('active', 'ok', '2026-07-03'))).toContain(`Membership ended on ${day}`);
    expect(banner(result('expired', 'expired', '2026-07-09', true))).toEqual(['Umar Ito', 'Denied: membership expired', `Membership ended on ${day}`, expect.stringMatching(/^Decided on this PC/)]);
    expect(banner(result('expiring', 'expiring-soon', END))).toContain(`Membership ends on ${day}`);
    expect(banner(result('active', 'ok', '2026-07-01'))).toContain(`Membership active until ${day}`);
    // No day known (an older main process): the stored status says it, as before.
    expect(banner(result('expiring', 'expiring-soon', undefined))).toContain(`Membership ends on ${day}`);
  });

  it('the kiosk: never "ends on" a day gone by; a member let in on an ended membership is told it ended', () => {
    expect(kioskVerdictWords(result('expiring', 'expiring-soon', '2026-07-09')).more).toBe(`Membership ended on ${day}`);
    expect(kioskVerdictWords(result('expiring', 'expiring-soon', END)).more).toBe(`Membership ends on ${day}`);
    expect(kioskVerdictWords(result('expired', 'ok', '2026-07-09', true)).more).toBe(`Membership ended on ${day}`);
    expect(kioskVerdictWords(result('active', 'ok', '2026-07-09')).more).toBe(`Membership ended on ${day}`);
    expect(kioskVerdictWords(result('active', 'ok', '2026-07-01')).more).toBeNull(); // in good standing: nobody else's business
    expect(kioskVerdictWords(result('expired', 'expired', '2026-07-09', true))).toMatchObject({ allowed: false, more: null });
  });

  it("the desk's lookup rows: \"ended\" once past, \"until\" through the last day", () => {
    const m = (status: MemberStatus): Member => ({ id: 'M00042', cardId: '4000837832', name: 'Umar Ito', phone: '555-0100', status, expiresOn: END });
    const row = (status: MemberStatus, today?: string): string => renderToStaticMarkup(createElement(FoundMembers, { members: [m(status)], today, onCheckIn: () => {} }));
    expect(row('active', '2026-07-09')).toContain(`ended ${day}`);
    expect(row('expiring', '2026-07-09')).toContain(`ended ${day}`);
    expect(row('expired', '2026-07-09')).toContain(`ended ${day}`);
    expect(row('active', END)).toContain(`until ${day}`);
    expect(row('expired')).toContain(`expired ${day}`);
  });
});
