import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type WebSocket from 'ws';
import { BackendConnection } from '../../src/main/core/pool/connection';
import { BEAT_SLOT_MS, Heartbeat } from '../../src/main/core/pool/heartbeat';
import { seededRandom } from '../../src/server/random';
import { FakeClock } from '../helpers/fake-clock';

/** A peer on a fake clock: answers each protocol ping after `delay()` ms, until stopped. */
class FakePeer extends EventEmitter {
  readyState = 1;
  answering = true;
  /** Answers pings with the storage-unavailable error instead of a pong, as an instance whose Redis is away does. */
  storageDown = false;
  constructor(
    private readonly clock: FakeClock,
    private readonly delay: () => number,
  ) {
    super();
  }
  ping() {}
  send(s: string) {
    const f = JSON.parse(s) as { t: string; ts?: number };
    if (f.t !== 'ping' || !this.answering) return;
    const down = this.storageDown;
    this.clock.setTimeout(
      () => this.answering && this.frame(down ? { t: 'error', code: 'backend-storage-unavailable', message: 'The backend cannot reach its shared storage.' } : { t: 'pong', ts: f.ts, head: 0 }),
      this.delay(),
    );
  }
  frame(f: object) {
    this.emit('message', Buffer.from(JSON.stringify(f)), false);
  }
  terminate() {
    this.readyState = 3;
  }
}

function connected(delay: () => number, heartbeatMs = 250) {
  const clock = new FakeClock();
  const peer = new FakePeer(clock, delay);
  const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs, socketFactory: () => peer as unknown as WebSocket });
  const closes: string[] = [];
  conn.on('close', (r) => closes.push(r));
  conn.connect();
  peer.emit('open');
  peer.frame({ t: 'welcome', version: 2, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 }, load: { sessions: 1, lagMs: 0 } });
  return { clock, peer, conn, closes };
}

/** Advances in small steps, letting deferred work (the verdict's extra turn) run between them. */
async function run(clock: FakeClock, ms: number, until: () => boolean = () => false, step = 10): Promise<number> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await new Promise((r) => setImmediate(r));
    if (until()) return t + step;
  }
  return ms;
}

