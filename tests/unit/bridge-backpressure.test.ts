import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { PATCH_HIGH_WATER_BYTES, UNREAD_LIMIT_BYTES, serveBridge } from '../../src/main/web/bridge-socket';
import { Session } from '../../src/main/core/auth/session';
import type { Handlers } from '../../src/main/core/bridge/dispatch';
import type { PatchStream } from '../../src/main/core/state/patch-stream';
import type { StatePatch } from '../../src/shared/state';

/** A screen's socket whose unread bytes the test sets: what a tab that stopped reading looks like to the host. */
class Screen extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  closed: [number, string] | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close(code: number, reason: string) {
    this.closed = [code, reason];
    this.readyState = 3;
  }
  terminated = false;
  terminate() {
    this.terminated = true;
    this.readyState = 3;
  }
}

function rig() {
  const listeners: ((p: StatePatch) => void)[] = [];
  const stream = { subscribe: (l: (p: StatePatch) => void) => (listeners.push(l), () => {}) } as unknown as PatchStream;
  const ws = new Screen();
  serveBridge(ws as unknown as WebSocket, { handlers: {} as Handlers, stream, newSession: () => new Session('manager') });
  const patch = (seq: number) => listeners.forEach((l) => l({ seq, gauges: {}, feeds: {} }));
  const seqs = () => ws.sent.map((s) => (JSON.parse(s) as { payload: StatePatch }).payload.seq);
  return { ws, patch, seqs };
}

describe('a screen that does not read what the host sends', () => {
  it('gets no patches while it is behind, and the next one once it has read', () => {
    const { ws, patch, seqs } = rig();
    patch(1);
    ws.bufferedAmount = PATCH_HIGH_WATER_BYTES + 1;
    patch(2);
    patch(3);
    ws.bufferedAmount = 0;
    patch(4);
    expect(seqs()).toEqual([1, 4]); // the skipped number tells the screen to fetch a snapshot
    expect(ws.closed).toBeNull();
  });

  it('is dropped once unread replies pile up past the limit, so memory stays bounded', () => {
    const { ws } = rig();
    ws.bufferedAmount = UNREAD_LIMIT_BYTES + 1;
    ws.emit('message', Buffer.from('{"id":1,"name":"nope"}'), false);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        expect(ws.terminated).toBe(true);
        expect(ws.sent).toEqual([]);
        resolve();
      }, 50),
    );
  });
});
