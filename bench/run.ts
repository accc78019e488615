/**
 * Benchmarks: `npm run bench -- <scenario|all> [--json] [--quick] [--faults N] [--seed N] [--soak] [--backend in-process|redis]`.
 * With --json, one JSON line per result goes to stdout (load gives one per part); progress and everything else go to stderr.
 * Add a scenario by adding an entry to SCENARIOS.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { ScenarioOptions } from './scenario';
import { BACKENDS, backendFactory, type BackendName } from './load/backend';

interface Scenario {
  about: string;
  /** Loaded when run, so one scenario does not pay for another's imports (fast-check costs the hostile bench 0.7 s). */
  load(): Promise<{ run(opts: ScenarioOptions): Promise<object>; summary?(result: never): string }>;
}

const SCENARIOS: Record<string, Scenario> = {
  failover: {
    about: 'kill/hang the instance a client receives events from; switch time, loss and duplicates, against partysocket',
    load: async () => ({ run: (await import('./failover')).failover, summary: (await import('./failover')).summarizeFailover }),
  },
  outbox: {
    about: 'durable outbox throughput and enqueue→ack latency (5 paced runs) vs a raw ws send; RSS under a flood (--faults N = messages)',
    load: async () => ({ run: (await import('./outbox')).outbox, summary: (await import('./outbox')).summarizeOutbox }),
  },
  analytics: {
    about: 'analytics ingest, 7-day query on a large DB, 1M-row CSV, JSON and SQLite exports vs per-row inserts and a raw scan (--faults N = events)',
    load: async () => ({ run: (await import('./analytics')).analytics, summary: (await import('./analytics')).summarizeAnalytics }),
  },
  ui: {
    about: 'Chromium on the headless host at 1,000 events/s: event→DOM, frame times with live charts, renderer heap, bundle (--faults N = seconds)',
    load: async () => ({ run: (await import('./ui')).ui, summary: (await import('./ui')).summarizeUi }),
  },
  hostile: {
    about: 'the built host under hostile backend frames and fuzzed bridge/HTTP requests: crashes, RSS, probe latency (--faults N = frames)',
    load: async () => ({ run: (await import('./hostile')).hostile, summary: (await import('./hostile')).summarizeHostile }),
  },
  scaleout: {
    about: 'backend processes on Redis: msgs/s with 1-3 processes; SIGKILL/SIGSTOP/blackhole/rolling/Redis restarts vs Socket.IO (--soak: fault-free run)',
    load: async () => ({ run: (await import('./scaleout')).scaleout, summary: (await import('./scaleout')).summarizeScaleout }),
  },
  kiosk: {
    about: 'kiosk scan→verdict through the web bridge, backend up and all instances down (--faults N = scans each)',
    load: async () => ({ run: (await import('./kiosk')).kiosk, summary: (await import('./kiosk')).summarizeKiosk }),
  },
  alerts: {
    about: 'a live console on a backend whose instances all fail and recover at random (flapping) for 10 min, webhooks to a receiver failing 1/3: fault→notice, notices per outage, duplicates, losses (--faults N = seconds)',
    load: async () => ({ run: (await import('./alerts')).alerts, summary: (await import('./alerts')).summarizeAlerts }),
  },
  load: {
    about: 'five load scenarios (100, 500, 200×50, 300 for 2 min, 400 tuned) vs a plain ws socket per user; one line each (--backend in-process|redis)',
    load: async () => ({ run: (await import('./load')).load, summary: (await import('./load')).summarizeLoad }),
  },
  'console-1k': {
    about: 'one console holding 1,000 pooled sockets at 10,000 msgs/s: RSS, CPU, event-loop lag, message p99 vs 1,000 plain ws',
    load: async () => ({ run: (await import('./load')).console1k, summary: (await import('./load')).summarizeConsole1k }),
  },
};

