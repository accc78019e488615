import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readSmallFile } from '../core/small-file';

const pos = z.number().int().min(-100_000).max(100_000);
const size = z.number().int().min(100).max(100_000);
const BoundsSchema = z.object({ x: pos, y: pos, width: size, height: size });

/** Where the window was last time, if that place is still on a screen; a file that is not that is ignored. */
export function savedBounds(dir: string): Rectangle | null {
  try {
    const b = BoundsSchema.parse(JSON.parse(readSmallFile(join(dir, 'window-state.json'), 4096).toString('utf8')));
    const visible = screen.getAllDisplays().some((d) => b.x < d.bounds.x + d.bounds.width && b.x + b.width > d.bounds.x && b.y < d.bounds.y + d.bounds.height && b.y + b.height > d.bounds.y);
    return visible ? b : null;
  } catch {
    return null;
  }
}

export function rememberBounds(win: BrowserWindow, dir: string): void {
  win.on('close', () => {
    if (win.isFullScreen() || win.isMinimized()) return;
    // Written beside and renamed over: whatever sat there (a pipe would block the quit) is replaced whole.
    const file = join(dir, 'window-state.json');
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(win.getBounds()), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    } catch {
      // Only the window's place is lost: it opens centred next time.
    }
  });
}
