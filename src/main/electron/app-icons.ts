import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * A file from resources/: built apps carry it in out/renderer (the renderer's public folder, inside
 * the asar); `npm run dev` has only the repo's resources/ folder.
 */
export function resourcePath(file: string, appPath: string): string {
  const built = join(here, '../renderer', file);
  return existsSync(built) ? built : join(appPath, 'resources', file);
}
