import { afterEach, describe, expect, it } from 'vitest';
import { poolRig, type PoolRig } from '../helpers/pool-setup';
import { waitFor } from '../helpers/wait';

let rig: PoolRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const socketsOf = (r: PoolRig, url: string) => r.mgr.list()[0]!.sockets.filter((s) => s.endpoint === url);

describe('adaptive dead-peer deadline over real sockets', () => {
  it('learns a deadline under the pool setting, and a socket reopened after a restart starts from it', async () => {
    rig = await poolRig({ pool: { healthCheckInterval: 250 } }); // the pool setting: 4 × 250 = 1,000 ms
    const url = rig.cluster.urls[0]!;
    const learned = (await waitFor(() => {
      const socks = socketsOf(rig!, url);
      return socks.length === 2 && socks.every((s) => s.inputs.deadlineLearned) ? socks : null;
    }, 15_000))!;
    for (const s of learned) expect(s.inputs.deadlineMs).toBeLessThan(1_000);

    const before = new Set(learned.map((s) => s.id));
    await rig.cluster.instance(0).kill();
    await rig.cluster.instance(0).restore();
    const fresh = (await waitFor(() => {
      const socks = socketsOf(rig!, url).filter((s) => s.state === 'open' && !before.has(s.id));
      return socks.length === 2 ? socks : null;
    }, 10_000))!;
    // No reply gaps of their own yet, but the same link: they start adapted, not at the pool setting.
    for (const s of fresh) {
      expect(s.inputs.deadlineLearned).toBe(true);
      expect(s.inputs.deadlineMs).toBeLessThan(1_000);
    }
  }, 30_000);

  it('a change of health-check interval starts learning over, at the new setting', async () => {
    rig = await poolRig({ pool: { healthCheckInterval: 250 } });
    await waitFor(() => rig!.mgr.list()[0]!.sockets.every((s) => s.inputs.deadlineLearned), 15_000);
    rig.mgr.configure('gym', { healthCheckInterval: 500 });
    const socks = rig.mgr.list()[0]!.sockets;
    for (const s of socks) {
      expect(s.inputs.deadlineLearned).toBe(false);
      // The first estimate for 500 ms beats: longer than what 250 ms beats taught, within the 2 s ceiling.
      expect(s.inputs.deadlineMs).toBeGreaterThan(2 * 500);
      expect(s.inputs.deadlineMs).toBeLessThan(2_000);
    }
  }, 30_000);
});
