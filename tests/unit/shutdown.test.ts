import { describe, expect, it } from 'vitest';
import { gracefulShutdown } from '../../src/main/core/shutdown';

/** A stop that takes as long as the test says. */
function slowStop() {
  let finish!: () => void;
  let calls = 0;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { run: () => (calls++, done), finish: () => finish(), calls: () => calls };
}

/** Timers the test fires by hand. */
function handTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    setTimeout: (fn: () => void) => (pending.set(next, fn), next++),
    clearTimeout: (h: unknown) => void pending.delete(h as number),
    fireAll: () => [...pending.values()].forEach((fn) => fn()),
    count: () => pending.size,
  };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('graceful shutdown', () => {
  it('exits only after the core has stopped, and the log closes after the core', async () => {
    const core = slowStop();
    const order: string[] = [];
    const exits: number[] = [];
    const shutdown = gracefulShutdown({
      steps: [
        { name: 'stop the core', run: async () => (await core.run(), void order.push('core')) },
        { name: 'close the log', run: () => void order.push('log') },
      ],
      exit: (code) => exits.push(code),
      timers: handTimers(),
      report: () => {},
    });
    const done = shutdown();
    await settle();
    expect(exits).toEqual([]);
    expect(order).toEqual([]);
    core.finish();
    await done;
    expect(order).toEqual(['core', 'log']);
    expect(exits).toEqual([0]);
  });

  it('a second quit while stopping does not stop twice or exit twice', async () => {
    const core = slowStop();
    const exits: number[] = [];
    const shutdown = gracefulShutdown({ steps: [{ name: 'stop the core', run: core.run }], exit: (code) => exits.push(code), timers: handTimers(), report: () => {} });
    const first = shutdown();
    const second = shutdown();
    await settle();
    expect(core.calls()).toBe(1);
    core.finish();
    await Promise.all([first, second]);
    await shutdown();
    expect(core.calls()).toBe(1);
    expect(exits).toEqual([0]);
  });

  it('a stuck stop is given up on after the wait, and exits once with 1', async () => {
    const core = slowStop();
    const timers = handTimers();
    const exits: number[] = [];
    const lines: string[] = [];
    const shutdown = gracefulShutdown({ steps: [{ name: 'stop the core', run: core.run }], exit: (code) => exits.push(code), timers, timeoutMs: 5_000, report: (l) => lines.push(l) });
    const done = shutdown();
    await settle();
    expect(exits).toEqual([]);
    timers.fireAll();
    expect(exits).toEqual([1]);
    expect(lines.join('')).toMatch(/longer than 5 s \(still waiting to stop the core\)/);
    core.finish(); // it came unstuck after all: no second exit
    await done;
    expect(exits).toEqual([1]);
  });

  it('a failing step is reported, the later ones still run, and the exit says it failed', async () => {
    const timers = handTimers();
    const ran: string[] = [];
    const exits: number[] = [];
    const lines: string[] = [];
    const shutdown = gracefulShutdown({
      steps: [
        { name: 'close the host', run: () => Promise.reject(new Error('socket stuck')) },
        { name: 'stop the core', run: () => void ran.push('core') },
        { name: 'close the log', run: () => void ran.push('log') },
      ],
      exit: (code) => exits.push(code),
      timers,
      report: (l) => lines.push(l),
    });
    await shutdown();
    expect(ran).toEqual(['core', 'log']);
    expect(lines.join('')).toMatch(/could not close the host while stopping: socket stuck/);
    expect(exits).toEqual([1]);
    expect(timers.count()).toBe(0);
  });
});
