// npm start: the desktop console; the browser form when Electron's binary is missing.
// Both decide demo or live the same way (src/main/core/startup/resolve-start.ts), so flags pass through
// untouched, but for the backend token: that goes by environment (token-handoff.mjs).
import { join } from 'node:path';
import { electronBinary, ensureBuilt, root } from './build-state.mjs';
import { runChild } from './launch.mjs';
import { hostEnv } from './host-env.mjs';
import { BACKEND_TOKEN_BETTER, HANDED_TOKEN_ENV, tokenOnCommandLineWarning, tokenOutOfArgv } from './token-handoff.mjs';

ensureBuilt();
const { path, reason } = electronBinary();
// Only the Node host takes jemalloc: Electron brings its own allocator.
const { args: flags, env, handed } = tokenOutOfArgv(process.argv.slice(2), path ? process.env : hostEnv(), { flag: '--backend-token', envName: HANDED_TOKEN_ENV });
const args = path ? [path, [root, ...flags]] : [process.execPath, [join(root, 'out/main/web.js'), ...flags]];
if (!path) {
  process.stderr.write(
    `console: no Electron binary: ${reason}.\n` +
      'console: running the same console in your browser instead; open the address below.\n',
  );
}
if (handed) process.stderr.write(`console: ${tokenOnCommandLineWarning('--backend-token', BACKEND_TOKEN_BETTER('npm start'))}\n`);
runChild(args[0], args[1], { ipc: !path, env });
