// First: schemas are built as their modules load, and zod probes for eval then.
import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { KioskView } from './kiosk/KioskView';
import { consoleStore } from './store/console-store';
import { reloadedBecause, startSync } from './store/sync';
import { NotYetLinked } from './components/ConsoleGone';
import { FaultBoundary, PartFailed } from './components/FaultBoundary';
import { StationFault } from './kiosk/StationFault';
import { addressChange } from './address-follow';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
// `&kiosk` or another key typed onto an open page's address: loaded afresh, as a new screen would be.
window.addEventListener('hashchange', (e) => {
  if (addressChange(new URL(e.oldURL).hash, location.hash) === 'reload') location.reload();
});
try {
  const api = startSync();
  // Until the console first answers (it may be down, or this address's token not its own).
  root.render(<NotYetLinked />);
  // A kiosk sees only the kiosk view: asked for by the host (--kiosk) or by the address (#…&kiosk).
  const kioskByAddress = new URLSearchParams(location.hash.slice(1)).has('kiosk');
  void Promise.all([api.call('app.info'), api.call('auth.status')]).then(([info, auth]) => {
    consoleStore.setState({ auth: auth.ok ? auth.value : null, demoGym: info.ok && info.value.demo });
    const why = reloadedBecause();
    if (why && auth.ok && auth.value.role === null) consoleStore.getState().setAuth(auth.value, why);
    const kiosk = kioskByAddress || (info.ok && info.value.kiosk);
    // Each tab guards itself; this catches the rest (the header, the sign-in page, the kiosk), so no fault leaves a blank page.
    root.render(
      <StrictMode>
        {kiosk ? (
          <FaultBoundary where="kiosk" fallback={() => <StationFault />}>
            <KioskView />
          </FaultBoundary>
        ) : (
          <FaultBoundary where="console screen" fallback={(retry) => <PartFailed what="This screen" retry={retry} />}>
            <App />
          </FaultBoundary>
        )}
      </StrictMode>,
    );
  });
} catch (e) {
  root.render(<p className="fatal">{(e as Error).message}</p>);
}
