import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { HELD_MAX_BYTES, watchTerminal, type TerminalStream } from '../../src/main/core/lost-terminal';

/** A terminal stream that takes nothing until `read()`: what it was given waits in `writableLength`, as Node's does. */
class StalledTerminal extends EventEmitter implements TerminalStream {
  writableLength = 0;
  shown: string[] = [];
  blocking: boolean | null = null;
  private waiting: string[] = [];
  _handle = { setBlocking: (b: boolean) => (this.blocking = b) };
  write = (chunk: string | Uint8Array, _encodingOrCb?: unknown, _cb?: unknown): boolean => {
    const s = String(chunk);
    this.waiting.push(s);
    this.writableLength += s.length;
    return this.writableLength < 16 * 1024;
  };
  read(): void {
    this.shown.push(...this.waiting.splice(0));
    this.writableLength = 0;
    this.emit('drain');
  }
}

describe('the console never waits on its terminal', () => {
  it('writes without blocking, holds what a paused terminal has not taken up to a bound, and counts what it leaves out', () => {
    const stdout = new StalledTerminal();
    const stderr = new StalledTerminal();
    const logged: string[] = [];
    const terminal = watchTerminal({ stdout, stderr });
    terminal.toLog((line) => logged.push(line));
    expect(stderr.blocking, 'a terminal is written without blocking').toBe(false);
    expect(stdout.blocking).toBe(false);

    const line = `console: ${'x'.repeat(190)}\n`;
    for (let i = 0; i < 1_000; i++) stderr.write(line);
    expect(stderr.writableLength, 'held no more than the bound (and one line past it)').toBeLessThan(HELD_MAX_BYTES + line.length);
    expect(logged.filter((l) => /stopped taking its lines \(paused with Ctrl\+S/.test(l)), 'said once in the log').toHaveLength(1);

    stderr.read();
    const kept = stderr.shown.length;
    expect(kept).toBeGreaterThan(300);
    expect(kept).toBeLessThan(1_000);
    stderr.read();
    expect(stderr.shown.at(-1)).toBe(`console: ${1_000 - kept} lines were left out here while this terminal was paused; the log file (logs/console.log in the data folder) has what happened meanwhile.\n`);
    expect(logged.at(-1)).toMatch(new RegExp(`reads again; ${1_000 - kept} lines were left out there`));

    // Paused again later: said again, counted afresh.
    for (let i = 0; i < 400; i++) stderr.write(line);
    expect(logged.filter((l) => /stopped taking its lines/.test(l))).toHaveLength(2);
  });

  it('calls a writer back for a line it leaves out, as a write that went through would', async () => {
    const stderr = new StalledTerminal();
    watchTerminal({ stdout: new StalledTerminal(), stderr });
    stderr.write('y'.repeat(HELD_MAX_BYTES));
    const called = await new Promise<unknown>((r) => stderr.write('left out\n', (e?: Error | null) => r(e ?? 'no error')));
    expect(called).toBe('no error');
  });

  it('tells the log what happened before there was a log', () => {
    const stderr = new StalledTerminal();
    const terminal = watchTerminal({ stdout: new StalledTerminal(), stderr });
    for (let i = 0; i < 500; i++) stderr.write(`${'z'.repeat(200)}\n`);
    const logged: string[] = [];
    terminal.toLog((l) => logged.push(l));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^the terminal this console was started from has stopped taking its lines/);
  });
});
