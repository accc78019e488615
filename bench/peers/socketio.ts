/**
 * The Socket.IO peer for the benches: its nodes as OS processes (socketio-server.ts), the emitter
 * that publishes the gym's events into their shared stream, and the client a user would write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { adapterOptions, RECOVERY, type PeerTuning } from './socketio-config';

const SCRIPT = fileURLToPath(new URL('./socketio-server.ts', import.meta.url));

interface Node {
  child: ChildProcess;
  url: string;
  output: string;
}

/** Socket.IO nodes as processes; the fault verbs match tests/helpers/backend-processes.ts. */
export interface SocketIoNodes {
  urls: string[];
  kill(k: number): Promise<void>;
  stop(k: number): void;
  cont(k: number): void;
  /** Drops every connection, process alive, until listen(k) (the failover bench's "close"). */
  drop(k: number): void;
  listen(k: number): Promise<void>;
  /** Ends node k (SIGKILL, or SIGTERM for a graceful stop) and starts it again on its port. */
  restart(k: number, signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  close(): Promise<void>;
}

const exited = (c: ChildProcess): Promise<void> => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', () => r())));

/** Resolves with the URL once the node prints it (again, after a listen), or fails after 30 s. */
function listening(node: Node, from: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const re = /socket\.io node listening (http:\/\/\S+)/g;
    const check = (): boolean => {
      re.lastIndex = from;
      const m = re.exec(node.output);
      if (m) resolve(m[1]!);
      return !!m;
    };
    if (check()) return;
    const timer = setTimeout(() => done(new Error(`socket.io node did not listen in 30 s:\n${node.output.slice(-2_000)}`)), 30_000);
    const onData = (): void => void (check() && done(null));
    const onExit = (): void => done(new Error(`socket.io node exited before listening:\n${node.output.slice(-2_000)}`));
    const done = (e: Error | null): void => {
      clearTimeout(timer);
      node.child.stdout!.off('data', onData);
      node.child.off('exit', onExit);
      if (e) reject(e);
    };
    node.child.stdout!.on('data', onData);
    node.child.once('exit', onExit);
  });
}

async function launch(redisUrl: string, stream: string, tuning: PeerTuning, port: number): Promise<Node> {
  const args = ['--import', 'tsx', SCRIPT, '--redis', redisUrl, '--stream', stream, '--port', String(port)];
  args.push('--ping-interval', String(tuning.pingInterval), '--ping-timeout', String(tuning.pingTimeout));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const node: Node = { child, url: '', output: '' };
  // Kept whole until listening, then bounded: listening() reads it by offset.
  const read = (d: Buffer): void => void (node.output = node.output.length > 64_000 ? String(d) : node.output + d);
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  node.url = await listening(node, 0);
  return node;
}

export async function startSocketIoNodes(o: { redisUrl: string; count: number; stream: string; tuning: PeerTuning }): Promise<SocketIoNodes> {
  const nodes = await Promise.all(Array.from({ length: o.count }, () => launch(o.redisUrl, o.stream, o.tuning, 0)));
  const ports = nodes.map((n) => Number(new URL(n.url).port));
  const get = (k: number): Node => nodes[k]!;
  const kill = async (k: number, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> => {
    get(k).child.kill('SIGCONT');
    get(k).child.kill(signal);
    await exited(get(k).child);
  };
  return {
    urls: nodes.map((n) => n.url),
    kill: (k) => kill(k),
    stop: (k) => void get(k).child.kill('SIGSTOP'),
    cont: (k) => void get(k).child.kill('SIGCONT'),
    drop: (k) => void get(k).child.send('close'),
    async listen(k) {
      const from = get(k).output.length;
      get(k).child.send('listen');
      await listening(get(k), from);
    },
    async restart(k, signal = 'SIGKILL') {
      await kill(k, signal);
      nodes[k] = await launch(o.redisUrl, o.stream, o.tuning, ports[k]!);
    },
    async close() {
      await Promise.all(nodes.map((_, k) => kill(k)));
    },
  };
}

/**
 * Publishes events into the nodes' shared stream the way a Socket.IO app's worker does: a Server
 * with the same adapter and no clients of its own; `emit` appends to the stream (with the offset
 * recovery uses) and every node delivers it to its clients.
 */
export function startEmitter(redisUrl: string, stream: string): { emit(seq: number): void; close(): Promise<void> } {
  const redis = new Redis(redisUrl);
  redis.on('error', () => {}); // reconnects by itself; commands wait in its offline queue meanwhile
  const server = new Server({ connectionStateRecovery: RECOVERY, adapter: createAdapter(redis, adapterOptions(stream)) });
  return {
    emit: (seq) => void server.emit('event', seq),
    async close() {
      // No engine to close (it never listened): close the adapter, which stops its stream reader.
      await server.of('/').adapter.close();
      redis.disconnect();
    },
  };
}

/**
 * socket.io-client as a user would point it at several nodes: one socket, and on every reconnect
 * attempt the manager's address moves on to the next node, so a dead node is left behind. The
 * socket keeps its session id and last offset across nodes, which is what recovery needs.
 */
export class SocketIoClient {
  readonly socket: Socket;
  url: string;
  connected = false;
  connects = 0;
  recovered = 0;
  disconnects = 0;
  onEvent: (seq: number) => void = () => {};
  onDisconnect: () => void = () => {};
  private next = 1;

  constructor(
    private readonly urls: string[],
    tuning: PeerTuning,
  ) {
    this.url = urls[0]!;
    this.socket = io(this.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: tuning.reconnectionDelay,
      reconnectionDelayMax: tuning.reconnectionDelayMax,
    });
    this.socket.io.on('reconnect_attempt', () => {
      this.url = this.urls[this.next++ % this.urls.length]!;
      (this.socket.io as unknown as { uri: string }).uri = this.url;
    });
    this.socket.on('connect', () => {
      this.connects++;
      if (this.socket.recovered) this.recovered++;
    });
    // The node greets every connection; connected means that greeting arrived (the session is live).
    this.socket.on('hello', () => (this.connected = true));
    this.socket.on('disconnect', () => {
      this.connected = false;
      this.disconnects++;
      this.onDisconnect();
    });
    this.socket.on('event', (seq: number) => this.onEvent(seq));
  }

  /** Index of the node it is connected to now. */
  get index(): number {
    return this.urls.indexOf(this.url);
  }

  close(): void {
    this.socket.close();
  }
}
