import { EventEmitter } from 'node:events';

/** Just enough of a ws client for a BackendConnection under test: records what was sent, delivers frames. */
export class FakeSocket extends EventEmitter {
  readyState = 1;
  pings = 0;
  /** The last WebSocket ping's payload, which a live peer's WebSocket sends back in its pong. */
  lastPing: Buffer | undefined = undefined;
  sent: string[] = [];
  ping(data?: Buffer) {
    this.pings++;
    this.lastPing = data;
  }
  /** The WebSocket pong a live peer sends for the last ping (a bare `emit('pong')` answers no ping of ours). */
  pong() {
    this.emit('pong', this.lastPing);
  }
  send(s: string) {
    this.sent.push(s);
  }
  terminate() {
    this.readyState = 3;
  }
  frame(f: unknown) {
    this.emit('message', Buffer.from(JSON.stringify(f)), false);
  }
}
