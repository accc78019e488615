import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startSync } from './store/sync';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
try {
  startSync();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} catch (e) {
  root.render(<p className="fatal">{(e as Error).message}</p>);
}
