import { useState } from 'react';
import { useRole } from '../../store/auth-hooks';
import { useCall } from '../../components/useCall';
import { ErrorText } from '../../components/ErrorText';

/** For a manager on the phone with IT: one click puts the console's state, counts and recent errors on the clipboard. */
export function CopyDiagnostics() {
  const role = useRole();
  const { call, error, busy } = useCall();
  const [copied, setCopied] = useState(false);
  // When the clipboard refuses (no permission, an old browser), the text is shown to copy by hand.
  const [manual, setManual] = useState<string | null>(null);
  // The README's "if something is wrong" sends whoever is at the desk here: they are told who can (readme25 W13).
  if (role !== 'manager') {
    return (
      <p className="muted" data-testid="diagnostics-manager-only">
        For the gym's IT, a manager can copy this console's diagnostics here (Copy diagnostics, after Manager sign-in).
      </p>
    );
  }

  const copy = async (): Promise<void> => {
    setCopied(false);
    const r = await call('app.diagnostics', undefined);
    if (!r.ok) return;
    try {
      await navigator.clipboard.writeText(r.value.text);
      setManual(null);
      setCopied(true);
    } catch {
      setManual(r.value.text);
    }
  };

  return (
    <div className="diagnostics">
      <div className="diagnostics-row">
        <button type="button" onClick={() => void copy()} disabled={busy}>
          Copy diagnostics
        </button>
        <span role="status" className="ok-text">
          {copied ? 'Copied. Paste it into your message to IT.' : ''}
        </span>
        <span className="muted">For IT: versions, connections, outbox and recent errors. Never the backend token.</span>
      </div>
      <ErrorText message={error} />
      {manual !== null && (
        <div className="diagnostics-manual">
          <label htmlFor="diagnostics-text">The clipboard is not available here: select the text below and copy it (Ctrl+C).</label>
          <textarea id="diagnostics-text" readOnly value={manual} rows={14} onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
    </div>
  );
}
