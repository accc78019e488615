import { randomBytes } from 'node:crypto';
import { startCluster, type Cluster } from '../../../server/cluster';
import { TrafficSimulator } from '../../../server/simulator';
import { applyFault } from '../../../server/faults';
import type { DemoInstanceView, FaultAction } from '../../../shared/state';

export interface EmbeddedDemo {
  cluster: Cluster;
  simulator: TrafficSimulator;
  token: string;
  /** Breaks or mends instance `index` (the demo's fault buttons). */
  fault(index: number, action: FaultAction, value: number): Promise<DemoInstanceView>;
  stop(): Promise<void>;
}

/** The demo gym: the real reference backend (3 instances on free loopback ports) plus arriving members. */
export async function startEmbeddedDemo(opts: { instances?: number; ratePerHour?: number } = {}): Promise<EmbeddedDemo> {
  const token = randomBytes(16).toString('hex');
  const cluster = await startCluster({ instances: opts.instances ?? 3, port: 0, token });
  const simulator = new TrafficSimulator(cluster.gym, { ratePerHour: opts.ratePerHour });
  simulator.start();
  return {
    cluster,
    simulator,
    token,
    fault: (index, action, value) => applyFault(cluster, index, action, value),
    async stop() {
      simulator.stop();
      await cluster.close();
    },
  };
}
