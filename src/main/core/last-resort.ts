/**
 * The last line of defence for a front-desk console: an error nobody caught is logged with its
 * stack and the console keeps serving. Restarting would drop every screen and socket, and a request
 * that crashes it once would crash it again: a crash loop is worse than a logged error.
 */
export function keepServingOnUnexpectedErrors(
  proc: Pick<NodeJS.Process, 'on' | 'off'> = process,
  log: (line: string) => void = (line) => void process.stderr.write(line),
): () => void {
  const report = (kind: string) => (error: unknown) => {
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
