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
 * own memory is bounded by REVIEW_LIMITS. Past this the worker ends and the console carries on.
 */
const WORKER_HEAP_MB = 256;

/**
 * Builds reviews of export files on worker threads, so the desk's screens, the sockets and the
 * outbox keep running while a large export is read (a million events take seconds). A load can be
 * cancelled; stop() ends every load still running.
 */
export class ReviewLoader {
  private readonly running = new Set<Worker>();

  /** `workerFile`: the built worker (the composition roots pass it); by default the source file beside this one, run with tsx. */
  constructor(private readonly workerFile = join(dirname(fileURLToPath(import.meta.url)), 'review-worker.ts')) {}

  load(paths: string[], signal?: AbortSignal): Promise<BuiltReview> {
    if (signal?.aborted) return Promise.reject(cancelled());
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

  /** Ends every load still running; their promises are rejected as cancelled. */
  async stop(): Promise<void> {
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

function fromReply(r: Extract<ReviewReply, { ok: false }>): Error {
  if (r.user) return new UserError(r.code, r.message);
  const e = new Error(r.message);
  if (r.stack) e.stack = r.stack;
  return e;
}
