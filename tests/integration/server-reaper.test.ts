import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Gym } from '../../src/server/gym';
import { GymInstance } from '../../src/server/instance';
import { sleep, waitFor } from '../helpers/wait';

// prof28 P4: the reference backend pinged all its sessions at once every 10 s; at 1,000 sessions every reply waited
// behind a thousand pings, and a load bench's p99 was those spikes, on both sides.

describe("the reference backend's check on its sessions", () => {
  let instance: GymInstance | null = null;
  const clients: WebSocket[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.terminate();
    await instance?.kill();
    instance = null;
  });

  it('pings a slice of its sessions each second, each once, not all of them at once', async () => {
    instance = new GymInstance(0, new Gym({ rosterSize: 10 }), 'reaper-token', 0);
    await instance.start();
    const pinged = new Map<number, number>();
    for (let i = 0; i < 30; i++) {
      const ws = new WebSocket(instance.url);
      ws.on('ping', () => pinged.set(i, (pinged.get(i) ?? 0) + 1));
      clients.push(ws);
    }
    await waitFor(() => clients.every((c) => c.readyState === WebSocket.OPEN), 10_000);
    pinged.clear(); // from here: however long connecting took on a busy machine
    // From its next second (however late a busy machine runs it), one more at most: three tenths of the sessions.
    await waitFor(() => pinged.size > 0 || null, 10_000);
    await sleep(1_500);
    expect(pinged.size).toBeLessThanOrEqual(9); // three tenths of 30 at most
    expect(Math.max(...pinged.values())).toBe(1);
  });
});
