import { useState } from 'react';
import { EXPORT_FORMATS, type Category, type ExportFormat, type Range } from '../../../../shared/analytics';
import { useConsole } from '../../store/console-store';
import { plural } from '../../../../shared/words';
import { useCall } from '../../components/useCall';
import { ErrorText } from '../../components/ErrorText';
import { useCan } from '../../store/auth-hooks';
import { OpenExport, type Opened } from './OpenExport';
import { downloadExport } from '../../bridge/download-export';

const FORMAT_TEXT: Record<ExportFormat, string> = { csv: 'CSV (spreadsheet)', json: 'JSON', sqlite: 'SQLite file (for review on another PC)' };
/** Said beside the choice: a CSV chosen for a review PC was refused there (it holds no figures). */
const FORMAT_NOTE: Record<ExportFormat, string> = {
  csv: 'For a spreadsheet: check-ins and events only. It does not open on a review PC; for that, choose SQLite or JSON.',
  json: 'Opens on a review PC (Open export), with the charts and trends; SQLite opens larger ranges faster.',
  sqlite: 'Opens on a review PC (Open export), with the charts and trends. For a spreadsheet, choose CSV.',
};

/** Export the range and filters; open exports for read-only review (several make a multi-site view). */
export function ExportPanel({ range, categories, onOpened }: { range: Range; categories: Category[]; onOpened: (opened: Opened) => void }) {
  const [format, setFormat] = useState<ExportFormat>('sqlite');
  // `asked`: the range, filters and format it was made for; the line goes once any of them changes (its
  // Download under a new choice gave the old file).
  const [done, setDone] = useState<{ name: string; file: string; events: number; asked: string } | null>(null);
  const asked = JSON.stringify({ range, categories, format });
  const shown = done?.asked === asked ? done : null;
  const progress = useConsole((s) => s.exportProgress);
  const exp = useCall();
  const canExport = useCan('analytics.export');
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const [downloadError, setDownloadError] = useState<string | null>(null);

  const run = async (): Promise<void> => {
    const r = await exp.call('analytics.export', { range, categories, format });
    setDownloadError(null);
    if (r.ok) setDone({ ...r.value, asked });
  };
  const download = async (name: string, pageToken: string): Promise<void> => setDownloadError(await downloadExport(name, pageToken));
  const pct = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;

  return (
    <section className="card export-panel" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      {canExport && (
        <div className="row">
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} aria-label="Export format" aria-describedby="export-format-note">
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_TEXT[f]}
              </option>
            ))}
          </select>
          <button type="button" className="primary" disabled={exp.busy} onClick={() => void run()}>
            Export this range
          </button>
          <p className="muted note" id="export-format-note" data-testid="export-format-note">
            {FORMAT_NOTE[format]}
          </p>
        </div>
      )}
      {progress && !progress.finished && (
        <div className="bar bar-ok" role="progressbar" aria-label="Export progress" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
          <div style={{ width: `${pct}%` }} />
        </div>
      )}
      {shown && (
        <p data-testid="export-done">
          {/* In a browser the file is on the console PC: its folder there means nothing here, so the name (the path in the tooltip). */}
          {/* Counted as the event log counts ('67,087 events'), not '67087'. */}
          {plural(shown.events, 'event')} saved {token ? 'as ' : 'to '}
          <span className="num" title={shown.file} data-path={shown.file}>
            {token ? shown.name : shown.file}
          </span>
          {token && (
            <>
              {' '}
              on the console PC ·{' '}
              <button type="button" className="link" onClick={() => void download(shown.name, token)}>
                Download
              </button>
            </>
          )}
        </p>
      )}
      <ErrorText message={exp.error ?? downloadError} />
      <OpenExport onOpened={onOpened} />
    </section>
  );
}
