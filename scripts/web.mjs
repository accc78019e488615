// npm run web -- [flags]: build if needed, then run the headless host.
import { join } from 'node:path';
import { ensureBuilt, root } from './build-state.mjs';
import { runChild } from './launch.mjs';
import { hostEnv } from './host-env.mjs';
import { BACKEND_TOKEN_BETTER, HANDED_TOKEN_ENV, tokenOnCommandLineWarning, tokenOutOfArgv } from './token-handoff.mjs';

ensureBuilt();
const { args, env, handed } = tokenOutOfArgv(process.argv.slice(2), hostEnv(), { flag: '--backend-token', envName: HANDED_TOKEN_ENV });
// npm's and this script's own command lines still hold it: the host never does.
if (handed) process.stderr.write(`console: ${tokenOnCommandLineWarning('--backend-token', BACKEND_TOKEN_BETTER('npm run web'))}\n`);
runChild(process.execPath, [join(root, 'out/main/web.js'), ...args], { ipc: true, env });
