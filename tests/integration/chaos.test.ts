import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/server/random';
import { applyFault, FAULT_ACTIONS } from '../../src/server/faults';
import { poolRig, expectContiguous, type PoolRig } from '../helpers/pool-setup';
import { waitFor, sleep } from '../helpers/wait';

let rig: PoolRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 200);

describe('chaos: randomized faults while the backend streams sequenced events', () => {
  it(`${ROUNDS} rounds of kill / hang / delay / drop / restore: 0 lost, 0 duplicated`, async () => {
    rig = await poolRig();
    const rand = seededRandom(Number(process.env.CHAOS_SEED ?? 1234));
    let emitted = 0;
    const emitter = setInterval(() => {
      for (let i = 0; i < 3; i++) rig!.cluster.gym.checkIn(`chaos-${emitted++}`, 'door');
    }, 2);
    const tally: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const inst = Math.floor(rand() * 3);
      const action = FAULT_ACTIONS[Math.floor(rand() * 4)]!; // kill, hang, delay or drop
      tally[action] = (tally[action] ?? 0) + 1;
      await applyFault(rig.cluster, inst, action, action === 'delay' ? 20 + rand() * 200 : action === 'drop' ? rand() * 0.5 : 0);
      await sleep(10 + rand() * 40);
      await applyFault(rig.cluster, inst, 'restore');
    }
    clearInterval(emitter);
    const head = rig.cluster.gym.log.lastSeq;
    expect(head).toBe(emitted);
    await waitFor(() => rig!.seqs.at(-1) === head, 15_000);
    expectContiguous(rig.seqs, 1, head);
    expect(Object.keys(tally).sort()).toEqual(['delay', 'drop', 'hang', 'kill']);
    console.log(`chaos: ${ROUNDS} rounds ${JSON.stringify(tally)}, ${head} events, 0 lost, 0 duplicated`);
  }, 120_000);
});