const USAGE = `usage: npm run bench -- <scenario|all> [--json] [--quick] [--faults N] [--seed N] [--soak] [--backend in-process|redis]

scenarios:
${Object.entries(SCENARIOS)
  .map(([name, s]) => `  ${name.padEnd(10)} ${s.about}`)
  .join('\n')}
  ${'all'.padEnd(10)} every scenario above in turn, each in a process of its own (--faults and --seed apply to each)`;

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) fail(`--${name} wants a positive integer, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        faults: { type: 'string' },
        seed: { type: 'string' },
        soak: { type: 'boolean', default: false },
        backend: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  const [name, ...rest] = positionals;
  if (!name) fail('name a scenario');
  if (rest.length) fail(`one scenario at a time (got ${positionals.join(', ')}); "all" runs every one`);
  const names = name === 'all' ? Object.keys(SCENARIOS) : [name];
  if (!SCENARIOS[names[0]!]) fail(`unknown scenario "${name}"; scenarios: ${Object.keys(SCENARIOS).join(', ')}, all`);
  const backend = values.backend ?? 'in-process';
  if (!(BACKENDS as readonly string[]).includes(backend)) fail(`--backend wants ${BACKENDS.join(' or ')}, got "${backend}"`);
  const unavailable = backendFactory(backend as BackendName);
  if (typeof unavailable === 'string') fail(`--backend ${backend} ${unavailable}`);

  // stdout carries the result only: anything else that logs goes to stderr.
  const toStderr = (...args: unknown[]): void => void process.stderr.write(`${args.map(String).join(' ')}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;

  const opts: ScenarioOptions = {
    quick: values.quick,
    faults: positiveInt('faults', values.faults),
    seed: positiveInt('seed', values.seed),
    soak: values.soak,
    backend: backend as BackendName,
    log: (m) => void process.stderr.write(`${m}\n`),
  };
  if (name === 'all') return runEach(names, process.argv.slice(2), values.json);
  try {
    const chosen = await SCENARIOS[name]!.load();
    const result = await chosen.run(opts);
    // A scenario with several parts (load) gives one line per part.
    if (values.json) for (const r of Array.isArray(result) ? result : [result]) process.stdout.write(`${JSON.stringify(r)}\n`);
    else process.stdout.write(`${chosen.summary ? chosen.summary(result as never) : JSON.stringify(result, null, 2)}\n`);
  } catch (e) {
    // --backend redis without redis-server: a clear word and exit 2, as for any option that cannot be served.
    if ((e as { exitCode?: number }).exitCode === 2) fail((e as Error).message);
    throw e;
  }
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * `all`: each scenario in a child process of its own, this same command with the scenario's name,
 * so its figures are what it gives alone: in one process a later scenario's memory figures carried
 * the earlier ones' heap (the outbox started at 263 MB after the failover bench, 175 MB alone).
 */

async function runEach(names: string[], argv: string[], json: boolean): Promise<void> {
  const at = argv.indexOf('all');
  const args = argv.filter((_, i) => i !== at);
  let failed = 0;
  for (const n of names) {
    let tail = '';
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, n, ...args], { stdio: ['ignore', 'inherit', 'pipe'] });
      child.stderr.on('data', (d: Buffer) => {
        process.stderr.write(d);
        tail = (tail + d.toString()).slice(-8_000);
      });
      // Stopping the run stops the scenario under way, not just this loop.
      const stop = (sig: NodeJS.Signals): void => void child.kill(sig);
      for (const sig of STOP_SIGNALS) process.on(sig, stop);
      child.once('error', () => resolve(null));
      child.once('exit', (c, sig) => {
        for (const s of STOP_SIGNALS) process.off(s, stop);
        if (sig && STOP_SIGNALS.includes(sig)) process.kill(process.pid, sig);
        resolve(c);
      });
    });
    if (code === 0) continue;
    // A child that cannot be served at all (exit 2) has said why; nor could the rest of the run be.
    if (code === 2) process.exit(2);
    failed++;
    // The child's last word: `bench: Error: <message>` and its stack.
    const said = tail.slice(tail.lastIndexOf('bench: ') + 'bench: '.length).split('\n')[0]!.replace(/^\w*Error: /, '');
    const error = tail.includes('bench: ') && said ? said : `exited ${code ?? 'abnormally'}`;
    process.stderr.write(`bench: ${n} failed: ${error}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ scenario: n, error })}\n`);
  }
  if (failed) throw new Error(`${failed} of ${names.length} scenarios failed (see above)`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
