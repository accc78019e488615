import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that breaks the network between a console and one backend process the way
 * real networks do, from outside both. No maintained proxy installs from the registries here
 * (Toxiproxy is a Go server Debian does not package), so this is test tooling of our own.
 *
 * - `latency(ms)`: every chunk, both ways, waits `ms` (order kept).
 * - `blackhole()`: everything is silently dropped both ways; the connections stay open, as behind a
 *   dead router or a stopped VM. New connections are accepted and then hear nothing.
 * - `reset()`: every open connection is torn down with a TCP RST.
 * - `heal()`: back to passing traffic (connections that were blackholed stay silent: their bytes are gone).
 */
export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  latency(ms: number): void;
  blackhole(): void;
  reset(): void;
  heal(): void;
  readonly connections: number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes dropped by a blackhole leave the stream corrupt: such a pair never passes traffic again. */
  poisoned: boolean;
}

export async function startFaultProxy(target: { host?: string; port: number }, scheme = 'ws'): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  let delayMs = 0;
  let holed = false;

  const relay = (pair: Pair, from: Socket, to: Socket): void => {
    let sendAt = 0;
    from.on('data', (chunk) => {
      if (holed || pair.poisoned) {
        pair.poisoned = true;
        return;
      }
      if (delayMs <= 0) return void to.write(chunk);
      // Never reorder: each chunk goes no earlier than the one before it.
      sendAt = Math.max(sendAt, Date.now() + delayMs);
      setTimeout(() => !to.destroyed && !pair.poisoned && to.write(chunk), sendAt - Date.now());
    });
  };

  const server: Server = createServer((client) => {
    const upstream = connect({ host: target.host ?? '127.0.0.1', port: target.port });
    const pair: Pair = { client, upstream, poisoned: holed };
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      s.on('error', end);
      s.on('close', end);
    }
    relay(pair, client, upstream);
    relay(pair, upstream, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    get connections() {
      return pairs.size;
    },
    latency(ms) {
      delayMs = ms;
    },
    blackhole() {
      holed = true;
    },
    reset() {
      for (const p of [...pairs]) {
        p.client.resetAndDestroy();
        p.upstream.resetAndDestroy();
        pairs.delete(p);
      }
    },
    heal() {
      holed = false;
      delayMs = 0;
    },
    async close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      pairs.clear();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
