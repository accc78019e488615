import type { EndpointView, SocketView } from '../../../../shared/pools';
import { HealthBar } from '../../components/HealthBar';
import { formatMs } from '../../format';

const hostOf = (url: string): string => url.replace(/^wss?:\/\//, '');
const formatUptime = (s: number): string => (s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

/** Every socket of a pool with its score and the inputs behind it. */
export function SocketTable({ sockets, endpoints }: { sockets: SocketView[]; endpoints: EndpointView[] }) {
  const breakerOf = new Map(endpoints.map((e) => [e.url, e]));
  return (
    <table className="sockets">
      <thead>
        <tr>
          <th scope="col">Endpoint</th>
          <th scope="col">State</th>
          <th scope="col">Score</th>
          <th scope="col" title="Latency EWMA · error rate · uptime · outages in the last minute">Inputs</th>
          <th scope="col">Breaker</th>
          <th scope="col" className="num">In flight</th>
          <th scope="col" className="num">RTT</th>
          <th scope="col" className="num">Routed</th>
        </tr>
      </thead>
      <tbody>
        {sockets.map((s) => {
          const ep = breakerOf.get(s.endpoint);
          return (
            <tr key={s.id} className={s.inRotation ? '' : 'out'} data-testid="socket-row" data-endpoint={s.endpoint} data-state={s.state}>
              <td className="num">
                {hostOf(s.endpoint)}
                {s.subscribed && <span className="tag" title="Carries the live event subscription">events</span>}
              </td>
              <td>
                <span className={`dot dot-${s.state}`} aria-hidden="true" /> {s.state}
                {s.state === 'open' && !s.inRotation && <span className="muted"> · out of rotation</span>}
              </td>
              <td>
                <div className="score">
                  <HealthBar value={s.score} label={`Score of ${hostOf(s.endpoint)}`} />
                  <span className="num">{s.score}</span>
                </div>
              </td>
              <td className="num muted inputs">
                {formatMs(s.inputs.latencyMs)} · {(s.inputs.errorRate * 100).toFixed(0)}% errors
                <br />
                up {formatUptime(s.inputs.uptimeS)} · {s.inputs.recentDisconnects} outages/min
              </td>
              <td>
                <span className={`breaker breaker-${ep?.breaker ?? 'closed'}`}>{ep?.breaker ?? 'closed'}</span>
              </td>
              <td className="num">{s.inFlight}</td>
              <td className="num">{formatMs(s.rttMs)}</td>
              <td className="num">{s.routed}</td>
            </tr>
          );
        })}
        {endpoints
          .filter((e) => !sockets.some((s) => s.endpoint === e.url))
          .map((e) => (
            <tr key={e.url} className="out" data-testid="socket-row" data-endpoint={e.url} data-state="closed">
              <td className="num">{hostOf(e.url)}</td>
              <td>
                <span className="dot dot-closed" aria-hidden="true" /> down
                {e.nextRetryInMs !== null && <span className="muted"> · retry in {(e.nextRetryInMs / 1000).toFixed(1)} s</span>}
              </td>
              <td>
                <div className="score">
                  <HealthBar value={0} label={`Score of ${hostOf(e.url)}`} />
                  <span className="num">0</span>
                </div>
              </td>
              <td className="muted">{e.failures} failed attempts</td>
              <td>
                <span className={`breaker breaker-${e.breaker}`}>{e.breaker}</span>
              </td>
              <td className="num">0</td>
              <td className="num">–</td>
              <td className="num">–</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
