/**
 * Kiosk scan→verdict through the same path as the kiosk page: a desk.checkin over the headless
 * host's WebSocket bridge (kiosk session) to the core and back, with the backend up, then with
 * every instance down (decided from the cached roster). Painting the verdict is not included.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { quantile } from 'simple-statistics';
import { startCore } from '../src/main/core/app';
import { NO_CHECKIN_LIMITS } from '../src/main/core/desk/checkin-budget';
import { startHost } from '../src/main/web/host';
import type { BridgeFrame } from '../src/shared/web-bridge';
import type { CheckinResult } from '../src/shared/desk';
import type { ScenarioOptions } from './scenario';

export interface KioskResult {
  scenario: 'kiosk';
  scans: number;
  scan_to_verdict_ms_p50_online: number;
  scan_to_verdict_ms_p95_online: number;
  scan_to_verdict_ms_p50_offline: number;
  scan_to_verdict_ms_p95_offline: number;
  measured: string;
}

export async function kiosk(opts: ScenarioOptions): Promise<KioskResult> {
  const scans = opts.faults ?? (opts.quick ? 100 : 500);
  const dir = mkdtempSync(join(tmpdir(), 'bench-kiosk-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  // It times one scan after another as fast as they answer, 1,000 of them, far past any station's scan budget (checkin-budget.ts).
  const core = await startCore({ version: 'bench', dataDir: dir, kiosk: true, demoRatePerHour: 0, checkinLimits: NO_CHECKIN_LIMITS });
  const host = await startHost({ handlers: core.handlers, stream: core.stream, rendererDir, newSession: core.newSession, tickets: core.tickets });
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge?token=${host.token}`);
  try {
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    const waiting = new Map<number, (r: unknown) => void>();
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as BridgeFrame;
      if ('id' in f) waiting.get(f.id)?.(f.result);
    });
    let id = 0;
    const call = (name: string, payload: unknown) =>
      new Promise<{ ok: boolean; value?: CheckinResult }>((resolve) => {
        waiting.set(++id, resolve as (r: unknown) => void);
        ws.send(JSON.stringify({ id, name, payload }));
      });
    const deadline = Date.now() + 15_000;
    while (core.desk.cache.size < 2 * scans && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const members = [...core.demo!.cluster.gym.members].filter((m) => m.status === 'active');
    if (members.length < 2 * scans) throw new Error(`only ${members.length} active members; lower --faults`);
    const time = async (cardId: string): Promise<number> => {
      const t0 = performance.now();
      const r = await call('desk.checkin', { cardId, source: 'kiosk' });
      if (!r.ok || !r.value?.verdict) throw new Error(`no verdict for ${cardId}`);
      return performance.now() - t0;
    };
    const online: number[] = [];
    for (const m of members.slice(0, scans)) online.push(await time(m.cardId));
    await Promise.all(core.demo!.cluster.instances.map((i) => i.kill()));
    while (core.pools.connectionView().state !== 'offline') await new Promise((r) => setTimeout(r, 20));
    const offline: number[] = [];
    for (const m of members.slice(scans, 2 * scans)) offline.push(await time(m.cardId));
    opts.log(`kiosk: ${online.length} online and ${offline.length} offline scans`);
    const r1 = (n: number): number => Math.round(n * 100) / 100;
    return {
      scenario: 'kiosk',
      scans: online.length + offline.length,
      scan_to_verdict_ms_p50_online: r1(quantile(online, 0.5)),
      scan_to_verdict_ms_p95_online: r1(quantile(online, 0.95)),
      scan_to_verdict_ms_p50_offline: r1(quantile(offline, 0.5)),
      scan_to_verdict_ms_p95_offline: r1(quantile(offline, 0.95)),
      measured: 'desk.checkin over the web bridge, kiosk session; excludes painting',
    };
  } finally {
    ws.close();
    await host.close();
    await core.stop();
  }
}

export function summarizeKiosk(r: KioskResult): string {
  return `kiosk: ${r.scans} scans; scan→verdict p50/p95 online ${r.scan_to_verdict_ms_p50_online}/${r.scan_to_verdict_ms_p95_online} ms, offline ${r.scan_to_verdict_ms_p50_offline}/${r.scan_to_verdict_ms_p95_offline} ms (${r.measured})`;
}
