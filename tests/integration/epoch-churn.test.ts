import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { startCore, type Core } from '../../src/main/core/app';
import { dispatch } from '../../src/main/core/bridge/dispatch';
import { Session } from '../../src/main/core/auth/session';
import type { CheckinResult } from '../../src/shared/desk';
import { sleep, waitFor } from '../helpers/wait';

/**
 * A backend that answers every request, but names a new event numbering (`epoch`) in every `subbed` and every
 * snapshot, as instances that do not share their event log would behind one address. One log underneath, so
 * what it recorded can be counted. Loopback, one instance.
 */
async function epochChurnBackend() {
  const token = 'churn-token';
  const log: { seq: number; ts: number; body: Record<string, unknown> }[] = [];
  const subscribed = new Set<WebSocket>();
  const checkins: string[] = [];
  let epochs = 0;
  let occupancy = 0;
  const epoch = (): string => `e${++epochs}`;
  const http: Server = createServer((_, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws) => {
    const send = (f: object): void => void (ws.readyState === ws.OPEN && ws.send(JSON.stringify(f)));
    ws.on('close', () => subscribed.delete(ws));
    ws.on('message', (raw) => {
      const f = JSON.parse(String(raw)) as Record<string, unknown>;
      const head = log.length;
      if (f.t === 'hello') return send({ t: 'welcome', version: 1, instance: 'churn-0', heartbeatMs: 1000, limits: { maxFrameBytes: 65536 } });
      if (f.t === 'ping') return send({ t: 'pong', ts: f.ts, head });
      if (f.t === 'unsub') return void subscribed.delete(ws);
      if (f.t === 'sub') {
        subscribed.add(ws);
        send({ t: 'subbed', stream: 'gym', head, gap: false, epoch: epoch() });
        for (const e of log) if (e.seq > Number(f.after)) send({ t: 'event', stream: 'gym', ...e });
        return;
      }
      if (f.t !== 'req') return;
      const id = String(f.id);
      const body = (f.body ?? {}) as Record<string, unknown>;
      send({ t: 'ack', id });
      if (f.op === 'snapshot') return send({ t: 'reply', id, ok: true, body: { head, occupancy, capacity: 300, recent: log.slice(-20), epoch: epoch() } });
      if (f.op === 'checkin') {
        checkins.push(String(body.cardId));
        const e = { seq: head + 1, ts: Date.now(), body: { kind: 'checkin', cardId: body.cardId, member: null, verdict: { allowed: false, reason: 'unknown-card' }, source: body.source, occupancy: ++occupancy, requestId: id } };
        log.push(e);
        for (const s of subscribed) s.send(JSON.stringify({ t: 'event', stream: 'gym', ...e }));
        return send({ t: 'reply', id, ok: true, body: { verdict: e.body.verdict, member: null, occupancy, seq: e.seq } });
      }
      if (f.op === 'roster') return send({ t: 'reply', id, ok: true, body: { members: [], done: true } });
      if (f.op === 'lookup') return send({ t: 'reply', id, ok: true, body: { members: [] } });
      return send({ t: 'reply', id, ok: true, body: { applied: true } });
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
    token,
    checkins,
    subs: () => epochs,
    /** Every connection dropped at once, as a network blip or a proxy restart does. */
    dropAll: () => {
      for (const c of wss.clients) c.terminate();
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise((r) => http.close(r));
    },
  };
}

let backend: Awaited<ReturnType<typeof epochChurnBackend>> | null = null;
let core: Core | null = null;
afterEach(async () => {
  await core?.stop();
  await backend?.close();
  backend = core = null;
});

describe('a backend that names a new event numbering on every subscription', () => {
  it('still takes the check-ins this PC sends (none decided here, none twice), and Health says the live feed cannot be followed', async () => {
    backend = await epochChurnBackend();
    const b = backend;
    core = await startCore({ version: 't', dataDir: mkdtempSync(join(tmpdir(), 'gym-churn-')), backend: { endpoints: [b.url], token: b.token } });
    const c = core;
    const feedCheck = () => c.stream.snapshot().gauges.health.checks.find((k) => k.kind === 'feed')!;
    // The churn under way: each subscription met a new numbering (one subscriber per instance, and a stand-down between).
    await waitFor(() => b.subs() >= 3, 15_000);
    // Every socket lost a few times (a network that blips, a proxy restarting): each new one subscribes and meets a
    // new numbering. Closing it for that made each a short-lived connection, and the breaker's doubling pause
    // then kept the console offline (and its check-ins decided on this PC) long after the blips.
    for (let i = 0; i < 4; i++) {
      b.dropAll();
      await sleep(1_000);
    }
    await sleep(8_000);
    const cards = ['CHURN1', 'CHURN2', 'CHURN3', 'CHURN4', 'CHURN5'];
    for (const cardId of cards) {
      const r = await dispatch(c.handlers, 'desk.checkin', { cardId, source: 'desk' }, { transport: 'test', session: new Session('desk') });
      expect(r).toMatchObject({ ok: true });
      expect((r as { value: CheckinResult }).value.offline).toBe(false);
    }
    // Each reached the backend once, and nothing waits in the outbox.
    expect(b.checkins).toEqual(cards);
    await waitFor(() => c.outbox.view().queued === 0 && c.outbox.view().inFlight === 0, 5_000);
    // Three stand-downs of the address (2 s, then 4 s…) raise the feed's check: the stream cannot be followed.
    await waitFor(() => feedCheck().status === 'degraded', 20_000);
    expect(feedCheck().reason).toMatch(/^The gym's system gives a different event history each time the console subscribes \(\d+ times in 10 min\): its instances may not share their storage\. .*every check-in this PC sends still reaches the gym's system\. .*Tell the gym's IT\.$/);
    // The request path is the backend's, not the stream's: open, in rotation, and Health says it answers.
    expect(c.pools.connectionView().state).not.toBe('offline');
    expect(c.stream.snapshot().gauges.health.checks.find((k) => k.kind === 'backend')).toMatchObject({ status: 'ok' });
    // The event log tells each stand-down in IT's words, never as the address going down.
    const activity = c.stream.snapshot().feeds.activity;
    expect(activity.filter((a) => a.type === 'feed-unstable').at(-1)?.detail).toMatch(/so the console stopped following live events there for \d+ s\. Check-ins from this PC still go to it\.$/);
    expect(activity.filter((a) => a.type === 'breaker-open')).toEqual([]);
    // The feed keeps trying, at a bounded pace: a few subscriptions, not a loop.
    expect(b.subs()).toBeLessThan(40);
  }, 40_000);
});
