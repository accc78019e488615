import { backendText } from './backend-text';

/**
 * A member's name from the backend as every screen, log line and export shows it (protocol.ts parses each
 * name through here). backendText's cleaning, and more: a name is read by people who must tell two members
 * apart, and anything in it nobody sees made two names look the same ("Ada Exa\u00ADmple", "Ada Example" with
 * tag characters after it) or a name look blank (Hangul fillers, braille blank, zero-width characters alone).
 */

/** Shown instead of a name with nothing visible in it: the member id and card shown beside every name say whose. */
export const NO_NAME = "(no name in the gym's system)";

/**
 * Gone from names: format characters (General_Category Cf: soft hyphen, direction marks, invisible operators
 * U+2061–2064, tag characters, the Arabic letter mark, the Mongolian vowel separator), what Unicode says to draw as
 * nothing (Default_Ignorable_Code_Point: variation selectors, the combining grapheme joiner, the Hangul fillers
 * U+115F, U+1160, U+3164, U+FFA0) and the braille blank U+2800. The two joiners are judged on their own (JOINERS).
 * Direction marks go too: a name is shown as one run, on a line of its own or isolated in its cell.
 */
const INVISIBLE = /(?![\u200C\u200D])[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;

const scripts = (names: string[]): string => names.map((s) => `\\p{Script_Extensions=${s}}`).join('');
/** Scripts whose conjuncts a joiner changes: "ශ්‍රී" (Sri, in Sinhala names) is written with a zero-width joiner. */
const BRAHMIC = scripts(['Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Myanmar', 'Khmer']);
/** Scripts whose letters join: a non-joiner keeps two parts of a Persian name apart ("حسین‌زاده", Hosseinzadeh). */
const JOINING = scripts(['Arabic', 'Syriac', 'Nko']);
/**
 * The zero-width joiner (U+200D) is kept only between two letters or marks of a Brahmic script (not its punctuation), the non-joiner
 * (U+200C) only between two of a Brahmic or Arabic-like script: there they change how the name is written.
 * Anywhere else (between Latin letters, at an end, beside a space) they change nothing anyone sees, so they go;
 * a run of them is one.
 */
const KEEPS: Record<string, RegExp> = {
  '\u200D': new RegExp(`^(?=[\\p{L}\\p{M}])[${BRAHMIC}]$`, 'u'),
  '\u200C': new RegExp(`^(?=[\\p{L}\\p{M}])[${BRAHMIC}${JOINING}]$`, 'u'),
};
const JOINERS = /[\u200C\u200D]+/g;
const LAST = /.$/su;
const FIRST = /^./su;

const joiners = (s: string): string =>
  s.replace(JOINERS, (run, at: number) => {
    const j = run[0]!;
    // The character either side (two code units: it may be astral), not the whole rest: names full of joiners stay linear.
    const before = s.slice(Math.max(0, at - 2), at).match(LAST)?.[0] ?? '';
    const after = s.slice(at + run.length, at + run.length + 2).match(FIRST)?.[0] ?? '';
    return KEEPS[j]!.test(before) && KEEPS[j]!.test(after) ? j : '';
  });

/** Something to see: a letter, digit, symbol or punctuation (marks with nothing under them, and spaces, are not). */
const SEEN = /[^\p{M}\p{Z}\p{Cf}]/u;

/**
 * The name as shown: nothing invisible in it, every run of spaces (any kind: no-break, ideographic, thin) one
 * plain space, none at either end, at most `max` characters; NO_NAME when nothing visible is left.
 * Cleaning a cleaned name changes nothing.
 */
export function personName(s: string, max: number): string {
  // Joiners last but once more: cutting to `max` can leave one at the end.
  const shown = joiners(backendText(joiners(s.replace(INVISIBLE, '')), max));
  return SEEN.test(shown) ? shown : NO_NAME;
}

/** The first word of a name, to greet or mention a member by; null when the backend holds no name to use. */
export function firstName(name: string): string | null {
  return name === NO_NAME ? null : name.trim().split(/\s+/)[0] || null;
}
