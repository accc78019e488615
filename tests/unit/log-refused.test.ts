import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { EventEmitter } from 'node:events';

// A log file on a disk that fills: every write refused, as rotating-file-stream refuses it (callback, then 'error').
vi.mock('rotating-file-stream', () => ({
  createStream: () =>
    new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      },
    }),
}));

const { openLog } = await import('../../src/main/core/log');
const { keepServingOnUnexpectedErrors } = await import('../../src/main/core/last-resort');

// review25 V8: the stream's error comes after the write, so the first unexpected error on a disk that just filled
// was said on stderr as "the details are in the console's log", and the log never had them.
describe('the first unexpected error the log file refuses', () => {
  it('is written on stderr in full, stack and all, once; later ones go there at once', async () => {
    const log = openLog(mkdtempSync(join(tmpdir(), 'gym-log-refused-')));
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
    try {
      const proc = new EventEmitter();
      keepServingOnUnexpectedErrors(proc as unknown as NodeJS.Process, (l) => void process.stderr.write(l), (kind, err) => (log.logger.error({ err }, `unexpected ${kind}, kept running`), log.failing === null));
      const first = new Error('first trouble');
      proc.emit('uncaughtException', first);
      await vi.waitFor(() => expect(log.failing).not.toBeNull());
      const full = stderr.filter((l) => l.includes('first trouble') && l.includes(first.stack!.split('\n')[1]!.trim()));
      expect(full).toHaveLength(1);
      expect(full[0]).toMatch(/^console: could not write this to the log file, so here it is in full: \S+ ERROR unexpected error, kept running \(Error: first trouble\n/);
      expect(stderr.filter((l) => l.startsWith('console: could not write the log file'))).toHaveLength(1);
      stderr.length = 0;
      const second = new Error('second trouble');
      proc.emit('uncaughtException', second);
      await new Promise((r) => setTimeout(r, 50));
      // Told once, on stderr, with its stack; no line sends anyone to the log.
      expect(stderr.filter((l) => l.includes('second trouble'))).toHaveLength(1);
      expect(stderr.join('')).toContain(second.stack!.split('\n')[1]!.trim());
      expect(stderr.join('')).not.toContain("console's log");
    } finally {
      spy.mockRestore();
    }
  });
});
