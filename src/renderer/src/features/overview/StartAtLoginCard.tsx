import { useEffect, useState } from 'react';
import type { StartAtLogin } from '../../../../shared/login-item';
import { useCall } from '../../components/useCall';
import { ErrorText } from '../../components/ErrorText';

/** Managers: start the console when the PC's user logs in, so a kiosk comes back after a power cut by itself. */
export function StartAtLoginCard() {
  const { call, error, busy } = useCall();
  const [s, setS] = useState<StartAtLogin | null>(null);
  useEffect(() => {
    void call('app.startAtLogin', undefined).then((r) => r.ok && setS(r.value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!s) return null;
  const change = async (on: boolean): Promise<void> => {
    const r = await call('app.setStartAtLogin', { on });
    if (r.ok) setS(r.value);
  };
  return (
    <section className="card" aria-labelledby="login-item-title">
      <h2 id="login-item-title">Start with this PC</h2>
      <label className="field inline">
        <input type="checkbox" checked={s.on} disabled={!s.available || busy} onChange={(e) => void change(e.target.checked)} aria-describedby="login-item-note" />
        <span>Start the console when this PC's user logs in{s.asKiosk ? ', as a kiosk' : ''}</span>
      </label>
      <p className="muted small" id="login-item-note">
        {s.available
          ? 'After a power cut or a restart the console comes back by itself: for kiosk stations.'
          : "Only the desktop app can do this. For this browser form, add it to the PC's own startup programs."}
      </p>
      <ErrorText message={error} />
    </section>
  );
}
