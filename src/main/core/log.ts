import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';
import { inPlaceOfFolder, makeFolder } from './make-folder';
import { StartRefused } from './startup/start-refused';

/** The console's log: a rotating file in the data dir for the gym's IT, and the last warnings for "Copy diagnostics". */
export interface ConsoleLog {
  logger: Logger;
  /** The file being written now; older ones sit beside it as console.log.1, .2, … */
  readonly file: string;
  /** Why the file stopped taking lines (a full disk), once it did; null while it takes them. */
  readonly failing: string | null;
  /** The last warn/error lines, oldest first, as a person reads them. */
  recent(): string[];
  /** Never write this text (the backend token) anywhere the log reaches. */
  hide(secret: string): void;
  /** Replaces every hidden secret in a text that leaves the console. */
  scrub(text: string): string;
  close(): Promise<void>;
}

export interface LogOptions {
  /** Rotate when the file reaches this size (rotating-file-stream syntax: "5M", "10K"). */
  maxSize?: string;
  /** How many rotated files to keep beside the current one. */
  keep?: number;
  recentMax?: number;
}

/** A warning repeats among this many of the latest distinct ones (one per socket of a pool) to be folded into one. */
const FOLD_WITHIN = 8;
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = '[hidden]';

/** Opens logs/console.log (0600, in a 0700 folder) with size-based rotation. */
export function openLog(dataDir: string, opts: LogOptions = {}): ConsoleLog {
  const dir = join(dataDir, 'logs');
  const other = inPlaceOfFolder(dir);
  if (other) throw new StartRefused(`${dir} is ${other}, where the console keeps the folder for its log files: move it out of the data folder (or rename it), then start the console again.`);
  makeFolder(dir, 0o700);
  chmodSync(dir, 0o700); // an existing folder keeps its old mode
  const file = join(dir, 'console.log');
  if (existsSync(file)) chmodSync(file, 0o600);
  const stream = createStream('console.log', { path: dir, size: opts.maxSize ?? '5M', rotate: opts.keep ?? 4, mode: 0o600 });
  // A full disk must not take the console down with it; say so once, and that what it would hold is not kept.
  let failing: string | null = null;
  stream.on('error', (e) => {
    if (failing === null) process.stderr.write(`console: could not write the log file ${file} (${e.message}): from now on what it would hold is not kept, the last warnings stay in Copy diagnostics, and errors are written here in full.\n`);
    failing ??= e.message;
  });

  const secrets: RegExp[] = [];
  const scrub = (text: string): string => secrets.reduce((t, s) => t.replace(s, HIDDEN), text);
  // One entry per distinct message among the last few: an outage's connect errors, one per socket every few seconds,
  // pushed out everything before them (readme23 R5); a repeat now adds to its count.
  const ring: { time: string; rest: string; count: number; last: string }[] = [];
  const recentMax = opts.recentMax ?? 50;
  const toFile = {
    write(line: string) {
      const text = scrub(line);
      // An error said on stderr as "the details are in the log" before the file was known to fail: the stream's error
      // comes after the write, so the line it refused is written here in full (review25 V8).
      const owed = failing === null && /^\{"level":(50|60),/.test(text);
      stream.write(text, owed ? (e?: Error | null) => void (e && process.stderr.write(`console: could not write this to the log file, so here it is in full: ${readable(text, true)}\n`)) : undefined);
    },
  };
  const toRing = {
    write(line: string) {
      const text = scrub(readable(line));
      const cut = text.indexOf(' ');
      const [time, rest] = cut > 0 ? [text.slice(0, cut), text.slice(cut + 1)] : ['', text];
      const same = ring.slice(-FOLD_WITHIN).find((r) => r.rest === rest);
      if (same) {
        same.count++;
        same.last = time;
        return;
      }
      ring.push({ time, rest, count: 1, last: time });
      if (ring.length > recentMax) ring.shift();
    },
  };
  const logger = pino(
    { level: 'info', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime, redact: { paths: ['token', '*.token', 'backend.token'], censor: HIDDEN } },
    pino.multistream([
      { level: 'info', stream: toFile },
      { level: 'warn', stream: toRing },
    ]),
  );
  return {
    logger,
    file,
    get failing() {
      return failing;
    },
    recent: () => ring.map((r) => `${r.time ? `${r.time} ` : ''}${r.rest}${r.count > 1 ? ` (×${r.count}, the last at ${r.last})` : ''}`),
    hide(secret) {
      if (!secret) return;
      const found = wholeWord(secret);
      if (!secrets.some((s) => s.source === found.source)) secrets.push(found);
    },
    scrub,
    close: () => new Promise((resolve) => stream.end(() => resolve())),
  };
}

/** One JSON log line as "time LEVEL message (error)", for the diagnostics block; `stack`: the error's stack in place of its message. */
function readable(line: string, stack = false): string {
  try {
    const o = JSON.parse(line) as { time?: string; level?: number; msg?: string; err?: { message?: string; stack?: string } };
    const said = stack ? (o.err?.stack ?? o.err?.message) : o.err?.message;
    const err = said ? ` (${said})` : '';
    return `${o.time ?? ''} ${LEVELS[o.level ?? 0] ?? 'LOG'} ${o.msg ?? ''}${err}`.trim();
  } catch {
    return line.trim();
  }
}

const ALNUM = /[A-Za-z0-9]/;
/** From this length a secret is hidden wherever it occurs: it cannot be part of ordinary text. */
const LONG_SECRET = 8;
/**
 * A short secret only where it stands as a whole word: a token `T` must not blank every ISO time
 * ("2026-12-04T18:…") and every word it is part of, nor show by that where its letters occur.
 */
function wholeWord(secret: string): RegExp {
  const body = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (secret.length >= LONG_SECRET) return new RegExp(body, 'g');
  const before = ALNUM.test(secret[0]!) ? '(?<![A-Za-z0-9])' : '';
  const after = ALNUM.test(secret.at(-1)!) ? '(?![A-Za-z0-9])' : '';
  return new RegExp(`${before}${body}${after}`, 'g');
}