describe('adaptive dead-peer deadline on a socket', () => {
  it('a quiet loopback link learns a short deadline and a true stop is caught within it, well before the pool setting', async () => {
    const { clock, peer, conn, closes } = connected(() => 1);
    await run(clock, 30_000, undefined, 50);
    expect(conn.state).toBe('open');
    const deadline = conn.heartbeat.deadlineMs;
    expect(conn.heartbeat.learning).toBe(false);
    expect(deadline).toBeLessThan(500); // the pool setting is 4 × 250 = 1,000 ms
    peer.answering = false;
    const silentAt = clock.mono();
    const took = await run(clock, 2_000, () => conn.state === 'closed');
    expect(conn.state).toBe('closed');
    // From the last reply (≤ one beat before we stopped answering) to the verdict: within the deadline plus one step.
    expect(clock.mono() - silentAt).toBeLessThanOrEqual(deadline + 10);
    expect(took).toBeLessThan(1_000);
    expect(closes[0]).toMatch(/adaptive deadline/);
  });

  it('a deadline longer than two beats still fires on time: later unanswered pings do not push it back', async () => {
    const rand = seededRandom(9);
    const { clock, peer, conn, closes } = connected(() => rand() * 175);
    await run(clock, 60_000, undefined, 25);
    const deadline = conn.heartbeat.deadlineMs;
    expect(deadline).toBeGreaterThan(500); // more than two 250 ms beats
    expect(deadline).toBeLessThan(1_000);
    peer.answering = false;
    const stoppedAt = clock.mono();
    await run(clock, 1_500, () => conn.state === 'closed', 5);
    expect(closes[0]).toMatch(/adaptive deadline/);
    expect(clock.mono() - stoppedAt).toBeLessThanOrEqual(deadline + 10);
  });

  it('a jittery link (replies 50–400 ms apart) is not condemned falsely over 10 simulated minutes', async () => {
    const rand = seededRandom(42);
    const { clock, conn, closes } = connected(() => rand() * 175); // gaps of 250 ± 175 ms: 75 to 425
    await run(clock, 10 * 60_000, () => conn.state !== 'open', 25);
    expect(closes).toEqual([]);
    expect(conn.heartbeat.deadlineMs).toBeGreaterThan(500);
    expect(conn.heartbeat.deadlineMs).toBeLessThanOrEqual(1_000);
  });

  it("our own late beats (a busy console) do not widen the deadline: lateness is ours, not the peer's", async () => {
    const rand = seededRandom(5);
    const { clock, conn } = connected(() => 1);
    for (let i = 0; i < 400; i++) {
      clock.jump(rand() * 200); // this turn, our timers run up to 200 ms late
      clock.advance(0);
      clock.advance(50);
      await new Promise((r) => setImmediate(r));
    }
    expect(conn.state).toBe('open');
    expect(conn.heartbeat.learning).toBe(false);
    expect(conn.heartbeat.deadlineMs).toBeLessThan(550); // ~480 on a perfect link; ~700 if our lateness counted
  });

  it('a silence that got another socket to the same instance condemned is an outage, not a lesson', async () => {
    let pause = 0;
    const { clock, conn } = connected(() => 1 + pause);
    await run(clock, 30_010, undefined, 10);
    const before = conn.heartbeat.deadlineMs;
    for (let i = 0; i < 3; i++) {
      pause = 200; // the instance stalls on the next ping…
      await run(clock, 300);
      conn.heartbeat.outage(); // …its other socket is condemned meanwhile…
      pause = 0; // …and this one's reply comes back late, within this socket's deadline
      await run(clock, 3_000, undefined, 50);
    }
    expect(conn.state).toBe('open');
    expect(conn.heartbeat.deadlineMs).toBeLessThanOrEqual(before + 2);
  });

  it("pongs withheld while the instance's storage was away (a Redis restart) are not learned as the link's rhythm", async () => {
    const { clock, peer, conn } = connected(() => 1);
    await run(clock, 30_010, undefined, 10);
    const before = conn.heartbeat.deadlineMs;
    for (let i = 0; i < 5; i++) {
      peer.storageDown = true; // it answers every ping, but with an error instead of a pong, for 2 s
      await run(clock, 2_000, undefined, 50);
      peer.storageDown = false;
      await run(clock, 3_000, undefined, 50);
    }
    expect(conn.state).toBe('open');
    expect(conn.heartbeat.deadlineMs).toBeLessThanOrEqual(before + 2);
  });

  it('a steady link tolerates one reply held up by a GC pause of tens of ms', async () => {
    let pause = 0;
    const { clock, conn } = connected(() => 1 + pause);
    await run(clock, 20_000, undefined, 50);
    pause = 80;
    await run(clock, 300);
    pause = 0;
    await run(clock, 2_000);
    expect(conn.state).toBe('open');
  });

  it('a silent peer that never taught it anything is held to the first estimate: more than two beats, within 1 s', async () => {
    const { clock, peer, conn, closes } = connected(() => 1);
    peer.answering = false;
    await run(clock, 2 * 250 + 100);
    expect(conn.state).toBe('open');
    const took = 600 + (await run(clock, 1_000, () => conn.state === 'closed'));
    expect(conn.state).toBe('closed');
    expect(took).toBeLessThan(1_000); // the pool setting (4 × 250 ms) plus a beat's phase was 1,250
    expect(closes[0]).toMatch(/adaptive deadline/);
  });

  it('relearns when the health-check interval changes', async () => {
    const { clock, conn } = connected(() => 1);
    await run(clock, 10_000, undefined, 50);
    const short = conn.heartbeat.deadlineMs;
    conn.setHeartbeat(1_000);
    expect(conn.heartbeat.learning).toBe(true);
    const estimate = conn.heartbeat.deadlineMs; // from the new interval, under its 4 × 1 s ceiling
    expect(estimate).toBeGreaterThan(2 * 1_000);
    expect(estimate).toBeLessThan(4_000);
    await run(clock, 30_000, undefined, 100);
    expect(conn.heartbeat.learning).toBe(false);
    expect(conn.heartbeat.deadlineMs).toBeGreaterThan(short);
    expect(conn.heartbeat.deadlineMs).toBeLessThan(4_000);
    expect(conn.state).toBe('open');
  });

  it('a backlog of answers released at once after a freeze teaches nothing', () => {
    const clock = new FakeClock();
    const pings: number[] = [];
    const hb = new Heartbeat({ clock, ping: (ts) => pings.push(ts), state: () => 'open', condemn: () => {}, mustBeat: () => false }, 250);
    hb.start();
    const answer = (ts: number) => {
      hb.alive();
      hb.reply(ts);
    };
    for (let i = 0; i < 100; i++) {
      clock.advance(250);
      clock.advance(1);
      answer(pings.at(-1)!);
    }
    const before = hb.deadlineMs;
    expect(before).toBeLessThan(500);
    const answered = pings.length;
    clock.advance(1_500); // frozen: six pings go unanswered…
    for (const ts of pings.slice(answered)) answer(ts); // …then all six answers arrive together
    for (let i = 0; i < 10; i++) {
      clock.advance(250);
      clock.advance(1);
      answer(pings.at(-1)!);
    }
    expect(hb.deadlineMs).toBeLessThanOrEqual(before + 2);
  });
});

