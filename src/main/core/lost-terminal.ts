/**
 * The terminal a console was started from can go away under it: a `tee` that ended, journald restarted, a supervisor
 * or launcher gone. Each line written there then fails (EPIPE), an error on a stream nobody listened to, which the
 * last-resort handler reported with another line there: a loop that starved every check-in and the log file
 * (probe23 P1). Listened to here, the console goes on without its terminal, and says so once in its log.
 */
export interface TerminalWatch {
  /** True once writing to the terminal has failed: nothing more is written there. */
  gone(): boolean;
  /** Told once, when it goes (at once, if it went before there was anyone to tell): the log file's line. */
  onGone(fn: (line: string) => void): void;
}

type Out = Pick<NodeJS.WriteStream, 'on'>;

export function watchTerminal(streams: { stdout: Out; stderr: Out } = process): TerminalWatch {
  let why: string | null = null;
  let tell: ((line: string) => void) | null = null;
  const lost = (name: string) => (e: NodeJS.ErrnoException) => {
    if (why !== null) return;
    why = `${e.code ?? e.message} writing to ${name}`;
    tell?.(goneLine(why));
  };
  streams.stdout.on('error', lost('standard output'));
  streams.stderr.on('error', lost('standard error'));
  return {
    gone: () => why !== null,
    onGone(fn) {
      tell = fn;
      if (why !== null) fn(goneLine(why));
    },
  };
}

const goneLine = (why: string): string =>
  `the terminal this console was started from is gone (${why}): the console goes on, and what it would say there is in this log only.`;
