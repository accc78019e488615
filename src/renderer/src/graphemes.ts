/**
 * Cutting a name or a note by what the eye sees as one letter (a grapheme), not by UTF-16 units: an emoji
 * is two units or more (a family is 11), and a cut between them shows � or a different emoji.
 */
const letters = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const graphemes = (s: string): string[] => Array.from(letters.segment(s), (g) => g.segment);

/** At most `max` letters: a longer text keeps `max - 1` and ends in …. */
export function cutLetters(s: string, max: number): string {
  const all = graphemes(s);
  return all.length > max ? `${all.slice(0, max - 1).join('')}…` : s;
}
