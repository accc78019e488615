import { EventEmitter } from 'node:events';

/** Just enough of a ws client for a BackendConnection under test: records what was sent, delivers frames. */
export class FakeSocket extends EventEmitter {
  readyState = 1;
  pings = 0;
  sent: string[] = [];
  ping() {
    this.pings++;
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
