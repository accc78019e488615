/**
 * The terminal a console was started from can go away under it: a `tee` that ended, journald restarted, a supervisor
 * or launcher gone. Each line written there then fails (EPIPE), an error on a stream nobody listened to, which the
 * last-resort handler reported with another line there: a loop that starved every check-in and the log file
 * (probe23 P1). Listened to here, the console goes on without its terminal, and says so once in its log.
 *
 * It can also stop reading and stay: Ctrl+S pressed in it, text selected in its window, a remote session frozen.
 * Node writes to a terminal synchronously on Linux, so the console's next line there froze the whole console, every
 * check-in with it, until someone pressed Ctrl+Q. Here the terminal is written without waiting, what it has not taken
 * is held up to HELD_MAX_BYTES, and lines past that are left out and counted (a reader piped in that stalls, too).
 */
export interface TerminalWatch {
  /** True once writing to the terminal has failed: nothing more is written there. */
  gone(): boolean;
  /**
   * Lines for the log file, about the terminal: gone, paused, reading again. Each is told as it happens (a line from
   * before there was anyone to tell, at once).
   */
  toLog(fn: (line: string) => void): void;
}

/** What the console waits to write on a terminal that has stopped reading: a few hundred lines. */
export const HELD_MAX_BYTES = 64 * 1024;

type Write = (chunk: string | Uint8Array, encodingOrCb?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void) => boolean;

/** The parts of process.stdout and process.stderr this uses; `_handle` is Node's own (a TTY's or a pipe's). */
export interface TerminalStream {
  on(event: 'error', fn: (e: NodeJS.ErrnoException) => void): unknown;
  on(event: 'drain', fn: () => void): unknown;
  write: Write;
  readonly writableLength: number;
  _handle?: { setBlocking?: (blocking: boolean) => unknown } | null;
}

export function watchTerminal(streams: { stdout: TerminalStream; stderr: TerminalStream } = process as unknown as { stdout: TerminalStream; stderr: TerminalStream }): TerminalWatch {
  let why: string | null = null;
  const told: string[] = [];
  let tell: ((line: string) => void) | null = null;
  const say = (line: string): void => (tell ? tell(line) : void told.push(line));
  const lost = (name: string) => (e: NodeJS.ErrnoException) => {
    if (why !== null) return;
    why = `${e.code ?? e.message} writing to ${name}`;
    say(goneLine(why));
  };
  for (const [stream, name] of [
    [streams.stdout, 'standard output'],
    [streams.stderr, 'standard error'],
  ] as const) {
    stream.on('error', lost(name));
    neverWaitOn(stream, say);
  }
  return {
    gone: () => why !== null,
    toLog(fn) {
      tell = fn;
      for (const line of told.splice(0)) fn(line);
    },
  };
}

/** Writes to `stream` never wait on its reader; past HELD_MAX_BYTES unread, lines are left out, and that is said. */
function neverWaitOn(stream: TerminalStream, say: (line: string) => void): void {
  // A terminal's handle is blocking on Linux and macOS; a pipe's is not there, and grows without end behind a stalled
  // reader instead. On Windows Node makes pipes blocking so nothing is lost at exit, and its console writes never
  // stall the loop: left as they are (review24 V10).
  if (process.platform !== 'win32') stream._handle?.setBlocking?.(false);
  const write = stream.write.bind(stream) as Write;
  let left = 0;
  stream.write = (chunk, encodingOrCb, cb) => {
    if (stream.writableLength < HELD_MAX_BYTES) return write(chunk, encodingOrCb as BufferEncoding, cb);
    if (left++ === 0) say(PAUSED_LINE);
    const done = typeof encodingOrCb === 'function' ? encodingOrCb : cb;
    if (done) queueMicrotask(() => done(null));
    return false;
  };
  stream.on('drain', () => {
    if (left === 0) return;
    const n = left;
    left = 0;
    say(`the terminal this console was started from reads again; ${n === 1 ? 'one line was' : `${n} lines were`} left out there while it did not, and this log has what happened meanwhile.`);
    write(`console: ${n === 1 ? 'one line was' : `${n} lines were`} left out here while this terminal was paused; the log file (logs/console.log in the data folder) has what happened meanwhile.\n`);
  });
}

const PAUSED_LINE =
  'the terminal this console was started from has stopped taking its lines (paused with Ctrl+S, text selected in its window, or whatever reads it stalled): the console goes on, and lines for that terminal are left out until it reads again (Ctrl+Q, or Esc to end a selection); this log has what happens meanwhile.';

const goneLine = (why: string): string =>
  `the terminal this console was started from is gone (${why}): the console goes on, and what it would say there is in this log only.`;
