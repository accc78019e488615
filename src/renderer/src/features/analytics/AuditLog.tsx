import { useEffect, useState } from 'react';
import type { AuditView } from '../../../../shared/contract';
import { useCall } from '../../components/useCall';
import { auditChanges, auditSummary } from './audit-diff';
import { auditWords } from '../../../../shared/words';
import { checkLabel } from '../../../../shared/health';
import { formatStamp } from '../../format';

/**
 * Managers: every configuration change, override, discard and sign-in failure: who, when, what, and what changed.
 * It is this PC's: under an opened export it says so (an export carries no audit log; "Nothing recorded" read as the gym's).
 */
export function AuditLog({ reviewing = false }: { reviewing?: boolean }) {
  const { call, error } = useCall();
  const [rows, setRows] = useState<AuditView[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  const load = (): void => void call('audit.list', undefined).then((r) => r.ok && setRows(r.value));
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(load, []);
  return (
    <section className="card audit" aria-labelledby="audit-title">
      <header className="log-head">
        <h2 id="audit-title">{reviewing ? 'Audit log of this PC' : 'Audit log'}</h2>
        <button type="button" onClick={load}>
          Refresh
        </button>
      </header>
      {reviewing && (
        <p className="muted note" data-testid="audit-this-pc">
          Changes made on this PC, not at the gym whose export is open: exports carry no audit log.
        </p>
      )}
      {error && <p className="error-text">{error}</p>}
      <ol data-testid="audit">
        {rows.map((a) => {
          const changes = auditChanges(a.before, a.after, a.action);
          const what = auditWords(a.action);
          return (
            <li key={a.id}>
              <button type="button" className="audit-row" onClick={() => setOpen(open === a.id ? null : a.id)} aria-expanded={open === a.id} disabled={!changes.length}>
                {/* The spaces keep the columns apart when the row is read as text (copied, or by a screen reader). */}
                <span className="num muted">{formatStamp(a.ts)}</span>{' '}
                <span>{a.actor}</span>{' '}
                {/* The title is for a headline cut short on a narrow screen: the same words, never the action's code. */}
                <strong title={what}>{what}</strong>{' '}
                <span className="muted">{a.action.startsWith('alert.') ? checkLabel(a.subject) : a.subject}</span>{' '}
                <span className="muted">{auditSummary(a.before, a.after, a.action)}</span>
              </button>
              {open === a.id && (
                <table className="audit-diff" aria-label={`What "${what}" changed`}>
                  <thead>
                    <tr>
                      <th scope="col">Setting</th>
                      <th scope="col">Before</th>
                      <th scope="col">After</th>
                    </tr>
                  </thead>
                  <tbody>
                    {changes.map((c) => (
                      <tr key={c.field}>
                        <th scope="row">{c.field}</th>
                        <td className="num">{c.before}</td>
                        <td className="num">{c.after}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </li>
          );
        })}
      </ol>
      {rows.length === 0 && <p className="muted">Nothing recorded on this PC yet.</p>}
    </section>
  );
}
