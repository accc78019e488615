import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore, type Core } from '../../src/main/core/app';
import { AnalyticsStore } from '../../src/main/core/store/analytics-store';

// Seen on a screen session on a 12 MB disk: the demo's week of made-up history met a full disk, and its promise was
// left to reject unheard, reaching the last-resort handler as "unexpected rejection" for IT to puzzle over.
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
  vi.restoreAllMocks();
});

const full = (): Error => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

describe("the demo's made-up history on a disk that refuses it", () => {
  it('stops there, says so once in words, and leaves no rejection unheard', async () => {
    const unheard: unknown[] = [];
    const onRejection = (e: unknown): void => void unheard.push(e);
    process.on('unhandledRejection', onRejection);
    const said: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (said.push(String(chunk)), true));
    vi.spyOn(AnalyticsStore.prototype, 'insertEvents').mockImplementation(() => {
      throw full();
    });
    try {
      core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-demo-full-')), demoRatePerHour: 600 });
      await core.ready;
      await new Promise((r) => setTimeout(r, 50));
      expect(unheard).toEqual([]);
      const lines = said.join('').split('\n').filter((l) => l.includes("demo's history"));
      expect(lines).toEqual([expect.stringMatching(/^console: the demo's history of the last 7 days could not all be written \(this PC's disk is full\): its charts show what was written and what the demo records from now\.$/)]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  }, 30_000);
});
