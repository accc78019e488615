/**
 * Throughput with 1, 2, 3 backend processes on one Redis, and the in-process mode (one process,
 * three instances, no Redis) for reference. Consoles are bare protocol clients spread evenly over
 * the instances; each subscribes to the event stream and keeps check-ins in flight (closed loop),
 * so the rate is whatever the backend side sustains. msgs/s counts event frames delivered to all
 * consoles per second (the fan-out a gym chain's consoles see); check-ins/s is beside it.
 * The consoles live in the bench's own process, so on a machine with few cores they compete with
 * the backend processes for CPU: docs/benchmarks.md says what that did to the figures.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, STREAM } from '../../src/shared/protocol';
import { spawnCli, startBackends } from '../../tests/helpers/backend-processes';
import { sleep } from '../measure';

const TOKEN = 'bench-scaleout';
/** Many consoles, few desks: a chain's fan-out, which is the work more processes can share. */
const CONSOLES = 60;
const DESKS = 3;
const IN_FLIGHT = 8;
const WARMUP_MS = 1_000;

export interface Throughput {
  msgs_per_s: number;
  checkins_per_s: number;
}

/** Drives `urls` for `seconds` after a warm-up; resolves with the rates over the measured window. */
async function drive(urls: string[], seconds: number): Promise<Throughput> {
  let events = 0;
  let replies = 0;
  let running = true;
  const sockets = await Promise.all(
    Array.from({ length: CONSOLES }, (_, i) => {
      const ws = new WebSocket(urls[i % urls.length]!, { perMessageDeflate: false });
      let n = 0;
      const checkIn = (): void => {
        if (running && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'req', id: `${i}-${n}-${randomUUID()}`, op: 'checkin', body: { cardId: `load-${i}-${n++}`, source: 'door' } }));
      };
      return new Promise<WebSocket>((resolve, reject) => {
        ws.on('error', reject);
        ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', versions: [PROTOCOL_VERSION], token: TOKEN, client: 'bench-scaleout' })));
        ws.on('message', (data) => {
          const text = data.toString();
          // Counting by prefix: parsing every frame would make the load generator the bottleneck.
          if (text.startsWith('{"t":"event"')) events++;
          else if (text.startsWith('{"t":"reply"')) {
            replies++;
            checkIn();
          } else if (text.startsWith('{"t":"welcome"')) ws.send(JSON.stringify({ t: 'sub', stream: STREAM, after: 0 }));
          else if (text.startsWith('{"t":"subbed"')) {
            if (i < DESKS) for (let k = 0; k < IN_FLIGHT; k++) checkIn();
            resolve(ws);
          }
        });
      });
    }),
  );
  await sleep(WARMUP_MS);
  const [e0, r0, t0] = [events, replies, performance.now()];
  await sleep(seconds * 1_000);
  const [e1, r1, t1] = [events, replies, performance.now()];
  running = false;
  for (const ws of sockets) ws.terminate();
  const s = (t1 - t0) / 1_000;
  return { msgs_per_s: Math.round((e1 - e0) / s), checkins_per_s: Math.round((r1 - r0) / s) };
}

/** The in-process mode as its own process (`npm run server -- --instances 3`), so it faces the same client. */
async function inProcess(): Promise<{ urls: string[]; close(): Promise<void> }> {
  const child = spawnCli(['--instances', '3', '--port', '0', '--token', TOKEN, '--capacity', '1000000']);
  let out = '';
  const urls = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`in-process backend did not start:\n${out}`)), 30_000);
    const read = (d: Buffer): void => {
      out += d;
      const found = [...out.matchAll(/listening (ws:\/\/\S+)/g)].map((m) => m[1]!);
      if (found.length === 3) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
  });
  return {
    urls,
    close: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGKILL')))),
  };
}

export async function measureThroughput(redisUrl: string, counts: number[], seconds: number, log: (m: string) => void): Promise<{ byCount: Throughput[]; inproc: Throughput }> {
  const byCount: Throughput[] = [];
  for (const count of counts) {
    const procs = await startBackends({ redisUrl, count, token: TOKEN, keyPrefix: `tp${randomUUID().slice(0, 8)}:`, capacity: 1_000_000 });
    try {
      byCount.push(await drive(procs.urls, seconds));
      log(`  throughput, ${count} process(es): ${byCount.at(-1)!.msgs_per_s} msgs/s, ${byCount.at(-1)!.checkins_per_s} check-ins/s`);
    } finally {
      await procs.close();
    }
  }
  const inproc = await inProcess();
  try {
    const r = await drive(inproc.urls, seconds);
    log(`  throughput, in-process (3 instances, no Redis): ${r.msgs_per_s} msgs/s, ${r.checkins_per_s} check-ins/s`);
    return { byCount, inproc: r };
  } finally {
    await inproc.close();
  }
}
