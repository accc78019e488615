import type WebSocket from 'ws';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolConfig } from '../../src/shared/pools';
import { FakeClock } from './fake-clock';
import { FakeSocket } from './fake-ws';

/**
 * One round-robin pool named "gym" over fake sockets on a fake clock, health checks out of the way (60 s). Each socket
 * the pool opens is handed to `opened` with its address, for the test to welcome, refuse or drop.
 */
export function fakeSocketPool(
  pool: Pick<PoolConfig, 'endpoints' | 'maxConnections' | 'reconnectAttempts'>,
  opened: (s: FakeSocket, url: string) => void,
  random = 1,
): { clock: FakeClock; mgr: PoolManager } {
  const clock = new FakeClock();
  const mgr = new PoolManager({
    token: 't',
    clock,
    random: () => random,
    store: memoryPoolStore(),
    defaults: [{ name: 'gym', healthCheckInterval: 60_000, strategy: 'round-robin', ...pool }],
    socketFactory: (url) => {
      const s = new FakeSocket();
      opened(s, url);
      return s as unknown as WebSocket;
    },
  });
  return { clock, mgr };
}
