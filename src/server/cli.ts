import { parseArgs } from 'node:util';
import { startCluster } from './cluster';
import { startAdmin } from './admin';
import { TrafficSimulator } from './simulator';
import { parseRedisUrl, withoutUnneededPassword } from './redis/connect';
import { runRedisInstance, superviseRedis } from './redis-mode';
import { listening } from './listen-errors';
import { joinNegativeValues, plainArgsError } from '../shared/cli-args';
import { exposureWarning, parseHost } from './listen-address';
import { DEFAULT_CAPACITY, DEFAULT_MAX_VISIT_MS } from './gym';

const HELP = `Usage: npm run server -- [--instances N] [--port P] [--host ADDRESS] [--token T] [--admin-port A] [--simulate] [--rate R]
                         [--redis redis://HOST:PORT [--instance-id K] [--key-prefix X]] [--capacity C]
Starts N reference gym backend instances on ports P..P+N-1 over one shared roster and event log.
The roster is 2,400 invented members: this backend is for trying the console, tests and benchmarks.
  --host         address the instances listen on (default 127.0.0.1: consoles on this machine only);
                 0.0.0.0 (or ::) for all interfaces, or one interface's address, for consoles on other PCs.
                 Only the token protects it and traffic is not encrypted: put a TLS proxy in front.
  --token        backend auth token clients must send (default: env GYM_TOKEN or "dev-token"; GYM_TOKEN keeps it
                 out of the process list, where other users of the PC can read a command line)
  --admin-port   HTTP admin channel for faults (kill, hang, …) on 127.0.0.1 only, whatever --host says
                 (default: a free port; with --redis, A+K per process)
  --simulate     run the traffic simulator (members arriving and leaving)
  --rate         simulator arrivals per hour at peak (default 1800)
  --capacity     how many members may be inside at once (default ${DEFAULT_CAPACITY}; shown on every Overview)
  --retention    events kept for replay (default 50000); with --redis, the stream's MAXLEN
  --redis        share the gym through this Redis: each instance is its own OS process
  --instance-id  with --redis: run only instance K, in this process, on port P (default 9100+K);
                 each process on one Redis needs its own K (a running one's is refused)
  --key-prefix   with --redis: start of every key (default "avgym:"), to share one Redis
Members still inside after ${DEFAULT_MAX_VISIT_MS / 3_600_000} hours are checked out by the backend; there is no other check-out.`;

/** A wrong flag: one line, exit status 2 (1 is for this machine: a port taken, Redis unreachable). */
function fail(message: string): never {
  console.error(`gym-server: ${message}`);
  process.exit(2);
}
const OPTIONS = {
  instances: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  'admin-port': { type: 'string' },
  simulate: { type: 'boolean' },
  rate: { type: 'string' },
  capacity: { type: 'string' },
  retention: { type: 'string' },
  redis: { type: 'string' },
  'instance-id': { type: 'string' },
  'key-prefix': { type: 'string' },
  help: { type: 'boolean' },
} as const;
const VALUE_FLAGS = ['instances', 'port', 'host', 'token', 'admin-port', 'rate', 'capacity', 'retention', 'redis', 'instance-id', 'key-prefix'];

/** `why`: what sets `max` when it is not the flag's own limit (instances on consecutive ports). */
function intArg(value: string | undefined, name: string, fallback: number, min: number, max: number, why?: string): number {
  if (value === undefined) return fallback;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be a whole number from ${min} to ${max}${why ? ` (${why})` : ''}, not "${value}".`);
  return n;
}

/** N instances listen on P..P+N-1, and no port is above 65535: the highest P, and why, for the refusal. */
function consecutivePorts(instances: number, letter: string, what: string): [number, string | undefined] {
  if (instances === 1) return [65535, undefined];
  return [65536 - instances, `${instances} instances take ${what} ${letter} to ${letter}+${instances - 1}, and no port is above 65535`];
}

function warnIfExposed(host: string): void {
  const warning = exposureWarning(host);
  if (warning) console.warn(warning);
}

async function main(): Promise<void> {
  let values;
  const args = joinNegativeValues(process.argv.slice(2), VALUE_FLAGS);
  try {
    ({ values } = parseArgs({ args, options: OPTIONS }));
  } catch (e) {
    fail(plainArgsError(e, 'npm run server -- --help', { args, options: OPTIONS }));
  }
  if (values.help) return void console.log(HELP);
  const instances = intArg(values.instances, 'instances', 3, 1, 32);
  const parsedHost = parseHost(values.host);
  if (!parsedHost.ok) fail(parsedHost.error);
  const { host } = parsedHost;
  const token = values.token ?? process.env.GYM_TOKEN ?? 'dev-token';
  // npm run server hands --token over by GYM_TOKEN; given here directly, every user of the PC can read it in `ps`.
  if (values.token !== undefined) console.warn('gym-server: --token on the command line can be read by every user of this PC (in the process list) for as long as this server runs; better: GYM_TOKEN=TOKEN npm run server -- … (without --token).');
  const capacity = intArg(values.capacity, 'capacity', DEFAULT_CAPACITY, 1, 1_000_000);
  const rate = intArg(values.rate, 'rate', 1800, 0, 1_000_000);
  const replayRetention = intArg(values.retention, 'retention', 50_000, 1, 10_000_000);
  const simulate = values.simulate ? { ratePerHour: rate } : undefined;
  if (values.redis !== undefined) {
    const parsed = parseRedisUrl(values.redis);
    if (!parsed.ok) {
      console.error(`gym-server: ${parsed.error}`);
      process.exit(2);
    }
    const { url, note } = await withoutUnneededPassword(parsed.url);
    if (note) console.warn(`gym-server: ${note}`);
    const common = { url, keyPrefix: values['key-prefix'], token, host, capacity, replayRetention, simulate };
    if (values['instance-id'] !== undefined) {
      const index = intArg(values['instance-id'], 'instance-id', 0, 0, 31);
      const port = intArg(values.port, 'port', 9100 + index, 0, 65535);
      await runRedisInstance({ ...common, index, port, adminPort: intArg(values['admin-port'], 'admin-port', 0, 0, 65535) });
      // A child of --instances N (forked, so it has an IPC channel) leaves the warning to its supervisor.
      if (!process.send) warnIfExposed(host);
      return;
    }
    const port = intArg(values.port, 'port', 9100, 0, ...consecutivePorts(instances, 'P', 'ports'));
    await superviseRedis({ ...common, instances, port, adminPort: intArg(values['admin-port'], 'admin-port', 0, 0, ...consecutivePorts(instances, 'A', 'admin ports')) });
    return warnIfExposed(host);
  }
  if (values['instance-id'] !== undefined || values['key-prefix'] !== undefined) fail('--instance-id and --key-prefix need --redis (instances in one process already share the gym).');
  const port = intArg(values.port, 'port', 9100, 0, ...consecutivePorts(instances, 'P', 'ports'));
  const adminPort = intArg(values['admin-port'], 'admin-port', 0, 0, 65535);
  const portFlag = instances > 1 ? `--port (instances take ${instances} ports from it)` : '--port';
  const cluster = await listening(() => startCluster({ instances, port, host, token, capacity, replayRetention }), portFlag);
  for (const inst of cluster.instances) console.log(`gym-server instance ${inst.index} listening ${inst.reach}`);
  const admin = await listening(() => startAdmin(cluster, token, adminPort), '--admin-port');
  console.log(`gym-server admin ${admin.url}`);
  warnIfExposed(host);
  if (simulate) new TrafficSimulator(cluster.gym, simulate).start();
  const stop = (): void => void cluster.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
