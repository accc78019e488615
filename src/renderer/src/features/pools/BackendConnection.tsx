import { useEffect, useState, type FormEvent } from 'react';
import { backendProblems, hasProblems, MAX_ENDPOINTS, type BackendChange, type BackendSettings, type EndpointTestResult } from '../../../../shared/backend';
import { useCall } from '../../components/useCall';
import { ErrorText } from '../../components/ErrorText';
import { TestResults } from './TestResults';
import { useConsole } from '../../store/console-store';
import { TokenField } from './TokenField';

/**
 * Managers only: the main pool's backend addresses and the token. Every problem shows next to its
 * field, and nothing is sent until the whole change is valid; the core checks it all again.
 */
export function BackendConnection() {
  const load = useCall();
  const save = useCall();
  const test = useCall();
  const [settings, setSettings] = useState<BackendSettings | null>(null);
  const [endpoints, setEndpoints] = useState<string[]>([]);
  const [token, setToken] = useState('');
  const [showProblems, setShowProblems] = useState(false);
  const [results, setResults] = useState<EndpointTestResult[] | null>(null);
  const [saved, setSaved] = useState(false);

  const adopt = (s: BackendSettings): void => {
    setSettings(s);
    setEndpoints(s.endpoints);
    setToken('');
    setShowProblems(false);
  };
  // The main pool's addresses as they are now: changed elsewhere (its pool card), the form follows.
  const live = useConsole((s) => s.pools[0]?.config.endpoints.join('\n') ?? '');
  useEffect(() => {
    void load.call('backend.settings', undefined).then((r) => r.ok && adopt(r.value));
  }, [live]); // eslint-disable-line react-hooks/exhaustive-deps -- load and adopt are fresh each render

  if (!settings) return <ErrorText message={load.error} />;
  const changed = endpoints.join('\n') !== settings.endpoints.join('\n');
  const change: BackendChange = { ...(changed ? { endpoints } : {}), ...(token ? { token } : {}) };
  const problems = backendProblems({ endpoints, token: token || undefined });
  const shown = showProblems ? problems : null;
  const edit = (i: number, value: string): void => {
    setEndpoints(endpoints.map((e, j) => (j === i ? value : e)));
    setSaved(false);
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setShowProblems(true);
    if (hasProblems(problems) || (!changed && !token)) return;
    const r = await save.call('backend.configure', change);
    if (r.ok) {
      adopt(r.value);
      setSaved(true);
      // They were for what was typed before: left up, a removed address's ✗ read as a fault of the saved set.
      setResults(null);
    }
  };
  const runTest = async (): Promise<void> => {
    setShowProblems(true);
    setResults(null);
    if (hasProblems(problems)) return;
    const r = await test.call('backend.test', { endpoints, ...(token ? { token } : {}) });
    if (r.ok) setResults(r.value);
  };

  const fixed = settings.demo;
  return (
    <section className="card" aria-labelledby="backend-title" data-testid="backend-connection">
      <h2 id="backend-title">Backend connection</h2>
      <form className="backend-form" onSubmit={(e) => void submit(e)} noValidate>
        {fixed && <p className="muted note">The demo gym&apos;s addresses and token are built in and cannot be changed. You can still test them.</p>}
        <fieldset disabled={fixed}>
          <legend>Backend addresses{settings.pool ? ` (pool “${settings.pool}”)` : ''}</legend>
          {endpoints.map((url, i) => (
            <div className="backend-row" key={i}>
              <input
                value={url}
                onChange={(e) => edit(i, e.target.value)}
                placeholder="ws://host:port or wss://host:port"
                aria-label={`Backend address ${i + 1}`}
                aria-invalid={!!shown?.endpoints[i]}
                aria-describedby={shown?.endpoints[i] ? `backend-addr-${i}-error` : undefined}
              />
              {/* Nothing changes until Save and reconnect; the last address is typed over, not removed (a pool needs one). */}
              {!fixed && endpoints.length > 1 && (
                <button type="button" className="link" onClick={() => setEndpoints(endpoints.filter((_, j) => j !== i))} aria-label={`Remove backend address ${i + 1}`}>
                  Remove
                </button>
              )}
              {shown?.endpoints[i] && (
                <p className="error-text" id={`backend-addr-${i}-error`}>
                  {shown.endpoints[i]}
                </p>
              )}
            </div>
          ))}
          {!fixed && endpoints.length < MAX_ENDPOINTS && (
            <div>
              <button type="button" className="link" onClick={() => setEndpoints([...endpoints, ''])}>
                Add an address
              </button>
            </div>
          )}
          <ErrorText message={shown?.list} />
        </fieldset>
        {!fixed && (
          <TokenField
            value={token}
            onChange={(v) => {
              setToken(v);
              setSaved(false);
            }}
            problem={shown?.token}
            settings={settings}
          />
        )}
        <div className="backend-actions">
          <button type="button" onClick={() => void runTest()} disabled={test.busy}>
            {test.busy ? 'Testing…' : 'Test connection'}
          </button>
          {!fixed && (
            <button type="submit" disabled={save.busy || (!changed && !token)}>
              Save and reconnect
            </button>
          )}
          {saved && <span className="ok-text">Saved; the console reconnects with it now.</span>}
        </div>
      </form>
      <ErrorText message={save.error ?? test.error} />
      {results && <TestResults results={results} />}
    </section>
  );
}
