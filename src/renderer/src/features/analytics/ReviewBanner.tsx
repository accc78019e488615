import type { AnalyticsView } from '../../../../shared/analytics';
import { useConsole } from '../../store/console-store';

const fmtDate = (ms: number): string => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

type ExportSource = Extract<AnalyticsView['source'], { kind: 'export' }>;

/** Whose figures these are: the export's (real or made up by a demo), never this PC's own gym, demo or not. */
export function ReviewBanner({ source, range, onBack }: { source: ExportSource; range: AnalyticsView['range']; onBack: () => void }) {
  const mode = useConsole((s) => s.mode);
  return (
    <div className="source-banner" role="status" data-testid="export-banner">
      <strong>Read-only export</strong> · {source.sites.join(' + ')} · {fmtDate(range.from)} – {fmtDate(range.to)} · {source.files.join(', ')}
      <button type="button" onClick={onBack}>
        {mode.review ? 'Close the export' : 'Back to live data'}
      </button>
      {source.simulated ? (
        <p className="note" data-testid="export-simulated">
          Made by the console's demo: these visits are made up, not a real gym's.
        </p>
      ) : (
        <p className="note" data-testid="export-real">
          Recorded by {source.sites.length > 1 ? 'those gyms\u2019 consoles' : 'that gym\u2019s console'}: real visits, not simulated.
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
