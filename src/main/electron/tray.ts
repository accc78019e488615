import { app, Menu, nativeImage, Tray } from 'electron';
import type { LinkState } from '../../shared/state';
import { resourcePath } from './app-icons';
import { TRAY_STATUS } from './tray-status';

/** The console's tray icon: the backend's state at a glance, and a way back to the window. */
export function installTray(showWindow: () => void): { show(state: LinkState): void } {
  const tray = new Tray(nativeImage.createFromPath(resourcePath(TRAY_STATUS.offline.icon, app.getAppPath())));
  tray.on('click', showWindow);
  let shown: LinkState | null = null;
  const show = (state: LinkState): void => {
    if (state === shown) return; // the state stream repeats itself many times a second
    shown = state;
    const { icon, words } = TRAY_STATUS[state];
    tray.setImage(nativeImage.createFromPath(resourcePath(icon, app.getAppPath())));
    tray.setToolTip(`AV Gym Console: ${words}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: words, enabled: false },
        { type: 'separator' },
        { label: 'Show AV Gym Console', click: showWindow },
        { label: 'Quit', role: 'quit' },
      ]),
    );
  };
  show('offline');
  return { show };
}
