/**
 * The renderer under load: the reference backend emits 1,000 check-ins/s to the headless host;
 * Chromium shows Overview (event→DOM latency) and then the Performance tab (frame times with live
 * charts); renderer heap before and after; the gzipped bundle.
 */
import { spawn, execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { linearRegression, quantile } from 'simple-statistics';
import { startCluster } from '../src/server/cluster';
import { bridgeCall } from '../tests/e2e/bridge-client';
import { CHROMIUM_ARGS } from '../playwright.config';
import type { ScenarioOptions } from './run';
import { heapCensus, grewMost, totalMb } from './heap-census';

export interface UiResult {
  scenario: 'ui';
  events_per_s: number;
  event_to_dom_ms_p50: number;
  event_to_dom_ms_p95: number;
  frame_ms_p95: number;
  frames_dropped_pct: number;
  long_tasks: number;
  /** Applying one state patch to the store (and the React work it triggers synchronously). */
  patch_ms_mean: number;
  patch_ms_max: number;
  patches_per_s: number;
  renderer_heap_mb_start: number;
  renderer_heap_mb_end: number;
  /** Heap slope over the late samples (least squares), in MB per hour. */
  renderer_heap_mb_per_h_late: number;
  /** Where that slope starts: past the perf feed's first hour when the run is long enough. */
  renderer_heap_late_from_s: number;
  charts_live: number;
  bundle_kb_gz: number;
  seconds: number;
}

const TOKEN = 'bench-ui';
const within = <T>(ms: number, what: string, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<T>((_, j) => setTimeout(() => j(new Error(`${what}: no answer within ${ms} ms`)), ms))]);

