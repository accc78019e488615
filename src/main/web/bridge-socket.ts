import type { WebSocket } from 'ws';
import { z } from 'zod';
import { parseBoundedJson } from '../../shared/json-guard';
import { fail } from '../../shared/result';
import type { HostFrame, BridgeId } from '../../shared/web-bridge';
import { dispatch, type Handlers } from '../core/bridge/dispatch';
import type { Session, TellScreen } from '../core/auth/session';
import type { PatchStream } from '../core/state/patch-stream';
import { TokenBucket } from '../core/token-bucket';
import { patchFor } from '../../shared/kiosk-replies';

const IdSchema = z.union([z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER), z.string().max(64)]);
/** Not a call at all: no id could be read, so the reply carries -1. */
const NOT_A_CALL = -1;

type Read = { ok: true; id: BridgeId; name: string; payload: unknown } | { ok: false; id: BridgeId | null; message: string };

/** One untrusted frame, read without ever echoing or walking anything unbounded. */
export function readCall(data: Buffer, isBinary: boolean): Read {
  const shape = 'A bridge call must be a JSON text frame {id, name, payload}; nothing was done.';
  if (isBinary) return { ok: false, id: NOT_A_CALL, message: shape };
  const parsed = parseBoundedJson(data.toString('utf8'));
  if (!parsed.ok) return { ok: false, id: NOT_A_CALL, message: `${shape} (This one was ${parsed.error}.)` };
  const call = parsed.value;
  if (typeof call !== 'object' || call === null || Array.isArray(call)) return { ok: false, id: NOT_A_CALL, message: shape };
  const { id, name, payload } = call as Record<string, unknown>;
  const goodId = IdSchema.safeParse(id);
  if (!goodId.success) return { ok: false, id: null, message: 'A bridge call id must be a whole number or text of at most 64 characters; nothing was done.' };
  if (typeof name !== 'string') return { ok: false, id: goodId.data, message: 'A bridge call must name its request with text; nothing was done.' };
  return { ok: true, id: goodId.data, name, payload };
}

/**
 * A screen this far behind in reading gets no more patches until it catches up: the next one it
 * gets skips a number, and the screen fetches a fresh snapshot (state is state; nothing is lost).
 */
export const PATCH_HIGH_WATER_BYTES = 1024 * 1024;
/** Past this, only replies it never reads can have piled up: not a screen, so it is dropped. */
export const UNREAD_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * What one connection may send: a screen sends clicks and small forms (files go over HTTP uploads), so
 * these are far above any screen and far below a flood. The token is in every screen's address, a
 * kiosk's too: a connection that has not signed in may only sign in, with small frames.
 */
export const SEND_LIMITS = {
  signedIn: { bytesPerS: 1024 * 1024, frameBytes: 256 * 1024 },
  signedOut: { bytesPerS: 32 * 1024, frameBytes: 16 * 1024 },
} as const;
/**
 * Calls one connection may have waiting for their answers. A screen has a few at most; small calls sent faster
 * than the host answers them (30,000 a second fit the byte budget) built a backlog that held a desk's check-in 12 s.
 */
export const MAX_UNANSWERED_CALLS = 32;
/** Close codes said to a connection that broke a limit (RFC 6455): its screen reconnects by itself. */
const TOO_BIG = 1009;
const TOO_MUCH = 1008;

/** A byte budget per kind of screen refilled at its `bytesPerS`, holding up to two seconds' worth: a burst is fine, a stream is not. */
function byteBudgets(mono: () => number): Record<keyof typeof SEND_LIMITS, TokenBucket> {
  const bucket = (perS: number): TokenBucket => new TokenBucket({ burst: 2 * perS, perSecond: perS }, mono);
  return { signedIn: bucket(SEND_LIMITS.signedIn.bytesPerS), signedOut: bucket(SEND_LIMITS.signedOut.bytesPerS) };
}

/** One screen's bridge connection: its own sign-in, state patches once signed in, calls dispatched. */
export function serveBridge(ws: WebSocket, opts: { handlers: Handlers; stream: PatchStream; newSession: (tell?: TellScreen) => Session }): Session {
  const send = (frame: HostFrame): void => {
    if (ws.readyState !== ws.OPEN) return;
    // Dropped at once: a close handshake with a peer that reads nothing would hold the buffer for ws's 30 s.
    if (ws.bufferedAmount > UNREAD_LIMIT_BYTES) return void ws.terminate();
    ws.send(JSON.stringify(frame));
  };
  const session = opts.newSession((message) => send({ event: 'auth.changed', payload: { message } }));
  ws.on('close', () => session.end());
  // State goes only to a signed-in screen; a signed-out one sees nothing but the sign-in.
  const unsubscribe = opts.stream.subscribe((patch) => session.role && ws.bufferedAmount <= PATCH_HIGH_WATER_BYTES && send({ event: 'state.patch', payload: patchFor(session.role, patch) }));
  ws.on('close', unsubscribe);
  ws.on('error', () => ws.terminate());
  const budgets = byteBudgets(() => performance.now());
  let unanswered = 0;
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    // Checked before anything is parsed: a flood of big frames from one connection slowed every desk.
    const kind = session.role ? 'signedIn' : 'signedOut';
    if (data.length > SEND_LIMITS[kind].frameBytes) return ws.close(TOO_BIG, kind === 'signedOut' ? 'frame too big before sign-in' : 'frame too big');
    if (!budgets[kind].take(data.length)) return ws.close(TOO_MUCH, 'too much data');
    if (unanswered >= MAX_UNANSWERED_CALLS) return ws.close(TOO_MUCH, 'too many calls at once');
    const call = readCall(data, isBinary);
    if (!call.ok) return send({ id: call.id, result: fail('bad-call', call.message) });
    unanswered++;
    dispatch(opts.handlers, call.name, call.payload, { transport: 'web', session })
      .finally(() => unanswered--)
      .then((result) => send({ id: call.id, result }))
      // dispatch never rejects; this is for a reply that cannot be sent or serialised.
      .catch((e: Error) => {
        process.stderr.write(`console: bridge reply failed: ${e.stack ?? e.message}\n`);
        send({ id: call.id, result: fail('internal', 'The console could not answer that request. It has been logged; try again.') });
      });
  });
  return session;
}
