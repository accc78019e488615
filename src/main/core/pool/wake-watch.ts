import { networkInterfaces } from 'node:os';

const TICK_MS = 2_000;

/** Calls `probe` after the process slept (a tick far later than due) or the network interfaces changed. */
export function watchWakeAndNetwork(probe: (why: string) => void, tickMs = TICK_MS): () => void {
  const signature = (): string =>
    JSON.stringify(Object.entries(networkInterfaces()).map(([name, addrs]) => [name, (addrs ?? []).map((a) => a.address)]));
  let last = performance.now();
  let net = signature();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > tickMs * 3) probe('wake');
    last = now;
    const next = signature();
    if (next !== net) probe('network change');
    net = next;
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
