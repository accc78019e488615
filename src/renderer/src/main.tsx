import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { KioskView } from './kiosk/KioskView';
import { startSync } from './store/sync';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
try {
  const api = startSync();
  // A kiosk sees only the kiosk view: asked for by the host (--kiosk) or by the address (#…&kiosk).
  const kioskByAddress = new URLSearchParams(location.hash.slice(1)).has('kiosk');
  void api.call('app.info').then((info) => {
    const kiosk = kioskByAddress || (info.ok && info.value.kiosk);
    root.render(<StrictMode>{kiosk ? <KioskView /> : <App />}</StrictMode>);
  });
} catch (e) {
  root.render(<p className="fatal">{(e as Error).message}</p>);
}
