import { parseArgs } from 'node:util';
import { startCluster } from './cluster';
import { startAdmin } from './admin';
import { TrafficSimulator } from './simulator';

const HELP = `Usage: npm run server -- [--instances N] [--port P] [--token T] [--admin-port A] [--simulate] [--rate R]
Starts N reference gym backend instances on 127.0.0.1:P..P+N-1 over one shared roster and event log.
  --token       backend auth token clients must send (default: env GYM_TOKEN or "dev-token")
  --admin-port  loopback HTTP admin channel for faults (default: a free port)
  --simulate    run the traffic simulator (members arriving and leaving)
  --rate        simulator arrivals per hour at peak (default 1800)`;

function fail(message: string): never {
  console.error(`gym-server: ${message}\n\n${HELP}`);
  process.exit(2);
}

function intArg(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be a whole number from ${min} to ${max}.`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        instances: { type: 'string' },
        port: { type: 'string' },
        token: { type: 'string' },
        'admin-port': { type: 'string' },
        simulate: { type: 'boolean' },
        rate: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) return void console.log(HELP);
  const instances = intArg(values.instances, 'instances', 3, 1, 32);
  const port = intArg(values.port, 'port', 9100, 0, 65535 - instances);
  const token = values.token ?? process.env.GYM_TOKEN ?? 'dev-token';
  const cluster = await startCluster({ instances, port, token }).catch((e: Error) => fail(`could not listen: ${e.message}`));
  for (const inst of cluster.instances) console.log(`gym-server instance ${inst.index} listening ${inst.url}`);
  const admin = await startAdmin(cluster, token, intArg(values['admin-port'], 'admin-port', 0, 0, 65535));
  console.log(`gym-server admin ${admin.url}`);
  if (values.simulate) new TrafficSimulator(cluster.gym, { ratePerHour: intArg(values.rate, 'rate', 1800, 0, 1_000_000) }).start();
  const stop = (): void => void cluster.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
