import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { keepServingOnUnexpectedErrors } from '../../src/main/core/last-resort';

describe('the last-resort guard', () => {
  it('logs an uncaught error and an unhandled rejection with their stacks', () => {
    const proc = new EventEmitter();
    const lines: string[] = [];
    const remove = keepServingOnUnexpectedErrors(proc as unknown as NodeJS.Process, (l) => lines.push(l));
    proc.emit('uncaughtException', new Error('socket went away'));
    proc.emit('unhandledRejection', new TypeError('no such thing'));
    proc.emit('unhandledRejection', { toString: () => { throw new Error('hostile'); } });
    expect(lines[0]).toMatch(/unexpected error, logged and kept running: Error: socket went away\n\s+at /);
    expect(lines[1]).toMatch(/unexpected rejection, .*TypeError: no such thing\n\s+at /);
    expect(lines[2]).toContain('a thrown object');
    remove();
    expect(proc.listenerCount('uncaughtException') + proc.listenerCount('unhandledRejection')).toBe(0);
  });

  it('keeps a real Node process alive through both, where it would otherwise exit', async () => {
    const script = `
      const { keepServingOnUnexpectedErrors } = await import(${JSON.stringify(new URL('../../src/main/core/last-resort.ts', import.meta.url).pathname)});
      if (process.argv[1] === 'guarded') keepServingOnUnexpectedErrors();
      setTimeout(() => { throw new Error('thrown in a timer'); }, 1);
      setTimeout(() => void Promise.reject(new Error('rejected')), 2);
      setTimeout(() => { console.log('still serving'); process.exit(0); }, 200);
    `;
    const run = (mode: string) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
    const guarded = await run('guarded');
    expect(guarded).toMatchObject({ code: 0, out: 'still serving\n' });
    expect(guarded.err).toContain('Error: thrown in a timer');
    expect(guarded.err).toContain('Error: rejected');
    const bare = await run('bare');
    expect(bare.code).not.toBe(0);
    expect(bare.out).toBe('');
  });
});
