import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { GymInstance } from './instance';
import { startAdmin } from './admin';
import { TrafficSimulator } from './simulator';
import { RedisGym } from './redis/redis-gym';
import { connectRedis } from './redis/connect';
import { claimInstance } from './redis/instance-claim';
import { listening } from './listen-errors';
import { LOOPBACK } from './listen-address';

export interface RedisModeOptions {
  url: URL;
  keyPrefix?: string;
  token: string;
  /** Where the instances listen; their admin channels stay on loopback. */
  host: string;
  capacity?: number;
  replayRetention?: number;
  simulate?: { ratePerHour: number };
}

/** One instance in this process over the shared Redis gym; exits with a one-line reason if Redis cannot be reached. */
export async function runRedisInstance(opts: RedisModeOptions & { index: number; port: number; adminPort: number }): Promise<void> {
  const gym = await RedisGym.open({ url: opts.url, keyPrefix: opts.keyPrefix, capacity: opts.capacity, replayRetention: opts.replayRetention, speaker: `gym-server instance ${opts.index}` }).catch((e: Error) => exit(e.message));
  const inst = new GymInstance(opts.index, gym, opts.token, opts.port, { host: opts.host });
  await listening(() => inst.start(), '--port');
  // Its own connection: the claim is renewed whatever the gym's commands are doing.
  const claimer = await connectRedis(opts.url).catch((e: Error) => exit(e.message));
  const claim = await claimInstance(claimer, opts.keyPrefix ?? 'avgym:', opts.index, inst.port, (line) => console.warn(`gym-server: ${line}`)).catch((e: Error) => exit(e.message));
  if (!claim.ok) {
    console.error(`gym-server: ${claim.problem}`);
    process.exit(2);
  }
  console.log(`gym-server instance ${opts.index} listening ${inst.reach}`);
  const admin = await listening(() => startAdmin({ instances: [inst], instance: () => inst }, opts.token, opts.adminPort), '--admin-port');
  console.log(`gym-server instance ${opts.index} admin ${admin.url}`);
  let simulator: TrafficSimulator | null = null;
  if (opts.simulate) {
    simulator = new TrafficSimulator(gym, opts.simulate);
    simulator.start();
  }
  const stop = (): void => {
    simulator?.stop();
    // The claim first, while Redis is still connected: the gym's closing connections would be reported as lost.
    void claim
      .stop()
      .then(() => (claimer.disconnect(), Promise.all([inst.kill(), gym.close()])))
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * `--instances N` with `--redis`: N processes, one instance each (this script again with
 * `--instance-id K`). A process that dies is started again after a second; SIGINT/SIGTERM stop all.
 */
export async function superviseRedis(opts: RedisModeOptions & { instances: number; port: number; adminPort: number }): Promise<void> {
  // Fail at once on an unreachable Redis, before any child is started.
  const probe = await connectRedis(opts.url).catch((e: Error) => exit(e.message));
  probe.disconnect();
  // And on a port that is taken: a child that cannot listen would be started again every second, forever.
  // And on a --host that is not this machine's, which a free port (0) would not show.
  const flag = `--port (instances take ${opts.instances} ports from it)`;
  if (!opts.port) await listening(() => portFree(opts.host, 0), flag);
  for (let k = 0; k < opts.instances; k++) {
    if (opts.port) await listening(() => portFree(opts.host, opts.port + k), flag);
    if (opts.adminPort) await listening(() => portFree(LOOPBACK, opts.adminPort + k), '--admin-port');
  }
  const children: (ChildProcess | null)[] = [];
  let stopping = false;
  const start = (k: number): void => {
    const args = ['--redis', opts.url.toString(), '--instance-id', String(k), '--port', String(opts.port ? opts.port + k : 0), '--host', opts.host];
    if (opts.keyPrefix) args.push('--key-prefix', opts.keyPrefix);
    if (opts.capacity) args.push('--capacity', String(opts.capacity));
    if (opts.replayRetention) args.push('--retention', String(opts.replayRetention));
    if (opts.adminPort) args.push('--admin-port', String(opts.adminPort + k));
    // The simulator runs once for the gym, in the first process.
    if (opts.simulate && k === 0) args.push('--simulate', '--rate', String(opts.simulate.ratePerHour));
    // The token by environment: a command line is readable by every user of the PC (`ps`).
    const child = fork(process.argv[1]!, args, { stdio: 'inherit', env: { ...process.env, GYM_TOKEN: opts.token } });
    children[k] = child;
    child.on('exit', (code, signal) => {
      children[k] = null;
      if (stopping) return void (children.every((c) => !c) && process.exit(0));
      console.error(`gym-server: instance ${k} exited (${signal ?? `code ${code}`}); starting it again in 1 s`);
      setTimeout(() => !stopping && start(k), 1_000);
    });
  };
  for (let k = 0; k < opts.instances; k++) start(k);
  const stop = (): void => {
    stopping = true;
    for (const c of children) c?.kill('SIGTERM');
    if (children.every((c) => !c)) process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Takes the port on `host` and gives it back; rejects as listen does when it is taken. */
function portFree(host: string, port: number): Promise<void> {
  const srv = createServer();
  return new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}

function exit(message: string): never {
  console.error(`gym-server: ${message}`);
  process.exit(1);
}
