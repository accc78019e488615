import { useState, type FormEvent } from 'react';
import { useCall } from '../../components/useCall';
import { ErrorText, invalidProps } from '../../components/ErrorText';
import { CaFileField } from './CaFileField';

/** A new pool over one or more endpoints; the core fills in nothing silently: what you see is what is sent. */
export function CreatePool() {
  const { call, fieldError, formError, busy } = useCall();
  const [name, setName] = useState('');
  const [endpoints, setEndpoints] = useState('');
  const [caFile, setCaFile] = useState('');
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const list = endpoints.split(/[\s,]+/).filter(Boolean);
    const r = await call('pools.create', {
      config: {
        name,
        endpoints: list,
        maxConnections: Math.max(1, list.length * 2),
        healthCheckInterval: 250,
        reconnectAttempts: 5,
        strategy: 'health-weighted',
        ...(caFile.trim() ? { caFile: caFile.trim() } : {}),
      },
    });
    if (r.ok) {
      setName('');
      setEndpoints('');
      setCaFile('');
    }
  };
  return (
    <section className="card" aria-labelledby="create-title">
      <h2 id="create-title">New pool</h2>
      <form className="create-pool" onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} aria-label="New pool name" {...invalidProps(fieldError('name'), 'create-name-error')} />
        </label>
        <ErrorText message={fieldError('name')} id="create-name-error" />
        <label className="field">
          <span>Endpoints (comma or space separated)</span>
          <input
            value={endpoints}
            onChange={(e) => setEndpoints(e.target.value)}
            placeholder="ws://10.0.0.5:9100, ws://10.0.0.6:9100"
            aria-label="New pool endpoints"
            {...invalidProps(fieldError('endpoints'), 'create-endpoints-error')}
          />
        </label>
        <ErrorText message={fieldError('endpoints')} id="create-endpoints-error" />
        <CaFileField value={caFile} onChange={setCaFile} problem={fieldError('caFile')} idBase="create-caFile" label="New pool CA file" />
        <p className="muted">Two sockets per endpoint, 250 ms health checks, health-weighted; change them after.</p>
        <button type="submit" disabled={busy}>
          Create pool
        </button>
      </form>
      <ErrorText message={formError(['name', 'endpoints', 'caFile'])} />
    </section>
  );
}
