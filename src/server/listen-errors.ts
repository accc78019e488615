import { isLoopback } from './listen-address';

/** A port or address this process cannot take, in plain words; null when the error is something else. */
export function listenProblem(e: unknown, flag: string): string | null {
  const { code, port, address } = (e ?? {}) as { code?: string; port?: number; address?: string };
  const which = port === undefined ? 'the port' : `port ${port}`;
  if (code === 'EADDRNOTAVAIL' && address !== undefined && !isLoopback(address)) {
    return `--host ${address} is not an address of this machine: give one of its own (ip addr or ipconfig lists them), or 0.0.0.0 for all of them.`;
  }
  if (code === 'EADDRINUSE') return `${which} is already in use by another program: pick another ${flag}.`;
  if (code === 'EACCES') return `${which} needs administrator rights on this system: pick a ${flag} from 1024 to 65535.`;
  if (code === 'EADDRNOTAVAIL') return `${which} cannot be opened on 127.0.0.1 here: check the loopback interface, or pick another ${flag}.`;
  return null;
}

/**
 * While `start` runs, a port that cannot be taken ends the process with one line (exit status 1).
 * ws's WebSocketServer re-emits its HTTP server's 'error' with no listener of its own, so a busy port
 * arrives as an uncaught exception rather than as start's rejection; both are caught here.
 */
export async function listening<T>(start: () => Promise<T>, flag: string): Promise<T> {
  const say = (e: unknown): boolean => {
    const why = listenProblem(e, flag);
    if (why !== null) {
      console.error(`gym-server: ${why}`);
      process.exit(1);
    }
    return false;
  };
  // What node would have done with any other uncaught error: its stack, exit status 1.
  const uncaught = (e: unknown): void => void (say(e) || (console.error(e), process.exit(1)));
  process.on('uncaughtException', uncaught);
  try {
    return await start();
  } catch (e) {
    say(e);
    throw e;
  } finally {
    process.off('uncaughtException', uncaught);
  }
}
