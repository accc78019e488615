// The export-review worker: reads and checks export files off the console's main thread (one job per worker).
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../../shared/result';
import { buildReview } from './export';
import type { ReviewReply } from './review-thread';

const { paths } = workerData as { paths: string[] };
let reply: ReviewReply;
try {
  reply = { ok: true, review: buildReview(paths) };
} catch (e) {
  reply =
    e instanceof UserError
      ? { ok: false, user: true, code: e.code, message: e.message }
      : { ok: false, user: false, code: 'review-failed', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
}
// The image moves to the main thread rather than being copied (it can be hundreds of MB).
parentPort!.postMessage(reply, reply.ok ? [reply.review.image.buffer as ArrayBuffer] : []);
