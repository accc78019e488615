// A console's alert center in its own process, for the restart test: `raise N` fires N alerts (each a
// webhook notice) and prints "queued ID" once each is committed; `drain` starts again on the same
// console.db and prints "drained" when no delivery is pending.
import { systemClock } from '../../src/main/core/clock';
import { alertRig } from './alert-rig';
import { SECRET } from './webhook-receiver';

const [dataDir, url, mode, count] = process.argv.slice(2) as [string, string, 'raise' | 'drain', string?];
const rig = alertRig(dataDir, systemClock, [0, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000]);
if (mode === 'raise') {
  rig.center.saveWebhook({ url, secret: SECRET, enabled: true, timeoutSeconds: 5 }, 'Manager');
  for (let i = 0; i < Number(count); i++) {
    rig.raise(`alert-${i}`);
    process.stdout.write(`queued ${rig.notices.at(-1)!.id}\n`);
  }
} else {
  rig.center.webhooks.start();
  const timer = setInterval(() => {
    if (rig.center.deliveries.pendingCount() === 0 && rig.center.webhooks.busy === 0) {
      clearInterval(timer);
      process.stdout.write('drained\n');
      process.exit(0);
    }
  }, 20);
}
