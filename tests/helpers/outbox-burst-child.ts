// A console core for the group-commit crash test: enqueues `bursts` × `size` actions (data "0", "1", …),
// a burst per turn so each is one group commit, and prints "accepted I" as each becomes durable.
// When the row with seq `dieAt` is inserted, a temp trigger SIGKILLs the process inside that
// group's transaction: the commit never completes, exactly as if the power went then.
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { openOutbox } from '../../src/main/core/delivery/open-outbox';
import { systemClock } from '../../src/main/core/clock';
import { defaultPool } from '../../src/shared/pools';

const [dataDir, endpoints, token, bursts, size, dieAt] = process.argv.slice(2) as [string, string, string, string, string, string];
const mgr = new PoolManager({ token, store: memoryPoolStore(), defaults: [defaultPool(endpoints.split(','))] });
const { outbox, db } = openOutbox(dataDir, mgr, systemClock);
db.function('die_now', () => process.kill(process.pid, 'SIGKILL'));
db.exec(`CREATE TEMP TRIGGER die_in_commit AFTER INSERT ON main.outbox WHEN NEW.seq = ${Number(dieAt)} BEGIN SELECT die_now(); END`);
mgr.on('change', () => outbox.kick());
mgr.start();

void (async () => {
  while (mgr.connectionView().state !== 'connected') await new Promise((r) => setTimeout(r, 10));
  let i = 0;
  for (let b = 0; b < Number(bursts); b++) {
    const burst: Promise<void>[] = [];
    for (let n = 0; n < Number(size); n++, i++) {
      const data = String(i);
      burst.push(outbox.enqueue('system', 'action', { kind: 'sync', data }).then(() => void process.stdout.write(`accepted ${data}\n`)));
    }
    await Promise.all(burst);
  }
})();
