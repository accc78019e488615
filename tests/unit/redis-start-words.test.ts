import { describe, expect, it } from 'vitest';
import { parseRedisUrl, startError } from '../../src/server/redis/connect';

const at = new URL('redis://10.0.0.5:6379');

// What `npm run server -- --redis …` says when it cannot start: what was typed, and the fix, in words.
describe('--redis refusals', () => {
  it.each([
    ['localhost:16390', '--redis "localhost:16390" needs redis:// in front: write it as redis://localhost:16390 (rediss:// for TLS).'],
    ['10.0.0.5:6379', '--redis "10.0.0.5:6379" needs redis:// in front: write it as redis://10.0.0.5:6379 (rediss:// for TLS).'],
    ['https://10.0.0.5:6379', '--redis "https://10.0.0.5:6379" must start with redis:// or rediss:// (TLS): write it as redis://10.0.0.5:6379.'],
    ['', '--redis "" is not an address; use redis://HOST:PORT (for example redis://127.0.0.1:6379).'],
  ])('%j', (raw, message) => {
    expect(parseRedisUrl(raw)).toEqual({ ok: false, error: message });
  });

  it('takes redis:// and rediss:// addresses as typed', () => {
    expect(parseRedisUrl(' rediss://cache.gym.lan:6380 ')).toMatchObject({ ok: true, url: new URL('rediss://cache.gym.lan:6380') });
  });

  it.each([
    ['connect ECONNREFUSED 10.0.0.5:6379', 'cannot reach Redis at 10.0.0.5:6379: nothing is listening on that port. Check that Redis is running there and the --redis address is right.'],
    ['getaddrinfo ENOTFOUND cache.gym.lan', 'cannot reach Redis at 10.0.0.5:6379: that host name is not known. Check that Redis is running there and the --redis address is right.'],
    ['connect ETIMEDOUT', 'cannot reach Redis at 10.0.0.5:6379: it did not answer within 3 seconds. Check that Redis is running there and the --redis address is right.'],
    ['Unknown RESP type 72 "H". Please report this.', 'something answered at 10.0.0.5:6379 but it is not Redis: check the port in --redis (Redis listens on 6379 unless told otherwise).'],
    ['NOAUTH Authentication required.', 'Redis at 10.0.0.5:6379 needs a password: give it in the address, as redis://:PASSWORD@10.0.0.5:6379.'],
    // Nothing to put in words: its own text stays, so IT has something to look up.
    ['Something odd happened.', 'cannot reach Redis at 10.0.0.5:6379: Something odd happened. Check that Redis is running there and the --redis address is right.'],
  ])('%j', (raw, message) => {
    expect(startError(at, raw)).toBe(message);
  });
});
