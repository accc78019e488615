import { app, BrowserWindow, dialog, type SaveDialogOptions } from 'electron';
import { extname, join } from 'node:path';

const KINDS: Record<string, string> = { csv: 'CSV (Excel, spreadsheets)', json: 'JSON', sqlite: 'AV Gym Console export (SQLite)' };

/** The native save dialog for a new export: the manager chooses where it goes (a USB stick, a shared folder). */
export async function pickSaveFile(suggestedName: string): Promise<string | null> {
  const ext = extname(suggestedName).slice(1);
  const options: SaveDialogOptions = {
    title: 'Save the export',
    defaultPath: join(app.getPath('documents'), suggestedName),
    filters: [{ name: KINDS[ext] ?? ext, extensions: [ext] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const win = BrowserWindow.getFocusedWindow();
  const r = await (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options));
  return r.canceled || !r.filePath ? null : r.filePath;
}
