import type { PerfPoint } from '../../../../shared/state';
import { formatMs } from '../../format';

/** The charts' titles and lines, in words a manager or IT reads without knowing p50, RSS, heap or event loops. */
export const CHART_TEXT = Object.freeze({
  latency: { title: 'Reply time', note: 'thin lines: each backend instance', typical: 'Typical', slow: 'Slowest 1 in 20' },
  throughput: { title: 'Messages per second', in: 'From the gym', out: 'To the gym' },
  errors: { title: 'Failed requests', line: 'Failed' },
  memory: { title: 'Memory', total: 'Console, in all', data: "Console's own data", screen: 'This screen' },
  cpu: { title: 'Processor use (console)', line: 'Processor' },
  lag: { title: 'Console response delay', line: 'Delay' },
} as const);

const rate = (perS: number): string => (perS >= 10 ? Math.round(perS).toLocaleString('en') : perS < 0.05 ? '0' : perS.toFixed(1));

/** The "right now" line above the charts: each figure named in words, rounded as far as it means anything. */
export function nowWords(p: PerfPoint, screenMb: number | undefined): string {
  const replies = p.p50 === null ? 'no replies to time' : `replies in ${formatMs(p.p50)}${p.p95 !== null ? ` (slowest 1 in 20: ${formatMs(p.p95)})` : ''}`;
  const screen = screenMb !== undefined ? `, by this screen ${screenMb.toFixed(1)} MB` : '';
  return [
    `Last 10 seconds: ${replies}`,
    `messages ${rate(p.inPerS)} a second from the gym, ${rate(p.outPerS)} to it`,
    `${Math.round(p.errorRate * 100)} % of requests failed`,
    `memory used by the console ${Math.round(p.rssMb)} MB${screen}`,
    `processor ${Math.round(p.cpuPct)} %`,
    `the console responds within ${formatMs(p.lagMs)}`,
  ].join(' · ');
}
