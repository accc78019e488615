import { createServer } from 'node:net';

/**
 * Ports for servers a test starts on a fixed port, taken below Linux's ephemeral range (32768–60999). A port
 * the OS picked (listen on 0) is an ephemeral one, and any outgoing connection on the machine may take it as
 * its local port between this check and the server's start: a host then refused "port … is already in use"
 * (a CI run beside other work). Down here only another listener can take it.
 */
const LOW = 20_000;
const HIGH = 32_000;

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH} on 127.0.0.1`);
}

function canListen(port: number): Promise<boolean> {
  const srv = createServer();
  return new Promise((resolve) => {
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