describe('beat slots', () => {
  it('beats on whole slots, so sockets with nearby phases beat in one wake-up, and keeps its phase: no drift', () => {
    const clock = new FakeClock();
    const pings: number[][] = [[], []];
    const beats = [0.5, 0.51].map((phase, i) => {
      const hb = new Heartbeat({ clock, ping: (ts) => pings[i]!.push(ts), state: () => 'open', condemn: () => {}, mustBeat: () => true }, 333);
      hb.start(phase);
      return hb;
    });
    for (let i = 0; i < 100; i++) {
      clock.advance(333);
      for (const hb of beats) hb.alive();
    }
    const [a, b] = pings as [number[], number[]];
    expect(a.every((t) => t % BEAT_SLOT_MS === 0)).toBe(true);
    // Phases 3.3 ms apart fall in one slot two times in three (without slots: never at once).
    expect(a.filter((t, i) => t === b[i]).length).toBeGreaterThanOrEqual(60);
    // Anchored to its phase, not to the slot it last ran in: 99 intervals of 333 ms, to within a slot.
    expect(Math.abs(a.at(-1)! - a[0]! - 99 * 333)).toBeLessThan(BEAT_SLOT_MS);
  });
});

describe('a skipped beat', () => {
  it('teaches no gap that spans it, even from a pong still owed for a ping before it', () => {
    const clock = new FakeClock();
    const hb = new Heartbeat({ clock, ping: () => {}, state: () => 'open', condemn: () => {}, mustBeat: () => false }, 250);
    hb.start();
    const at = (t: number, fn: () => void) => (clock.advance(t - clock.mono()), fn());
    const pong = (ts: number) => (hb.alive(), hb.reply(ts));
    // Round trips of 300 ms, longer than the 250 ms beat; a request answered at 260 rests the beat at 500.
    at(260, () => (hb.alive(), hb.answered(240)));
    at(550, () => pong(250));
    at(1050, () => pong(750));
    at(1300, () => pong(1000));
    at(1550, () => pong(1250));
    expect(hb.gaps()).toEqual([250, 250]);
  });
});

/** A peer whose link answers at once (the WebSocket layer's pongs) while its own replies all take `replyMs`: a slow backend, not a dead one. */
class SlowBackend extends FakePeer {
  constructor(private readonly clk: FakeClock, replyMs: number) {
    super(clk, () => replyMs);
  }
  override ping() {
    if (this.answering) this.clk.setTimeout(() => this.answering && this.emit('pong'), 1);
  }
}

