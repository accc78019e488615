import { UserError } from '../../shared/result';
import type { Gauges } from '../../shared/state';
import type { Handlers } from './bridge/dispatch';
import type { Clock } from './clock';
import { startEmbeddedDemo, type EmbeddedDemo } from './demo/embedded';
import { toCheckinEntry } from './feed';
import { BackendLink } from './pool/link';
import { PatchStream } from './state/patch-stream';

export interface CoreOptions {
  version: string;
  dataDir: string;
  /** Real backend instances; leave out to run on the embedded demo gym. */
  backend?: { endpoints: string[]; token: string };
  demoRatePerHour?: number;
  clock?: Clock;
  patchIntervalMs?: number;
}

export interface Core {
  handlers: Handlers;
  stream: PatchStream;
  link: BackendLink;
  demo: EmbeddedDemo | null;
  stop(): Promise<void>;
}

/** The console's main-process core in plain Node: backend link, state stream and the handler table. */
export async function startCore(opts: CoreOptions): Promise<Core> {
  const demo = opts.backend ? null : await startEmbeddedDemo({ ratePerHour: opts.demoRatePerHour });
  const backend = opts.backend ?? { endpoints: demo!.cluster.urls, token: demo!.token };
  const link = new BackendLink({ endpoints: backend.endpoints, token: backend.token, clock: opts.clock });
  const initial: Gauges = {
    mode: { demo: demo !== null, dataDir: opts.dataDir },
    connection: link.view(),
    occupancy: { count: 0, capacity: 0 },
    demo: demo ? { ratePerHour: demo.simulator.ratePerHour } : null,
  };
  const stream = new PatchStream(initial, { clock: opts.clock, minIntervalMs: opts.patchIntervalMs });

  link.on('change', () => stream.gauge('connection', link.view()));
  link.on('resync', (snap) => {
    stream.gauge('occupancy', { count: snap.occupancy, capacity: snap.capacity });
    for (const e of snap.recent) {
      const entry = toCheckinEntry(e);
      if (entry) stream.append('checkins', entry);
    }
  });
  link.on('event', (e) => {
    const { capacity } = stream.current('occupancy');
    stream.gauge('occupancy', { count: e.body.occupancy, capacity });
    const entry = toCheckinEntry(e);
    if (entry) stream.append('checkins', entry);
  });
  link.start();

  const handlers: Handlers = {
    'app.info': () => ({ version: opts.version, demo: demo !== null, dataDir: opts.dataDir }),
    'state.snapshot': () => stream.snapshot(),
    'demo.setRate': ({ ratePerHour }) => {
      if (!demo) throw new UserError('not-demo', 'The traffic rate can only be changed on the demo gym.');
      demo.simulator.setRate(ratePerHour);
      stream.gauge('demo', { ratePerHour });
      return { ratePerHour };
    },
  };

  return {
    handlers,
    stream,
    link,
    demo,
    async stop() {
      link.stop();
      stream.flush();
      await demo?.stop();
    },
  };
}
