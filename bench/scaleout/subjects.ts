/** The clients under test in the scale-out bench: our console's pool manager, and socket.io-client. */
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { defaultPool } from '../../src/shared/pools';
import { SocketIoClient } from '../peers/socketio';
import type { PeerTuning } from '../peers/socketio-config';
import { Signal, sleep, waitUntil } from '../measure';
import type { Subject } from './faults';

/** A desk check-in that has not been answered after this long is recorded at this value. */
const CHECKIN_CAP_MS = 10_000;

/** Ours: the PoolManager with the app's default pool, untuned, over the proxy in front of each process. */
export async function oursSubject(urls: string[], token: string): Promise<Subject & { mgr: PoolManager; disconnects(): number; close(): void }> {
  const mgr = new PoolManager({ token, store: memoryPoolStore(), defaults: [defaultPool(urls)] });
  let listener: (seq: number) => void = () => {};
  let resyncs = 0;
  let disconnects = 0;
  let detect: { url: string; signal: Signal } | null = null;
  mgr.feed.on('event', (e) => listener(e.seq));
  mgr.feed.on('resync', () => resyncs++);
  mgr.on('activity', (a) => {
    if (a.type !== 'disconnected') return;
    disconnects++;
    if (detect?.url === a.endpoint) detect.signal.fire();
  });
  mgr.start();
  if (!(await waitUntil(() => mgr.connectionView().state === 'connected' && resyncs > 0, 30_000, 20))) throw new Error('our console did not connect to the backend processes');
  const primaries = (): string[] => mgr.connectionView().endpoints.filter((e) => e.primary).map((e) => e.url);
  return {
    name: 'ours',
    mgr,
    target(roll) {
      const p = primaries();
      const k = urls.indexOf(p[Math.floor(roll * p.length)] ?? '');
      if (k < 0) throw new Error('our console has no subscribed endpoint');
      return k;
    },
    // Every socket open and events held on two instances: what the failover bench calls recovered.
    healthy() {
      const pools = mgr.list();
      const socks = pools.flatMap((p) => p.sockets);
      const wanted = pools.reduce((n, p) => n + p.config.maxConnections, 0);
      return socks.length === wanted && socks.every((s) => s.state === 'open') && primaries().length >= 2;
    },
    watchDetect(k) {
      detect = { url: urls[k]!, signal: new Signal() };
      return detect.signal;
    },
    onEvent: (fn) => (listener = fn),
    async checkIn(id) {
      const end = performance.now() + CHECKIN_CAP_MS;
      while (performance.now() < end) {
        try {
          return void (await mgr.main!.request('checkin', { cardId: `desk-${id}`, source: 'desk' }, id));
        } catch {
          await sleep(10); // no instance answered yet: the outbox would resend the same id
        }
      }
    },
    describe: () => JSON.stringify(mgr.list().map((p) => p.sockets.map((s) => `${urls.indexOf(s.endpoint)}:${s.state}`))),
    disconnects: () => disconnects,
    close: () => mgr.stop(),
  };
}

/** The peer: socket.io-client over the same proxies, moving to the next node on every reconnect attempt. */
export async function peerSubject(urls: string[], tuning: PeerTuning): Promise<Subject & { client: SocketIoClient; close(): void }> {
  const client = new SocketIoClient(urls, tuning);
  let detect: { k: number; signal: Signal } | null = null;
  client.onDisconnect = () => {
    if (detect && detect.k === client.index) detect.signal.fire();
  };
  if (!(await waitUntil(() => client.connected, 30_000, 20))) throw new Error('socket.io-client did not connect to the nodes');
  return {
    name: tuning.tuned ? 'socket.io tuned' : 'socket.io',
    client,
    target: () => client.index,
    healthy: () => client.connected,
    watchDetect(k) {
      detect = { k, signal: new Signal() };
      return detect.signal;
    },
    onEvent: (fn) => (client.onEvent = fn),
    describe: () => `on node ${client.index}, connected ${client.connected}`,
    close: () => client.close(),
  };
}
