/**
 * The load scenarios' backend as a gym chain runs it: instances as their own OS processes on a
 * private Redis (`npm run server -- --redis …`). The truth for lost and duplicated is the gym's
 * action log in Redis, read while the run goes: the log keeps only the newest 100,000 actions (the
 * idempotency window), fewer than a long run sends.
 */
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { connectRedis } from '../../src/server/redis/connect';
import { startBackends } from '../../tests/helpers/backend-processes';
import { startRedis } from '../../tests/helpers/redis-server';
import type { BackendFactory } from './backend';

const POLL_MS = 500;
/** Entries matched to find where the last read ended: one key could repeat (a duplicate), eight in a row do not. */
const TAIL = 8;

/** Follows an append-only, left-trimmed list of applied actions, counting each data tag. */
export class ActionLogFollower {
  readonly applied = new Map<string, number>();
  private tail: string[] = [];
  private reading: Promise<void> = Promise.resolve();

  constructor(
    /** The last `fromEnd` entries; all of them for Infinity. */
    private readonly read: (fromEnd: number) => Promise<string[]>,
    private readonly length: () => Promise<number>,
  ) {}

  /** Reads what was appended since the last read; one read at a time. */
  poll(): Promise<void> {
    this.reading = this.reading.then(() => this.catchUp());
    return this.reading;
  }

  private async catchUp(): Promise<void> {
    const len = await this.length();
    if (len === 0) return;
    for (let n = 4_096; ; n *= 4) {
      // The whole list is asked for as such: it grows between the two calls, so "the last len" may not be all.
      const whole = n >= len;
      const raw = await this.read(whole ? Infinity : n);
      const entries = raw.map((r) => JSON.parse(r) as { key: string; data: string });
      const from = this.after(entries.map((e) => e.key));
      if (from < 0 && !whole) continue; // the last read ended further back
      if (from < 0 && this.tail.length) {
        throw new Error('the load bench fell more than 100,000 actions behind the Redis action log; its lost/duplicated tally would be wrong');
      }
      for (const e of entries.slice(Math.max(0, from))) {
        this.applied.set(e.data, (this.applied.get(e.data) ?? 0) + 1);
        this.tail.push(e.key);
      }
      this.tail = this.tail.slice(-TAIL);
      return;
    }
  }

  /** Index just past the last read's final entries in `keys`, or -1 when they are not there. */
  private after(keys: string[]): number {
    const m = this.tail.length;
    if (m === 0) return -1;
    for (let end = keys.length; end >= m; end--) {
      let k = 0;
      while (k < m && keys[end - m + k] === this.tail[k]) k++;
      if (k === m) return end;
    }
    return -1;
  }
}

export const redisBackend: BackendFactory = async ({ instances, token }) => {
  const redis = await startRedis();
  const keyPrefix = `load${randomUUID().slice(0, 8)}:`;
  let client: Redis | null = null;
  try {
    const procs = await startBackends({ redisUrl: redis.url, count: instances, token, keyPrefix, capacity: 1_000_000 });
    const c = (client = await connectRedis(new URL(redis.url)));
    const log = `${keyPrefix}actions`;
    const follower = new ActionLogFollower(
      (n) => c.lrange(log, n === Infinity ? 0 : -n, -1),
      () => c.llen(log),
    );
    let failed: Error | null = null;
    const timer = setInterval(() => void follower.poll().catch((e: Error) => (failed ??= e)), POLL_MS);
    return {
      urls: procs.urls,
      async applied() {
        await follower.poll();
        if (failed) throw failed;
        return follower.applied;
      },
      async close() {
        clearInterval(timer);
        await follower.poll().catch(() => {});
        c.disconnect();
        await procs.close();
        await redis.close();
      },
    };
  } catch (e) {
    client?.disconnect();
    await redis.close();
    throw e;
  }
};
