// npm run server -- [flags]: the reference gym backend, stopped with whatever stops npm (see launch.mjs).
import { join } from 'node:path';
import { root } from './build-state.mjs';
import { runChild } from './launch.mjs';

runChild(process.execPath, ['--import', 'tsx', join(root, 'src/server/cli.ts'), ...process.argv.slice(2)]);
