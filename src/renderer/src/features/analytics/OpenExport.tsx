import { useEffect, useRef, useState } from 'react';
import type { ExportPicker } from '../../../../shared/contract';
import { consoleApi } from '../../store/sync';
import { useCall } from '../../components/useCall';
import { ErrorText } from '../../components/ErrorText';
import { uploadExport } from '../../bridge/upload-export';

/**
 * Open exports for read-only review; several make a multi-site view. Files are chosen with the
 * desktop's own dialog or the browser's file chooser, never typed: the screens name no paths.
 */
/** What was opened: its files, and what they cover. */
export type Opened = { files: string[]; from: number; to: number };

export function OpenExport({ onOpened }: { onOpened: (opened: Opened) => void }) {
  const [picker, setPicker] = useState<ExportPicker | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const imp = useCall();

  useEffect(() => {
    void consoleApi()
      .call('app.info')
      .then((r) => setPicker(r.ok ? r.value.exportPicker : 'upload'));
  }, []);

  const open = async (refs: string[]): Promise<void> => {
    if (refs.length === 0) return;
    const r = await imp.call('analytics.openExport', { refs });
    if (r.ok) onOpened(r.value);
    else if (r.error.code === 'export-cancelled') imp.clearError(); // the user's own choice: nothing to report
  };
  const pick = async (): Promise<void> => {
    const r = await imp.call('analytics.pickExport', undefined);
    if (r.ok) await open(r.value.map((f) => f.ref));
  };
  const upload = async (files: File[]): Promise<void> => {
    const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
    imp.clearError();
    setUploadError(null);
    setUploading(files.length);
    const sent = await Promise.all(files.map((f) => uploadExport(f, token)));
    setUploading(0);
    if (input.current) input.current.value = ''; // the same files may be chosen again
    const failed = sent.find((s) => !s.ok);
    if (failed && !failed.ok) return setUploadError(failed.message);
    await open(sent.flatMap((s) => (s.ok ? [s.ref] : [])));
  };

  return (
    <>
      <h2 id="open-title">Open export</h2>
      <p className="muted">Review exports from this or another gym, read-only. Choose several to see them as one: their figures are added together (several gyms, or one gym's different days).</p>
      {picker === 'dialog' && (
        <button type="button" disabled={imp.busy} onClick={() => void pick()}>
          Choose export files…
        </button>
      )}
      {picker === 'upload' && (
        <label className="field">
          <span>Export files (.sqlite or .json)</span>
          <input ref={input} type="file" multiple accept=".sqlite,.json" disabled={imp.busy || uploading > 0} onChange={(e) => void upload([...(e.target.files ?? [])].slice(0, 10))} aria-label="Export files to open" />
        </label>
      )}
      {(uploading > 0 || imp.busy) && (
        <p role="status" className="opening">
          {uploading > 0 ? `Reading ${uploading} file${uploading > 1 ? 's' : ''}…` : 'Opening… (a large export takes a few seconds; the console keeps working meanwhile)'}
          {imp.busy && (
            <button type="button" onClick={() => void consoleApi().call('analytics.cancelOpen', undefined)}>
              Cancel
            </button>
          )}
        </p>
      )}
      <ErrorText message={uploadError ?? imp.error} />
    </>
  );
}
