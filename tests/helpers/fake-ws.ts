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
  /** Protocol pongs (head 0) for the protocol pings sent since the last call: the backend program, not only its WebSocket, answers. */
  answerPings() {
    for (; this.answered < this.sent.length; this.answered++) {
      const f = JSON.parse(this.sent[this.answered]!) as { t: string; ts?: number };
      if (f.t === 'ping') this.frame({ t: 'pong', ts: f.ts, head: 0 });
    }
  }
  private answered = 0;
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
