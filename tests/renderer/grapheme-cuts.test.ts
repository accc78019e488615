import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { VerdictBanner } from '../../src/renderer/src/components/VerdictBanner';
import { CheckinFeed } from '../../src/renderer/src/features/overview/CheckinFeed';
import { consoleStore } from '../../src/renderer/src/store/console-store';
import type { CheckinResult } from '../../src/shared/desk';
import type { CheckinEntry } from '../../src/shared/state';

// Names and notes are cut by what the eye sees as one letter: cut by UTF-16 units, an emoji (two units, a family
// eleven) was split, showing � or another emoji in the desk's initials badge and at the end of a Live check-ins note.
const FAMILY = '👨\u200D👩\u200D👧\u200D👦';
/** Half of an emoji: a high or low surrogate with no partner. */
const LONE_HALF = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badge(name: string): string {
  const result = { ignored: null, verdict: { allowed: true, reason: 'ok' }, member: { id: 'M1', name, status: 'active', expiresOn: '2030-01-01' }, offline: false, occupancy: 1 } as CheckinResult;
  const html = renderToStaticMarkup(createElement(VerdictBanner, { result }));
  return /<span class="initials"[^>]*>([^<]*)<\/span>/.exec(html)![1]!;
}

describe('the desk verdict badge', () => {
  it('takes the whole first letter of each of the first two words, an emoji or a letter with its accent', () => {
    expect(badge('Sami Eriksen')).toBe('SE');
    expect(badge('Mary Ann Smith')).toBe('MA');
    expect(badge('😀 Smith')).toBe('😀S');
    expect(badge(`${FAMILY}${FAMILY} ${FAMILY}`)).toBe(`${FAMILY}${FAMILY}`);
    expect(badge('Z\u0301oe  E\u0308va')).toBe('Z\u0301E\u0308');
    expect(badge('Madonna')).toBe('M');
  });
});

function feedNote(note: string): string {
  const entry: CheckinEntry = { seq: 1, ts: 1_000, cardId: '4000000001', memberId: 'M1', name: 'Sami Eriksen', status: 'frozen', allowed: true, reason: 'override', source: 'desk', note };
  consoleStore.setState({ checkins: [entry] });
  // Rendered on the server, the store's hook reads its first state: this test's is the one set here.
  consoleStore.getInitialState = consoleStore.getState;
  const html = renderToStaticMarkup(createElement(CheckinFeed));
  const span = /data-testid="checkin-note"[^>]*>(.*?)<\/span>/.exec(html)![1]!;
  return span.replaceAll('<!-- -->', '').replace(/^\s*· why: /, '');
}

describe('a Live check-ins note', () => {
  it('is cut after whole emoji, never through one', () => {
    // 58 letters, then emoji: the 59th letter kept is a whole emoji.
    const shown = feedNote(`${'a'.repeat(58)}${'😀'.repeat(10)}`);
    expect(shown).not.toMatch(LONE_HALF);
    expect(shown).toBe(`${'a'.repeat(58)}😀…`);
    expect(feedNote(`${'b'.repeat(57)}${FAMILY.repeat(5)}`)).toBe(`${'b'.repeat(57)}${FAMILY.repeat(2)}…`);
  });

  it('a note of 60 letters or fewer is shown whole, however many units its emoji take', () => {
    const sixty = `${'c'.repeat(50)}${'😀'.repeat(10)}`; // 70 units, 60 letters
    expect(feedNote(sixty)).toBe(sixty);
    expect(feedNote('Paid at the desk')).toBe('Paid at the desk');
  });
});
