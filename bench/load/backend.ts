/**
 * Where a load scenario's backend comes from, injected so the same scenarios run against the
 * in-process reference cluster and against backend processes on Redis.
 */
import { startCluster } from '../../src/server/cluster';
import { redisMissing } from '../../tests/helpers/redis-server';
import { redisBackend } from './redis-backend';

export interface LoadBackend {
  urls: string[];
  /** How many times the backend applied each action's data tag: the truth for lost and duplicated. */
  applied(): Promise<ReadonlyMap<string, number>>;
  close(): Promise<void>;
}

export type BackendFactory = (opts: { instances: number; token: string }) => Promise<LoadBackend>;

export const BACKENDS = ['in-process', 'redis'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The reference cluster in this process; the clients under test run in their own processes. */
export const inProcessBackend: BackendFactory = async ({ instances, token }) => {
  const cluster = await startCluster({ instances, port: 0, token, rosterSize: 50 });
  const applied = new Map<string, number>();
  // Counted here rather than read from gym.actions, which keeps only the newest 110,000.
  const action = cluster.gym.action.bind(cluster.gym);
  cluster.gym.action = (key, kind, data) => {
    const r = action(key, kind, data);
    if (r.ok && r.applied) applied.set(data, (applied.get(data) ?? 0) + 1);
    return r;
  };
  return { urls: cluster.urls, applied: async () => applied, close: () => cluster.close() };
};

/** Says why a backend cannot be had, in words for the person who asked for it; the factory when it can. */
export function backendFactory(name: BackendName): BackendFactory | string {
  if (name === 'in-process') return inProcessBackend;
  const missing = redisMissing();
  return missing ? `needs Redis: ${missing}` : redisBackend;
}
