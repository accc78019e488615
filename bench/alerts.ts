/**
 * Alerts against a flapping backend: a live console core on the reference backend whose instances all
 * fail together and recover, at random, every few seconds (each outage also flaps: brief restores
 * shorter than keep-firing), and a loopback webhook receiver that fails a third of its deliveries.
 * Measures fault → firing notice, notices per root-cause outage, and webhook duplicates and losses.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantile } from 'simple-statistics';
import { startCore } from '../src/main/core/app';
import { startCluster } from '../src/server/cluster';
import { seededRandom } from '../src/server/random';
import { DEFAULT_ALERT_SETTINGS, type AlertNotice } from '../src/shared/health';
import { SECRET, startReceiver } from '../tests/helpers/webhook-receiver';
import type { ScenarioOptions } from './scenario';

export interface AlertsResult {
  scenario: 'alerts';
  outages: number;
  pending_ms: number;
  notify_ms_p50: number;
  notify_ms_p99: number;
  notifications_per_outage_min: number;
  notifications_per_outage_max: number;
  flap_minutes: number;
  webhook_deliveries: number;
  duplicates: number;
  lost: number;
  receiver_failure_rate: number;
  duration_s: number;
  measured: string;
}

const TOKEN = 'bench-alerts';
const PENDING_S = 5;
const KEEP_FIRING_S = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number) => Math.round(x * 10) / 10;

export async function alerts(opts: ScenarioOptions): Promise<AlertsResult> {
  const durationMs = (opts.faults ?? (opts.quick ? 90 : 600)) * 1000;
  const rand = seededRandom(opts.seed ?? 15);
  const cluster = await startCluster({ instances: 3, port: 0, token: TOKEN });
  const failRand = seededRandom((opts.seed ?? 15) + 1);
  const receiver = await startReceiver(SECRET, () => (failRand() < 1 / 3 ? 'fail' : 'ok'));
  const dir = mkdtempSync(join(tmpdir(), 'bench-alerts-'));
  const core = await startCore({ version: 'bench', dataDir: dir, backend: { endpoints: cluster.urls, token: TOKEN }, webhookRetryMs: [0, 500, 1_000, 2_000, 5_000, 10_000, 10_000, 10_000] });
  const notices: AlertNotice[] = [];
  core.onNotice((n) => notices.push(n));
  const rules = structuredClone(DEFAULT_ALERT_SETTINGS.rules);
  rules.backend = { ...rules.backend, pendingSeconds: PENDING_S, keepFiringSeconds: KEEP_FIRING_S };
  core.alerts.configure({ rules, maxPerHour: 200 }, 'bench');
  core.alerts.saveWebhook({ url: receiver.url, secret: SECRET, enabled: true, timeoutSeconds: 5 }, 'bench');

  const all = async (action: 'kill' | 'restore') => Promise.all(cluster.instances.map((i) => (action === 'kill' ? i.kill() : i.restore())));
  const allOpen = () => core.pools.connectionView().endpoints.every((e) => e.state === 'open');
  const waitUntil = async (ok: () => boolean, limitMs: number) => {
    const end = Date.now() + limitMs;
    while (!ok() && Date.now() < end) await sleep(50);
  };
  const outages: { start: number; end: number }[] = [];
  let flapMs = 0;
  const started = Date.now();
  try {
    await waitUntil(allOpen, 15_000);
    await sleep(3_000);
    while (Date.now() - started < durationMs) {
      // One root-cause outage: down long enough to alert, with 0–3 brief recoveries inside it.
      const start = Date.now();
      const downMs = (PENDING_S + 1 + rand() * 8) * 1000;
      const flaps = Math.floor(rand() * 4);
      await all('kill');
      for (let f = 0; f < flaps; f++) {
        await sleep(downMs / (flaps + 1));
        const upMs = 300 + rand() * 1_700;
        await all('restore');
        await sleep(upMs);
        await all('kill');
      }
      await sleep(downMs / (flaps + 1));
      if (flaps) flapMs += Date.now() - start;
      await all('restore');
      outages.push({ start, end: Date.now() });
      opts.log(`outage ${outages.length}: ${Math.round((Date.now() - start) / 1000)} s with ${flaps} flap(s); notices so far ${notices.length}`);
      // Back up: once every instance answers again, a quiet spell longer than keep-firing.
      await waitUntil(allOpen, 60_000);
      await sleep((KEEP_FIRING_S + 2 + rand() * 6) * 1000);
    }
    // Let the last resolved notice and the webhook retries finish.
    await waitUntil(() => core.alerts.deliveries.pendingCount() === 0 && core.alerts.webhooks.busy === 0, 60_000);
  } finally {
    await core.stop();
    await cluster.close();
    await receiver.close();
  }
  const per = outages.map((o, i) => notices.filter((n) => n.at >= o.start && n.at < (outages[i + 1]?.start ?? Infinity)));
  const notifyMs = per.flatMap((list, i) => list.filter((n) => n.kind === 'firing').slice(0, 1).map((n) => n.at - outages[i]!.start));
  const counts = per.map((l) => l.length);
  const unique = receiver.accepted.size;
  const duplicates = [...receiver.accepted.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
  const failed = receiver.arrivals.filter((a) => a.answer !== 'ok').length;
  return {
    scenario: 'alerts',
    outages: outages.length,
    pending_ms: PENDING_S * 1000,
    notify_ms_p50: notifyMs.length ? Math.round(quantile(notifyMs, 0.5)) : -1,
    notify_ms_p99: notifyMs.length ? Math.round(quantile(notifyMs, 0.99)) : -1,
    notifications_per_outage_min: counts.length ? Math.min(...counts) : 0,
    notifications_per_outage_max: counts.length ? Math.max(...counts) : 0,
    flap_minutes: round(flapMs / 60_000),
    webhook_deliveries: unique,
    duplicates,
    lost: notices.filter((n) => !receiver.accepted.has(n.id)).length,
    receiver_failure_rate: receiver.arrivals.length ? Math.round((failed / receiver.arrivals.length) * 1000) / 1000 : 0,
    duration_s: Math.round((Date.now() - started) / 1000),
    measured: 'fault = the moment every instance was killed; notify = the firing notice leaving the alert engine (the webhook is queued at the same instant)',
  };
}

export function summarizeAlerts(r: AlertsResult): string {
  return [
    `alerts: ${r.outages} root-cause outages in ${r.duration_s} s (${r.flap_minutes} min of it flapping)`,
    `  fault → notice: p50 ${r.notify_ms_p50} ms, p99 ${r.notify_ms_p99} ms (pending ${r.pending_ms} ms; target ≤ pending + 1 s)`,
    `  notices per outage: min ${r.notifications_per_outage_min}, max ${r.notifications_per_outage_max} (target 2: one firing, one resolved)`,
    `  webhooks: ${r.webhook_deliveries} delivered, ${r.duplicates} duplicates, ${r.lost} lost; receiver failed ${Math.round(r.receiver_failure_rate * 100)} % of attempts`,
  ].join('\n');
}
