// npm run web -- [flags]: build if needed, then run the headless host.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt, root } from './build-state.mjs';

ensureBuilt();
const child = spawn(process.execPath, [join(root, 'out/main/web.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
