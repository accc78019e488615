import type { FrontDesk } from './desk/front-desk';
import type { PoolManager } from './pool/manager';
import type { PatchStream } from './state/patch-stream';

/**
 * While the backend does not answer, or answers but cannot record, or has not answered check-ins this PC decided (a
 * backend program stuck), the desk decides by this PC's own count (FrontDesk.countHere): the occupancy gauge carries it
 * as `here`, so Overview shows the count members are turned away by, not the backend's last one beside it (readme27
 * W3, probe28b H6). Returns the update, for each second's tick.
 */
export function occupancyHere(d: { pools: Pick<PoolManager, 'connectionView'>; stream: PatchStream; desk: Pick<FrontDesk, 'countHere'>; waiting: () => number }): () => void {
  return () => {
    const view = d.pools.connectionView();
    const away = view.state === 'offline' || view.cause?.kind === 'storage-unavailable';
    // Connected, only while check-ins wait to be answered: one dead-lettered is no sign the backend is not answering
    // (review28 V5). Nothing waiting and connected, the count is not read at all (it reads console.db).
    const counted = away || d.waiting() > 0 ? d.desk.countHere() : null;
    const here = counted && (away || counted.mine > 0) ? counted.count : undefined;
    const o = d.stream.current('occupancy');
    if (o.here === here) return;
    const { here: _, ...rest } = o;
    d.stream.gauge('occupancy', here === undefined ? rest : { ...rest, here });
  };
}
