import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/main/core/delivery/outbox';
import { OutboxStore } from '../../src/main/core/delivery/outbox-store';
import type { Channel, ChannelSource, SendHandlers } from '../../src/main/core/delivery/channel';
import { AuditLog } from '../../src/main/core/store/audit-log';
import { openConsoleDb } from '../../src/main/core/store/open-console-db';
import { RequestTimedOut } from '../../src/main/core/pool/connection';
import { DOOR_NEWS_MS, DOOR_RELEASE_MS, DoorRelease, doorAuditAction, type DoorOutcome } from '../../src/main/core/desk/door-release';
import { doorWords } from '../../src/shared/words';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * One backend: away (the pools say offline), silent (takes the release and never answers), slow (answers
 * after `slowMs`) or fine. Every send is logged with its time: what the door would have done, and when.
 */
function rig(opts: { newsMs?: number } = {}) {
  dir = mkdtempSync(join(tmpdir(), 'door-release-'));
  const clock = new FakeClock();
  // `lagging`: the pools still say connected while every socket is gone (they notice within seconds).
  const b = { mode: 'fine' as 'away' | 'silent' | 'slow' | 'fine', lagging: false, slowMs: 0, sent: [] as number[] };
  return { b, ...startConsole(b, clock, opts) };
}

/** One run of the console on the data dir and backend `b`, on `clock`. */
function startConsole(b: { mode: 'away' | 'silent' | 'slow' | 'fine'; lagging: boolean; slowMs: number; sent: number[] }, clock: FakeClock, opts: { newsMs?: number } = {}) {
  const db = openConsoleDb(dir);
  // Set when this run ends: a stopped or crashed process sends nothing more (its timers die with it).
  let gone = false;
  const ch: Channel = {
    id: 's1',
    ready: () => !gone && b.mode !== 'away',
    send: (_op, _body, _key, h: SendHandlers) => {
      b.sent.push(clock.mono());
      if (b.mode === 'silent') return void clock.setTimeout(() => h.failed(new RequestTimedOut('action timed out after 10000 ms')), 10_000);
      if (b.mode === 'slow') return void clock.setTimeout(() => h.acked(), b.slowMs);
      queueMicrotask(() => h.acked());
    },
  };
  const source: ChannelSource = { get: () => (gone || b.mode === 'away' ? null : ch), pick: () => (gone || b.mode === 'away' ? null : ch) };
  const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: source, clock });
  let changes = 0;
  const door = new DoorRelease({ outbox, clock, online: () => b.lagging || b.mode !== 'away', changed: () => changes++, newsMs: opts.newsMs });
  // What the audit log is told: each outcome, by the action it is recorded as.
  const outcomes: (DoorOutcome & { action: string | null })[] = [];
  door.onOutcome((o) => outcomes.push({ ...o, action: doorAuditAction(o.view) }));
  const run = async (seconds: number): Promise<void> => {
    for (let s = 0; s < seconds; s++) {
      await flush();
      clock.advance(1_000);
      outbox.kick();
    }
    await flush();
  };
  return { clock, outbox, door, run, outcomes, changes: () => changes, done: () => (door.stop(), outbox.close(), db.close(), (gone = true)), crash: () => (db.close(), (gone = true)) };
}

/** A rig whose console can be started again on the same data: after a stop, or after a crash (nothing stopped). */
function restartRig() {
  const r = rig();
  // A fresh clock for the next process: the crashed one's timers die with it.
  return { ...r, again: () => startConsole(r.b, new FakeClock()) };
}

