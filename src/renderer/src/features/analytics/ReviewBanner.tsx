import { UNNAMED_SITE, type AnalyticsView, type Range } from '../../../../shared/analytics';
import { showsWhole, wholeExport } from './review-span';
import { spanWords } from './trend-words';
import { useConsole } from '../../store/console-store';
import { zoneFormat } from '../../format';


type ExportSource = Extract<AnalyticsView['source'], { kind: 'export' }>;

/**
 * Whose figures these are: the export's (real or made up by a demo), never this PC's own gym, demo or
 * not; what its files cover, and what of that is shown when the range is not all of it.
 */
export function ReviewBanner({ source, range, zone, onBack, onShowAll }: { source: ExportSource; range: AnalyticsView['range']; zone: string; onBack: () => void; onShowAll: (r: Range) => void }) {
  // On the export's gym's clock, as its charts are.
  const fmtDate = (ms: number): string => zoneFormat({ dateStyle: 'medium', timeStyle: 'short' }, zone).format(ms);
  const mode = useConsole((s) => s.mode);
  const { span } = source;
  const whole = showsWhole(range, span);
  return (
    <div className="source-banner" role="status" data-testid="export-banner">
      <strong>Read-only export</strong> · {source.sites.join(' + ')} · {source.files.join(', ')}
      <button type="button" onClick={onBack}>
        {mode.review ? 'Close the export' : 'Back to live data'}
      </button>
      <p className="note" data-testid="export-span">
        {source.files.length > 1 ? 'These files cover' : 'This file covers'} {fmtDate(span.from)} – {fmtDate(span.to)} ({spanWords(span.to - span.from)})
        {whole ? '; all of it is shown.' : `; shown: ${fmtDate(range.from)} – ${fmtDate(range.to)} (${spanWords(range.to - range.from)}).`}
        {!whole && (
          <button type="button" className="inline-action" onClick={() => onShowAll(wholeExport(span))}>
            Show all of it
          </button>
        )}
      </p>
      {source.simulated ? (
        <p className="note" data-testid="export-simulated">
          Made by the console's demo: these visits are made up, not a real gym's.
        </p>
      ) : (
        <p className="note" data-testid="export-real">
          {/* Only "not the console's own demo" is known: a gym system's own test data would read the same (readme23 R10). */}
          Recorded by {source.sites.length > 1 ? 'those gyms\u2019 consoles' : 'that gym\u2019s console'} from its gym system, not by the console&apos;s demo.
        </p>
      )}
      {source.sites.includes(UNNAMED_SITE) && (
        <p className="note" data-testid="export-unnamed">
          Its console had no gym name set, so this export cannot be told from another gym&apos;s. On that console, a manager can set it under Analytics, Storage, Gym name, before the next export.
        </p>
      )}
      <p className="note" data-testid="export-not-this-pc">
        The trends, charts and event log below are the export&apos;s{mode.demo ? '; the DEMO GYM badge above is about this PC, not the export' : mode.review ? '; this PC runs no gym of its own' : ', not this PC\u2019s live data'}.
      </p>
      {source.skipped.map((s) => (
        <p key={s.file} className="note" data-testid="export-duplicate">
          {s.file === s.sameAs ? `${s.file} was opened twice` : `${s.file} holds the same data as ${s.sameAs} (same site and time span)`}; it is shown once, so no figure counts twice.
        </p>
      ))}
    </div>
  );
}
