import { useConsole } from '../../store/console-store';
import { useCall } from '../../components/useCall';

/** Demo only: break an instance and watch the pools route around it. */
export function DemoFaults() {
  const demo = useConsole((s) => s.demo);
  const { call, error } = useCall();
  if (!demo) return null;
  const act = (instance: number, action: 'kill' | 'hang' | 'delay' | 'restore') => void call('demo.fault', { instance, action, value: action === 'delay' ? 300 : undefined });
  return (
    <section className="card" aria-labelledby="faults-title">
      <h2 id="faults-title">Demo: break an instance</h2>
      <table className="faults">
        <tbody>
          {demo.instances.map((i) => {
            const state = !i.listening ? 'killed' : i.hung ? 'hung' : i.delayMs ? `+${i.delayMs} ms` : 'healthy';
            return (
              <tr key={i.index} data-testid={`instance-${i.index}`}>
                <td className="num">
                  Instance {i.index} <span className="muted">:{i.url.split(':').pop()}</span>
                </td>
                <td className={`inst inst-${state === 'healthy' ? 'ok' : 'bad'}`}>{state}</td>
                <td className="buttons">
                  <button type="button" onClick={() => act(i.index, 'kill')} disabled={!i.listening} aria-label={`Kill instance ${i.index}`}>
                    Kill
                  </button>
                  <button type="button" onClick={() => act(i.index, 'hang')} disabled={!i.listening || i.hung} aria-label={`Hang instance ${i.index}`}>
                    Hang
                  </button>
                  <button type="button" onClick={() => act(i.index, 'delay')} disabled={!i.listening} aria-label={`+300 ms delay on instance ${i.index}`}>
                    +300 ms
                  </button>
                  <button type="button" onClick={() => act(i.index, 'restore')} disabled={state === 'healthy'} aria-label={`Restore instance ${i.index}`}>
                    Restore
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {error && <p className="error-text">{error}</p>}
    </section>
  );
}
