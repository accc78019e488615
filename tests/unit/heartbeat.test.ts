import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BackendConnection } from '../../src/main/core/pool/connection';
import { PROGRAM_SILENCE_MS, type ProgramLink } from '../../src/main/core/pool/heartbeat';
import { FakeClock } from '../helpers/fake-clock';
import { FakeSocket } from '../helpers/fake-ws';

/** Lets deferred verdicts run, as the event loop does after reading sockets. */
const reads = () => new Promise((r) => setImmediate(r));

/** A live peer after a stall: a pong every beat for `ms`, each read (and any deferred verdict run) in turn. */
async function answerFor(clock: FakeClock, sock: FakeSocket, ms: number, beat = 250): Promise<void> {
  for (let t = 0; t < ms; t += beat) {
    clock.advance(beat);
    sock.pong();
    await reads();
  }
}

function connected(heartbeatMs = 250, program?: ProgramLink) {
  const clock = new FakeClock();
  const sock = new FakeSocket();
  const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs, program, socketFactory: () => sock as unknown as WebSocket });
  const closes: string[] = [];
  conn.on('close', (r) => closes.push(r));
  conn.connect();
  sock.emit('open');
  sock.emit('message', Buffer.from(JSON.stringify({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } })), false);
  return { clock, sock, conn, closes };
}

