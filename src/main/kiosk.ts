import { Menu, powerSaveBlocker, type BrowserWindow } from 'electron';

/**
 * A kiosk window: no menu, no reload, no devtools, no closing keys, reloads itself if the page
 * crashes, keeps the display awake. On Windows and Linux this is full screen, not OS lockdown.
 */
export function hardenKiosk(win: BrowserWindow): () => void {
  Menu.setApplicationMenu(null);
  win.setKiosk(true);
  win.webContents.on('before-input-event', (event, input) => {
    const key = input.key.toLowerCase();
    const mod = input.control || input.meta;
    const reload = key === 'f5' || (mod && key === 'r');
    const devtools = key === 'f12' || (mod && input.shift && ['i', 'j', 'c'].includes(key));
    const closing = (input.alt && key === 'f4') || (mod && ['w', 'q'].includes(key));
    if (reload || devtools || closing) event.preventDefault();
  });
  win.webContents.on('render-process-gone', () => win.reload());
  const blocker = powerSaveBlocker.start('prevent-display-sleep');
  return () => powerSaveBlocker.stop(blocker);
}
