import { describe, expect, it } from 'vitest';
import { receiverName } from '../../src/renderer/src/features/health/receiver-name';

// probe25 Q5: every row read "to 127.0.0.1:19510" whichever of four addresses on that host it went to.
describe('the delivery log names a receiver', () => {
  const slackA = 'https://hooks.slack.com/services/T0001/B0001/AbCdEfGhIjKlMnOpQrStUvWx';
  const slackB = 'https://hooks.slack.com/services/T0001/B0002/ZyXwVuTsRqPoNmLkJiHgFe42';
  it('by its host alone when no other address shares it', () => {
    expect(receiverName(slackA, [slackA, 'https://ntfy.sh/gym'])).toBe('hooks.slack.com');
  });
  it('with its short path, or the end of a long one (often the secret), when another address shares the host', () => {
    expect(receiverName(slackA, [slackA, slackB])).toBe('hooks.slack.com/…UvWx');
    expect(receiverName(slackB, [slackA, slackB])).toBe('hooks.slack.com/…Fe42');
    expect(receiverName('http://127.0.0.1:19510/e500', ['http://127.0.0.1:19510/ok', 'http://127.0.0.1:19510/e500'])).toBe('127.0.0.1:19510/e500');
    expect(receiverName(slackA, [slackA, slackB])).not.toContain('AbCdEf');
  });
  it('a text that is no address as it is', () => {
    expect(receiverName('not a url', [])).toBe('not a url');
  });
});
