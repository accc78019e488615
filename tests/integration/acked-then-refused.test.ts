import { describe, expect, it } from 'vitest';
import { ackedThenRefusedWords } from '../../src/main/core/delivery/pool-channels';
import { deskCheckin, hostileCore } from '../helpers/hostile-core';
import { waitFor } from '../helpers/wait';

// probe24 P3: a backend that acknowledged a staff action or check-in and then refused it (against the protocol, where a
// refusal comes without an ack) lost it without a word: no dead letter, nothing waiting, no line in the log.
describe('a message the backend acknowledged and then refused', () => {
  it('is told for IT, naming the message, in the activity list and with the backend\'s own words for the log; once', async () => {
    const { core, activity, hb } = await hostileCore({ instances: 1, attacks: { 0: 'ack-then-refuse' }, dataDirPrefix: 'gym-acked-refused-' });
    await waitFor(() => core.stream.current('connection').state === 'connected' || null, 10_000);
    const refused: string[] = [];
    core.outbox.on('refused', (k) => refused.push(k));
    await deskCheckin(core, '5000000001');
    const told = (await waitFor(() => activity.find((a) => a.type === 'answer-wrong') ?? null, 10_000))!;
    const key = (/^checkin (\S+):/.exec(told.raw ?? '') ?? [])[1]!;
    expect(told.detail).toBe(ackedThenRefusedWords('checkin', key, '5000000001'));
    expect(told.detail).toMatch(/^A check-in of card 5000000001 \([0-9a-f-]{8}\) was accepted by the gym's system and then refused by it\. This PC counted it as delivered .*enter the visit there by hand/);
    expect(told.raw).toContain('acknowledged, then refused (internal): TypeError: Cannot read properties of undefined');
    // Once: delivered is delivered, so it is not told again.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(activity.filter((a) => a.type === 'answer-wrong')).toHaveLength(1);
    expect(hb.checkinIds.size).toBe(1);
    // review29 V3: said as refused, so a check-in decided here is not told a minute on as "never answered" too.
    expect(refused).toEqual([key]);
  });
});
