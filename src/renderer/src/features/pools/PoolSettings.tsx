import { useState, type FormEvent } from 'react';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, STRATEGIES, type PoolConfig, type Strategy } from '../../../../shared/pools';
import { STRATEGY_WORDS } from '../../../../shared/words';
import { useCall } from '../../components/useCall';
import { typedNumber } from '../../components/typed-number';
import { ErrorText, invalidProps } from '../../components/ErrorText';
import { Address } from '../../components/Address';
import { CaFileField } from './CaFileField';

/**
 * Strategy, sizes and endpoints of one pool; every change is validated by the core and applied hot.
 * `addressesAbove`: the main pool, whose addresses Backend connection lists and edits (one list, one Remove each).
 * `caTrial`: what trying the CA file just saved found, kept by the card (a save remounts this form).
 */
export function PoolSettings({
  config,
  addressesAbove = false,
  caTrial,
  onCaTrial,
}: {
  config: PoolConfig;
  addressesAbove?: boolean;
  caTrial: string | null;
  onCaTrial(words: string | null): void;
}) {
  const { call, fieldError, formError, busy } = useCall();
  const [sizes, setSizes] = useState({
    maxConnections: String(config.maxConnections),
    healthCheckInterval: String(config.healthCheckInterval),
    reconnectAttempts: String(config.reconnectAttempts),
    handshakeTimeout: String(config.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS),
  });
  const [endpoint, setEndpoint] = useState('');
  const [caFile, setCaFile] = useState(config.caFile ?? '');
  const configure = (patch: Partial<PoolConfig>) => call('pools.configure', { name: config.name, patch });
  const idFor = (key: string): string => `pool-${config.name.replace(/\W/g, '_')}-${key}-error`;

  const applySizes = (e: FormEvent): void => {
    e.preventDefault();
    void configure({
      maxConnections: typedNumber(sizes.maxConnections),
      healthCheckInterval: typedNumber(sizes.healthCheckInterval),
      reconnectAttempts: typedNumber(sizes.reconnectAttempts),
      handshakeTimeout: typedNumber(sizes.handshakeTimeout),
    });
  };
  const applyCaFile = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    onCaTrial(null);
    // Empty: back to the system's own certificate authorities.
    const r = await configure({ caFile: caFile.trim() });
    if (r.ok) onCaTrial(r.value.caFileTrial ?? null);
  };
  const removeEndpoint = (url: string): void => {
    if (window.confirm(`Remove ${url} from pool “${config.name}”? Its sockets to that address close; the pool's other addresses carry on.`))
      void configure({ endpoints: config.endpoints.filter((u) => u !== url) });
  };
  const addEndpoint = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const r = await configure({ endpoints: [...config.endpoints, endpoint.trim()] });
    if (r.ok) setEndpoint('');
  };

  return (
    <div className="pool-settings">
      <div className="field-with-error">
        <label className="field inline">
          <span>Strategy</span>
          <select
            value={config.strategy}
            onChange={(e) => void configure({ strategy: e.target.value as Strategy })}
            aria-label={`Strategy of pool ${config.name}`}
            {...invalidProps(fieldError('strategy'), idFor('strategy'))}
          >
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {STRATEGY_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <ErrorText message={fieldError('strategy')} id={idFor('strategy')} />
      </div>
      <form className="sizes" onSubmit={applySizes} aria-label={`Sizes of pool ${config.name}`} noValidate>
        {(
          [
            ['maxConnections', 'Max sockets', ''],
            ['healthCheckInterval', 'Health check', 'ms'],
            ['reconnectAttempts', 'Failed tries before an address is paused', ''],
            ['handshakeTimeout', 'Handshake deadline', 'ms'],
          ] as const
        ).map(([key, label, unit]) => (
          <div key={key} className="field-with-error">
            <label className="field inline">
              <span>{label}</span>
              <input
                type="number"
                value={sizes[key]}
                onChange={(e) => setSizes({ ...sizes, [key]: e.target.value })}
                aria-label={`${label} of pool ${config.name}`}
                {...invalidProps(fieldError(key), idFor(key))}
              />
              {unit && <span className="muted">{unit}</span>}
            </label>
            <ErrorText message={fieldError(key)} id={idFor(key)} />
          </div>
        ))}
        <button type="submit" disabled={busy}>
          Apply
        </button>
      </form>
      {addressesAbove ? (
        <p className="muted note addresses-above">Its addresses are under Backend connection.</p>
      ) : (
        <>
          <ul className="endpoint-list" aria-label={`Endpoints of pool ${config.name}`}>
            {config.endpoints.map((url) => (
              <li key={url}>
                <Address url={url} />
                {/* A pool needs an address: the last one is not offered for removal. */}
                {config.endpoints.length > 1 && (
                  <button type="button" className="link" onClick={() => removeEndpoint(url)} aria-label={`Remove endpoint ${url}`}>
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
          <form className="add-endpoint" onSubmit={(e) => void addEndpoint(e)} noValidate>
            <input
              value={endpoint}
              onChange={(e) => setEndpoint(e.target.value)}
              placeholder="ws://host:port or wss://host:port"
              aria-label={`New endpoint for pool ${config.name}`}
              {...invalidProps(fieldError('endpoints'), idFor('endpoints'))}
            />
            <button type="submit" disabled={busy || !endpoint.trim()}>
              Add endpoint
            </button>
          </form>
          <ErrorText message={fieldError('endpoints')} id={idFor('endpoints')} />
        </>
      )}
      <form className="ca-file-form" onSubmit={(e) => void applyCaFile(e)} noValidate>
        <CaFileField value={caFile} onChange={setCaFile} problem={fieldError('caFile')} idBase={`pool-${config.name.replace(/\W/g, '_')}-caFile`} label={`CA file of pool ${config.name}`} />
        <button type="submit" disabled={busy}>
          Save CA file
        </button>
      </form>
      {caTrial && (
        <p className="muted note ca-file-trial" role="status" data-testid={`pool-${config.name}-ca-trial`}>
          {caTrial}
        </p>
      )}
      <ErrorText message={formError(['strategy', 'maxConnections', 'healthCheckInterval', 'reconnectAttempts', 'handshakeTimeout', 'endpoints', 'caFile'])} />
    </div>
  );
}
