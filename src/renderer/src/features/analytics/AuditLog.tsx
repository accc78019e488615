import { useEffect, useState } from 'react';
import type { AuditView } from '../../../../shared/contract';
import { useCall } from '../../components/useCall';

/** Managers: every configuration change, override, discard and sign-in failure: who, when, what, before and after. */
export function AuditLog() {
  const { call, error } = useCall();
  const [rows, setRows] = useState<AuditView[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  const load = (): void => void call('audit.list', undefined).then((r) => r.ok && setRows(r.value));
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(load, []);
  return (
    <section className="card audit" aria-labelledby="audit-title">
      <header className="log-head">
        <h2 id="audit-title">Audit log</h2>
        <button type="button" onClick={load}>
          Refresh
        </button>
      </header>
      {error && <p className="error-text">{error}</p>}
      <ol data-testid="audit">
        {rows.map((a) => (
          <li key={a.id}>
            <button type="button" className="event-row" onClick={() => setOpen(open === a.id ? null : a.id)} aria-expanded={open === a.id}>
              <span className="num muted">{new Date(a.ts).toLocaleString()}</span>
              <span>{a.actor}</span>
              <strong>{a.action}</strong>
              <span className="muted">{a.subject}</span>
              <span />
            </button>
            {open === a.id && <pre className="body">{`before: ${a.before ?? '–'}\nafter:  ${a.after ?? '–'}`}</pre>}
          </li>
        ))}
      </ol>
      {rows.length === 0 && <p className="muted">Nothing recorded yet.</p>}
    </section>
  );
}
