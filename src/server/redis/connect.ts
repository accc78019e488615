import Redis, { type RedisOptions } from 'ioredis';

/** Checks a `--redis` address before anything connects; the message is for the person who typed it. */
export function parseRedisUrl(raw: string): { ok: true; url: URL } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `--redis "${raw}" is not an address; use redis://HOST:PORT (for example redis://127.0.0.1:6379).` };
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return { ok: false, error: `--redis must start with redis:// or rediss:// (got ${url.protocol}//); for example redis://127.0.0.1:6379.` };
  }
  if (!url.hostname) return { ok: false, error: `--redis "${raw}" has no host; use redis://HOST:PORT.` };
  return { ok: true, url };
}

/** Reconnect forever once running, with a capped backoff: Redis coming back must need no restart of ours. */
const retryForever = (times: number): number => Math.min(50 * 2 ** Math.min(times, 6), 2_000);

/**
 * A client that never queues a request while Redis is away: a check-in either runs now or fails now
 * (and the console resends it, same id). `blocking` is the tail's own connection for XREAD BLOCK.
 */
export function redisOptions(blocking: boolean): RedisOptions {
  return {
    lazyConnect: true,
    // RESP2: the reply shapes (XREAD's list of [stream, entries]) every Redis version agrees on.
    protocol: 2,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: blocking ? undefined : 2_000,
    connectTimeout: 3_000,
    retryStrategy: retryForever,
    connectionName: blocking ? 'gym-server-tail' : 'gym-server',
  };
}

/**
 * Connects once, failing fast (no retries) so a wrong or unreachable address is reported at start;
 * after that the client reconnects by itself.
 */
export async function connectRedis(url: URL, blocking = false): Promise<Redis> {
  const client = new Redis(url.toString(), { ...redisOptions(blocking), retryStrategy: () => null });
  // Reported through status and failed commands, not as an unhandled event; the first one explains a failed start.
  let first: Error | null = null;
  client.on('error', (e: Error) => (first ??= e));
  try {
    await client.connect();
  } catch (e) {
    client.disconnect();
    const why = (first ?? (e as Error)).message;
    throw new Error(`cannot reach Redis at ${url.host} (${why}); check that Redis is running there and the --redis address is right.`, { cause: e });
  }
  client.options.retryStrategy = retryForever;
  return client;
}
