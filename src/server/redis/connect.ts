import Redis, { type RedisOptions } from 'ioredis';

/** Checks a `--redis` address before anything connects; the message is for the person who typed it, quoting what they typed. */
export function parseRedisUrl(raw: string): { ok: true; url: URL } | { ok: false; error: string } {
  const typed = raw.trim();
  // "localhost:6379" reads to URL as the scheme "localhost:"; say the missing redis:// instead.
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(typed)) {
    const fixed = `redis://${typed.replace(/^\/+/, '')}`;
    const shaped = typed !== '' && URL.canParse(fixed) && new URL(fixed).hostname !== '';
    return { ok: false, error: shaped ? `--redis "${raw}" needs redis:// in front: write it as ${fixed} (rediss:// for TLS).` : `--redis "${raw}" is not an address; use redis://HOST:PORT (for example redis://127.0.0.1:6379).` };
  }
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    return { ok: false, error: `--redis "${raw}" is not an address; use redis://HOST:PORT (for example redis://127.0.0.1:6379).` };
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    const fixed = typed.replace(/^[a-z][a-z\d+.-]*:\/\//i, 'redis://');
    return { ok: false, error: `--redis "${raw}" must start with redis:// or rediss:// (TLS): write it as ${fixed}.` };
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

/** A socket error's code, in words; the raw text ("connect ECONNREFUSED 127.0.0.1:1") is for nobody starting a backend. */
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'nothing is listening on that port',
  ENOTFOUND: 'that host name is not known',
  EAI_AGAIN: 'that host name could not be looked up',
  ETIMEDOUT: 'it did not answer within 3 seconds',
  EHOSTUNREACH: 'this machine has no route to it',
  ENETUNREACH: 'this machine has no route to it',
};

/** Why a first connection failed, in words that say what to change: the password, the port, or Redis itself. */
export function startError(url: URL, raw: string): string {
  const at = `Redis at ${url.host}`;
  if (NOAUTH.test(raw)) return `${at} needs a password: give it in the address, as redis://:PASSWORD@${url.host}.`;
  if (WRONGPASS.test(raw)) return `${at} refused the password in --redis: check it (redis://:PASSWORD@${url.host}).`;
  if (NOT_REDIS.test(raw)) return `something answered at ${url.host} but it is not Redis: check the port in --redis (Redis listens on 6379 unless told otherwise).`;
  if (/EPIPE|ECONNRESET/.test(raw)) return `something at ${url.host} took the connection and closed it without answering as Redis: check the port in --redis, and use rediss:// if that Redis takes TLS only.`;
  const code = /\b(E[A-Z_]{3,})\b/.exec(raw)?.[1];
  // An error we have no words for keeps its own, so IT still has something to search for.
  const why = (code && NETWORK_WORDS[code]) ?? raw.replace(/\s*Please report this\.?/, '').replace(/\.$/, '');
  return `cannot reach Redis at ${url.host}: ${why}. Check that Redis is running there and the --redis address is right.`;
}

/**
 * A password given to a Redis that takes none: ioredis says so in three raw "[WARN]" lines (one per connection,
 * every reconnect) and carries on. Asked once here without it; when Redis answers, the password is left out and
 * that is said once, in words. Any other outcome keeps the address as typed, for connectRedis to report.
 */
export async function withoutUnneededPassword(url: URL): Promise<{ url: URL; note: string | null }> {
  if (!url.password || url.username) return { url, note: null }; // a named (ACL) user is another matter
  const bare = new URL(url);
  bare.password = '';
  const probe = new Redis(bare.toString(), { ...redisOptions(false), retryStrategy: () => null, enableReadyCheck: true });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    return { url, note: null };
  } finally {
    probe.disconnect();
  }
  return { url: bare, note: `Redis at ${url.host} needs no password, so the one in --redis is not used; leave it out: ${bare.protocol}//${bare.host}.` };
}
