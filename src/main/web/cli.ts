import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { startCore } from '../core/app';
import { defaultDataDir, ensureDataDir } from '../core/data-dir';
import { APP_VERSION } from '../core/version';
import { startHost } from './host';
import { fileTokenVault } from '../core/token-vault';
import { resolveStart } from '../core/startup/resolve-start';
import { announceStart, coreStart } from '../core/startup/announce-start';
import { keepServingOnUnexpectedErrors } from '../core/last-resort';
import { gracefulShutdown } from '../core/shutdown';

const HELP = `Usage: npm run web -- [--demo] [--kiosk] [--port N] [--data-dir DIR] [--backend URL,URL --backend-token T] [--demo-rate R]
Runs the console's core in Node and serves its screens to a browser on 127.0.0.1.
  --demo           run on the embedded demo gym (the default only for a new data dir)
  --port N         listen on port N (0 picks a free one; default 0)
  --data-dir DIR   where the console keeps its data (default: ${defaultDataDir()})
  --backend        comma-separated ws:// or wss:// URLs of the gym backend instances (saved: later runs need no flags)
  --backend-token  the backend auth token (or env GYM_BACKEND_TOKEN; saved)
  --demo-rate R    demo arrivals per hour at peak (default 1800)
  --kiosk          serve the kiosk check-in view only`;

function fail(message: string): never {
  process.stderr.write(`console: ${message}\n\n${HELP}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        demo: { type: 'boolean' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        backend: { type: 'string' },
        'backend-token': { type: 'string' },
        'demo-rate': { type: 'string' },
        kiosk: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    fail((e as Error).message);
  }
}

async function main(): Promise<void> {
  const v = parse();
  if (v.help) return void process.stdout.write(`${HELP}\n`);
  const port = Number(v.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be a whole number from 0 to 65535.');
  const rate = v['demo-rate'] === undefined ? undefined : Number(v['demo-rate']);
  if (rate !== undefined && !(Number.isInteger(rate) && rate >= 0 && rate <= 20_000)) fail('--demo-rate must be a whole number from 0 to 20000.');
  const here = dirname(fileURLToPath(import.meta.url));
  const rendererDir = resolve(here, '../renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) fail(`no built renderer in ${rendererDir}; run "npm run build" first.`);

  const dataDir = ensureDataDir(resolve(v['data-dir'] ?? defaultDataDir()));
  const vault = fileTokenVault(dataDir);
  const decision = resolveStart({ flags: { demo: v.demo, backend: v.backend, backendToken: v['backend-token'] }, env: process.env, dataDir, vault });
  if (!decision.ok) fail(decision.problems.join('\nconsole: '));
  const { plan } = decision;
  const log = announceStart(plan, dataDir);

  const core = await startCore({ version: APP_VERSION, dataDir, ...coreStart(plan), demoRatePerHour: rate, kiosk: v.kiosk ?? false, tokenVault: vault, log });
  const host = await startHost({ handlers: core.handlers, stream: core.stream, rendererDir, port, exportsDir: join(dataDir, 'exports'), inbox: core.inbox, newSession: core.newSession }).catch((e: Error) =>
    fail(`could not listen on port ${port}: ${e.message}`),
  );
  // Serving from here on: a stray error is logged, never the end of the console.
  keepServingOnUnexpectedErrors();

  const shutdown = gracefulShutdown({
    steps: [
      { name: 'close the web host', run: () => host.close() },
      { name: 'stop the core', run: () => core.stop() },
      { name: 'close the log', run: () => log.close() },
    ],
    exit: (code) => process.exit(code),
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void shutdown());
  // Started by scripts/launch.mjs: when the launcher is gone (even killed outright), so are we.
  if (process.connected) process.on('disconnect', () => void shutdown());
  // The one line scripts wait for (everything else goes to stderr); only once a stop signal is handled.
  process.stdout.write(`console ready: ${host.url}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`console: could not start: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
