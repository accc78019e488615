// npm run server -- [flags]: the reference gym backend, stopped with whatever stops npm (see launch.mjs).
// A --token goes to it by environment (GYM_TOKEN), never on its command line (token-handoff.mjs).
import { join } from 'node:path';
import { root } from './build-state.mjs';
import { runChild } from './launch.mjs';
import { tokenOnCommandLineWarning, tokenOutOfArgv } from './token-handoff.mjs';

const { args, env, handed } = tokenOutOfArgv(process.argv.slice(2), process.env, { flag: '--token', envName: 'GYM_TOKEN' });
if (handed) process.stderr.write(`gym-server: ${tokenOnCommandLineWarning('--token', 'GYM_TOKEN=TOKEN npm run server -- … (without --token).')}\n`);
runChild(process.execPath, ['--import', 'tsx', join(root, 'src/server/cli.ts'), ...args], { env });
