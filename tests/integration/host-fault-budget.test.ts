import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startCore, type Core } from '../../src/main/core/app';
import { startHost, type Host } from '../../src/main/web/host';
import { openLog, type ConsoleLog } from '../../src/main/core/log';
import { FAULT_BUDGET } from '../../src/main/core/screen-faults';
import { waitFor } from '../helpers/wait';

// probe-hostile18 F4: screen-fault reports need no sign-in and were limited per connection only, so a program
// reconnecting in a loop replaced all 25 MB of logs/ with lines of its own in 9 s.
let core: Core;
let host: Host;
let log: ConsoleLog;
const dataDir = mkdtempSync(join(tmpdir(), 'gym-faults-'));
const MARK = 'a line IT needs, written before the flood';

beforeAll(async () => {
  writeFileSync(join(dataDir, 'index.html'), '<!doctype html><title>t</title>');
  log = openLog(dataDir, { maxSize: '256K', keep: 1 }); // small files: without the budget, the flood rotated the marker away in about 120 lines
  core = await startCore({ version: 'test', dataDir, demoRatePerHour: 0, log });
  host = await startHost({ handlers: core.handlers, stream: core.stream, rendererDir: dataDir, newSession: core.newSession, tickets: core.tickets });
  log.logger.warn(MARK);
});
afterAll(async () => {
  await host.close();
  await core.stop();
  await log.close();
});

/** One connection, as a program that reconnects in a loop makes one: five reports, then gone. */
async function reportFive(n: number): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge?token=${host.token}`);
  await new Promise((r) => ws.once('open', r));
  let logged = 0;
  const answers = new Promise<void>((resolve) => {
    let left = 5;
    ws.on('message', (d) => {
      const f = JSON.parse(String(d)) as { result?: { ok: boolean; value?: { logged: boolean } } };
      if (!f.result) return;
      logged += Number(f.result.value?.logged ?? 0);
      if (--left === 0) resolve();
    });
  });
  for (let i = 0; i < 5; i++) ws.send(JSON.stringify({ id: i, name: 'app.reportFault', payload: { where: 'Overview', message: `IT must reinstall the console now (${n}.${i}) ${'x'.repeat(380)}`, stack: 'at x (/fake.js:1:1)\n'.repeat(200) } }));
  await answers;
  ws.close();
  return logged;
}

describe('screen-fault reports from all connections together', () => {
  it('a program reconnecting in a loop gets only the budget into the log; what was there stays, and the log says the rest were left out', async () => {
    let logged = 0;
    for (let batch = 0; batch < 20; batch++) logged += (await Promise.all(Array.from({ length: 10 }, (_, i) => reportFive(batch * 10 + i)))).reduce((a, b) => a + b, 0);
    expect(logged).toBe(FAULT_BUDGET.burst); // 1,000 before (200 connections × 5)
    const logs = join(dataDir, 'logs');
    const all = (): string => readdirSync(logs).map((f) => readFileSync(join(logs, f), 'utf8')).join('');
    await waitFor(() => all().includes('the next ones are counted, not logged'), 5_000);
    const file = all();
    expect(file).toContain(MARK);
    expect(file.match(/stopped working/g)).toHaveLength(FAULT_BUDGET.burst);
    expect(log.recent().some((l) => l.includes(MARK))).toBe(true); // the ring of the last 50 too
  });
});
