import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { FoundMembers } from '../../src/renderer/src/features/overview/DeskCard';
import { MemberSchema } from '../../src/shared/protocol';

const UNSEEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

describe("a lookup's members on the desk", () => {
  it('show ids without direction controls or invisible characters, while the member keeps them to send back', () => {
    const m = MemberSchema.parse({ id: 'M\u202E1000', cardId: '4000\u200B1\u2066', name: 'Ana Lee', phone: '555-0100', status: 'active', expiresOn: '2030-01-01' });
    expect([m.id, m.cardId]).toEqual(['M\u202E1000', '4000\u200B1\u2066']); // what Check in sends: the backend's own
    const html = renderToStaticMarkup(createElement(FoundMembers, { members: [m], onCheckIn: () => {} }));
    expect(html).not.toMatch(UNSEEN);
    expect(html).toContain('M\uFFFD1000 · 4000\uFFFD1\uFFFD'); // seen as unlike M1000, never as a reversed row
  });
});

describe('a member let in from the list', () => {
  it('has no Check in button left to press again: it says "Checked in" and is disabled; the others still offer Check in', () => {
    const a = MemberSchema.parse({ id: 'M1', cardId: '4001', name: 'Ana Lee', phone: '555-0100', status: 'active', expiresOn: '2030-01-01' });
    const b = MemberSchema.parse({ id: 'M2', cardId: '4002', name: 'Ben Lee', phone: '555-0101', status: 'active', expiresOn: '2030-01-01' });
    const html = renderToStaticMarkup(createElement(FoundMembers, { members: [a, b], checkedIn: new Set(['4001']), onCheckIn: () => {} }));
    expect(html).toContain('<button type="button" class="done" disabled="" aria-label="Ana Lee (M1) is checked in">✓ Checked in</button>');
    expect(html).toContain('aria-label="Check in Ben Lee (M2)">Check in</button>');
  });
});
