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
import { quantile } from 'simple-statistics';
import { startCluster } from '../src/server/cluster';
import { bridgeCall } from '../tests/e2e/bridge-client';
import { CHROMIUM_ARGS } from '../playwright.config';
import type { ScenarioOptions } from './run';

export interface UiResult {
  scenario: 'ui';
  events_per_s: number;
  event_to_dom_ms_p50: number;
  event_to_dom_ms_p95: number;
  frame_ms_p95: number;
  long_tasks: number;
  /** Applying one state patch to the store (and the React work it triggers synchronously). */
  patch_ms_mean: number;
  patch_ms_max: number;
  patches_per_s: number;
  renderer_heap_mb_start: number;
  renderer_heap_mb_end: number;
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
    await page.waitForTimeout(2_000); // warm up under load
    const heapStart = await heap();
    await page.evaluate('Object.assign(window.gymPatchStats, { count: 0, totalMs: 0, maxMs: 0 })');
    const half = Math.max(5, Math.floor(seconds / 2));
    await page.evaluate('window.bench.measuring = true');
    await page.waitForTimeout(half * 1000); // Overview: the feed
    const lat = (await page.evaluate('window.bench.lat')) as number[];
    if (process.env.UI_DEBUG) await page.screenshot({ path: '/tmp/ui-debug.png' });
    await page.getByRole('tab', { name: 'Performance' }).click();
    await page.evaluate('window.bench.frames = []');
    await page.waitForTimeout((seconds - half) * 1000); // the live charts
    const { frames, longTasks } = (await page.evaluate('({ frames: window.bench.frames, longTasks: window.bench.longTasks })')) as { frames: number[]; longTasks: number };
    const heapEnd = await heap();
    const ps = (await page.evaluate('window.gymPatchStats')) as { count: number; totalMs: number; maxMs: number };
    const emitted = i;
    opts.log(`ui: ${emitted} events emitted, ${lat.length} rows timed, ${frames.length} frames`);
    const r1 = (n: number): number => Math.round(n * 10) / 10;
    return {
      scenario: 'ui',
      events_per_s: Math.round(emitted / (seconds + 2)),
      event_to_dom_ms_p50: r1(quantile(lat, 0.5)),
      event_to_dom_ms_p95: r1(quantile(lat, 0.95)),
      frame_ms_p95: r1(quantile(frames, 0.95)),
      long_tasks: longTasks,
      patch_ms_mean: Math.round((ps.totalMs / Math.max(1, ps.count)) * 1000) / 1000,
      patch_ms_max: r1(ps.maxMs),
      patches_per_s: Math.round(ps.count / (seconds + 4)),
      renderer_heap_mb_start: r1(heapStart),
      renderer_heap_mb_end: r1(heapEnd),
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
  return `ui: ${r.events_per_s} events/s for ${r.seconds} s; event→DOM p50/p95 ${r.event_to_dom_ms_p50}/${r.event_to_dom_ms_p95} ms; frame p95 ${r.frame_ms_p95} ms; ${r.long_tasks} long tasks; ${r.patches_per_s} patches/s at ${r.patch_ms_mean} ms each (max ${r.patch_ms_max}); renderer heap ${r.renderer_heap_mb_start} → ${r.renderer_heap_mb_end} MB; bundle ${r.bundle_kb_gz} KB gz`;
}