export async function ui(opts: ScenarioOptions): Promise<UiResult> {
  const seconds = opts.faults ?? (opts.quick ? 15 : 300);
  execSync('npx electron-vite build', { stdio: 'ignore' });
  const bundle = readdirSync('out/renderer/assets').filter((f) => f.endsWith('.js')).reduce((n, f) => n + gzipSync(readFileSync(join('out/renderer/assets', f))).length, 0);
  const cluster = await startCluster({ instances: 3, port: 0, token: TOKEN, capacity: 1_000_000, duplicateWindowMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'bench-ui-'));
  const hostStart = Date.now();
  const child = spawn(process.execPath, ['out/main/web.js', '--backend', cluster.urls.join(','), '--backend-token', TOKEN, '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
  const browser = await chromium.launch({ executablePath: execSync('command -v chromium', { shell: '/bin/sh' }).toString().trim(), args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'] });
  let emitter: NodeJS.Timeout | undefined;
  try {
    const url = await within(20_000, 'host start', new Promise<string>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /console ready: (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
    }));
    await within(10_000, 'PIN setup', bridgeCall(url, 'auth.setup', { desk: '1111', manager: '2222', kiosk: '3333' }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // In-page probes, as a script string: this file is Node code.
    await page.addInitScript({
      content: `
        window.bench = { lat: [], frames: [], longTasks: 0, measuring: false };
        new MutationObserver((records) => {
          if (!window.bench.measuring) return;
          const now = Date.now();
          for (const r of records) for (const n of r.addedNodes) if (n.dataset && n.dataset.ts) window.bench.lat.push(now - Number(n.dataset.ts));
        }).observe(document, { subtree: true, childList: true });
        let last = performance.now();
        const frame = (t) => { if (window.bench.measuring) window.bench.frames.push(t - last); last = t; requestAnimationFrame(frame); };
        requestAnimationFrame(frame);
        new PerformanceObserver((l) => { if (window.bench.measuring) window.bench.longTasks += l.getEntries().length; }).observe({ type: 'longtask' });
      `,
    });
    await within(15_000, 'page load', page.goto(url));
    await within(10_000, 'sign-in', (async () => {
      await page.getByRole('radio', { name: 'manager' }).check();
      await page.getByLabel('PIN').fill('2222');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('tab', { name: 'Performance' }).waitFor();
    })());
    const heap = async (): Promise<number> => page.evaluate('(window.gc && window.gc(), performance.memory.usedJSHeapSize / 1048576)') as Promise<number>;
    const cards = [...cluster.gym.members].map((m) => m.cardId);
    let i = 0;
    emitter = setInterval(() => {
      for (let k = 0; k < 10; k++) cluster.gym.checkIn(cards[i++ % cards.length]!, 'door');
    }, 10);
    const emitStart = Date.now();
    // Warm up under load on every tab, so code compiled once for a tab is not counted as growth.
    for (const tab of ['Connection Pools', 'Performance', 'Analytics', 'Overview']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForTimeout(2_000);
    }
    const t0 = Date.now();
    const samples: { s: number; mb: number }[] = [];
    const sample = async (): Promise<number> => {
      const mb = await within(10_000, 'heap', heap());
      samples.push({ s: (Date.now() - t0) / 1000, mb });
      return mb;
    };
    const hold = async (ms: number): Promise<void> => {
      const step = Math.max(5_000, Math.min(60_000, (seconds * 1000) / 30));
      for (const until = Date.now() + ms; Date.now() < until; ) {
        await page.waitForTimeout(Math.min(step, until - Date.now()));
        await sample();
      }
    };
    const heapStart = await sample();
    const censusStart = await within(60_000, 'heap snapshot', heapCensus(page));
    await page.evaluate('Object.assign(window.gymPatchStats, { count: 0, totalMs: 0, maxMs: 0 })');
    const overview = Math.max(5, Math.min(150, Math.floor(seconds / 2)));
    await page.evaluate('window.bench.measuring = true');
    await hold(overview * 1000); // Overview: the feed
    const lat = (await page.evaluate('window.bench.lat')) as number[];
    if (process.env.UI_DEBUG) await page.screenshot({ path: '/tmp/ui-debug.png' });
    await page.getByRole('tab', { name: 'Performance' }).click();
    await page.evaluate('window.bench.frames = []');
    await hold((seconds - overview) * 1000); // the live charts
    const { frames, longTasks } = (await page.evaluate('({ frames: window.bench.frames, longTasks: window.bench.longTasks })')) as { frames: number[]; longTasks: number };
    await page.evaluate('window.bench.lat = []; window.bench.frames = []'); // the probes' own arrays are not the app's
    const heapEnd = await sample();
    const censusEnd = await within(60_000, 'heap snapshot', heapCensus(page));
    const perfPoints = (await page.evaluate('document.querySelectorAll("[data-points]").length')) as number;
    opts.log(`ui: heap (MB, forced GC) by second: ${samples.map((x) => `${Math.round(x.s)}:${x.mb.toFixed(2)}`).join(' ')}`);
    opts.log(`ui: heap snapshot ${totalMb(censusStart).toFixed(1)} → ${totalMb(censusEnd).toFixed(1)} MB; grew most:\n${grewMost(censusStart, censusEnd).map((g) => `  ${g.kb} KB  ${g.count > 0 ? '+' : ''}${g.count}  ${g.kind}`).join('\n')}`);
    // The perf feed fills for its first hour (1 Hz, 3,600 points kept): past that, growth is a leak.
    const fullAt = 3_600 - (t0 - hostStart) / 1000;
    const afterFull = samples.filter((x) => x.s >= fullAt);
    const lateSamples = afterFull.length >= 5 ? afterFull : samples.slice(Math.floor(samples.length / 2));
    const late = lateSamples.map((x) => [x.s / 3600, x.mb] as [number, number]);
    const ps = (await page.evaluate('window.gymPatchStats')) as { count: number; totalMs: number; maxMs: number };
    const emitted = i;
    opts.log(`ui: ${emitted} events emitted, ${lat.length} rows timed, ${frames.length} frames`);
    const r1 = (n: number): number => Math.round(n * 10) / 10;
    return {
      scenario: 'ui',
      events_per_s: Math.round(emitted / ((Date.now() - emitStart) / 1000)),
      event_to_dom_ms_p50: r1(quantile(lat, 0.5)),
      event_to_dom_ms_p95: r1(quantile(lat, 0.95)),
      frame_ms_p95: r1(quantile(frames, 0.95)),
      // A frame over 1.5 vsyncs (25 ms at 60 Hz) is one the display had to repeat.
      frames_dropped_pct: Math.round((frames.filter((f) => f > 25).length / Math.max(1, frames.length)) * 1000) / 10,
      long_tasks: longTasks,
      patch_ms_mean: Math.round((ps.totalMs / Math.max(1, ps.count)) * 1000) / 1000,
      patch_ms_max: r1(ps.maxMs),
      patches_per_s: Math.round(ps.count / ((Date.now() - t0) / 1000)),
      renderer_heap_mb_start: r1(heapStart),
      renderer_heap_mb_end: r1(heapEnd),
      renderer_heap_mb_per_h_late: r1(late.length > 1 ? linearRegression(late).m : 0),
      renderer_heap_late_from_s: Math.round(lateSamples[0]?.s ?? 0),
      charts_live: perfPoints,
      bundle_kb_gz: Math.round(bundle / 1024),
      seconds,
    };
  } finally {
    clearInterval(emitter);
    await browser.close().catch(() => {});
    child.kill('SIGTERM');
    await cluster.close();
  }
}

export function summarizeUi(r: UiResult): string {
  return `ui: ${r.events_per_s} events/s for ${r.seconds} s; event→DOM p50/p95 ${r.event_to_dom_ms_p50}/${r.event_to_dom_ms_p95} ms; frame p95 ${r.frame_ms_p95} ms, ${r.frames_dropped_pct}% dropped; ${r.long_tasks} long tasks; ${r.patches_per_s} patches/s at ${r.patch_ms_mean} ms each (max ${r.patch_ms_max}); renderer heap ${r.renderer_heap_mb_start} → ${r.renderer_heap_mb_end} MB (slope ${r.renderer_heap_mb_per_h_late} MB/h from ${r.renderer_heap_late_from_s} s); bundle ${r.bundle_kb_gz} KB gz`;
}
