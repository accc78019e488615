import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What the receiver does with the n-th arrival (from 1) of a webhook-id. */
export type Answer = 'ok' | 'fail' | 'hang' | 'gone' | { status: number; retryAfter?: string };

export interface Arrival {
  id: string;
  attempt: number;
  verified: boolean;
  answer: string;
  at: number;
  body: { type: string; data: { id: string; kind: string; alert: string; title: string; text: string; durationMs: number | null; site?: string; station?: string; host?: string } };
}

/**
 * A loopback webhook receiver that verifies every signature with `standardwebhooks` and answers as
 * `plan` says. `accepted` counts the 2xx answers per webhook-id: exactly once means 1 for every id.
 */
export async function startReceiver(secret: string, plan: (id: string, attempt: number) => Answer = () => 'ok') {
  const wh = new Webhook(secret);
  const arrivals: Arrival[] = [];
  const accepted = new Map<string, number>();
  const hung = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      let verified = true;
      try {
        wh.verify(body, req.headers as Record<string, string>);
      } catch {
        verified = false;
      }
      const attempt = arrivals.filter((a) => a.id === id).length + 1;
      const answer = verified ? plan(id, attempt) : { status: 401 };
      arrivals.push({ id, attempt, verified, answer: typeof answer === 'string' ? answer : String(answer.status), at: Date.now(), body: JSON.parse(body) });
      if (answer === 'hang') return void hung.add(res);
      if (answer === 'ok') {
        accepted.set(id, (accepted.get(id) ?? 0) + 1);
        return void res.writeHead(204).end();
      }
      if (answer === 'fail') return void res.writeHead(500).end('busy');
      if (answer === 'gone') return void res.writeHead(410).end('gone');
      res.writeHead(answer.status, answer.retryAfter ? { 'retry-after': answer.retryAfter } : {}).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    arrivals,
    accepted,
    close: () =>
      new Promise<void>((r) => {
        for (const res of hung) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const SECRET = `whsec_${Buffer.from('a test secret of 32 bytes.......').toString('base64')}`;
