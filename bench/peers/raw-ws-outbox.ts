/**
 * The outbox bench's baseline: the same frames over one plain `ws` socket, fire and count acks; no durability, no
 * lanes, no window. Run in a process of its own (as the load bench's sides are), so neither side's heap, garbage or
 * warmed-up code is the other's.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { quantile } from 'simple-statistics';
import type { ScenarioOptions } from '../scenario';

export const OUTBOX_TOKEN = 'bench-outbox';
/** One message of the bench, the same on both sides. */
export const outboxBody = (i: number) => ({ kind: 'sync', data: `member-sync-${i}-${'x'.repeat(64)}` });

export interface RawBaseline {
  name: 'raw-ws-no-durability';
  throughput_per_s: number;
  ack_ms_p99: number;
  cpu_us_per_msg: number;
}

const round = (n: number): number => Math.round(n * 100) / 100;
const THIS_FILE = fileURLToPath(import.meta.url);

/** Runs the baseline in a child process on `url`; its progress lines go to `opts.log`. */
export async function rawBaselineInChild(url: string, msgs: number, opts: Pick<ScenarioOptions, 'log'>): Promise<RawBaseline> {
  const child = spawn(process.execPath, [...process.execArgv, THIS_FILE, url, String(msgs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  for (const line of err.trim().split('\n').filter(Boolean)) opts.log(line);
  if (code !== 0) throw new Error(`the raw ws baseline exited ${code}: ${err.trim()}`);
  return JSON.parse(out) as RawBaseline;
}

async function rawBaseline(url: string, msgs: number): Promise<RawBaseline> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  ws.send(JSON.stringify({ t: 'hello', versions: [1], token: OUTBOX_TOKEN, client: 'bench-raw' }));
  const sentAt = new Map<string, number>();
  const lat: number[] = [];
  let acked = 0;
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as { t: string; id?: string };
    if (f.t === 'ack' && f.id) {
      lat.push(performance.now() - sentAt.get(f.id)!);
      sentAt.delete(f.id);
      acked++;
    }
  });
  await new Promise((r) => setTimeout(r, 50));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < msgs; ) {
    const end = Math.min(msgs, i + 500);
    for (; i < end; i++) {
      const id = randomUUID();
      sentAt.set(id, performance.now());
      ws.send(JSON.stringify({ t: 'req', id, op: 'action', body: outboxBody(i) }));
    }
    await new Promise((r) => setImmediate(r));
  }
  while (acked < msgs) await new Promise((r) => setTimeout(r, 5));
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  ws.close();
  process.stderr.write(`raw ws: ${msgs} msgs in ${secs.toFixed(2)} s\n`);
  return {
    name: 'raw-ws-no-durability',
    throughput_per_s: Math.round(msgs / secs),
    ack_ms_p99: round(quantile(lat, 0.99)),
    cpu_us_per_msg: round((cpu.user + cpu.system) / msgs),
  };
}

if (process.argv[1] === THIS_FILE) {
  const [url, msgs] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await rawBaseline(url!, Number(msgs))));
  process.exit(0);
}
