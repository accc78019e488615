import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { CheckinFeed } from '../../src/renderer/src/features/overview/CheckinFeed';
import { consoleStore } from '../../src/renderer/src/store/console-store';
import type { CheckinEntry } from '../../src/shared/state';

// Names and notes are cut by what the eye sees as one letter: cut by UTF-16 units, an emoji (two units, a family
// eleven) was split, showing � or another emoji at the end of a Live check-ins note (the desk's badge shows no
// letters of a name since: verdict-banner.test.ts).
const FAMILY = '👨\u200D👩\u200D👧\u200D👦';
/** Half of an emoji: a high or low surrogate with no partner. */
const LONE_HALF = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

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
