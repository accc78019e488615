/**
 * Text a backend (or anyone on the network) supplies for people to read: member and instance names,
 * error messages, close reasons. Explicit direction controls (embeddings, overrides, isolates) are
 * removed, so a name cannot turn the rest of a line around (an override in a name reverses what follows it); so are
 * invisible zero-width spaces and BOMs, which made two names look the same. Zero-width (non-)joiners,
 * which some scripts and emoji need, and the plain direction marks stay. Stacks of combining marks are cut
 * to MAX_MARKS a letter. Never applied to ids (see backendId): they are sent back exactly as the backend sent them.
 */
const HIDDEN = /[\u202A-\u202E\u2066-\u2069\u200B\u2060\uFEFF]/g;
/** Control characters (NUL, tabs, line breaks, C1): a line on a screen or in an export has none. */
const CONTROLS = /[\p{Cc}\u2028\u2029]/gu;
/**
 * Combining marks (accents, vowel signs, points) kept on one letter. A stack of hundreds ("Z" and 196
 * accents) is drawn as a tall line up over the rows above it; no written name needs more than three
 * (Vietnamese two, Thai two, Hebrew with points and a Tibetan stack three). Joiners and other invisible
 * format characters between them do not reset the count: the marks after them still pile on the same spot.
 */
export const MAX_MARKS = 3;
const MARK_RUN = /[\p{M}\p{Cf}]+/gu;
const MARK = /\p{M}/gu;
const fewMarks = (s: string): string =>
  s.replace(MARK_RUN, (run) => {
    let kept = 0;
    return run.replace(MARK, (m) => (++kept <= MAX_MARKS ? m : ''));
  });
/** What a line on a screen keeps at most; names and reasons are far shorter. */
export const BACKEND_TEXT_MAX = 1_000;

/** Cut, with an ellipsis, never through a character written as two code units (an emoji): half of one shows as �. */
const bounded = (s: string, max: number): string => {
  if (s.length <= max) return s;
  const end = /[\uD800-\uDBFF]/.test(s.charAt(max - 2)) ? max - 2 : max - 1;
  return `${s.slice(0, end).trimEnd()}…`;
};

/** One plain line: hidden characters gone, controls and runs of spaces made one space, at most `max` characters. */
export const backendText = (s: string, max = BACKEND_TEXT_MAX): string =>
  bounded(fewMarks(s.replace(HIDDEN, '').replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim()), max);

/** As `backendText`, but line breaks are kept (as \n): a message whose first line is what staff are shown. */
export const backendLines = (s: string): string =>
  fewMarks(
    s
      .replace(HIDDEN, '')
      .replace(/\r\n?|[\u2028\u2029]/g, '\n')
      .replace(/[^\P{Cc}\n]/gu, ' '),
  );

/** A stack frame ("at f (/srv/x.js:42:7)"), a thrown error's name, or JSON: a developer's text, not a reason for staff. */
const DEVELOPER = /\n\s*at\s|\bat\s\S+\s\(?\S+:\d+:\d+\)?|\b[A-Z]\w*(?:Error|Exception)\b:|^\s*[[{]|\{\s*"/;

/** How long the line staff see of a backend's refusal can be. */
export const REFUSAL_LINE_MAX = 160;

/**
 * A backend's refusal as staff see it: a plain reason as it is (one line); a stack trace or JSON cut to its
 * first line, without the JSON (the whole of it is for the log). `developer` says whether anything was cut.
 */
export function backendRefusal(s: string): { line: string; developer: boolean } {
  const text = backendLines(s);
  if (!DEVELOPER.test(text)) return { line: backendText(text, REFUSAL_LINE_MAX * 2), developer: false };
  const first = text.split('\n').find((l) => l.trim()) ?? '';
  const json = first.search(/[[{]\s*"/);
  const line = backendText(json >= 0 ? first.slice(0, json) : first, REFUSAL_LINE_MAX);
  return { line: line || 'no reason in words; its whole answer is in the log for IT', developer: true };
}

/** Characters nobody sees: controls, format characters (direction controls, zero-width spaces, BOMs), line separators. */
export const UNSEEN_CHAR = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const UNSEEN = new RegExp(UNSEEN_CHAR.source, 'gu');

/**
 * A member or card id from a backend as staff are shown it: each character nobody sees becomes a visible
 * U+FFFD, so no id can turn a row around (U+202E) or pass for another (M1000 and M1000 with a zero-width
 * space in it look different). For screens, logs and exports only: the id itself is kept exactly as the
 * backend sent it wherever it is sent back (a check-in with a cleaned card would go to nobody).
 */
export const backendId = (s: string): string => s.replace(UNSEEN, '\uFFFD');

/** JSON for people to read (a dead letter's body): what nobody sees is written as its \u escape, as JSON may. */
export const shownJson = (json: string): string =>
  // A raw line break in JSON text is only ever its layout (inside strings JSON writes \n): it stays a break.
  json.replace(UNSEEN, (c) => c.split('').map((unit) => (unit === '\n' ? unit : `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)).join(''));
