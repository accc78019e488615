// A console core in its own process, for the crash test: `send N` enqueues check-ins and prints
// "accepted KEY" once each is durable; `drain` waits until the outbox is empty and prints "drained".
import { PoolManager } from '../../src/main/core/pool/manager';
import { memoryPoolStore } from '../../src/main/core/pool/pools-file';
import { openOutbox } from '../../src/main/core/delivery/open-outbox';
import { systemClock } from '../../src/main/core/clock';
import { defaultPool } from '../../src/shared/pools';

const [dataDir, endpoints, token, mode, count] = process.argv.slice(2) as [string, string, string, 'send' | 'drain', string?];
const mgr = new PoolManager({ token, store: memoryPoolStore(), defaults: [defaultPool(endpoints.split(','))] });
const { outbox } = openOutbox(dataDir, mgr, systemClock);
mgr.on('change', () => outbox.kick());
mgr.start();

if (mode === 'send') {
  void (async () => {
    for (let i = 0; i < Number(count); i++) {
      const { key } = await outbox.enqueue('realtime', 'checkin', { cardId: `K-${process.pid}-${i}`, source: 'kiosk' });
      process.stdout.write(`accepted ${key}\n`);
    }
  })();
} else {
  const timer = setInterval(() => {
    const v = outbox.view();
    if (v.queued === 0 && v.inFlight === 0) {
      clearInterval(timer);
      process.stdout.write('drained\n');
      process.exit(0);
    }
  }, 20);
}