describe('the front-door release: now or never', () => {
  it('with the backend answering, is sent once and confirmed', async () => {
    const { b, door, run, done } = rig();
    expect(await door.release('front', 'front desk')).toMatchObject({ sent: true, view: { state: 'waiting' } });
    await run(1);
    expect(door.view()).toMatchObject({ state: 'released', why: null });
    expect(b.sent).toHaveLength(1);
    done();
  });

  it('with no backend answering at the press, says so at once and queues nothing: the door does not open when it comes back', async () => {
    const { b, outbox, door, run, done } = rig();
    b.mode = 'away';
    expect(await door.release('front', 'front desk')).toMatchObject({ sent: false, view: { state: 'not-released', why: 'offline' } });
    expect(doorWords(door.view()!, () => '02:38:39').text).toBe('Door not released (asked at 02:38:39): the gym system was not answering when it was pressed, so it was not sent. Open it by hand.');
    expect(outbox.view().queued).toBe(0);
    b.mode = 'fine';
    await run(60);
    expect(b.sent).toEqual([]);
    done();
  });

  it('not confirmed in time, is given up and said so, and is never sent after that, whatever comes back', async () => {
    const { b, outbox, door, run, done } = rig();
    b.mode = 'silent';
    await door.release('front', 'front desk');
    await run(DOOR_RELEASE_MS / 1_000 - 1);
    expect(door.view()).toMatchObject({ state: 'waiting' });
    await run(2);
    expect(door.view()).toMatchObject({ state: 'not-released', why: 'no-answer' });
    expect(doorWords(door.view()!, () => 'T').text).toBe('Door not released (asked at T): the gym system did not confirm it within 15 s; it will not open later. Open it by hand.');
    await run(30);
    b.mode = 'fine';
    await run(60);
    for (const at of b.sent) expect(at).toBeLessThan(DOOR_RELEASE_MS);
    expect(outbox.view().queued + outbox.view().inFlight).toBe(0);
    expect(door.view()).toMatchObject({ state: 'not-released' });
    done();
  });

  it('given up, is an outcome told (the door card, the audit log once), not a dead letter keeping "Outgoing messages" red', async () => {
    const { b, outbox, door, run, outcomes, done } = rig();
    b.mode = 'silent';
    await door.release('front', 'front desk');
    await run(60);
    expect(door.view()).toMatchObject({ state: 'not-released', why: 'no-answer' });
    expect(outbox.deadLetters()).toEqual([]);
    expect(outbox.view()).toMatchObject({ dead: 0, queued: 0, inFlight: 0 });
    expect(outcomes.map((o) => [o.action, o.by])).toEqual([['door.expired', 'front desk']]);
    done();
  });

  it('pressed as the backend went away, before the console noticed: waits, is given up, and is not sent when the backend is back', async () => {
    const { b, door, run, done } = rig();
    b.mode = 'away';
    b.lagging = true;
    expect(await door.release('front', 'front desk')).toMatchObject({ sent: true });
    await run(20);
    expect(door.view()).toMatchObject({ state: 'not-released', why: 'no-answer' });
    b.mode = 'fine';
    await run(10);
    expect(b.sent).toEqual([]);
    done();
  });

  it('presses while one waits send nothing more', async () => {
    const { b, outbox, door, run, done } = rig();
    b.mode = 'silent';
    const presses = await Promise.all([door.release('front', 'front desk'), door.release('front', 'front desk'), door.release('front', 'front desk')]);
    expect(presses.map((p) => p.sent)).toEqual([true, false, false]);
    expect(await door.release('front', 'front desk')).toMatchObject({ sent: false, view: { state: 'waiting' } });
    await run(1);
    expect(b.sent).toHaveLength(1);
    expect(outbox.view().queued + outbox.view().inFlight).toBe(1);
    done();
  });

  it('a send in flight at the deadline that lands after it: the desk is told the door did open, late', async () => {
    const { b, door, run, done } = rig();
    b.mode = 'slow';
    b.slowMs = DOOR_RELEASE_MS + 3_000;
    await door.release('front', 'front desk');
    await run(16);
    expect(door.view()).toMatchObject({ state: 'not-released' });
    await run(3);
    expect(door.view()).toMatchObject({ state: 'released' });
    expect(doorWords(door.view()!, (ms) => String(ms - door.view()!.at)).text).toBe('Released late, at 18000 (asked at 0), after this desk said it was not. Check the door.');
    expect(b.sent).toHaveLength(1);
    done();
  });
});

