import { describe, expect, it } from 'vitest';
import { AddressStories } from '../../src/main/core/pool/address-story';
import type { PoolActivity } from '../../src/main/core/pool/activity';
import { ACTIVITY_KINDS, type ActivityNote } from '../../src/shared/activity';
import { fakeSocketPool } from '../helpers/fake-pool';
import { FakeSocket } from '../helpers/fake-ws';

const URLS = ['ws://a:1', 'ws://b:1', 'ws://c:1'];

/** Three addresses, two sockets each, over fake sockets: the backend is up or down as the test says. */
function gym() {
  let made: FakeSocket[] = [];
  const open: FakeSocket[] = [];
  const { clock, mgr } = fakeSocketPool({ endpoints: URLS, maxConnections: 6, reconnectAttempts: 5 }, (s) => made.push(s), 0.5);
  const raw: PoolActivity[] = [];
  const told: ActivityNote[] = [];
  mgr.on('activity', (a) => raw.push(a));
  const stories = new AddressStories(mgr, clock, (n) => told.push(n));
  mgr.on('activity', (a) => stories.see(a));
  /** Answers every socket made since the last call, as a backend up or down would. */
  const answer = (up: boolean): void => {
    for (const s of made.splice(0)) {
      if (!up) {
        s.emit('error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
        continue;
      }
      s.emit('open');
      s.frame({ t: 'welcome', version: 1, instance: 'i', heartbeatMs: 60_000, limits: { maxFrameBytes: 65536 } });
      open.push(s);
    }
  };
  /** Time passes with the backend up or down; each new socket is answered at once. */
  const run = (ms: number, up: boolean): void => {
    for (let t = 0; t < ms; t += 100) {
      clock.advance(100);
      answer(up);
    }
  };
  const killAll = (): void => {
    for (const s of open.splice(0)) s.emit('close', 1006, Buffer.from(''));
    answer(false);
  };
  return { mgr, clock, raw, told, answer, run, killAll, reset: () => (made = []) };
}

describe('the event log during an outage', () => {
  it('tells each address once when it goes down, nothing while it stays down, and once when it is back', () => {
    const g = gym();
    g.mgr.start();
    g.answer(true);
    expect(g.told.map((n) => `${n.type} ${n.endpoint}`)).toEqual(URLS.map((u) => `connected ${u}`));
    g.told.length = 0;

    g.killAll();
    g.run(90_000, false);
    // The pools still try every address, with both sockets, again and again...
    expect(g.raw.filter((a) => a.type === 'failed').length).toBeGreaterThan(40);
    // ...but the log says each address's story once: lost, then paused.
    for (const url of URLS) {
      const rows = g.told.filter((n) => n.pool === 'gym' && n.endpoint === url);
      expect(rows.map((n) => n.type)).toEqual(['disconnected', 'breaker-open']);
    }
    // The charts count what the log tells: one error per address that went down, not one per retry.
    expect(g.told.filter((n) => ACTIVITY_KINDS[n.type].error)).toHaveLength(3);

    g.told.length = 0;
    g.run(5 * 60_000, false);
    const reminders = g.told.filter((n) => n.type === 'still-down');
    expect(reminders.map((n) => n.endpoint).sort()).toEqual(URLS);
    expect(reminders[0]!.detail).toMatch(/^still down after \d+ tries over 5 min( \d+ s)?: Nothing is listening at the backend's address/);
    expect(g.told.filter((n) => n.type !== 'still-down')).toEqual([]);
    expect(g.told.filter((n) => ACTIVITY_KINDS[n.type].error)).toHaveLength(0);

    g.told.length = 0;
    g.run(60_000, true);
    expect(g.told.map((n) => `${n.type} ${n.endpoint}`).sort()).toEqual(URLS.map((u) => `reconnected ${u}`));
    expect(g.told[0]!.detail).toMatch(/^back after 6 min \d+ s down, \d+ failed tries$/);
    g.mgr.stop();
  });

  it('says why, in words, when an address first cannot be reached', () => {
    const g = gym();
    g.mgr.start();
    g.answer(false);
    const first = g.told.filter((n) => n.endpoint === 'ws://a:1');
    expect(first.map((n) => n.type)).toEqual(['failed']);
    expect(first[0]!.detail).toMatch(/^Nothing is listening at the backend's address: /);
    expect(first[0]!.detail).not.toMatch(/ECONNREFUSED/);
    g.mgr.stop();
  });
});

describe('the event log when the PC clock is set during an outage', () => {
  it('says how long the address was really down, and still reminds every 5 min', () => {
    const g = gym();
    g.mgr.start();
    g.answer(true);
    g.killAll();
    g.run(60_000, false);
    g.clock.stepWall(-86_400_000); // set back a day, mid-outage
    g.told.length = 0;
    g.run(5 * 60_000, false);
    expect(g.told.filter((n) => n.type === 'still-down').map((n) => n.endpoint).sort()).toEqual(URLS);
    g.told.length = 0;
    g.run(30_000, true);
    expect(g.told[0]!.detail).toMatch(/^back after 6 min( \d+ s)? down, \d+ failed tries$/);
    g.mgr.stop();
  });
});

describe('pausing an address', () => {
  it('counts tries of the address, as the setting says, not failures of each of its sockets', () => {
    const g = gym();
    g.mgr.start();
    g.answer(false);
    g.run(10_000, false);
    const a = g.raw.filter((x) => x.endpoint === 'ws://a:1');
    const paused = a.findIndex((x) => x.type === 'breaker-open');
    expect(paused).toBeGreaterThan(0);
    // Five tries of two sockets each: the pause comes as the fifth try's first socket fails, and says five, as the setting does.
    expect(a.slice(0, paused).filter((x) => x.type === 'failed')).toHaveLength(9);
    expect(a[paused]!.detail).toMatch(/^after 5 failed tries in a row; next try in \d+ s$/);
    // A later pause, after the trial fails, says so rather than a growing count.
    const again = a.slice(paused + 1).find((x) => x.type === 'breaker-open');
    expect(again?.detail).toMatch(/^the try after the pause failed too; next try in \d+ s$/);
    g.mgr.stop();
  });
});
