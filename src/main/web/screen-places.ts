import type { WebSocket } from 'ws';
import { MAKE_ROOM_CLOSE, MAX_SCREENS } from '../../shared/web-bridge';
import { clockTime } from '../../shared/words';
import { systemClock, type Clock } from '../core/clock';
import { throttledNote } from '../core/throttled-note';

/**
 * The host pings every bridge this often; one that has not answered the ping before is closed. A browser
 * answers from its network layer, even for a tab in the background: only a program that stopped reading fails.
 */
export const KEEPALIVE_MS = 15_000;
/** At most one log line this often about screens closed to make room; the count of the rest is in the next, said when it is up. */
const NOTE_EVERY_MS = 60_000;

interface Held {
  /** When it last sent anything: a page calls as it opens and as staff use it. */
  heard: number;
  answered: boolean;
  signedIn: () => boolean;
  /** Its place is given up: the places guard may shed its socket, and closes it soon. */
  release: () => void;
}

/**
 * Which bridges hold the screen places. A new screen always gets in: when all are taken, the one that
 * has sent nothing for longest (a connection never signed in first) is closed, told why, and its
 * screen waits before it tries again. Refusing the newcomer let any program holding the token keep
 * every real screen out for good (on a kiosk or the demo, every connection has a role from the start).
 * Pongs keep a bridge open but do not count as use: every browser and WebSocket library answers them.
 */
export function screenPlaces(opts: { max?: number; keepaliveMs?: number; note: (line: string) => void; clock?: Pick<Clock, 'now' | 'mono' | 'setTimeout' | 'clearTimeout'> }) {
  const max = opts.max ?? MAX_SCREENS;
  const clock = opts.clock ?? systemClock;
  const held = new Map<WebSocket, Held>(); // insertion order: oldest first

  const keepalive = setInterval(() => {
    for (const [ws, h] of held) {
      if (!h.answered) {
        ws.terminate();
        continue;
      }
      h.answered = false;
      ws.ping();
    }
  }, opts.keepaliveMs ?? KEEPALIVE_MS);
  keepalive.unref();

  /** A screen closed to make room, given when the one closed last sent anything. */
  const roomMade = throttledNote<number>({
    everyMs: NOTE_EVERY_MS,
    clock,
    say: ({ detail: idleSince, count }) =>
      opts.note(
        `${count === 1 ? 'a screen was' : `${count} screens were`} closed to make room for new ones: ${max} screens (browser windows or tabs) ` +
          `were open to this console, the most it serves at once; the one closed had sent nothing since ${clockTime(idleSince)}. If screens keep being closed, ` +
          `close the console's windows and tabs that are not needed on this PC, or find the program opening them.`,
      ),
  });

  /** The open bridge to close for a newcomer: not signed in before signed in, then the one silent longest. */
  const toClose = (): [WebSocket, Held] | undefined => {
    let pick: [WebSocket, Held] | undefined;
    for (const entry of held) {
      if (!pick) pick = entry;
      else {
        const [a, b] = [entry[1], pick[1]];
        const rank = Number(a.signedIn()) - Number(b.signedIn()) || a.heard - b.heard;
        if (rank < 0) pick = entry;
      }
    }
    return pick;
  };

  return {
    /** Makes room for one more if all places are taken; call before the newcomer is accepted. */
    makeRoom(): void {
      while (held.size >= max) {
        const [ws, h] = toClose()!;
        held.delete(ws);
        roomMade.note(h.heard);
        ws.close(MAKE_ROOM_CLOSE.code, MAKE_ROOM_CLOSE.reason);
        h.release();
      }
    },
    add(ws: WebSocket, signedIn: () => boolean, release: () => void): void {
      const h: Held = { heard: clock.now(), answered: true, signedIn, release };
      held.set(ws, h);
      ws.on('message', () => (h.heard = clock.now()));
      ws.on('pong', () => (h.answered = true));
      ws.on('close', () => held.delete(ws));
    },
    stop: (): void => {
      clearInterval(keepalive);
      roomMade.stop();
    },
  };
}
