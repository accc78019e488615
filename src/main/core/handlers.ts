import { UserError } from '../../shared/result';
import { applyFault } from '../../server/faults';
import type { Handlers } from './bridge/dispatch';
import type { EmbeddedDemo } from './demo/embedded';
import type { PoolManager } from './pool/manager';
import type { Outbox } from './delivery/outbox';
import type { AnalyticsEngine } from './analytics/engine';
import { analyticsHandlers } from './analytics/analytics-handlers';
import type { Clock } from './clock';
import type { PatchStream } from './state/patch-stream';

interface HandlerDeps {
  version: string;
  dataDir: string;
  demo: EmbeddedDemo | null;
  pools: PoolManager;
  outbox: Outbox;
  analytics: AnalyticsEngine;
  stream: PatchStream;
  refresh(): void;
  clock: Clock;
}

/** The contract, implemented once; Electron IPC and the web bridge both dispatch here. */
export function createHandlers({ version, dataDir, demo, pools, outbox, analytics, stream, refresh, clock }: HandlerDeps): Handlers {
  const needDemo = (what: string): EmbeddedDemo => {
    if (!demo) throw new UserError('not-demo', `${what} is only available on the demo gym.`);
    return demo;
  };
  return {
    'app.info': () => ({ version, demo: demo !== null, dataDir }),
    'state.snapshot': () => stream.snapshot(),
    'demo.setRate': ({ ratePerHour }) => {
      needDemo('Changing the traffic rate').simulator.setRate(ratePerHour);
      refresh();
      return { ratePerHour };
    },
    'demo.fault': async ({ instance, action, value }) => {
      const d = needDemo('Breaking instances');
      if (instance >= d.cluster.instances.length) throw new UserError('no-such-instance', `The demo gym has instances 0 to ${d.cluster.instances.length - 1}.`);
      const status = await applyFault(d.cluster, instance, action, value ?? (action === 'delay' ? 300 : action === 'drop' ? 0.2 : 0));
      refresh();
      return status;
    },
    'outbox.send': ({ lane, kind, data }) => outbox.enqueue(lane, 'action', { kind, data }),
    'outbox.dead': () => outbox.deadLetters(),
    'outbox.retry': ({ key }) => {
      outbox.retryDead(key, 'console');
      return { key };
    },
    'outbox.discard': ({ key }) => {
      outbox.discardDead(key, 'console');
      return { key };
    },
    ...analyticsHandlers({ engine: analytics, stream, dataDir, site: demo ? 'Demo gym' : 'This gym', version, clock }),
    'pools.list': () => pools.list(),
    'pools.create': ({ config }) => pools.create(config),
    'pools.configure': ({ name, patch }) => pools.configure(name, patch),
    'pools.destroy': ({ name }) => {
      pools.destroy(name);
      return { name };
    },
  };
}
