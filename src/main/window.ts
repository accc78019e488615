import { BrowserWindow, session } from 'electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const DEV_URL = process.env.ELECTRON_RENDERER_URL;

/** The renderer's own origin; IPC from anything else is refused. */
export const rendererUrl = DEV_URL ?? `file://${join(here, '../renderer/index.html')}`;

export function isTrustedFrame(frameUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  return DEV_URL ? frameUrl.startsWith(DEV_URL) : frameUrl.split('#')[0] === rendererUrl;
}

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
  void win.loadURL(rendererUrl);
  return win;
}
