import type { Range } from '../../../../shared/analytics';
import { zoneFormat } from '../../format';

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

/** Figures over less than this share of the range draw as a sliver: the charts say where they are. */
const SLIVER = 0.25;

/** A range this short draws even one 10 s sample plainly: no need to zoom further. */
const CLOSE_MS = 10 * 60_000;

/** The range that shows `drawn` across the charts, a little margin each side, within `shown`; null when it already does. */
export function zoomTo(drawn: Span | null, shown: Span): Span | null {
  if (!drawn || shown.to - shown.from <= CLOSE_MS || drawn.to - drawn.from >= SLIVER * (shown.to - shown.from)) return null;
  const pad = Math.max(60_000, Math.round((drawn.to - drawn.from) / 10));
  return { from: Math.max(shown.from, drawn.from - pad), to: Math.min(shown.to, drawn.to + pad) };
}

/** "6:02 AM to 6:08 AM on 5 Dec 2026", or with both days when it spans more than one; on `zone`'s clock (the gym's). */
export function drawnWords(drawn: Span, zone?: string): string {
  const dayFmt = (ms: number): string => zoneFormat({ day: 'numeric', month: 'short', year: 'numeric' }, zone).format(ms);
  const timeFmt = (ms: number): string => zoneFormat({ hour: 'numeric', minute: '2-digit' }, zone).format(ms);
  const last = drawn.to - 1; // the end is exclusive: a span to midnight ends that day
  return dayFmt(drawn.from) === dayFmt(last) ? `${timeFmt(drawn.from)} to ${timeFmt(drawn.to)} on ${dayFmt(drawn.from)}` : `${dayFmt(drawn.from)}, ${timeFmt(drawn.from)} to ${dayFmt(last)}, ${timeFmt(drawn.to)}`;
}
