import { useEffect, useState, type FormEvent } from 'react';
import type { RequestOutput } from '../../../../shared/contract';
import { useCall } from '../../components/useCall';
import { useConsole } from '../../store/console-store';
import { typedNumber } from '../../components/typed-number';
import { ErrorText, invalidProps } from '../../components/ErrorText';
import { formatTime } from '../../format';
import { noticeWords } from '../../../../shared/words';
import { receiverName } from './receiver-name';

/** A Standard Webhooks secret: 32 random bytes, base64, after "whsec_". */
const newSecret = (): string => `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;

/** Managers: where alert notices are posted (signed), and the delivery log. */
export function Webhooks() {
  const { call, error, fieldError, formError, busy } = useCall();
  // Moves with every change to the delivery log (queued, delivered, retried, given up): the log is reloaded then.
  const logChanges = useConsole((s) => s.health.webhookLog);
  const [data, setData] = useState<RequestOutput<'webhooks.list'> | null>(null);
  const [form, setForm] = useState({ url: '', secret: '', timeoutSeconds: '15', enabled: true });
  // The saved address Edit was pressed on: the form changes that one, its address included (probe26b B5).
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // A generated secret is shown only until it is saved (then only its last 4 characters): say so beside it.
  const [generated, setGenerated] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = (): void =>
    void navigator.clipboard.writeText(form.secret).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  const load = () => void call('webhooks.list', undefined).then((r) => r.ok && setData(r.value));
  useEffect(() => {
    load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [logChanges]);
  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const r = await call('webhooks.save', { url: form.url, secret: form.secret, enabled: form.enabled, timeoutSeconds: typedNumber(form.timeoutSeconds), ...(editing !== null && { replaces: editing }) });
    setSaved(r.ok);
    if (r.ok) {
      setForm({ url: '', secret: '', timeoutSeconds: '15', enabled: true });
      setEditing(null);
      setGenerated(false);
      load();
    }
  };
  const remove = async (url: string): Promise<void> => {
    if (!window.confirm(`Stop sending alerts to ${url}? This is recorded in the audit log.`)) return;
    const r = await call('webhooks.remove', { url });
    if (r.ok) load();
  };
  // Every address a row may name, listed or since removed: how much of each one a row needs to tell it apart.
  const known = [...new Set([...(data?.endpoints.map((e) => e.url) ?? []), ...(data?.deliveries.map((d) => d.url) ?? [])])];
  return (
    <section className="card" aria-labelledby="webhooks-title" data-testid="webhooks">
      <h2 id="webhooks-title">Webhooks</h2>
      {data?.endpoints.length === 0 && <p className="muted">No webhook addresses: alerts show here and as desktop notifications only.</p>}
      <ul className="letters webhook-list">
        {data?.endpoints.map((e) => (
          <li key={e.url}>
            <strong>{e.url}</strong> <span className="muted small">secret {e.secretHint}, timeout {e.timeoutSeconds} s, {e.repeats ? 'switched on, but no alerts are sent here' : e.enabled ? 'switched on: alerts are sent here' : 'switched off: no alerts are sent here'}</span>
            {e.disabledReason && <p className="warn-text small">Switched off: {e.disabledReason}. Save it again to switch it back on.</p>}
            {e.repeats && <p className="warn-text small">The same address as {e.repeats}, written another way: alerts go there, once. Remove this one.</p>}
            <div className="buttons">
              <button
                type="button"
                onClick={() => {
                  setForm({ url: e.url, secret: '', timeoutSeconds: String(e.timeoutSeconds), enabled: true });
                  setEditing(e.url);
                }}
              >
                Edit
              </button>
              <button type="button" disabled={!e.enabled} onClick={() => void call('webhooks.test', { url: e.url }).then((r) => r.ok && load())}>
                Send a test
              </button>
              <button type="button" className="danger" onClick={() => void remove(e.url)}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      <form className="settings-form" onSubmit={(e) => void save(e)} aria-label="Add or change a webhook">
        {editing !== null && (
          <p className="muted small" data-testid="webhook-editing">
            Changing {editing}: a new address typed here takes its place, with its secret and the notices still waiting for it.{' '}
            <button
              type="button"
              className="link"
              onClick={() => {
                setEditing(null);
                setForm({ url: '', secret: '', timeoutSeconds: '15', enabled: true });
              }}
            >
              Add a new address instead
            </button>
          </p>
        )}
        <div className="field-with-error">
          <label className="field">
            <span>Webhook address</span>
            <input value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} placeholder="https://hooks.example.com/gym" size={40} {...invalidProps(fieldError('url'), 'wh-url-error')} />
          </label>
          <ErrorText message={fieldError('url')} id="wh-url-error" />
        </div>
        <div className="field-with-error">
          <label className="field" htmlFor="wh-secret">
            <span>Signing secret (blank keeps the saved one)</span>
          </label>
          <div className="secret-row">
            <input
              id="wh-secret"
              value={form.secret}
              onChange={(e) => {
                setForm({ ...form, secret: e.target.value });
                setGenerated(false);
              }}
              size={52}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={generated ? 'wh-secret-note' : undefined}
              {...invalidProps(fieldError('secret'), 'wh-secret-error')}
            />
            <button
              type="button"
              onClick={() => {
                setForm({ ...form, secret: newSecret() });
                setGenerated(true);
                setCopied(null);
              }}
            >
              Generate
            </button>
            {generated && (
              <button type="button" onClick={copy}>
                Copy
              </button>
            )}
          </div>
          {generated && (
            <p className="warn-text small" id="wh-secret-note" role="status">
              Copy this secret now and give it to the receiver: once saved, the console shows only its last 4 characters.
              {copied === 'yes' && ' Copied.'}
              {copied === 'failed' && ' Could not copy here: select the secret and copy it by hand.'}
            </p>
          )}
          <ErrorText message={fieldError('secret')} id="wh-secret-error" />
        </div>
        <div className="field-with-error">
          <label className="field inline">
            <span>Timeout</span>
            <input type="number" value={form.timeoutSeconds} onChange={(e) => setForm({ ...form, timeoutSeconds: e.target.value })} aria-label="Webhook timeout, seconds" {...invalidProps(fieldError('timeoutSeconds'), 'wh-timeout-error')} />
            <span className="muted">s</span>
          </label>
          <ErrorText message={fieldError('timeoutSeconds')} id="wh-timeout-error" />
        </div>
        <button type="submit" disabled={busy}>
          Save webhook
        </button>
        {saved && !error && <span className="ok-text">Saved.</span>}
      </form>
      <ErrorText message={formError(['url', 'secret', 'timeoutSeconds'])} />
      <h3 className="small">Delivery log {data && data.pending > 0 && `(${data.pending} waiting to send)`}</h3>
      {data?.deliveries.length ? (
        <div className="table-scroll">
          <table className="sockets" data-testid="delivery-log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Notice, to</th>
                <th scope="col">State</th>
                <th scope="col">Tries</th>
                <th scope="col">Last answer</th>
              </tr>
            </thead>
            <tbody>
              {data.deliveries.slice(0, 20).map((d) => (
                <tr key={`${d.id}-${d.url}`}>
                  <td>{formatTime(d.created)}</td>
                  <td className="log-notice">
                    <span className="notice-title">{noticeWords(d.kind, d.alert)}</span>
                    <br />
                    <span className="muted small wrap">to {receiverName(d.url, known)}</span>
                  </td>
                  {/* A notice not tried yet is being sent, not retried. */}
                  <td className="log-state">{d.state === 'pending' ? (d.attempts === 0 ? 'sending' : d.nextAt ? `tries again at ${formatTime(d.nextAt)}` : 'waiting') : d.state === 'dead' ? 'gave up' : d.state}</td>
                  <td className="num">{d.attempts}</td>
                  <td className="answer">{d.lastError ?? (d.lastStatus ? `received (HTTP ${d.lastStatus})` : '–')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">Nothing sent yet.</p>
      )}
    </section>
  );
}
