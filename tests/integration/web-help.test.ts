import { beforeAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

beforeAll(() => {
  if (!existsSync('out/main/web.js')) throw new Error('run "npm run build" first: this test starts the built headless host');
});

// The usage line showed "--backend-token T", the way the README and the console warn against (any user of the PC
// reads it in the process list): the environment variable comes first, and the data folder's variable is named.
it('--help shows the token given by GYM_BACKEND_TOKEN, not on the command line, and names AV_GYM_DATA_DIR', () => {
  const r = spawnSync(process.execPath, ['out/main/web.js', '--help'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  const [usage, ...rest] = r.stdout.split('\n');
  expect(usage).toMatch(/^Usage: \[GYM_BACKEND_TOKEN=TOKEN\] npm run web -- /);
  expect(usage).not.toContain('--backend-token');
  const text = rest.join('\n');
  expect(text.indexOf('GYM_BACKEND_TOKEN=TOKEN npm run web -- --backend')).toBeGreaterThan(-1);
  expect(text.indexOf('GYM_BACKEND_TOKEN=TOKEN')).toBeLessThan(text.indexOf('--backend-token'));
  expect(text).toMatch(/^ {2}AV_GYM_DATA_DIR {4}the data folder, when --data-dir is not given$/m);
});
