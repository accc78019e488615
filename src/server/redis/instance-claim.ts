import { hostname } from 'node:os';
import type Redis from 'ioredis';

/** How long a claim outlives its process; renewed at a third of it. */
const CLAIM_MS = 15_000;

interface Claim {
  host: string;
  pid: number;
  port: number;
}

export type ClaimResult = { ok: true; stop: () => Promise<void> } | { ok: false; problem: string };

const words = (c: Claim): string => `process ${c.pid} on ${c.host}, port ${c.port}`;

/**
 * Two processes with one --instance-id over one Redis answer as one instance: consoles count one where two
 * answer, and their admin channels act on either. Each process claims `<prefix>instance:K` for 15 s and renews
 * it. A claim held by a live process on this machine refuses the start (certain); one from another machine
 * is warned about (it may be a stopped process's, lapsing), as is a claim taken over while running.
 */
export async function claimInstance(client: Redis, keyPrefix: string, index: number, port: number, warn: (line: string) => void): Promise<ClaimResult> {
  const key = `${keyPrefix}instance:${index}`;
  const me: Claim = { host: hostname(), pid: process.pid, port };
  const mine = JSON.stringify(me);
  const held = parse(await client.get(key));
  if (held && held.pid !== me.pid) {
    const sameHost = held.host === me.host;
    if (sameHost && alive(held.pid)) return { ok: false, problem: `instance ${index} already runs on this Redis (${words(held)}): give each process its own --instance-id.` };
    // A process restarted after a crash finds its own dead claim here: nothing to say.
    if (!sameHost) warn(`instance ${index} was claimed on this Redis within the last ${CLAIM_MS / 1000} s by ${words(held)}: if it still runs, stop one of them or give each process its own --instance-id.`);
  }
  await client.set(key, mine, 'PX', CLAIM_MS);
  let warned = false;
  const renew = setInterval(() => {
    void (async () => {
      const now = parse(await client.get(key));
      if (now && JSON.stringify(now) !== mine && !warned) {
        warned = true;
        warn(`instance ${index} is also claimed on this Redis by ${words(now)}: two processes run as one instance; give each its own --instance-id.`);
      }
      await client.set(key, mine, 'PX', CLAIM_MS);
    })().catch(() => {}); // Redis away: the claim lapses, and is taken again when it is back
  }, CLAIM_MS / 3);
  renew.unref();
  return {
    ok: true,
    stop: async () => {
      clearInterval(renew);
      // Only our own claim: a later process may have taken it over.
      await client.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, key, mine).catch(() => {});
    },
  };
}

function parse(raw: string | null): Claim | null {
  if (!raw) return null;
  try {
    const c = JSON.parse(raw) as Partial<Claim>;
    return typeof c.host === 'string' && typeof c.pid === 'number' && typeof c.port === 'number' ? (c as Claim) : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // there, but another user's
  }
}
