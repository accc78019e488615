import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Clock } from './clock';
import { processMemory } from './process-memory';

export interface SettlerInputs {
  /** Bytes of V8 heap in use, garbage included. */
  heapUsed(): number;
  /** Bytes resident: what the PC actually gives the console. */
  rss(): number;
  /** Share of time (0–1) the event loop was busy since the last call. */
  busy(): number;
  /** One full collection. */
  collect(): void;
}

export const SETTLE_CHECK_MS = 5_000;
/** Checks in a row the loop must be this idle before a collection is worth its pause. */
const QUIET_CHECKS = 2;
const QUIET_BUSY = 0.1;
const MIN_GAP_MS = 60_000;
const MIN_GARBAGE = 16 * 1024 * 1024;

/**
 * Gives a burst's memory back once the console is quiet again. V8 collects under allocation
 * pressure, so after a flood (a hostile backend, a catch-up replay) an idle console kept tens of MB of
 * garbage resident indefinitely: on a front-desk PC that is memory other programs need. A collection
 * runs when the heap holds much garbage or the process is much larger than it settles at; once a
 * collection cannot bring the size down, that size is taken as the new resting level, so an idle
 * console never collects over and over for nothing.
 */
export class MemorySettler {
  private timer: unknown = null;
  private quiet = 0;
  private floor = Infinity;
  /** Resident size the console settles at when quiet; raised when a collection cannot bring it lower. */
  private rssFloor = Infinity;
  /** A collection ran at the last check: the pages it freed go back over the next seconds, so judge then. */
  private settling = false;
  private lastCollect = -Infinity;
  collections = 0;

  constructor(
    private readonly clock: Clock,
    private readonly inputs: SettlerInputs,
  ) {}

  start(): void {
    this.floor = this.inputs.heapUsed();
    this.rssFloor = this.inputs.rss();
    this.schedule();
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      this.check();
      if (this.timer !== null) this.schedule();
    }, SETTLE_CHECK_MS);
  }

  private check(): void {
    this.quiet = this.inputs.busy() < QUIET_BUSY ? this.quiet + 1 : 0;
    const heap = this.inputs.heapUsed();
    const rss = this.inputs.rss();
    this.floor = Math.min(this.floor, heap);
    if (this.settling && this.quiet > 0) {
      // What a collection could not give back (allocator caches, code) is the new resting level.
      this.settling = false;
      this.rssFloor = Math.max(this.rssFloor, rss);
    }
    this.rssFloor = Math.min(this.rssFloor, rss);
    const garbage = heap - this.floor;
    const swollen = rss - this.rssFloor >= Math.max(MIN_GARBAGE, this.rssFloor / 5);
    const due = this.clock.mono() - this.lastCollect >= MIN_GAP_MS;
    if (this.quiet < QUIET_CHECKS || !due || (garbage < Math.max(MIN_GARBAGE, this.floor / 2) && !swollen)) return;
    this.inputs.collect();
    this.settling = true;
    this.collections++;
    this.lastCollect = this.clock.mono();
    this.floor = this.inputs.heapUsed();
  }
}

/** The running process's own heap, loop and collector (the collector as jest-leak-detector reaches it). */
export function processSettlerInputs(): SettlerInputs {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return {
    heapUsed: () => processMemory().heapUsed,
    rss: () => processMemory().rss,
    busy() {
      const now = performance.eventLoopUtilization();
      const delta = performance.eventLoopUtilization(now, last);
      last = now;
      return delta.utilization;
    },
    collect: gc,
  };
}
