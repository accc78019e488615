import { useState } from 'react';
import { EXPORT_FORMATS, type Category, type ExportFormat, type Range } from '../../../../shared/analytics';
import { useConsole } from '../../store/console-store';
import { useCall } from '../../components/useCall';
import { ErrorText } from '../../components/ErrorText';
import { useCan } from '../../store/auth-store';

const FORMAT_TEXT: Record<ExportFormat, string> = { csv: 'CSV (spreadsheet)', json: 'JSON', sqlite: 'SQLite file (for review on another PC)' };

/** Export the range and filters; open exports for read-only review (several make a multi-site view). */
export function ExportPanel({ range, categories, onOpened }: { range: Range; categories: Category[]; onOpened: () => void }) {
  const [format, setFormat] = useState<ExportFormat>('sqlite');
  const [paths, setPaths] = useState('');
  const [done, setDone] = useState<{ name: string; file: string; events: number } | null>(null);
  const progress = useConsole((s) => s.exportProgress);
  const exp = useCall();
  const imp = useCall();
  const canExport = useCan('analytics.export');
  const token = new URLSearchParams(location.hash.slice(1)).get('token');

  const run = async (): Promise<void> => {
    const r = await exp.call('analytics.export', { range, categories, format });
    if (r.ok) setDone(r.value);
  };
  const open = async (): Promise<void> => {
    const list = paths.split(/\n|;/).map((p) => p.trim()).filter(Boolean);
    const r = await imp.call('analytics.openExport', { paths: list });
    if (r.ok) onOpened();
  };
  const pct = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;

  return (
    <section className="card export-panel" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      {canExport && (
        <div className="row">
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} aria-label="Export format">
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_TEXT[f]}
              </option>
            ))}
          </select>
          <button type="button" className="primary" disabled={exp.busy} onClick={() => void run()}>
            Export this range
          </button>
        </div>
      )}
      {progress && !progress.finished && (
        <div className="bar bar-ok" role="progressbar" aria-label="Export progress" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
          <div style={{ width: `${pct}%` }} />
        </div>
      )}
      {done && (
        <p data-testid="export-done">
          {done.events} events saved to <span className="num">{done.file}</span>
          {token && (
            <>
              {' '}
              · <a href={`/exports/${encodeURIComponent(done.name)}?token=${encodeURIComponent(token)}`} download={done.name}>Download</a>
            </>
          )}
        </p>
      )}
      <ErrorText message={exp.error} />
      <h2 id="open-title">Open export</h2>
      <label className="field">
        <span>Path of one export per line (several make a multi-site view)</span>
        <textarea rows={2} value={paths} onChange={(e) => setPaths(e.target.value)} aria-label="Export files to open" />
      </label>
      <button type="button" disabled={imp.busy || !paths.trim()} onClick={() => void open()}>
        Open read-only
      </button>
      <ErrorText message={imp.error} />
    </section>
  );
}
