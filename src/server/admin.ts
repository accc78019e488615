import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { FAULT_ACTIONS, applyFault, statusOf, type FaultAction, type Instances } from './faults';

/**
 * Loopback admin channel for faults: `POST /instances/:i/:action?value=N`, `GET /instances`.
 * Requires `Authorization: Bearer <token>`. It reaches the instances of its own process only
 * (in Redis mode, one per process: each process has its own admin address).
 */
export async function startAdmin(cluster: Instances, token: string, port = 0): Promise<{ url: string; server: Server }> {
  const expected = Buffer.from(`Bearer ${token}`);
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply(401, { error: 'Missing or wrong bearer token.' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/instances') {
      return reply(200, cluster.instances.map((inst) => statusOf(cluster, inst.index)));
    }
    const m = /^\/instances\/(\d+)\/([a-z]+)$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) return reply(404, { error: 'Use GET /instances or POST /instances/:i/:action.' });
    const index = Number(m[1]);
    const action = m[2] as FaultAction;
    if (!FAULT_ACTIONS.includes(action)) return reply(400, { error: `Unknown action; use one of ${FAULT_ACTIONS.join(', ')}.` });
    if (!cluster.instances.some((inst) => inst.index === index)) return reply(404, { error: `No instance ${index} in this process.` });
    const value = Number(url.searchParams.get('value') ?? 0);
    if (!Number.isFinite(value) || value < 0) return reply(400, { error: 'value must be a non-negative number.' });
    applyFault(cluster, index, action, value).then(
      (status) => reply(200, status),
      (e: Error) => reply(500, { error: e.message }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
