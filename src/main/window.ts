import { app, BrowserWindow, session } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { ConsolePage } from './electron/ipc-sender';
import { resourcePath } from './electron/app-icons';

const here = fileURLToPath(new URL('.', import.meta.url));
const DEV_URL = process.env.ELECTRON_RENDERER_URL;

/** The renderer's own page; IPC from anything else is refused. A real file URL, so an install path with spaces still matches. */
export const consolePage: ConsolePage = { fileUrl: pathToFileURL(join(here, '../renderer/index.html')).href, devUrl: DEV_URL };

/** A locked-down window: isolated, sandboxed, no navigation, no new windows, no permissions. */
export function createMainWindow(opts: { kiosk?: boolean; bounds?: Electron.Rectangle | null } = {}): BrowserWindow {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  const win = new BrowserWindow({
    width: opts.bounds?.width ?? 1280,
    height: opts.bounds?.height ?? 800,
    ...(opts.bounds ? { x: opts.bounds.x, y: opts.bounds.y } : {}),
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'AV Gym Console',
    // The window and taskbar icon; Windows has it in the .exe as well, Linux only from here.
    icon: resourcePath(process.platform === 'win32' ? 'icon.ico' : 'icon.png', app.getAppPath()),
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: !opts.kiosk,
      // A middle click would open a link in a new window, a way around will-navigate.
      disableBlinkFeatures: 'Auxclick',
    },
    fullscreen: opts.kiosk ?? false,
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(consolePage.devUrl ?? consolePage.fileUrl);
  return win;
}