describe('heartbeat on the monotonic clock', () => {
  it('keeps a socket that keeps talking, and pings it every interval', async () => {
    const { clock, sock, conn } = connected();
    for (let i = 0; i < 20; i++) {
      clock.advance(250);
      sock.pong();
    }
    await reads(); // any verdict deferred behind the reads has run
    expect(conn.state).toBe('open');
    expect(sock.pings).toBeGreaterThanOrEqual(19);
  });

  it('beats at its phase: a socket started at 0.6 pings 0.4 of an interval in, then every interval', async () => {
    const clock = new FakeClock();
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 250, beatPhase: 0.6, socketFactory: () => sock as unknown as WebSocket });
    conn.connect();
    sock.emit('open');
    sock.emit('message', Buffer.from(JSON.stringify({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } })), false);
    const pingsAt: number[] = [];
    for (let t = 0; t < 700; t += 10) {
      const before = sock.pings;
      clock.advance(10);
      if (sock.pings > before) pingsAt.push(clock.mono());
      sock.pong();
    }
    // Its first beat (at 100) rests: the welcome, at 0, answered the hello within the beat.
    expect(pingsAt).toEqual([350, 600]);
  });

  it('rests the first beat after the welcome, and pings from the next: the welcome answered the hello', () => {
    const clock = new FakeClock();
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 250, socketFactory: () => sock as unknown as WebSocket });
    conn.connect();
    clock.advance(50);
    sock.emit('open');
    clock.advance(50);
    sock.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } }); // at 100
    expect(conn.state).toBe('open');
    const pingsAfter = (ms: number): number => {
      const before = sock.pings;
      clock.advance(ms);
      return sock.pings - before;
    };
    expect(pingsAfter(150)).toBe(0); // the beat at 250
    sock.pong();
    expect(pingsAfter(250)).toBe(1); // at 500
    conn.close();
  });

  it('does not ping a socket in its handshake that was heard from within the beat; a silent one it does', () => {
    const clock = new FakeClock();
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 250, welcomeTimeoutMs: 10_000, socketFactory: () => sock as unknown as WebSocket });
    conn.connect();
    clock.advance(200);
    sock.emit('open'); // upgraded at 200; no welcome yet
    clock.advance(100); // the beat at 250
    expect(sock.pings).toBe(0);
    clock.advance(250); // the beat at 500: silent for 300 ms
    expect(sock.pings).toBe(1);
    expect(conn.state).toBe('connecting');
    conn.close();
  });

  it('declares a silent peer dead after more than two beats and within 4 intervals', async () => {
    const { clock, conn, closes } = connected(250);
    clock.advance(2 * 250 + 100);
    await reads();
    expect(conn.state).toBe('open');
    clock.advance(1_000 - 600);
    await reads();
    expect(conn.state).toBe('closed');
    expect(closes[0]).toMatch(/no sign of life/);
  });

  it('a socket still connecting is not condemned for our own stall (a busy start-up), nor by a probe', async () => {
    const clock = new FakeClock();
    const sock = new FakeSocket();
    const conn = new BackendConnection('ws://x:1', { token: 't', clock, heartbeatMs: 250, socketFactory: () => sock as unknown as WebSocket });
    const closes: string[] = [];
    conn.on('close', (r) => closes.push(r));
    conn.connect();
    clock.jump(5_000); // start-up work held the loop for 5 s before the socket could even open
    clock.advance(0);
    conn.probe(); // and a wake or network-change probe arrives meanwhile
    clock.advance(900);
    await reads(); // a deferred verdict would land here
    expect(closes).toEqual([]);
    sock.emit('open');
    sock.emit('message', Buffer.from(JSON.stringify({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } })), false);
    expect(conn.state).toBe('open');
    // Once open, a silent peer is still condemned as before (once the frames waiting are read).
    clock.advance(1_500);
    await reads();
    expect(conn.state).toBe('closed');
    expect(closes[0]).toMatch(/no sign of life/);
  });

  it('after a sleep, probes instead of condemning a socket for silence it could not hear', async () => {
    const { clock, sock, conn } = connected(250);
    const pingsBefore = sock.pings;
    clock.jump(60_000); // the laptop lid was shut for a minute
    clock.advance(0); // the overdue beat fires late
    expect(conn.state).toBe('open');
    expect(sock.pings).toBe(pingsBefore + 1); // probed at once
    sock.pong(); // the peer is still there
    for (let i = 0; i < 8; i++) {
      clock.advance(250);
      sock.pong();
    }
    await reads(); // any verdict deferred behind the reads has run
    expect(conn.state).toBe('open');
  });

  it('a stall of our own event loop (1.1 s) is not blamed on a peer whose frames are waiting unread', async () => {
    const { clock, sock, conn, closes } = connected(250);
    clock.advance(250);
    sock.pong();
    clock.advance(250);
    sock.pong(); // last heard at 500
    clock.jump(1_100); // the main process was busy: no timer, no socket read
    clock.advance(0); // the beat runs first, late; the peer's frames are read just after
    sock.pong();
    await answerFor(clock, sock, 1_000); // and it goes on answering, as a live peer does
    expect(conn.state).toBe('open');
    expect(closes).toEqual([]);
  });

  it('a second stall while probing is not blamed on the peer either', async () => {
    const { clock, sock, conn } = connected(250);
    clock.jump(1_100);
    clock.advance(0); // late beat: probe
    clock.jump(1_400); // busy again, past the probe's deadline
    clock.advance(0); // the probe's timer runs late, before the socket is read
    sock.pong();
    await answerFor(clock, sock, 1_000);
    expect(conn.state).toBe('open');
  });

  it('under a loop that runs every beat late, a silent peer is still closed within 3 s', async () => {
    const { clock, conn } = connected(250);
    let elapsed = 0;
    while (conn.state === 'open' && elapsed < 10_000) {
      clock.jump(300); // every timer fires 300 ms late
      clock.advance(0);
      await reads();
      elapsed += 300;
    }
    expect(conn.state).toBe('closed');
    expect(elapsed).toBeLessThanOrEqual(3_000);
  });

  it('after a sleep, closes a peer that does not answer the probe within a second', async () => {
    const { clock, conn, closes } = connected(250);
    clock.jump(60_000);
    clock.advance(0);
    await reads();
    expect(conn.state).toBe('open');
    clock.advance(1_000);
    await reads();
    expect(conn.state).toBe('closed');
    expect(closes[0]).toMatch(/probe|heartbeat/);
  });

  it('a pong already waiting when the deadline fires is read before the verdict: the peer lives', async () => {
    const { clock, sock, conn, closes } = connected(250);
    clock.advance(1_250); // past 4 intervals of silence: the beat's verdict is due
    sock.pong(); // the loop reads the socket (poll) before deferred work (check)
    await reads();
    expect(conn.state).toBe('open');
    expect(closes).toEqual([]);
    // …and a peer that stays silent after that is still closed.
    clock.advance(1_250);
    await reads();
    expect(conn.state).toBe('closed');
  });

  it('a loop that runs every beat late keeps one probe going, not one more per beat', async () => {
    const { clock, conn } = connected(250);
    for (let i = 0; i < 40; i++) {
      clock.jump(1_300); // every timer fires more than a beat late, probes' too: nothing can be judged
      clock.advance(0);
      await reads();
    }
    expect(conn.state).toBe('open');
    expect(clock.pending).toBeLessThanOrEqual(4); // the beat, one probe, the welcome deadline's leftovers
  });

  it('any inbound frame counts as life, even with no pong', async () => {
    const { clock, sock, conn } = connected(250);
    for (let i = 0; i < 20; i++) {
      clock.advance(200);
      sock.emit('message', Buffer.from(JSON.stringify({ t: 'ack', id: 'x' })), false);
    }
    await reads(); // any verdict deferred behind the reads has run
    expect(conn.state).toBe('open');
  });
});

