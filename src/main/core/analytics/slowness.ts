import type { MetricValues } from '../../../shared/analytics';
import { replyTime } from '../../../shared/words';

/** Above this, a 10 s sample's replies or the console's own delay are worth a line in the event log. */
export const SLOW_SAMPLE_MS = 200;
/** From this reply time on, the desk decides a check-in on this PC rather than keep the member waiting (front-desk.ts). */
const DESK_WAITS_MS = 1_500;

export interface SlownessEvent {
  type: 'slow' | 'backend-slow';
  source: 'console' | 'backend';
  detail: string;
}

/**
 * Who was slow in a 10 s sample, in staff words. The console's own delay makes every reply late too, so a
 * console that lags is blamed first; slow replies while it keeps up are the gym's system's, not the console's.
 */
export function slownessEvent(v: Pick<MetricValues, 'latencyMs' | 'loopLagMs'>): SlownessEvent | null {
  const lag = Math.round(v.loopLagMs);
  if (v.loopLagMs > SLOW_SAMPLE_MS) {
    return { type: 'slow', source: 'console', detail: `the console itself was ${lag} ms behind, so replies took ${Math.round(v.latencyMs)} ms` };
  }
  if (v.latencyMs <= SLOW_SAMPLE_MS) return null;
  const still = v.latencyMs >= DESK_WAITS_MS ? 'check-ins still work: the desk decides them on this PC and sends them on' : 'check-ins still work, a little more slowly';
  return { type: 'backend-slow', source: 'backend', detail: `replies take about ${replyTime(v.latencyMs)}, while this console keeps up (${lag} ms behind); ${still}.` };
}
