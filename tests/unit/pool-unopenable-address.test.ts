import { afterEach, describe, expect, it } from 'vitest';
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import type { PoolConfig } from '../../src/shared/pools';
import { waitFor } from '../helpers/wait';

let manager: PoolManager | null = null;
afterEach(() => {
  manager?.stop();
  manager = null;
});

// probe26b B1: an address saved before such addresses were refused (a #… part) made ws throw as the pool opened
// its socket, and the throw ended every start of the console. Now that socket fails, saying why; the rest run.
describe('a saved address no socket can be opened to as written', () => {
  it('fails its own sockets, saying what to fix, instead of ending the start', async () => {
    const saved: PoolConfig = { name: 'gym', endpoints: ['ws://127.0.0.1:1/#frontdesk'], maxConnections: 1, healthCheckInterval: 1_000, reconnectAttempts: 5, strategy: 'round-robin' };
    manager = new PoolManager({ token: 't', store: memoryPoolStore(), defaults: [saved] });
    expect(() => manager!.start()).not.toThrow();
    const cause = await waitFor(() => manager!.connectionView().cause, 5_000);
    expect(cause!.text).toBe('This backend address cannot be opened as it is written (The URL contains a fragment identifier).');
    expect(cause!.next).toBe('A manager corrects the address under Connection Pools.');
  });
});