describe('a busy socket rests its heartbeat', () => {
  /** `n` beats of 250 ms; when `busy`, a request answered (ack and reply) every 50 ms. */
  async function beats(n: number, busy: boolean, streaming = false) {
    const { clock, sock, conn, closes } = connected();
    if (streaming) conn.subscribe(0);
    const before = sock.pings;
    for (let i = 0; i < n * 5; i++) {
      if (busy) {
        const id = `r${i}`;
        void conn.request('action', { kind: 'sync', data: id }, { id });
        sock.frame({ t: 'ack', id });
        sock.frame({ t: 'reply', id, ok: true, body: { applied: true } });
      }
      clock.advance(50);
      if (i % 5 === 4 && !busy) sock.pong();
      await reads();
    }
    return { pings: sock.pings - before, conn, closes, clock, sock };
  }

  it('sends no ping while its requests are answered within every beat, and pings again once quiet', async () => {
    const busy = await beats(20, true);
    expect(busy.pings).toBe(0);
    expect(busy.conn.state).toBe('open');
    // Traffic stops: the next beat pings, and silence after it is still judged as before.
    busy.clock.advance(300);
    expect(busy.sock.pings).toBeGreaterThan(0);
    busy.clock.advance(1_500);
    await reads();
    busy.clock.advance(500);
    await reads();
    expect(busy.closes.join()).toMatch(/no sign of life/);
  });

  it('pings every beat when quiet, and when it carries the event stream however busy', async () => {
    expect((await beats(20, false)).pings).toBeGreaterThanOrEqual(19);
    expect((await beats(20, true, true)).pings).toBeGreaterThanOrEqual(19);
  });
});

describe('what a beat writes', () => {
  it('writes its ws ping and its protocol ping together: one write to the OS per beat, not two', async () => {
    const { clock, sock } = connected();
    const log: string[] = [];
    const tcp = { corked: 0, cork: () => (tcp.corked++, log.push('cork')), uncork: () => (tcp.corked--, log.push('uncork')) };
    Object.assign(sock, { _socket: tcp });
    const ping = sock.ping.bind(sock);
    sock.ping = () => (log.push(tcp.corked ? 'ws ping (corked)' : 'ws ping (written alone)'), ping());
    const send = sock.send.bind(sock);
    sock.send = (s: string) => (log.push(tcp.corked ? 'frame (corked)' : 'frame (written alone)'), send(s));
    clock.advance(250);
    await reads();
    expect(log).toEqual(['cork', 'ws ping (corked)', 'frame (corked)', 'uncork']);
  });
});

describe('timers a beat leaves', () => {
  it('an answered ping cancels its silence check: no timer waits to find the peer alive', async () => {
    const { clock, sock } = connected();
    clock.advance(250); // a beat: a ping, the next beat and a silence check are set
    const waiting = clock.pending;
    sock.pong();
    expect(clock.pending).toBe(waiting - 1);
  });
});

