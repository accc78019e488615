/**
 * What a backend's failure code says of the request it answers (docs/protocol.md, "Refusals and failures"). The one
 * place the console decides it: the `code` of a `reply` with `ok:false` and of an `error` frame with the request's id
 * mean the same, whichever frame carries it. A check-in a backend failed on once (`ok:false` `internal`) was a dead
 * letter at once, like one it refused, and waited there until someone noticed.
 */

/** The request itself is wrong: sent again, it gets the same answer. */
export const REFUSAL_CODES = ['bad-request', 'bad-frame', 'frame-too-large', 'unknown-op', 'unknown-action', 'forbidden', 'unauthorized'] as const;

/** The backend failed on the request and applied nothing: the same request (same id) may pass later or elsewhere. */
export const FAILURE_CODES = ['internal', 'not-ready', 'overloaded', 'timeout'] as const;

/** The backend is up and its shared storage is not: an outage of the whole backend, not of this request. */
export const STORAGE_DOWN_CODE = 'backend-storage-unavailable';

/**
 * `unknown`: a code the protocol does not define (a newer backend's, or another vendor's). By the protocol an
 * `ok:false` is a refusal, so it is most likely one; but burying a check-in for a failure that would have passed
 * costs far more (it waits in Dead letters until staff notice) than a few resends of a refusal (seconds, and the
 * request id makes them harmless). So the outbox tries it a few times, not ten (UNKNOWN_CODE_TRIES).
 */
export type CodeMeaning = 'refused' | 'failed' | 'storage-down' | 'unknown';

const REFUSED: ReadonlySet<string> = new Set(REFUSAL_CODES);
const FAILED: ReadonlySet<string> = new Set(FAILURE_CODES);

export function meaningOf(code: string): CodeMeaning {
  if (REFUSED.has(code)) return 'refused';
  if (FAILED.has(code)) return 'failed';
  return code === STORAGE_DOWN_CODE ? 'storage-down' : 'unknown';
}

/** Tries the outbox gives a message answered with a code it does not know, before it becomes a dead letter. */
export const UNKNOWN_CODE_TRIES = 3;
