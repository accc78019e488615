// npm start: the desktop console; the browser form when Electron's binary is missing.
// Both decide demo or live the same way (src/main/core/startup/resolve-start.ts), so flags pass through untouched.
import { join } from 'node:path';
import { electronBinary, ensureBuilt, root } from './build-state.mjs';
import { runChild } from './launch.mjs';
import { hostEnv } from './host-env.mjs';

ensureBuilt();
const { path, reason } = electronBinary();
const args = path ? [path, [root, ...process.argv.slice(2)]] : [process.execPath, [join(root, 'out/main/web.js'), ...process.argv.slice(2)]];
if (!path) {
  process.stderr.write(
    `console: no Electron binary: ${reason}.\n` +
      'console: running the same console in your browser instead; open the address below.\n',
  );
}
// Only the Node host takes jemalloc: Electron brings its own allocator.
runChild(args[0], args[1], { ipc: !path, env: path ? process.env : hostEnv() });
