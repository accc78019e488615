import type { EventName, Events, GymApi, RequestName, RequestOutput } from '../../../shared/contract';
import { fail, type Result } from '../../../shared/result';
import { BRIDGE_PATH, MAKE_ROOM_CLOSE, MAKE_ROOM_RETRY_MS, TOKEN_CHECK_PATH, type BridgeFrame } from '../../../shared/web-bridge';

/**
 * refused: the console is there but this address's token is not its own (changed, or an old address).
 * crowded: the console closed this screen to make room for another (all its screen places were taken).
 */
export type BridgeStatus = 'connecting' | 'open' | 'lost' | 'refused' | 'crowded';

/**
 * How long a call made while the link is down waits for the attempt under way before it fails:
 * a kiosk's scan must get an answer (a failure is one), never wait for a console that may be gone.
 */
const DOWN_WAIT_MS = 2_000;

/** The contract over the headless host's loopback WebSocket; reconnects by itself. */
export function createWebBridge(token: string, onStatus: (s: BridgeStatus) => void): GymApi {
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let ws: WebSocket;
  let crowded = false;
  let nextId = 1;
  let firstOpen!: () => void;
  const everOpen = new Promise<void>((resolve) => (firstOpen = resolve));
  /** Settles when the current attempt opens or closes. */
  let settled: Promise<void>;

  /** The console said the token is not its own: the screen keeps saying so between tries, not "connecting". */
  let refused = false;

  const connect = (): void => {
    // Refused or closed to make room: the screen keeps saying so while it tries again, not "connecting".
    if (!refused && !crowded) onStatus('connecting');
    ws = new WebSocket(`ws://${location.host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`);
    settled = new Promise((resolve) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('close', () => resolve(), { once: true });
    });
    ws.addEventListener('open', () => {
      refused = false;
      firstOpen();
      onStatus('open');
    });
    ws.addEventListener('message', (m) => {
      const frame = JSON.parse(String(m.data)) as BridgeFrame;
      if ('event' in frame) return listeners.get(frame.event)?.forEach((l) => l(frame.payload));
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    });
    let opened = false;
    ws.addEventListener('open', () => (opened = true), { once: true });
    ws.addEventListener('close', (e) => {
      for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'bridge-lost', message: 'Lost the connection to the console; retrying.' } });
      pending.clear();
      // Closed to make room: trying again at once would close another screen, which would do the same.
      crowded = e.code === MAKE_ROOM_CLOSE.code;
      if (crowded) {
        onStatus('crowded');
        return void setTimeout(connect, MAKE_ROOM_RETRY_MS);
      }
      if (!refused) onStatus('lost');
      if (opened) return void setTimeout(connect, 1_000);
      // Never opened: a console that is down and one that refused the token look the same to a WebSocket.
      void tokenRefused(token).then((r) => {
        if (r !== refused) onStatus(r ? 'refused' : 'lost');
        refused = r;
        setTimeout(connect, r ? 5_000 : 1_000);
      });
    });
  };
  connect();

  /** Until the first open a page has nothing to show, so it waits; after that, a lost link is an answer. */
  const ready = async (): Promise<void> => {
    await everOpen;
    if (ws.readyState === WebSocket.CONNECTING) await Promise.race([settled, new Promise((r) => setTimeout(r, DOWN_WAIT_MS))]);
  };

  return {
    async call<K extends RequestName>(name: K, input?: unknown): Promise<Result<RequestOutput<K>>> {
      await ready();
      // Not sent: not `bridge-lost` (a call under way when the link went, which may have been taken: review28 V6).
      if (ws.readyState !== WebSocket.OPEN) return fail('bridge-down', 'Not connected to the console, so nothing was sent; try again in a moment.');
      const id = nextId++;
      // The host answers with the handler's own Result; the frame is trusted as the contract types it.
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        ws.send(JSON.stringify({ id, name, payload: input }));
      });
    },
    on<E extends EventName>(name: E, listener: (payload: Events[E]) => void) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
  } satisfies GymApi;
}

/** Whether the console answers here and says this token is not its own; false when it does not answer at all. */
async function tokenRefused(token: string): Promise<boolean> {
  try {
    // Bounded: a console that takes the connection but never answers must not hold up the next try.
    const res = await fetch(`${TOKEN_CHECK_PATH}?token=${encodeURIComponent(token)}`, { cache: 'no-store', signal: AbortSignal.timeout(2_000) });
    return res.status === 401;
  } catch {
    return false;
  }
}
