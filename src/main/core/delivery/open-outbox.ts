import { join } from 'node:path';
import type { Clock } from '../clock';
import type { PoolManager } from '../pool/manager';
import { AuditLog } from '../store/audit-log';
import { openDb, type Db } from '../store/db';
import { Outbox, type OutboxOptions } from './outbox';
import { OUTBOX_MIGRATIONS } from './outbox-schema';
import { OutboxStore } from './outbox-store';
import { poolChannels, type ChannelLimits } from './pool-channels';

/** outbox.db in `dir`, synchronous=FULL so an accepted check-in survives a power cut. */
export function openOutbox(
  dir: string,
  pools: PoolManager,
  clock: Clock,
  opts: Partial<OutboxOptions> = {},
  limits: Partial<ChannelLimits> = {},
): { outbox: Outbox; audit: AuditLog; db: Db; close(): void } {
  const db = openDb(join(dir, 'outbox.db'), OUTBOX_MIGRATIONS, { synchronous: 'FULL' });
  const audit = new AuditLog(db, () => clock.now());
  const outbox = new Outbox({ store: new OutboxStore(db, audit), channels: poolChannels(pools, limits), clock, ...opts });
  return {
    outbox,
    audit,
    db,
    close() {
      outbox.close();
      db.close();
    },
  };
}
