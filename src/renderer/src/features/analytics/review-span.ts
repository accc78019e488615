import type { Range } from '../../../../shared/analytics';

type Span = { from: number; to: number };

/** A custom range holds at most a year (RangeSchema): a longer merge of exports shows its last year. */
const LONGEST_MS = 366 * 86_400_000;

/** The range that shows an opened export whole: what its files cover. */
export const wholeExport = (span: Span): Range => ({ from: Math.max(span.from, span.to - LONGEST_MS), to: span.to });

/** Which review a view is of, so the tab moves to its span once per review, not on every refresh. */
export const reviewKey = (files: readonly string[], span: Span): string => `${files.join('\n')}\n${span.from}-${span.to}`;

/** Whether the range on screen is the whole of the export. */
export const showsWhole = (shown: Span, span: Span): boolean => {
  const whole = wholeExport(span) as Span;
  return shown.from === whole.from && shown.to === whole.to;
};
