// npm run web -- [flags]: build if needed, then run the headless host.
import { join } from 'node:path';
import { ensureBuilt, root } from './build-state.mjs';
import { runChild } from './launch.mjs';
import { hostEnv } from './host-env.mjs';

ensureBuilt();
runChild(process.execPath, [join(root, 'out/main/web.js'), ...process.argv.slice(2)], { ipc: true, env: hostEnv() });
