/**
 * Benchmarks: `npm run bench -- <scenario> [--json] [--quick] [--faults N] [--seed N] [--soak]`.
 * With --json, exactly one JSON line goes to stdout; progress and everything else go to stderr.
 * Add a scenario by adding an entry to SCENARIOS.
 */
import { parseArgs } from 'node:util';
import type { ScenarioOptions } from './scenario';
import { failover, summarizeFailover, type FailoverResult } from './failover';
import { outbox, summarizeOutbox, type OutboxResult } from './outbox';
import { analytics, summarizeAnalytics, type AnalyticsResult } from './analytics';
import { kiosk, summarizeKiosk, type KioskResult } from './kiosk';
import { ui, summarizeUi, type UiResult } from './ui';
import { hostile, summarizeHostile, type HostileResult } from './hostile';
import { alerts, summarizeAlerts, type AlertsResult } from './alerts';
import { scaleout, summarizeScaleout, type ScaleoutResult } from './scaleout';


interface Scenario<R extends object = object> {
  about: string;
  run(opts: ScenarioOptions): Promise<R>;
  summary?(result: R): string;
}

const scenario = <R extends object>(s: Scenario<R>): Scenario => s as unknown as Scenario;

const SCENARIOS: Record<string, Scenario> = {
  failover: scenario<FailoverResult>({
    about: 'kill/hang the instance a client receives events from; switch time, loss and duplicates, against partysocket',
    run: failover,
    summary: summarizeFailover,
  }),
  outbox: scenario<OutboxResult>({
    about: 'durable outbox throughput and enqueue→ack latency vs a raw ws send; RSS under a flood (--faults N = messages)',
    run: outbox,
    summary: summarizeOutbox,
  }),
  analytics: scenario<AnalyticsResult>({
    about: 'analytics ingest, 7-day query on a large DB, 1M-row CSV export vs per-row inserts and a raw scan (--faults N = events)',
    run: analytics,
    summary: summarizeAnalytics,
  }),
  ui: scenario<UiResult>({
    about: 'Chromium on the headless host at 1,000 events/s: event→DOM, frame times with live charts, renderer heap, bundle (--faults N = seconds)',
    run: ui,
    summary: summarizeUi,
  }),
  hostile: scenario<HostileResult>({
    about: 'the built host under hostile backend frames and fuzzed bridge/HTTP requests: crashes, RSS, probe latency (--faults N = frames)',
    run: hostile,
    summary: summarizeHostile,
  }),
  scaleout: scenario<ScaleoutResult>({
    about: 'backend processes on Redis: msgs/s with 1-3 processes; SIGKILL/SIGSTOP/blackhole/rolling/Redis restarts vs Socket.IO (--soak: fault-free run)',
    run: (opts) => scaleout(opts),
    summary: summarizeScaleout,
  }),
  kiosk: scenario<KioskResult>({
    about: 'kiosk scan→verdict through the web bridge, backend up and all instances down (--faults N = scans each)',
    run: kiosk,
    summary: summarizeKiosk,
  }),
  alerts: scenario<AlertsResult>({
    about: 'a live console on a backend whose instances all fail and recover at random (flapping) for 10 min, webhooks to a receiver failing 1/3: fault→notice, notices per outage, duplicates, losses (--faults N = seconds)',
    run: alerts,
    summary: summarizeAlerts,
  }),
};

const USAGE = `usage: npm run bench -- <scenario> [--json] [--quick] [--faults N] [--seed N] [--soak]

scenarios:
${Object.entries(SCENARIOS)
  .map(([name, s]) => `  ${name.padEnd(10)} ${s.about}`)
  .join('\n')}`;

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
  if (rest.length) fail(`one scenario at a time (got ${positionals.join(', ')})`);
  const chosen = SCENARIOS[name];
  if (!chosen) fail(`unknown scenario "${name}"; scenarios: ${Object.keys(SCENARIOS).join(', ')}`);

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
    log: (m) => void process.stderr.write(`${m}\n`),
  };
  const result = await chosen.run(opts);
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${chosen.summary ? chosen.summary(result) : JSON.stringify(result, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