// probe-hostile18 F3: a Go or Java backend deadlocked in its handler still answers WebSocket pings from its I/O thread.
describe('a backend program that answers nothing while its WebSocket answers pings', () => {
  /** The protocol pings sent so far, by ts. */
  const protocolPings = (sock: FakeSocket): number[] => sock.sent.map((f) => JSON.parse(f) as { t: string; ts?: number }).filter((f) => f.t === 'ping').map((f) => f.ts!);

  it('is closed once its program has been silent past its deadline, in words for IT, and not before', async () => {
    const { clock, sock, conn, closes } = connected(250);
    // Its WebSocket layer answers every ping at once; its program, nothing.
    for (let t = 0; t < PROGRAM_SILENCE_MS - 500; t += 250) {
      clock.advance(250);
      sock.pong();
      await reads();
    }
    expect(conn.state).toBe('open'); // slow is not stopped: it gets the whole deadline
    await answerFor(clock, sock, 1_000);
    expect(conn.state).toBe('closed');
    expect(closes[0]).toMatch(/its application sent nothing for \d+ ms while its WebSocket answered pings/);
    expect(conn.failure).toMatchObject({ kind: 'app-silent', text: "The backend takes the console's connection, but the backend program itself answered nothing for more than 10 seconds: it may be stuck." });
  });

  it('a slow program (every answer 4 s late, its WebSocket prompt) is kept: slow is not stuck', async () => {
    const { clock, sock, conn, closes } = connected(250);
    const answered = new Set<number>();
    for (let t = 0; t < 60_000; t += 250) {
      clock.advance(250);
      sock.pong();
      for (const ts of protocolPings(sock)) {
        if (answered.has(ts) || clock.mono() - ts < 4_000) continue;
        answered.add(ts);
        sock.frame({ t: 'pong', ts, head: 0 });
      }
      await reads();
    }
    expect(answered.size).toBeGreaterThan(10);
    expect(conn.state).toBe('open');
    expect(closes).toEqual([]);
  });

  /** The program as a pool knows it from every socket to its address (pool.ts keeps it in programs.ts). */
  const program = (named = true) => {
    const known = { heardAt: -Infinity, provenAt: -Infinity, pingsAnswered: false, pingsIgnored: false };
    const link: ProgramLink = {
      named: () => named,
      heardAt: () => known.heardAt,
      proved: (sentAt) => (known.provenAt = Math.max(known.provenAt, sentAt)),
      provenAt: () => known.provenAt,
      stuck: () => false,
      answered: (at) => (known.heardAt = at),
      pingAnswered: () => (known.pingsAnswered = true),
      pingsOwedWhileTalking: () => (known.pingsIgnored = true),
      ignoresPings: () => known.pingsIgnored && !known.pingsAnswered,
    };
    return { known, link };
  };

  // review19 M4: an old build, or a proxy that filters protocol pings, on a quiet gym (nothing else flows at night).
  it('a program seen talking while its pings went unanswered is not judged by them once quiet', async () => {
    const { known, link } = program();
    const { clock, sock, conn, closes } = connected(250, link);
    // A busy spell: an ack a second, its pings never answered, past the program's deadline.
    for (let t = 0; t < PROGRAM_SILENCE_MS + 2_000; t += 1_000) {
      sock.frame({ t: 'ack', id: 'x' });
      await answerFor(clock, sock, 1_000);
    }
    expect(known).toMatchObject({ pingsIgnored: true, pingsAnswered: false });
    await answerFor(clock, sock, 60_000); // then a quiet night
    expect(conn.state).toBe('open');
    expect(closes).toEqual([]);
  });

  // probe-hostile20 H1: spared its pings, a program that then froze was never found; check-ins waited on it for good.
  it('one spared its pings is judged by the requests it owes: a check-in unanswered past the deadline', async () => {
    const { known, link } = program();
    const { clock, sock, conn } = connected(250, link);
    for (let t = 0; t < PROGRAM_SILENCE_MS + 2_000; t += 1_000) {
      sock.frame({ t: 'ack', id: 'x' });
      await answerFor(clock, sock, 1_000);
    }
    expect(known.pingsIgnored).toBe(true);
    await answerFor(clock, sock, 30_000); // quiet: not judged
    expect(conn.state).toBe('open');
    // Then it freezes: a check-in goes out and nothing comes back.
    conn.requestJson('checkin', 'k1', '{"cardId":"1"}', 5_000, { onAck() {}, resolve() {}, reject() {} });
    await answerFor(clock, sock, PROGRAM_SILENCE_MS - 1_000);
    expect(conn.state).toBe('open');
    await answerFor(clock, sock, 2_000);
    expect(conn.failure).toMatchObject({ kind: 'app-silent' });
  });

  // event-burst under load: a backend streaming a replay on one socket answered the other's pings 0.7–0.9 s late, and
  // that socket was closed as "cannot reach the backend's address" again and again, its check-ins decided on this PC.
  it('a silent socket whose instance is heard on another waits longer before it is given up on, but not for ever', async () => {
    const busy = async (elsewhereFor: number, named = true) => {
      const { known, link } = program(named);
      const c = connected(250, link);
      await answerFor(c.clock, c.sock, 2_000); // learns a quick link
      const silentFrom = c.clock.mono();
      for (let t = 0; t < 6_000 && c.conn.state === 'open'; t += 50) {
        c.clock.advance(50); // this socket hears nothing; the instance streams on another until `elsewhereFor`
        if (t < elsewhereFor) known.heardAt = c.clock.mono();
        await reads();
      }
      return { ...c, silentMs: c.clock.mono() - silentFrom };
    };
    const alive = await busy(Infinity);
    expect(alive.closes).toEqual([expect.stringMatching(/no sign of life/)]);
    expect(alive.silentMs).toBeGreaterThan(3_900); // 4 times the pool's 1 s setting, not the learned 0.7 s
    expect(alive.silentMs).toBeLessThanOrEqual(4_300);
    // Once the instance is heard nowhere, the usual deadline holds from then.
    const gone = await busy(1_500);
    expect(gone.closes).toEqual([expect.stringMatching(/no sign of life/)]);
    expect(gone.silentMs).toBeLessThanOrEqual(1_500 + 1_000 + 250 + 50); // the setting after it was last heard, and a beat
    // Heard nowhere at all: the usual deadline.
    const dead = await busy(0);
    expect(dead.silentMs).toBeLessThanOrEqual(1_050);
    // review21 K1: an unnamed program is every backend behind its address (a balancer's): one answering says nothing of
    // a frozen other, whose socket keeps the usual (learned) deadline.
    const unnamed = await busy(Infinity, false);
    expect(unnamed.silentMs).toBeLessThanOrEqual(1_050);
  });

  // prof28 P5: after the console's own stall, every socket probed at once; a backend that took more than a second to
  // answer a thousand of them had all its sockets closed as unreachable, and their requests failed over in a storm.
  it.each([250, 1_000])("after the console's stall, a socket whose instance answers on another socket since is given time, not closed (beat %i ms)", async (beat) => {
    const stalled = async (proven: 'since' | 'before' | 'never', named = true) => {
      const { known, link } = program(named);
      const c = connected(beat, link);
      await answerFor(c.clock, c.sock, 3_000, beat); // learns a quick link
      c.clock.jump(3_000); // the console was busy for 3 s: no timer, no read
      c.clock.advance(0); // late beats: probes
      const stallEnd = c.clock.mono();
      if (proven === 'before') known.provenAt = known.heardAt = stallEnd - 10;
      // The backend works through a thousand probes: others are answered at once, this one after 2.5 s.
      for (let t = 0; t < 2_500; t += 100) {
        c.clock.advance(100);
        if (proven === 'since') known.provenAt = known.heardAt = c.clock.mono() - 50;
        await reads();
      }
      const open = c.conn.state === 'open';
      c.sock.pong();
      c.sock.frame({ t: 'pong', ts: Math.max(...c.sock.sent.map((f) => JSON.parse(f) as { t: string; ts?: number }).filter((f) => f.t === 'ping').map((f) => f.ts!)), head: 0 });
      await answerFor(c.clock, c.sock, 3_000, beat);
      return { open, closes: c.closes, state: c.conn.state };
    };
    expect(await stalled('since')).toEqual({ open: true, closes: [], state: 'open' });
    // Proof from before the stall says nothing of now; an unnamed program (a balancer's) is every backend behind it.
    expect((await stalled('before')).open).toBe(false);
    expect((await stalled('never')).open).toBe(false);
    expect((await stalled('since', false)).open).toBe(false);
  });

  // review29 V6: after a wake or a network change, another socket's answer says nothing of this one's own path.
  it('a wake or network-change probe is not spared by another socket: a silent one is closed within its second', async () => {
    const { known, link } = program();
    const c = connected(250, link);
    await answerFor(c.clock, c.sock, 2_000);
    c.conn.probe();
    for (let t = 0; t < 1_200; t += 100) {
      c.clock.advance(100);
      known.provenAt = known.heardAt = c.clock.mono() - 10;
      await reads();
    }
    expect(c.conn.state).toBe('closed');
    expect(c.closes[0]).toMatch(/probe/);
  });

  // review29 V5: docs/protocol.md says a reply within a second of a wake keeps a socket; at the 250 ms default the next
  // beat counted the sleep as the socket's own silence and closed it.
  it('after a sleep, a reply within the probe\'s second keeps the socket, however short the beat', async () => {
    const { clock, sock, conn, closes } = connected(250);
    await answerFor(clock, sock, 1_000);
    clock.jump(60_000);
    clock.advance(0); // the late beat probes
    const probeTs = Math.max(...sock.sent.map((f) => JSON.parse(f) as { t: string; ts?: number }).filter((f) => f.t === 'ping').map((f) => f.ts!));
    for (let t = 0; t < 800; t += 100) {
      clock.advance(100);
      await reads();
    }
    expect(conn.state).toBe('open');
    sock.frame({ t: 'pong', ts: probeTs, head: 0 }); // 800 ms after the wake
    await answerFor(clock, sock, 2_000);
    expect(conn.state).toBe('open');
    expect(closes).toEqual([]);
  });

  // review20b M2: a copy of a hedged check-in, answered on another socket, stayed owed here; a backend that answers only
  // the first copy of an id (and never pings) was then judged stuck on a quiet gym.
  it('one spared its pings is not judged by a copy answered on another socket; a check-in it let time out still counts', async () => {
    const spared = async () => {
      const { known, link } = program();
      const c = connected(250, link);
      for (let t = 0; t < PROGRAM_SILENCE_MS + 2_000; t += 1_000) {
        c.sock.frame({ t: 'ack', id: 'x' });
        await answerFor(c.clock, c.sock, 1_000);
      }
      expect(known.pingsIgnored).toBe(true);
      return c;
    };
    const none = { onAck() {}, resolve() {}, reject() {} };
    const a = await spared();
    a.conn.requestJson('checkin', 'k1', '{"cardId":"1"}', 5_000, none);
    await answerFor(a.clock, a.sock, 200);
    a.conn.settledElsewhere('k1'); // its first copy was answered on another socket
    await answerFor(a.clock, a.sock, 3 * PROGRAM_SILENCE_MS);
    expect(a.conn.state).toBe('open');

    const b = await spared();
    b.conn.requestJson('checkin', 'k1', '{"cardId":"1"}', 5_000, none); // never answered: times out here
    await answerFor(b.clock, b.sock, 6_000);
    b.conn.requestJson('checkin', 'k2', '{"cardId":"2"}', 5_000, none);
    b.conn.settledElsewhere('k2');
    await answerFor(b.clock, b.sock, PROGRAM_SILENCE_MS);
    expect(b.conn.failure).toMatchObject({ kind: 'app-silent' });
  });

  // review20b L4: a pong so late its ping was no longer remembered was not counted as answering pings at all.
  it('a pong to a ping no longer remembered still says the program answers pings', async () => {
    const { known, link } = program();
    const { clock, sock } = connected(250, link);
    await answerFor(clock, sock, 500);
    const first = protocolPings(sock)[0]!;
    await answerFor(clock, sock, 6_000); // 24 more pings: the first is forgotten
    sock.frame({ t: 'pong', ts: first, head: 0 });
    await reads();
    expect(known.pingsAnswered).toBe(true);
  });

  // review20 M2: sparing any program heard from once let one that answered a snapshot and then deadlocked escape.
  it('one that answered once and then nothing, never a ping, is judged; so is one never heard after its welcome, or one that answered a ping', async () => {
    const once = program();
    const a = connected(250, once.link);
    a.sock.frame({ t: 'ack', id: 'x' });
    await reads();
    await answerFor(a.clock, a.sock, PROGRAM_SILENCE_MS + 1_000);
    expect(once.known.pingsIgnored).toBe(false);
    expect(a.conn.failure).toMatchObject({ kind: 'app-silent' });

    const b = connected(250, program().link);
    await answerFor(b.clock, b.sock, PROGRAM_SILENCE_MS + 1_000);
    expect(b.conn.failure).toMatchObject({ kind: 'app-silent' });

    const pinged = program();
    const c = connected(250, pinged.link);
    await answerFor(c.clock, c.sock, 500);
    c.sock.frame({ t: 'pong', ts: protocolPings(c.sock).at(-1)!, head: 0 });
    await reads();
    expect(pinged.known.pingsAnswered).toBe(true);
    await answerFor(c.clock, c.sock, PROGRAM_SILENCE_MS + 1_000);
    expect(c.conn.failure).toMatchObject({ kind: 'app-silent' });
  });

  it('a program that answers again before its deadline starts its silence over', async () => {
    const { clock, sock, conn } = connected(250);
    for (let round = 0; round < 3; round++) {
      await answerFor(clock, sock, PROGRAM_SILENCE_MS - 1_000);
      const ts = protocolPings(sock).at(-1)!;
      sock.frame({ t: 'pong', ts, head: 0 });
      await reads();
    }
    expect(conn.state).toBe('open');
  });
});
