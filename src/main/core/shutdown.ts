import { systemClock, type Clock } from './clock';

export interface ShutdownStep {
  /** Said in the report if the step fails. */
  name: string;
  run(): Promise<void> | void;
}

export interface ShutdownOptions {
  /** In order: what stops taking work first, then the core (outbox and stores flushed and closed), the log last. */
  steps: ShutdownStep[];
  exit(code: number): void;
  /** A stop that hangs must not keep the console from quitting: after this long it exits anyway. */
  timeoutMs?: number;
  timers?: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  report?: (line: string) => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The function a quit calls: the first call runs the steps and then exits, once; a second quit while
 * stopping waits for the same stop. A failing step is reported and the next still runs, so the
 * stores close even when the host would not; any failure or the timeout exits with 1.
 */
export function gracefulShutdown(opts: ShutdownOptions): () => Promise<void> {
  // A real timer, not unref'd: it is what ends a stop that hangs on nothing the event loop holds.
  const timers = opts.timers ?? systemClock;
  const report = opts.report ?? ((line) => void process.stderr.write(line));
  let stopping: Promise<void> | null = null;
  let exited = false;
  const exit = (code: number): void => {
    if (exited) return;
    exited = true;
    opts.exit(code);
  };

  const run = async (): Promise<void> => {
    const ms = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Named in the timeout's line: the step a stop hung on is where IT (and we) look first.
    let current = '';
    const timer = timers.setTimeout(() => {
      report(`console: stopping took longer than ${ms / 1000} s (still waiting to ${current}); quitting without waiting further.\n`);
      exit(1);
    }, ms);
    let code = 0;
    for (const step of opts.steps) {
      current = step.name;
      try {
        await step.run();
      } catch (e) {
        code = 1;
        report(`console: could not ${step.name} while stopping: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
    timers.clearTimeout(timer);
    exit(code);
  };
  return () => (stopping ??= run());
}
