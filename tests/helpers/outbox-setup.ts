import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOutbox } from '../../src/main/core/delivery/open-outbox';
import type { OutboxOptions } from '../../src/main/core/delivery/outbox';
import type { ChannelLimits } from '../../src/main/core/delivery/pool-channels';
import { systemClock } from '../../src/main/core/clock';
import { poolRig, type PoolRig } from './pool-setup';

export async function outboxRig(opts: Partial<OutboxOptions> = {}, rigOpts: Parameters<typeof poolRig>[0] = {}, limits: Partial<ChannelLimits> = {}) {
  const rig: PoolRig = await poolRig(rigOpts);
  const dir = mkdtempSync(join(tmpdir(), 'gym-outbox-'));
  const box = openOutbox(dir, rig.mgr, systemClock, opts, limits);
  rig.mgr.on('change', () => box.outbox.kick());
  return {
    ...rig,
    dir,
    ...box,
    async close() {
      box.close();
      await rig.close();
    },
  };
}
