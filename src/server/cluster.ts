import { Gym, type GymOptions } from './gym';
import { GymInstance, type InstanceOptions } from './instance';

export interface ClusterOptions extends GymOptions {
  instances?: number;
  /** First port; instance i listens on port+i. 0 picks free ports. */
  port?: number;
  token: string;
  random?: () => number;
  tls?: InstanceOptions['tls'];
  /** Where the instances listen (default 127.0.0.1, this machine only). */
  host?: string;
}

export interface Cluster {
  gym: Gym;
  instances: GymInstance[];
  urls: string[];
  instance(index: number): GymInstance;
  close(): Promise<void>;
}

/** Starts N instances over one shared gym on consecutive ports (of loopback unless `host` says otherwise). */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const gym = new Gym(opts);
  const count = opts.instances ?? 3;
  const instances: GymInstance[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const inst = new GymInstance(i, gym, opts.token, opts.port ? opts.port + i : 0, opts);
      instances.push(inst);
      await inst.start();
    }
  } catch (e) {
    await Promise.all(instances.map((i) => i.kill()));
    throw e;
  }
  const sweeper = setInterval(() => gym.sweep(), 30_000);
  sweeper.unref();
  return {
    gym,
    instances,
    urls: instances.map((i) => i.url),
    instance(index) {
      const inst = instances[index];
      if (!inst) throw new Error(`No instance ${index}; this cluster has ${instances.length}.`);
      return inst;
    },
    async close() {
      clearInterval(sweeper);
      await Promise.all(instances.map((i) => i.kill()));
    },
  };
}
