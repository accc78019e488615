import { getHeapStatistics } from 'node:v8';

let lastRss = 0;

/**
 * The process's memory, read every few seconds for Health, Performance and analytics. On Linux the
 * resident size is read from /proc, which fails when the process is out of open files (EMFILE): the
 * console then keeps the last size it read instead of throwing from a timer every tick.
 */
export function processMemory(): { rss: number; heapUsed: number } {
  try {
    const m = process.memoryUsage();
    lastRss = m.rss;
    return { rss: m.rss, heapUsed: m.heapUsed };
  } catch {
    return { rss: lastRss, heapUsed: getHeapStatistics().used_heap_size };
  }
}
