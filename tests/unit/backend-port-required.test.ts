import { describe, expect, it } from 'vitest';
import { backendProblems } from '../../src/shared/backend';
import { EndpointUrlSchema, PoolNameSchema, missingPortProblem } from '../../src/shared/pools';

// ws:// with no port quietly meant port 80, and the screens then blamed "the port is wrong" on an address showing none.
describe('a backend address must give its port', () => {
  it.each([
    ['ws://127.0.0.1', '"ws://127.0.0.1" has no port: add the backend\'s port, like ws://127.0.0.1:9100.'],
    ['wss://gym.example.com/', '"wss://gym.example.com/" has no port: add the backend\'s port, like wss://gym.example.com:9100.'],
    ['ws://[::1]', '"ws://[::1]" has no port: add the backend\'s port, like ws://[::1]:9100.'],
  ])('%s is refused, saying to add the port', (url, words) => {
    expect(missingPortProblem(url)).toBe(words);
    expect(backendProblems({ endpoints: [url] }).endpoints).toEqual([words]);
  });

  it.each(['ws://127.0.0.1:9100', 'wss://gym.example.com:443/feed', 'ws://[::1]:9100', 'ws://10.0.0.5:80'])('%s is taken', (url) => {
    expect(missingPortProblem(url)).toBeNull();
    expect(backendProblems({ endpoints: [url] }).endpoints).toEqual([null]);
  });
});

// probe26b B1: an address with a #… part was saved, and ws threw on it at every start after: the console did not start.
describe('a backend address with a #… part', () => {
  // review26 V3: ws ignores a bare # at the end, so a saved address ending so worked, and must go on working.
  it('a bare # at its end is taken', () => {
    expect(EndpointUrlSchema.safeParse('wss://gym.example.com:443/feed#').success).toBe(true);
    expect(missingPortProblem('wss://gym.example.com:443/feed#')).toBeNull();
  });

  it.each([
    ['ws://127.0.0.1:19602/#frontdesk', '"ws://127.0.0.1:19602/#frontdesk" has a #… part, which a backend address cannot have: remove "#frontdesk".'],
    ['ws://127.0.0.1:19600#desk', '"ws://127.0.0.1:19600#desk" has a #… part, which a backend address cannot have: remove "#desk".'],
  ])('%s is refused where it is typed, with what to remove, never as a missing port', (url, words) => {
    expect(EndpointUrlSchema.safeParse(url).error?.issues.map((i) => i.message)).toEqual([words]);
    expect(missingPortProblem(url)).toBeNull();
    expect(backendProblems({ endpoints: [url] }).endpoints).toEqual([words]);
  });
});

// probe26b B3: "Süd" was refused as not letters, while the gym's name took any; the dash autocorrect gives, too.
describe('a pool name', () => {
  it.each(['Süd', 'Malmö', 'Zone 2 – north', 'desk_2.b', 'Главный'])('%s is taken', (name) => {
    expect(PoolNameSchema.safeParse(name).success).toBe(true);
  });
  it.each(['a/b', 'gym<script>', 'tab\there', 'zero\u200bwidth', '🏋️'])('%j is refused, saying what a name may hold', (name) => {
    expect(PoolNameSchema.safeParse(name).error?.issues[0]?.message).toBe('Pool names use letters, digits, spaces, dot, dash and underscore.');
  });
});
