import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../../shared/result';
import type { BuiltReview } from './export';

/** The built worker's file, beside the entry (out/main) that runs it; electron.vite.config.ts builds it. */
export const builtReviewWorker = (entryDir: string): string => join(entryDir, 'review-worker.js');

/** What the review worker sends back: the built review, or why not. */
export type ReviewReply = { ok: true; review: BuiltReview } | { ok: false; user: boolean; code: string; message: string; stack?: string };

/**
 * The worker's JavaScript heap: reading is streamed, so a file that needs more is hostile. SQLite's
 * own memory is not in it: REVIEW_LIMITS bounds a review, and one is built at a time. Past this the worker ends and the console carries on.
 */
const WORKER_HEAP_MB = 256;

/**
 * Loads that may wait for their turn: screens beyond this are told to try again. Two screens may
 * each hold a review (MAX_SCREEN_REVIEWS), so a few waiting is what a busy console meets.
 */
export const MAX_WAITING_LOADS = 4;

interface Waiting {
  go: () => void;
  fail: (e: Error) => void;
}

/**
 * Builds reviews of export files on worker threads, so the desk's screens, the sockets and the
 * outbox keep running while a large export is read (a million events take seconds). One review is
 * built at a time on a console: a build takes memory outside the worker's heap (SQLite's, and the
 * image), so two at once would double it. A second load waits its turn. A load can be cancelled,
 * also while it waits; stop() ends every load still running or waiting.
 */
export class ReviewLoader {
  private readonly running = new Set<Worker>();
  private readonly waiting: Waiting[] = [];
  private busy = false;
  private stopped = false;

  /** `workerFile`: the built worker (the composition roots pass it); by default the source file beside this one, run with tsx. */
  constructor(private readonly workerFile = join(dirname(fileURLToPath(import.meta.url)), 'review-worker.ts')) {}

  async load(paths: string[], signal?: AbortSignal): Promise<BuiltReview> {
    await this.turn(signal);
    try {
      return await this.build(paths, signal);
    } finally {
      this.passTurn();
    }
  }

  /** Resolves when this load may build: at once when none is building, else when those before it are done. */
  private turn(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted || this.stopped) return Promise.reject(cancelled());
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    if (this.waiting.length >= MAX_WAITING_LOADS) return Promise.reject(queueFull());
    return new Promise<void>((resolve, reject) => {
      const me: Waiting = {
        go: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        fail: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = (): void => {
        this.waiting.splice(this.waiting.indexOf(me), 1);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(me);
    });
  }

  /** The next load waiting builds now (the turn passes to it); none waiting, the console is free. */
  private passTurn(): void {
    const next = this.waiting.shift();
    if (next) next.go();
    else this.busy = false;
  }

  private build(paths: string[], signal?: AbortSignal): Promise<BuiltReview> {
    if (signal?.aborted || this.stopped) return Promise.reject(cancelled());
    if (!existsSync(this.workerFile)) return Promise.reject(new Error(`The export reader is missing (${this.workerFile}): reinstall the console.`));
    const worker = this.spawn(paths);
    this.running.add(worker);
    return new Promise<BuiltReview>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        this.running.delete(worker);
        void worker.terminate();
        fn();
      };
      const onAbort = (): void => settle(() => reject(cancelled()));
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.once('message', (r: ReviewReply) => settle(() => (r.ok ? resolve(r.review) : reject(fromReply(r)))));
      worker.once('error', (e: Error & { code?: string }) =>
        settle(() =>
          reject(
            e.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new UserError('export-too-large', 'This export needs more memory to open than the console allows. Export a shorter range as SQLite and open that.')
              : e,
          ),
        ),
      );
      worker.once('exit', (code) => settle(() => reject(new Error(`The export reader stopped (exit ${code}) before it finished.`))));
    });
  }

  /** Ends every load still running or waiting; their promises are rejected. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.waiting.splice(0)) w.fail(cancelled());
    await Promise.all([...this.running].map((w) => w.terminate()));
  }

  private spawn(paths: string[]): Worker {
    const resourceLimits = { maxOldGenerationSizeMb: WORKER_HEAP_MB };
    if (!this.workerFile.endsWith('.ts')) return new Worker(this.workerFile, { workerData: { paths }, resourceLimits });
    // From source (tests, tsx): the worker registers tsx itself; a worker does not inherit the loader.
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(this.workerFile).href)}); })`;
    return new Worker(boot, { eval: true, workerData: { paths }, resourceLimits });
  }
}

const cancelled = (): UserError => new UserError('export-cancelled', 'Opening the export was cancelled; the Analytics tab shows what it showed before.');

const queueFull = (): UserError =>
  new UserError('review-queue-full', `${MAX_WAITING_LOADS} exports are already waiting to be opened on this console, one after another. Open this one again when they are shown.`);

function fromReply(r: Extract<ReviewReply, { ok: false }>): Error {
  if (r.user) return new UserError(r.code, r.message);
  const e = new Error(r.message);
  if (r.stack) e.stack = r.stack;
  return e;
}
