// Shared by the launcher scripts: is the build current, and is there an Electron binary?
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds with electron-vite when out/ is missing or older than any source, the build config or package.json (the version). */
export function ensureBuilt({ force = false } = {}) {
  // Tests that start a launcher run the build they were given: rebuilding out/ would pull it from under other tests.
  if (process.env.AV_GYM_NO_BUILD === '1') return;
  const marker = join(root, 'out/main/web.js');
  const stale = force || !existsSync(marker) || !existsSync(join(root, 'out/renderer/index.html')) ||
    Math.max(newest(join(root, 'src')), ...['electron.vite.config.ts', 'package.json'].map((f) => statSync(join(root, f)).mtimeMs)) > statSync(marker).mtimeMs;
  if (!stale) return;
  process.stderr.write('console: building (electron-vite build)…\n');
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('console: the build failed; see the messages above.\n');
    process.exit(r.status ?? 1);
  }
}

/** Path of the Electron binary, or null with the reason it is missing. */
export function electronBinary() {
  const dir = join(root, 'node_modules/electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(dir)) return { path: null, reason: 'the electron package is not installed (run npm ci)' };
  if (!existsSync(pathFile)) {
    return {
      path: null,
      reason: 'Electron downloads its binary on first use, and this machine could not fetch it (offline, or its download host is unreachable)',
    };
  }
  const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? { path: bin, reason: null } : { path: null, reason: `the Electron binary is missing at ${bin}` };
}
