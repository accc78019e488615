/**
 * One Socket.IO node, as a user would deploy it beside our backend: its own OS process, connection
 * state recovery on, clustered over @socket.io/redis-streams-adapter on the gym's Redis. It only
 * relays: the bench's emitter publishes each gym event into the adapter's stream and every node
 * delivers it to its own clients (with the stream offset that recovery resumes from).
 *
 * `node --import tsx bench/peers/socketio-server.ts --redis URL --stream NAME [--port P]
 *  [--ping-interval MS --ping-timeout MS]`; prints `socket.io node listening http://…`.
 * IPC (when forked): 'close' drops every connection at once and stops listening while the process
 * lives on (what our instance's kill() does), 'listen' listens again on the same port.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { adapterOptions, RECOVERY } from './socketio-config';

const { values } = parseArgs({
  options: {
    redis: { type: 'string' },
    stream: { type: 'string', default: 'socket.io' },
    port: { type: 'string', default: '0' },
    'ping-interval': { type: 'string' },
    'ping-timeout': { type: 'string' },
  },
});
if (!values.redis) {
  console.error('socket.io node: --redis redis://HOST:PORT is required');
  process.exit(2);
}

const redis = new Redis(values.redis);
redis.on('error', () => {}); // ioredis reconnects by itself; a Redis restart is one of the faults
const http: HttpServer = createServer();
const raw = new Set<NetSocket>();
http.on('connection', (s) => {
  raw.add(s);
  s.on('close', () => raw.delete(s));
});
const ping = values['ping-interval'] ? { pingInterval: Number(values['ping-interval']), pingTimeout: Number(values['ping-timeout']) } : {};
const io = new Server(http, {
  ...ping,
  transports: ['websocket'],
  perMessageDeflate: false,
  connectionStateRecovery: RECOVERY,
  adapter: createAdapter(redis, adapterOptions(values.stream!)),
});
io.on('connection', (socket) => socket.emit('hello', { recovered: socket.recovered }));

let port = Number(values.port);
const listen = (): void =>
  void http.listen(port, '127.0.0.1', () => {
    port = (http.address() as { port: number }).port;
    console.log(`socket.io node listening http://127.0.0.1:${port}`);
  });
listen();

process.on('message', (m) => {
  if (m === 'close') {
    http.close();
    // A reset, not a goodbye: the clients see a transport close and reconnect (as after our kill()).
    for (const s of raw) s.destroy();
  } else if (m === 'listen' && !http.listening) listen();
});
process.on('SIGTERM', () => void io.close(() => process.exit(0)));