describe('a backend whose every reply takes 1.5 s', () => {
  function slow(replyMs = 1_500) {
    const clock = new FakeClock();
    const peer = new SlowBackend(clock, replyMs);
    const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 250, socketFactory: () => peer as unknown as WebSocket });
    const closes: string[] = [];
    conn.on('close', (r) => closes.push(r));
    conn.connect();
    peer.emit('open');
    peer.frame({ t: 'welcome', version: 2, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 }, load: { sessions: 1, lagMs: 0 } });
    return { clock, peer, conn, closes };
  }

  it('is learned as a slow link (its rhythm and its round trip), not read as one freeze after another', async () => {
    const { clock, conn } = slow();
    await run(clock, 15_000, undefined, 50);
    expect(conn.state).toBe('open');
    // Each reply slower than the deadline was taken for the end of a freeze: nothing was ever learned.
    expect(conn.heartbeat.learning).toBe(false);
    expect(conn.heartbeat.replyMs).toBeGreaterThan(1_000);
    expect(conn.rttMs).toBeGreaterThanOrEqual(1_500);
  });

  it('a link that learned fast replies and then turns slow goes on learning, and keeps its deadline', async () => {
    let reply = 1;
    const clock = new FakeClock();
    const peer = new SlowBackend(clock, 0);
    (peer as unknown as { delay: () => number }).delay = () => reply;
    const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 250, socketFactory: () => peer as unknown as WebSocket });
    conn.connect();
    peer.emit('open');
    peer.frame({ t: 'welcome', version: 2, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 }, load: { sessions: 1, lagMs: 0 } });
    await run(clock, 30_000, undefined, 50);
    const before = conn.heartbeat.deadlineMs;
    reply = 1_500;
    await run(clock, 15_000, undefined, 50);
    expect(conn.state).toBe('open');
    expect(conn.heartbeat.replyMs).toBeGreaterThan(1_000);
    expect(conn.heartbeat.deadlineMs).toBeLessThanOrEqual(before + 50);
  });

  it('once slow, a socket that stops answering altogether is still caught within the pool setting', async () => {
    const { clock, peer, conn, closes } = slow();
    await run(clock, 15_000, undefined, 50);
    peer.answering = false;
    const took = await run(clock, 3_000, () => conn.state === 'closed');
    expect(conn.state).toBe('closed');
    expect(took).toBeLessThanOrEqual(1_000 + 260); // 4 × 250 ms of silence, judged at the next beat
    expect(closes[0]).toMatch(/no sign of life/);
  });
});

// Walkthrough 14: the smoothed round trip of a spell of 1.5 s replies stayed seconds long for a dozen beats after
// the backend was quick again, and a freeze then was caught only at the pool setting: failover 5 times later.
describe('a backend slow for a while, then quick again', () => {
  it('that then freezes is caught within its quick deadline once a quick reply is seen, not at the pool setting', async () => {
    let reply = 1;
    const clock = new FakeClock();
    const peer = new SlowBackend(clock, 0);
    (peer as unknown as { delay: () => number }).delay = () => reply;
    const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 250, socketFactory: () => peer as unknown as WebSocket });
    const closes: string[] = [];
    conn.on('close', (r) => closes.push(r));
    conn.connect();
    peer.emit('open');
    peer.frame({ t: 'welcome', version: 2, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 }, load: { sessions: 1, lagMs: 0 } });
    await run(clock, 30_000, undefined, 10);
    reply = 1_500;
    await run(clock, 15_000, undefined, 10);
    reply = 1;
    await run(clock, 600, undefined, 10);
    expect(conn.heartbeat.replyMs).toBeGreaterThan(1_000); // smoothed, it still reads slow
    peer.answering = false;
    const took = await run(clock, 3_000, () => conn.state === 'closed');
    expect(closes[0]).toMatch(/adaptive deadline/);
    expect(took).toBeLessThan(1_000);
  });
});
