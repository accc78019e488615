import type { EndpointTestResult } from '../../../../shared/backend';
import { Address } from '../../components/Address';

/** "Test connection", per endpoint: OK with the instance and round trip, or why not in plain words. */
export function TestResults({ results }: { results: EndpointTestResult[] }) {
  return (
    <ul className="test-results" aria-label="Connection test results" data-testid="test-results">
      {results.map((r) => (
        <li key={r.url}>
          <span className={r.ok ? 'test-ok' : 'test-bad'} aria-hidden="true">
            {r.ok ? '✓' : '✗'}
          </span>
          <Address url={r.url} />{' '}
          {r.ok ? (
            <span className="verdict-line">
              <span className="test-ok">OK</span> · {r.instance}
              {r.rttMs !== null && ` · ${r.rttMs < 1 ? 'under 1' : Math.round(r.rttMs)} ms round trip`}
            </span>
          ) : (
            <span className="verdict-line" title={r.cause.detail}>
              <span className="test-bad">{r.cause.text}</span> {r.cause.nextHere}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
