/**
 * Load scenarios (issue #16): five plans from the Phase 1 report, ours (one PoolManager) against a
 * plain ws socket per user, each side in its own process so RSS and CPU are its own. One JSON line
 * per scenario. `--backend redis` runs the same against backend processes on a private Redis.
 */
import { spawn } from 'node:child_process';
import { processRunning } from '../src/main/core/process-running';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { resolve as absolute } from 'node:path';
import type { ScenarioOptions } from './scenario';
import { backendFactory, type BackendName } from './load/backend';
import { console1kPlan, loadPlans, type LoadPlan } from './load/plan';
import { runLoad, type LoadLine, type SideRunner } from './load/scenario';
import type { SideResult } from './load/stats';

/**
 * The worker as plain JavaScript, bundled once per bench run, as the shipped main process is
 * (electron-vite bundles it): under tsx a process carries ~40 MB of compiler and loader that the
 * console never has. Packages stay in node_modules, as in the app. Written under node_modules so
 * the bundle resolves them.
 */
let bundled: Promise<string> | undefined;
const workerBundle = (): Promise<string> =>
  (bundled ??= (async () => {
    const { build } = await import('esbuild');
    // One per bench process: clones and worktrees share node_modules by a link, and two benches at once rebuilt each
    // other's worker mid-run (prof28 P8).
    const dir = absolute('node_modules/.cache/av-bench');
    const outfile = `${dir}/load-worker-${process.pid}.mjs`;
    process.once('exit', () => rmSync(outfile, { force: true }));
    // Those of benches stopped with Ctrl+C (no exit handler ran): their process is gone.
    for (const f of existsSync(dir) ? readdirSync(dir) : []) {
      const pid = Number(/^load-worker-(\d+)\.mjs$/.exec(f)?.[1]);
      if (pid && !processRunning(pid)) rmSync(`${dir}/${f}`, { force: true });
    }
    await build({ entryPoints: ['bench/load/worker.ts'], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
    return outfile;
  })());

/** Each side in a child process (`bench/load/worker.ts`, bundled), the same code for both. */
export const childRunner: SideRunner = async (side, plan, urls, token) => {
  const worker = await workerBundle();
  return new Promise<SideResult>((resolve, reject) => {
    const child = spawn(process.execPath, [worker, side, JSON.stringify(plan), urls.join(','), token], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as SideResult) : reject(new Error(`load worker (${side}, ${plan.name}) exited ${code}`))));
  });
};

function factory(opts: ScenarioOptions) {
  const name: BackendName = opts.backend ?? 'in-process';
  const f = backendFactory(name);
  if (typeof f === 'string') throw Object.assign(new Error(`--backend ${name} ${f}`), { exitCode: 2 });
  return { name, factory: f };
}

export const load = (opts: ScenarioOptions): Promise<LoadLine[]> => runLoad(loadPlans(opts.quick), factory(opts), childRunner, opts.log, opts.seed);

export const console1k = async (opts: ScenarioOptions): Promise<LoadLine> => {
  const plan: LoadPlan = console1kPlan(opts.quick);
  const [line] = await runLoad([plan], factory(opts), childRunner, opts.log, opts.seed);
  return line!;
};

const row = (l: LoadLine): string =>
  `${l.scenario.padEnd(22)} ${String(l.connections).padStart(5)} conns (${l.order[0]} first)  ok ${(l.success_rate * 100).toFixed(1)}% (peer ${(l.peer.success_rate * 100).toFixed(1)}%)  ` +
  `${l.msgs_per_s}/s  p99 ${l.latency_ms_p99} ms (peer ${l.peer.latency_ms_p99})  connect p99 ${l.connect_ms_p99} ms (peer ${l.peer.connect_ms_p99})  ` +
  `lost ${l.lost}/${l.peer.lost} dup ${l.duplicated}/${l.peer.duplicated}  RSS ${l.rss_mb} MB (peer ${l.peer.rss_mb})  CPU ${l.cpu_pct}% (peer ${l.peer.cpu_pct}%), ${l.cpu_us_per_msg} µs/msg (peer ${l.peer.cpu_us_per_msg})  lag p99 ${l.loop_lag_ms_p99} ms`;

export const summarizeLoad = (lines: LoadLine[]): string => lines.map(row).join('\n');
export const summarizeConsole1k = (l: LoadLine): string => row(l);
