import { setFlagsFromString } from 'node:v8';

/**
 * How far the main process's V8 heap may grow past what survived the last full collection before
 * the next one: to twice that. V8's own factor on a PC with plenty of RAM is up to 4x, and a console
 * holding 1,000 sockets at 10,000 messages a second keeps ~20 MB live but sat at 180 MB resident,
 * most of it garbage waiting for a collection. At 2x it peaks near 135 MB for ~7 % more CPU; at 1.5x
 * near 125 MB for ~12 % (docs/benchmarks.md, console-1k).
 */
export const HEAP_GROWING_PERCENT = 100;

/** Read by V8 each time it sets the next limit, so it applies from the next collection on. */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
