import { useState } from 'react';
import { useConsole } from '../../store/console-store';
import { consoleApi } from '../../store/sync';
import { StaleNote } from '../../components/StaleNote';

/** Demo only: how busy the simulated gym is. */
export function DemoControls() {
  const demo = useConsole((s) => s.demo);
  const [error, setError] = useState<string | null>(null);
  if (!demo) return null;
  const setRate = async (ratePerHour: number): Promise<void> => {
    const r = await consoleApi().call('demo.setRate', { ratePerHour });
    setError(r.ok ? null : r.error.message);
  };
  return (
    <section className="card" aria-labelledby="demo-title">
      <h2 id="demo-title">Demo traffic</h2>
      <label className="field">
        <span>Arrivals per hour at peak: {demo.ratePerHour}</span>
        <input
          type="range"
          min={0}
          max={6000}
          step={100}
          value={demo.ratePerHour}
          onChange={(e) => void setRate(Number(e.target.value))}
          aria-label="Demo arrivals per hour at peak"
        />
      </label>
      {error && <p className="warn-text">{error}</p>}
      <StaleNote />
    </section>
  );
}
