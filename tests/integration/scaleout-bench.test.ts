import { describe, expect, it } from 'vitest';
import { scaleout } from '../../bench/scaleout';
import { FAULT_KINDS } from '../../bench/scaleout/faults';
import { redisMissing } from '../helpers/redis-server';

const missing = redisMissing();
if (missing) console.warn(missing);

/** The quick path of `npm run bench -- scaleout` at the smallest scale that still takes every fault kind. */
describe.skipIf(!!missing)('scaleout bench, smoke', () => {
  it('measures throughput per process count, survives one fault of every kind with 0 lost / 0 duplicated, and runs the Socket.IO peer through the same faults', async () => {
    const log: string[] = [];
    const r = await scaleout({ quick: true, faults: FAULT_KINDS.length, seed: 7, log: (m) => log.push(m) }, { counts: [1, 2], throughputS: 1, peerFaults: FAULT_KINDS.length, skipDefaultPeer: true });
    expect(r.instances).toEqual([1, 2]);
    expect(r.msgs_per_s).toHaveLength(2);
    for (const x of [...r.msgs_per_s, r.inproc_msgs_per_s]) expect(x).toBeGreaterThan(0);
    expect(r.faults).toBe(FAULT_KINDS.length);
    expect(r.fault_kinds).toEqual(Object.fromEntries(FAULT_KINDS.map((k) => [k, 1])));
    expect(r.emitted).toBeGreaterThan(100);
    expect({ lost: r.lost, duplicated: r.duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(r.not_healthy).toBe(0);
    expect(r.checkins_during_faults).toBeGreaterThan(0);
    const tuned = r.peer_tuned as Record<string, unknown>;
    expect(tuned).toMatchObject({ name: 'socket.io', tuned: true, faults: FAULT_KINDS.length });
    expect(tuned.emitted).toBeGreaterThan(100);
    expect(r.peer).toMatchObject({ name: 'socket.io', tuned: false, skipped: true });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // one JSON line, nothing lost in it
  }, 300_000);
});
