// npm run dist [-- --linux | --win | electron-builder flags]: installers in dist/.
// Needs a machine that can download Electron and better-sqlite3's Electron build.
// The app is staged in a temporary folder and packaged from there, so better-sqlite3 is rebuilt for
// Electron in the staging copy only: ./node_modules keeps the Node build the tests need.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, root } from './build-state.mjs';

const run = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}); see above.`);
  }
};

ensureBuilt({ force: true });
// Outside the checkout: @electron/rebuild also walks parent folders' node_modules.
const stage = mkdtempSync(join(tmpdir(), 'av-gym-console-stage-'));
try {
  for (const f of ['package.json', 'package-lock.json', 'out']) cpSync(join(root, f), join(stage, f), { recursive: true });
  // Production dependencies only, without their install scripts: the builder then rebuilds them for Electron.
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], stage);
  run('npx', ['electron-builder', '--projectDir', stage, '--config', join(root, 'electron-builder.config.mjs'), '--publish', 'never', ...process.argv.slice(2)], root);
  process.stderr.write(`dist: installers in ${join(root, 'dist')}\n`);
} catch (e) {
  process.stderr.write(`dist: ${e.message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
