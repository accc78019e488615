import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the window was last time, if that place is still on a screen. */
export function savedBounds(dir: string): Rectangle | null {
  const file = join(dir, 'window-state.json');
  if (!existsSync(file)) return null;
  try {
    const b = JSON.parse(readFileSync(file, 'utf8')) as Rectangle;
    const visible = screen.getAllDisplays().some((d) => b.x < d.bounds.x + d.bounds.width && b.x + b.width > d.bounds.x && b.y < d.bounds.y + d.bounds.height && b.y + b.height > d.bounds.y);
    return visible ? b : null;
  } catch {
    return null;
  }
}

export function rememberBounds(win: BrowserWindow, dir: string): void {
  win.on('close', () => {
    if (!win.isFullScreen() && !win.isMinimized()) writeFileSync(join(dir, 'window-state.json'), JSON.stringify(win.getBounds()), { mode: 0o600 });
  });
}
