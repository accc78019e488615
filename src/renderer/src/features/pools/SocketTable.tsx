import { BREAKER_WORDS, NEEDS_FIX_WORDS, OUT_BECAUSE, type BreakerState, type EndpointView, type SocketView } from '../../../../shared/pools';
import { Address } from '../../components/Address';
import { HealthBar } from '../../components/HealthBar';
import { formatMs } from '../../format';
import { NextTry } from '../../components/TryNow';

const hostOf = (url: string): string => url.replace(/^wss?:\/\//, '');

/** Headings a gym's IT person reads; the tooltip keeps the precise term. */
const HEADINGS: [string, string, boolean][] = [
  ['Address', 'The backend instance this socket connects to', false],
  ['State', 'Whether the socket is open, connecting or closed', false],
  ['Health', 'Health score 0–100, from the inputs beside it; traffic favours healthier sockets', false],
  ['Why', "Latency EWMA · error rate · uptime · outages in the last minute · how long a silence the console allows · the instance's own load report", false],
  ['Connection guard', 'Circuit breaker of this address: after repeated failed tries the address is paused, then tried again', false],
  ['Waiting replies', 'In flight: requests sent on this socket that the backend has not answered yet', true],
  ['Round trip', 'RTT: round-trip time of the latest heartbeat ping', true],
  ['Requests sent', 'Routed: requests the pool has sent over this socket since it opened', true],
];

function Guard({ state }: { state: BreakerState }) {
  return (
    <span className={`breaker breaker-${state}`} title={BREAKER_WORDS[state].title}>
      {BREAKER_WORDS[state].text}
    </span>
  );
}
const formatUptime = (s: number): string => (s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

/** The adaptive dead-peer deadline, in the words of the person watching. */
function Deadline({ s }: { s: SocketView }) {
  const secs = (s.inputs.deadlineMs / 1000).toFixed(1);
  const why = s.inputs.deadlineLearned
    ? 'Learned from the gaps between this socket’s replies; never longer than 4 health checks.'
    : 'Still learning this link: until then, an estimate from the health-check interval, never longer than 4 health checks.';
  return (
    <span data-testid="deadline" title={why}>
      {/* Silence, not a slow reply: a backend that answers slowly while its link still answers is kept. */}
      Gives up after {secs} s of silence{s.inputs.deadlineLearned ? '' : ' (learning)'}
    </span>
  );
}

/** What the instance says about its own load (protocol v2), which routing weighs. */
function InstanceLoad({ s }: { s: SocketView }) {
  if (s.protocol === null) return null;
  if (!s.load) return <span title="This instance speaks protocol v1: it reports no load, so routing uses this console's own view only.">v1 · no load report</span>;
  return (
    <span title="Reported by the instance (protocol v2): console sockets it holds, from every console, and how late its event loop runs.">
      Instance: {s.load.sessions} console sockets · {formatMs(s.load.lagMs)} lag
    </span>
  );
}

/** Every socket of a pool with its score and the inputs behind it. */
export function SocketTable({ sockets, endpoints }: { sockets: SocketView[]; endpoints: EndpointView[] }) {
  const breakerOf = new Map(endpoints.map((e) => [e.url, e]));
  return (
    <table className="sockets">
      <thead>
        <tr>
          {HEADINGS.map(([text, title, num]) => (
            <th key={text} scope="col" className={num ? 'num' : undefined} title={title}>
              {text}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sockets.map((s) => {
          const ep = breakerOf.get(s.endpoint);
          return (
            <tr key={s.id} className={s.inRotation ? '' : 'out'} data-testid="socket-row" data-endpoint={s.endpoint} data-state={s.state}>
              <td className="num">
                <Address url={s.endpoint} />
                {/* Under the address, not beside it: beside it the column pushed the last heading out of the card at 1280 wide. */}
                {s.subscribed && (
                  <>
                    {/* A space as well as the break: read aloud or copied, the address and the tag stay two words. */}{' '}
                    <br />
                    <span className="tag" title="Carries the live event subscription">
                      live events
                    </span>
                  </>
                )}
              </td>
              <td className="state">
                <span className={`dot dot-${s.state}`} aria-hidden="true" /> {s.state}
                {/* The state a word; why it is out of rotation on its own line, so the table fits beside it. */}
                {s.state === 'open' && !s.inRotation && (
                  <span className="muted state-note" title={s.outBecause ? OUT_BECAUSE[s.outBecause].long : undefined}>
                    out of rotation{s.outBecause ? `: ${OUT_BECAUSE[s.outBecause].short}` : ''}
                  </span>
                )}
              </td>
              <td>
                <div className="score">
                  <HealthBar value={s.score} label={`Health of ${hostOf(s.endpoint)}`} />
                  <span className="num">{s.score}</span>
                </div>
              </td>
              <td className="num muted inputs">
                {formatMs(s.inputs.latencyMs)} · {(s.inputs.errorRate * 100).toFixed(0)}% errors
                <br />
                up {formatUptime(s.inputs.uptimeS)} · {s.inputs.recentDisconnects} outages/min
                {s.state === 'open' && (
                  <>
                    <br />
                    <Deadline s={s} />
                    <br />
                    <InstanceLoad s={s} />
                  </>
                )}
              </td>
              <td>
                <Guard state={ep?.breaker ?? 'closed'} />
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
              <td className="num">
                <Address url={e.url} />
              </td>
              <td className="state">
                <span className="dot dot-closed" aria-hidden="true" /> down
                {e.cause && NEEDS_FIX_WORDS[e.cause.kind] ? <span className="muted state-note">{NEEDS_FIX_WORDS[e.cause.kind]}</span> : <NextTry ms={e.nextRetryInMs} />}
              </td>
              <td>
                <div className="score">
                  <HealthBar value={0} label={`Health of ${hostOf(e.url)}`} />
                  <span className="num">0</span>
                </div>
              </td>
              <td className="muted">{e.failures === 1 ? '1 failed try' : `${e.failures} failed tries`}</td>
              <td>
                <Guard state={e.breaker} />
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
