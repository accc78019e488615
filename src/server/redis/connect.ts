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
  const seen: string[] = [];
  client.on('error', (e: Error) => void (seen.length < 10 && seen.push(e.message)));
  try {
    await client.connect();
  } catch (e) {
    client.disconnect();
    // A server that is not Redis may close before its reply is read (EPIPE); the telling error can come second.
    const all = [...seen, (e as Error).message];
    throw new Error(startError(url, all.find((m) => TELLING.test(m)) ?? all[0]!), { cause: e });
  }
  client.options.retryStrategy = retryForever;
  return client;
}

const NOAUTH = /^NOAUTH|Authentication required/i;
const WRONGPASS = /^WRONGPASS|invalid (username-)?password|^ERR AUTH/i;
const NOT_REDIS = /Unknown RESP type|Protocol error/i;
const TELLING = new RegExp([NOAUTH, WRONGPASS, NOT_REDIS].map((r) => r.source).join('|'), 'i');

/** Why a first connection failed, in words that say what to change: the password, the port, or Redis itself. */
export function startError(url: URL, raw: string): string {
  const why = raw.replace(/\s*Please report this\.?/, ''); // ioredis' words for a protocol it does not know
  const at = `Redis at ${url.host}`;
  if (NOAUTH.test(why)) return `${at} needs a password: give it in the address, as redis://:PASSWORD@${url.host} (${why}).`;
  if (WRONGPASS.test(why)) return `${at} refused the password in --redis: check it (redis://:PASSWORD@${url.host}) (${why}).`;
  if (NOT_REDIS.test(why)) return `something answered at ${url.host} but it is not Redis: check the port in --redis (Redis listens on 6379 unless told otherwise) (${why}).`;
  if (/EPIPE|ECONNRESET/.test(why)) return `something at ${url.host} took the connection and closed it without answering as Redis: check the port in --redis, and use rediss:// if that Redis takes TLS only (${why}).`;
  return `cannot reach Redis at ${url.host} (${why}); check that Redis is running there and the --redis address is right.`;
}
