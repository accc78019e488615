/**
 * The renderer under load: the reference backend emits 1,000 check-ins/s to the headless host.
 * Chromium shows Overview (event→DOM latency), then the Performance tab's live charts over 5 and
 * then 60 minutes (frame times, patch cost), then Overview again; the heap is sampled throughout.
 */
import { spawn, execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { linearRegression, quantile } from 'simple-statistics';
import { startCluster } from '../src/server/cluster';
import { bridgeCall } from '../tests/e2e/bridge-client';
import { CHROMIUM_ARGS } from '../playwright.config';
import type { ScenarioOptions } from './scenario';
import { heapCensus, grewMost, totalMb } from './heap-census';
import { PageProbes, histCount, histQuantile, within, type Hist, type PhaseFigures } from './ui-page';
import { rawFeed } from './raw-feed';

export interface UiResult {
  scenario: 'ui';
  /** Navigation to a usable sign-in screen; then Sign in to the first live check-in row. */
  load_to_signin_ms: number;
  signin_to_live_ms: number;
  /** Tab switches under load: click to the painted frame that shows the tab (two rAFs). */
  tab_click_to_paint_ms_p95: number;
  events_per_s: number;
  event_to_dom_ms_p50: number;
  event_to_dom_ms_p95: number;
  /** Baseline: the same events on a bare ws client in the bench process (the transport floor). */
  raw_ws_ms_p95: number;
  /** Baseline: frame intervals on an empty page in the same browser (the display's own rhythm). */
  frame_ms_p95_blank: number;
  frames_dropped_pct_blank: number;
  /** Frame intervals with the six charts live, 5-minute window. */
  frame_ms_p95: number;
  /** Frames over 1.5 vsyncs (25 ms at 60 Hz): ones the display had to repeat. */
  frames_dropped_pct: number;
  long_tasks: number;
  /** The same with the 60-minute window (the most points each chart decimates). */
  frame_ms_p95_60min: number;
  frames_dropped_pct_60min: number;
  /** Applying one state patch to the store, with the React and chart work it runs synchronously. */
  patch_ms_mean_overview: number;
  patch_ms_mean_charts: number;
  patch_ms_mean_charts_60min: number;
  patch_ms_max: number;
  patches_per_s: number;
  /** Forced-GC heap on Overview before and after everything else. */
  renderer_heap_mb_start: number;
  renderer_heap_mb_end: number;
  /** Heap slope (least squares) over the late samples, in MB per hour. */
  renderer_heap_mb_per_h_late: number;
  /** Where that slope starts: past the perf feed's first hour when the run is long enough. */
  renderer_heap_late_from_s: number;
  bundle_kb_gz: number;
  seconds: number;
}

const TOKEN = 'bench-ui';
const r1 = (n: number): number => Math.round(n * 10) / 10;
const r3 = (n: number): number => Math.round(n * 1000) / 1000;
const dropped = (frames: Hist): number => r1((histCount(frames, 25) / Math.max(1, histCount(frames))) * 100);
const patchMean = (f: PhaseFigures): number => r3(f.patches.totalMs / Math.max(1, f.patches.count));

const tab = (page: Page, name: string) => page.getByRole('tab', { name }).click();

export async function ui(opts: ScenarioOptions): Promise<UiResult> {
  const seconds = Math.max(20, opts.faults ?? (opts.quick ? 20 : 300));
  const overviewS = Math.min(150, Math.floor(seconds / 2));
  const wideS = seconds >= 120 ? 30 : 5;
  const chartsS = seconds - overviewS - wideS;
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
    const probes = new PageProbes(page);
    await probes.install();
    const cards = [...cluster.gym.members].map((m) => m.cardId);
    let i = 0;
    emitter = setInterval(() => {
      for (let k = 0; k < 10; k++) cluster.gym.checkIn(cards[i++ % cards.length]!, 'door');
    }, 10);
    const emitStart = Date.now();
    // Baselines in the same run: frames on an empty page, and events on a bare ws client.
    await page.goto('data:text/html,<title>baseline</title>');
    await probes.begin();
    await page.waitForTimeout(5_000);
    const blank = await probes.end();
    const raw = await rawFeed(cluster.urls[0]!, TOKEN);
    // Dashboard load: navigation to a usable sign-in screen, then sign-in to live rows, under load.
    await within(15_000, 'page load', page.goto(url));
    await within(10_000, 'sign-in screen', page.getByLabel('PIN').waitFor());
    const loadMs = await probes.sinceNavigationMs();
    const signInMs = await within(10_000, 'sign-in', (async () => {
      await page.getByRole('radio', { name: 'manager' }).check();
      await page.getByLabel('PIN').fill('2222');
      const t = Date.now();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('checkin-rows').locator('tr').first().waitFor();
      return Date.now() - t;
    })());
    // Warm up under load on every tab, so code compiled once for a tab is not counted as growth.
    for (const name of ['Connection Pools', 'Performance', 'Analytics', 'Overview']) {
      await tab(page, name);
      await page.waitForTimeout(2_000);
    }
    const t0 = Date.now();
    const samples: { s: number; mb: number; phase: string }[] = [];
    const sample = async (phase: string): Promise<number> => {
      const mb = await probes.heapMb();
      samples.push({ s: (Date.now() - t0) / 1000, mb, phase });
      return mb;
    };
    const phase = async (name: string, s: number): Promise<PhaseFigures> => {
      await probes.begin();
      const step = Math.max(5_000, Math.min(30_000, (seconds * 1000) / 30));
      for (const until = Date.now() + s * 1000; Date.now() < until; ) {
        await page.waitForTimeout(Math.min(step, until - Date.now()));
        await sample(name);
      }
      return probes.end();
    };
    const heapStart = await sample('start');
    const censusStart = await within(60_000, 'heap snapshot', heapCensus(page));
    const rawFrom = raw.latencies.length;
    const overview = await phase('overview', overviewS);
    const rawLat = raw.latencies.slice(rawFrom);
    raw.close();
    await tab(page, 'Performance');
    const charts = await phase('charts', chartsS);
    const windowButton = (w: string) => page.getByRole('group', { name: 'Window' }).getByRole('button', { name: w, exact: true }).click();
    await windowButton('60 min');
    const wide = await phase('wide', wideS);
    await windowButton('5 min');
    // Interactive response: tab switches under load, click to painted frame.
    const clicks: number[] = [];
    const byTab = new Map<string, number[]>();
    for (let round = 0; round < 5; round++) {
      for (const name of ['Connection Pools', 'Performance', 'Analytics', 'Overview']) {
        const ms = await probes.clickToPaintMs(name);
        clicks.push(ms);
        byTab.set(name, [...(byTab.get(name) ?? []), ms]);
      }
    }
    opts.log(`ui: tab click→paint median by tab: ${[...byTab].map(([n, v]) => `${n} ${quantile(v, 0.5).toFixed(0)} ms`).join(', ')}`);
    await tab(page, 'Overview');
    await page.waitForTimeout(2_000);
    const heapEnd = await sample('end');
    const censusEnd = await within(60_000, 'heap snapshot', heapCensus(page));
    opts.log(`ui: heap (MB, forced GC) by second: ${samples.map((x) => `${Math.round(x.s)}:${x.mb.toFixed(2)}`).join(' ')}`);
    opts.log(`ui: heap snapshot ${totalMb(censusStart).toFixed(1)} → ${totalMb(censusEnd).toFixed(1)} MB; grew most:\n${grewMost(censusStart, censusEnd).map((g) => `  ${g.kb} KB  ${g.count > 0 ? '+' : ''}${g.count}  ${g.kind}`).join('\n')}`);
    // One screen only (the live charts, 5-minute window). The perf feed fills for its first hour
    // (1 Hz, 3,600 points kept): past that, growth is a leak; before it, some growth is by design.
    const fullAt = 3_600 - (t0 - hostStart) / 1000;
    const onCharts = samples.filter((x) => x.phase === 'charts');
    const afterFull = onCharts.filter((x) => x.s >= fullAt);
    const lateSamples = afterFull.length >= 5 ? afterFull : onCharts.slice(Math.floor(onCharts.length / 2));
    const late = lateSamples.map((x) => [x.s / 3600, x.mb] as [number, number]);
    const patchCount = overview.patches.count + charts.patches.count + wide.patches.count;
    opts.log(`ui: ${i} events emitted, ${histCount(overview.lat)} rows timed, ${histCount(charts.frames)} + ${histCount(wide.frames)} frames`);
    return {
      scenario: 'ui',
      load_to_signin_ms: Math.round(loadMs),
      signin_to_live_ms: signInMs,
      tab_click_to_paint_ms_p95: r1(quantile(clicks, 0.95)),
      events_per_s: Math.round(i / ((Date.now() - emitStart) / 1000)),
      event_to_dom_ms_p50: r1(histQuantile(overview.lat, 0.5)),
      event_to_dom_ms_p95: r1(histQuantile(overview.lat, 0.95)),
      raw_ws_ms_p95: r1(quantile(rawLat, 0.95)),
      frame_ms_p95_blank: r1(histQuantile(blank.frames, 0.95)),
      frames_dropped_pct_blank: dropped(blank.frames),
      frame_ms_p95: r1(histQuantile(charts.frames, 0.95)),
      frames_dropped_pct: dropped(charts.frames),
      long_tasks: overview.longTasks + charts.longTasks + wide.longTasks,
      frame_ms_p95_60min: r1(histQuantile(wide.frames, 0.95)),
      frames_dropped_pct_60min: dropped(wide.frames),
      patch_ms_mean_overview: patchMean(overview),
      patch_ms_mean_charts: patchMean(charts),
      patch_ms_mean_charts_60min: patchMean(wide),
      patch_ms_max: r1(Math.max(overview.patches.maxMs, charts.patches.maxMs, wide.patches.maxMs)),
      patches_per_s: Math.round(patchCount / seconds),
      renderer_heap_mb_start: r1(heapStart),
      renderer_heap_mb_end: r1(heapEnd),
      renderer_heap_mb_per_h_late: r1(late.length > 1 ? linearRegression(late).m : 0),
      renderer_heap_late_from_s: Math.round(lateSamples[0]?.s ?? 0),
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
  return [
    `ui: ${r.events_per_s} events/s for ${r.seconds} s; load to sign-in ${r.load_to_signin_ms} ms, sign-in to live rows ${r.signin_to_live_ms} ms; tab click→paint p95 ${r.tab_click_to_paint_ms_p95} ms`,
    `event→DOM p50/p95 ${r.event_to_dom_ms_p50}/${r.event_to_dom_ms_p95} ms (bare ws client p95 ${r.raw_ws_ms_p95} ms)`,
    `frame p95 ${r.frame_ms_p95} ms with ${r.frames_dropped_pct}% dropped (empty page: ${r.frame_ms_p95_blank} ms, ${r.frames_dropped_pct_blank}%) (60-min window: ${r.frame_ms_p95_60min} ms, ${r.frames_dropped_pct_60min}%); ${r.long_tasks} long tasks`,
    `${r.patches_per_s} patches/s at ${r.patch_ms_mean_overview} / ${r.patch_ms_mean_charts} / ${r.patch_ms_mean_charts_60min} ms each (Overview / charts / 60-min charts; max ${r.patch_ms_max})`,
    `renderer heap ${r.renderer_heap_mb_start} → ${r.renderer_heap_mb_end} MB (slope ${r.renderer_heap_mb_per_h_late} MB/h from ${r.renderer_heap_late_from_s} s); bundle ${r.bundle_kb_gz} KB gz`,
  ].join('\n');
}
