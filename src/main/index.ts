import { app, BrowserWindow, ipcMain, powerMonitor } from 'electron';
import { IPC_CALL, IPC_EVENT } from '../shared/ipc';
import { fail } from '../shared/result';
import { startCore } from './core/app';
import { dispatch } from './core/bridge/dispatch';
import { ensureDataDir } from './core/data-dir';
import { createMainWindow, isTrustedFrame } from './window';
import type { Session } from './core/auth/session';
import { parseArgs } from 'node:util';
import { hardenKiosk } from './kiosk';
import { safeStorageVault } from './electron-token';

/** Flags: --kiosk, --backend ws://a,ws://b, --backend-token T (saved with safeStorage for later runs). */
function flags() {
  const { values } = parseArgs({ args: process.argv.slice(1), strict: false, options: { kiosk: { type: 'boolean' }, backend: { type: 'string' }, 'backend-token': { type: 'string' } } });
  return values as { kiosk?: boolean; backend?: string; 'backend-token'?: string };
}

/** Electron composition root: the plain-Node core, bound to IPC and a window. No behaviour lives here. */
async function main(): Promise<void> {
  // One console per PC: a second start focuses the first.
  if (!app.requestSingleInstanceLock()) return app.quit();
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  await app.whenReady();
  const f = flags();
  const dataDir = ensureDataDir(process.env.AV_GYM_DATA_DIR ?? app.getPath('userData'));
  const vault = safeStorageVault(dataDir);
  if (f['backend-token']) vault.save(f['backend-token']);
  const token = f['backend-token'] ?? vault.load();
  const backend = f.backend && token ? { endpoints: f.backend.split(','), token } : undefined;
  const core = await startCore({ version: app.getVersion(), dataDir, backend, kiosk: f.kiosk });

  // One sign-in per window.
  const sessions = new Map<number, Session>();
  ipcMain.handle(IPC_CALL, (event, name: unknown, payload: unknown) => {
    if (!isTrustedFrame(event.senderFrame?.url)) return fail('forbidden', 'Calls are only accepted from the console window.');
    let session = sessions.get(event.sender.id);
    if (!session) sessions.set(event.sender.id, (session = core.newSession()));
    return dispatch(core.handlers, name, payload, { transport: 'electron', session });
  });
  core.stream.subscribe((patch) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_EVENT, 'state.patch', patch);
  });

  // A sleeping PC may hold sockets that died meanwhile: check them at once on wake.
  powerMonitor.on('resume', () => core.probe('resume'));
  powerMonitor.on('unlock-screen', () => core.probe('unlock'));

  const win = createMainWindow({ kiosk: f.kiosk });
  if (f.kiosk) hardenKiosk(win);
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => void core.stop());
}

void main();
