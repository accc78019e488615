import type { FrontDesk } from './desk/front-desk';
import type { PoolManager } from './pool/manager';
import type { PatchStream } from './state/patch-stream';

/**
 * While the backend does not answer, or answers but cannot record, the desk decides by this PC's own count
 * (FrontDesk.countHere): the occupancy gauge carries it as `here`, so Overview shows the count members are turned away
 * by, not the backend's last one beside it (readme27 W3). Returns the update, for each change and each tick.
 */
export function occupancyHere(d: { pools: Pick<PoolManager, 'connectionView'>; stream: PatchStream; desk: Pick<FrontDesk, 'countHere'> }): () => void {
  return () => {
    const view = d.pools.connectionView();
    const away = view.state === 'offline' || view.cause?.kind === 'storage-unavailable';
    const here = away ? d.desk.countHere()?.count : undefined;
    const o = d.stream.current('occupancy');
    if (o.here === here) return;
    const { here: _, ...rest } = o;
    d.stream.gauge('occupancy', here === undefined ? rest : { ...rest, here });
  };
}