describe('what the audit log is told of each press: its outcome, never "released" before the gym system said so', () => {
  it('refused at once, confirmed, given up, and confirmed late each get their own action, once, with who pressed', async () => {
    const { b, door, run, outcomes, done } = rig();
    b.mode = 'away';
    await door.release('front', 'front desk');
    b.mode = 'fine';
    await door.release('front', 'manager');
    expect(outcomes.map((o) => o.action)).toEqual(['door.refused']); // the second waits: nothing known yet
    await run(1);
    b.mode = 'silent';
    await door.release('front', 'front desk');
    await run(20);
    b.mode = 'slow';
    b.slowMs = DOOR_RELEASE_MS + 3_000;
    await door.release('front', 'front desk');
    await run(20);
    expect(outcomes.map((o) => [o.action, o.by, o.door])).toEqual([
      ['door.refused', 'front desk', 'front'],
      ['door.release', 'manager', 'front'],
      ['door.expired', 'front desk', 'front'],
      ['door.expired', 'front desk', 'front'],
      ['door.releasedLate', 'front desk', 'front'],
    ]);
    done();
  });

  it('a press still waiting when the console stops is recorded as given up (a restart never sends it)', async () => {
    const { b, door, outcomes, done } = rig();
    b.mode = 'silent';
    await door.release('front', 'front desk');
    done();
    expect(outcomes.map((o) => o.action)).toEqual(['door.expired']);
  });

  it('after a restart, one given up at the stop is neither sent, nor a dead letter, nor recorded twice', async () => {
    const { b, door, outcomes, done, again } = restartRig();
    b.mode = 'silent';
    await door.release('front', 'front desk');
    done();
    const next = again();
    b.mode = 'fine';
    await next.run(5);
    expect(b.sent.length).toBeLessThanOrEqual(1); // the one send before the stop
    expect(next.outbox.deadLetters()).toEqual([]);
    expect([...outcomes, ...next.outcomes].map((o) => o.action)).toEqual(['door.expired']);
    next.done();
  });

  it('after a crash, one still waiting lapses at the next start: recorded once, by the system (who pressed is not kept), no dead letter', async () => {
    const { b, door, crash, again } = restartRig();
    b.mode = 'away';
    b.lagging = true;
    await door.release('side', 'front desk');
    crash();
    const next = again();
    b.mode = 'fine';
    await next.run(5);
    expect(b.sent).toEqual([]);
    expect(next.outbox.deadLetters()).toEqual([]);
    expect(next.outcomes.map((o) => [o.action, o.by, o.door])).toEqual([['door.expired', 'System', 'side']]);
    next.done();
  });

  it('after a crash, the Door card says a release pressed before it was never confirmed: the desk saw "waiting", then the console went', async () => {
    const { b, clock, door, crash, again } = restartRig();
    b.mode = 'away';
    b.lagging = true;
    const pressedAt = clock.now();
    await door.release('front', 'front desk');
    crash();
    const next = again();
    expect(next.door.view()).toBeNull();
    b.mode = 'fine';
    await next.run(5);
    // Maybe sent before the crash, maybe not: it was never confirmed, and it is never sent again. Check the door.
    expect(next.door.view()).toMatchObject({ state: 'not-released', why: 'stopped', at: pressedAt, earlier: false });
    expect(doorWords(next.door.view()!, () => 'T').text).toBe(
      'Door release not confirmed (asked at T): the console stopped before the gym system answered, so the door may or may not have opened; it is not sent again. Check the door.',
    );
    expect(doorWords(next.door.view()!, () => 'T').tone).toBe('bad');
    next.done();
  });

  it('a release from long before the crash is shown as history at once: the PC was off overnight, nobody waits at the door', async () => {
    const { b, clock, door, crash } = restartRig();
    b.mode = 'away';
    b.lagging = true;
    await door.release('front', 'front desk');
    crash();
    const nextClock = new FakeClock();
    nextClock.stepWall(clock.now() - nextClock.now() + 8 * 60 * 60_000);
    const next = startConsole(b, nextClock);
    b.mode = 'fine';
    await next.run(5);
    expect(next.door.view()).toMatchObject({ state: 'not-released', why: 'stopped', earlier: true });
    expect(doorWords(next.door.view()!, () => 'T')).toEqual({ text: 'Earlier: at T a door release was not confirmed (the console stopped before the gym system answered).', tone: 'past' });
    next.done();
  });
});

describe('an outcome ages: after a couple of minutes it is shown as history, not as the door now', () => {
  it('a refusal during an outage stops reading as a current alarm after DOOR_NEWS_MS of console time, whatever the wall clock does', async () => {
    const { clock, b, door, run, done } = rig();
    b.mode = 'away';
    await door.release('front', 'front desk');
    clock.stepWall(-60 * 60_000); // the PC's clock set back an hour: the age is kept on timers, not wall times
    await run(DOOR_NEWS_MS / 1_000 - 1);
    expect(door.view()).toMatchObject({ state: 'not-released', earlier: false });
    expect(doorWords(door.view()!, () => '06:08:24 AM').tone).toBe('bad');
    await run(2);
    expect(door.view()).toMatchObject({ state: 'not-released', why: 'offline', earlier: true });
    expect(doorWords(door.view()!, () => '06:08:24 AM')).toEqual({ text: 'Earlier: at 06:08:24 AM the door could not be released (the gym system was not answering).', tone: 'past' });
    done();
  });

  it('a confirmed release ages too, and a new press is news again', async () => {
    const { door, run, done } = rig();
    await door.release('front', 'front desk');
    await run(1);
    expect(doorWords(door.view()!, () => 'T').tone).toBe('ok');
    await run(DOOR_NEWS_MS / 1_000 + 1);
    expect(doorWords(door.view()!, () => 'T')).toEqual({ text: 'Earlier: at T the door was released.', tone: 'past' });
    await door.release('front', 'front desk');
    await run(1);
    expect(door.view()).toMatchObject({ state: 'released', earlier: false });
    done();
  });

  it('a release confirmed late, after its refusal had aged, is news again', async () => {
    const { b, door, run, done } = rig({ newsMs: 5_000 });
    b.mode = 'slow';
    b.slowMs = DOOR_RELEASE_MS + 8_000;
    await door.release('front', 'front desk');
    await run(DOOR_RELEASE_MS / 1_000 + 7);
    expect(door.view()).toMatchObject({ state: 'not-released', earlier: true });
    await run(2);
    expect(door.view()).toMatchObject({ state: 'released', earlier: false });
    expect(doorWords(door.view()!, () => 'T').text).toMatch(/^Released late, at T/);
    done();
  });
});
