import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP load balancer on loopback: one address, each new connection handed to the next backend in turn, as a gym's
 * IT may put several backend instances behind one name. Test tooling: the console sees one address and learns which
 * instance it reached only from each welcome.
 */
export interface Balancer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startBalancer(backendUrls: readonly string[]): Promise<Balancer> {
  const ports = backendUrls.map((u) => Number(new URL(u).port));
  const open = new Set<Socket>();
  let next = 0;
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: ports[next++ % ports.length]! });
    for (const s of [client, upstream]) {
      open.add(s);
      s.setNoDelay(true);
      s.on('error', () => (client.destroy(), upstream.destroy()));
      s.on('close', () => (open.delete(s), client.destroy(), upstream.destroy()));
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
