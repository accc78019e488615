import type { Clock } from '../clock';
import type { PoolManager } from '../pool/manager';
import { AuditLog } from '../store/audit-log';
import type { Db } from '../store/db';
import { openConsoleDb, type OlderFile } from '../store/open-console-db';
import { keepConsoleDb, type ConsoleDbKeeper } from '../store/console-db-keeper';
import { markClosed, markClosing, markOpen } from '../store/console-db-mark';
import { Outbox, type OutboxOptions } from './outbox';
import { OutboxStore } from './outbox-store';
import { poolChannels, type ChannelLimits } from './pool-channels';
import { decidedOfflineLookup } from '../desk/offline-decisions';

/** The outbox and the audit log over console.db in `dir`. */
export function openOutbox(
  dir: string,
  pools: PoolManager,
  clock: Clock,
  opts: Partial<OutboxOptions> = {},
  limits: Partial<ChannelLimits> = {},
): { outbox: Outbox; audit: AuditLog; db: Db; keeper: ConsoleDbKeeper; repaired: string | null; older: OlderFile | null; close(): void } {
  let repaired: string | null = null;
  let older: OlderFile | null = null;
  const db = openConsoleDb(dir, { repaired: (line) => (repaired = line), older: (o) => (older = o) });
  const keeper = keepConsoleDb(db, dir, clock);
  // After the keeper's first checkpoint, which writes the mark: a next start knows whether this one stopped cleanly.
  markOpen(dir);
  const audit = new AuditLog(db, () => clock.now());
  const outbox = new Outbox({ store: new OutboxStore(db, audit), channels: poolChannels(pools, limits), clock, decidedOffline: decidedOfflineLookup(db), ...opts });
  return {
    outbox,
    audit,
    db,
    keeper,
    repaired,
    older,
    close() {
      keeper.stop();
      outbox.close();
      markClosing(dir);
      db.close();
      markClosed(dir);
    },
  };
}
