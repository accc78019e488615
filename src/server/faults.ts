import type { Cluster } from './cluster';
import { FAULT_ACTIONS, type FaultAction } from '../shared/state';

export { FAULT_ACTIONS, type FaultAction };

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
export async function applyFault(cluster: Cluster, index: number, action: FaultAction, value = 0): Promise<InstanceStatus> {
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

export function statusOf(cluster: Cluster, index: number): InstanceStatus {
  const inst = cluster.instance(index);
  return { index, url: inst.url, listening: inst.listening, clients: inst.clients, ...inst.faults };
}
