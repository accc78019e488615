import type { Cluster } from './cluster';
import { FAULT_ACTIONS, type FaultAction } from '../shared/state';

export { FAULT_ACTIONS, type FaultAction };

/** The instances this process runs: all of an in-process cluster, or the one of a Redis-mode process. */
export type Instances = Pick<Cluster, 'instances' | 'instance'>;

export interface InstanceStatus {
  index: number;
  url: string;
  listening: boolean;
  clients: number;
  hung: boolean;
  delayMs: number;
  dropFraction: number;
}

/** One entry point for faults, shared by tests, the admin channel and the demo buttons. */
export async function applyFault(cluster: Instances, index: number, action: FaultAction, value = 0): Promise<InstanceStatus> {
  const inst = cluster.instance(index);
  switch (action) {
    case 'kill':
      await inst.kill();
      break;
    case 'hang':
      inst.hang();
      break;
    case 'delay':
      inst.delay(value);
      break;
    case 'drop':
      inst.drop(value);
      break;
    case 'restore':
      await inst.restore();
      break;
  }
  return statusOf(cluster, index);
}

export function statusOf(cluster: Instances, index: number): InstanceStatus {
  const inst = cluster.instance(index);
  return { index, url: inst.url, listening: inst.listening, clients: inst.clients, ...inst.faults };
}
