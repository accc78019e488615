import { describe, expect, it } from 'vitest';
import { backendProblems } from '../../src/shared/backend';
import { missingPortProblem } from '../../src/shared/pools';

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
