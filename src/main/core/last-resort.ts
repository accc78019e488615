/**
 * The last line of defence for a front-desk console: an error nobody caught is logged with its
 * stack and the console keeps serving. Restarting would drop every screen and socket, and a request
 * that crashes it once would crash it again: a crash loop is worse than a logged error.
 */
export function keepServingOnUnexpectedErrors(
  proc: Pick<NodeJS.Process, 'on' | 'off'> = process,
  log: (line: string) => void = (line) => void process.stderr.write(line),
  /** The console's log file, when it has one: the stack goes there, and `log` (stderr) gets one line. False: it
   *  cannot be written (a full disk), so the stack goes to stderr, and nothing points at a log that does not have it. */
  logFile?: (kind: string, error: unknown) => boolean,
): () => void {
  const report = (kind: string) => (error: unknown) => {
    if (logFile) {
      try {
        if (!logFile(kind, error)) throw new Error('the log file is not being written');
        const first = (error instanceof Error ? error.message : describe(error)).split('\n')[0]!.slice(0, 300);
        return log(`console: unexpected ${kind}, logged and kept running: ${first} (the details are in the console's log)\n`);
      } catch {
        // the log file refuses it too: the stack on stderr, as without one
      }
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : describe(error);
    log(`console: unexpected ${kind}, logged and kept running: ${detail}\n`);
  };
  const onException = report('error');
  const onRejection = report('rejection');
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}

/** A thrown non-Error, described without trusting it (its own toString may throw too). */
function describe(value: unknown): string {
  try {
    return String(value).slice(0, 500);
  } catch {
    return `a thrown ${typeof value}`;
  }
}
