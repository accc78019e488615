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
import { DOOR_RELEASE_MS, DoorRelease } from '../../src/main/core/desk/door-release';
import { doorWords } from '../../src/shared/words';
import { FakeClock } from '../helpers/fake-clock';

const flush = () => new Promise((r) => setImmediate(r));
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * One backend: away (the pools say offline), silent (takes the release and never answers), slow (answers
 * after `slowMs`) or fine. Every send is logged with its time: what the door would have done, and when.
 */
function rig() {
  dir = mkdtempSync(join(tmpdir(), 'door-release-'));
  const db = openConsoleDb(dir);
  const clock = new FakeClock();
  // `lagging`: the pools still say connected while every socket is gone (they notice within seconds).
  const b = { mode: 'fine' as 'away' | 'silent' | 'slow' | 'fine', lagging: false, slowMs: 0, sent: [] as number[] };
  const ch: Channel = {
    id: 's1',
    ready: () => b.mode !== 'away',
    send: (_op, _body, _key, h: SendHandlers) => {
      b.sent.push(clock.mono());
      if (b.mode === 'silent') return void clock.setTimeout(() => h.failed(new RequestTimedOut('action timed out after 10000 ms')), 10_000);
      if (b.mode === 'slow') return void clock.setTimeout(() => h.acked(), b.slowMs);
      queueMicrotask(() => h.acked());
    },
  };
  const source: ChannelSource = { get: () => (b.mode === 'away' ? null : ch), pick: () => (b.mode === 'away' ? null : ch) };
  const outbox = new Outbox({ store: new OutboxStore(db, new AuditLog(db, () => clock.now())), channels: source, clock });
  let changes = 0;
  const door = new DoorRelease({ outbox, clock, online: () => b.lagging || b.mode !== 'away', changed: () => changes++ });
  const run = async (seconds: number): Promise<void> => {
    for (let s = 0; s < seconds; s++) {
      await flush();
      clock.advance(1_000);
      outbox.kick();
    }
    await flush();
  };
  return { clock, b, outbox, door, run, changes: () => changes, done: () => (door.stop(), outbox.close(), db.close()) };
}

describe('the front-door release: now or never', () => {
  it('with the backend answering, is sent once and confirmed', async () => {
    const { b, door, run, done } = rig();
    expect(await door.release('front')).toMatchObject({ sent: true, view: { state: 'waiting' } });
    await run(1);
    expect(door.view()).toMatchObject({ state: 'released', why: null });
    expect(b.sent).toHaveLength(1);
    done();
  });

  it('with no backend answering at the press, says so at once and queues nothing: the door does not open when it comes back', async () => {
    const { b, outbox, door, run, done } = rig();
    b.mode = 'away';
    expect(await door.release('front')).toMatchObject({ sent: false, view: { state: 'not-released', why: 'offline' } });
    expect(doorWords(door.view()!, () => '02:38:39').text).toBe('Door not released (asked at 02:38:39): the gym system is not answering, so it was not sent. Open it by hand.');
    expect(outbox.view().queued).toBe(0);
    b.mode = 'fine';
    await run(60);
    expect(b.sent).toEqual([]);
    done();
  });

  it('not confirmed in time, is given up and said so, and is never sent after that, whatever comes back', async () => {
    const { b, outbox, door, run, done } = rig();
    b.mode = 'silent';
    await door.release('front');
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
    expect(outbox.deadLetters()).toHaveLength(1);
    expect(door.view()).toMatchObject({ state: 'not-released' });
    done();
  });

  it('pressed as the backend went away, before the console noticed: waits, is given up, and is not sent when the backend is back', async () => {
    const { b, door, run, done } = rig();
    b.mode = 'away';
    b.lagging = true;
    expect(await door.release('front')).toMatchObject({ sent: true });
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
    const presses = await Promise.all([door.release('front'), door.release('front'), door.release('front')]);
    expect(presses.map((p) => p.sent)).toEqual([true, false, false]);
    expect(await door.release('front')).toMatchObject({ sent: false, view: { state: 'waiting' } });
    await run(1);
    expect(b.sent).toHaveLength(1);
    expect(outbox.view().queued + outbox.view().inFlight).toBe(1);
    done();
  });

  it('a send in flight at the deadline that lands after it: the desk is told the door did open, late', async () => {
    const { b, door, run, done } = rig();
    b.mode = 'slow';
    b.slowMs = DOOR_RELEASE_MS + 3_000;
    await door.release('front');
    await run(16);
    expect(door.view()).toMatchObject({ state: 'not-released' });
    await run(3);
    expect(door.view()).toMatchObject({ state: 'released' });
    expect(doorWords(door.view()!, (ms) => String(ms - door.view()!.at)).text).toBe('Released late, at 18000 (asked at 0), after this desk said it was not. Check the door.');
    expect(b.sent).toHaveLength(1);
    done();
  });
});
