import type { Outbox } from './delivery/outbox';
import type { ConsoleLog } from './log';
import type { PoolManager } from './pool/manager';
import type { AlertView, HealthGauge } from '../../shared/health';

export interface DiagnosticsDeps {
  version: string;
  dataDir: string;
  demo: boolean;
  /** Started with --review-only. */
  review?: boolean;
  kiosk: boolean;
  pools: PoolManager;
  outbox: Outbox;
  log: ConsoleLog | null;
  now: number;
  /** When this run started (this PC's clock): the recent warnings are this run's. */
  startedAt?: number;
  health?: HealthGauge;
}

/** "Copy diagnostics": what a gym's IT person needs in one paste. Built from views that never hold the token, then scrubbed anyway. */
export function diagnosticsText(d: DiagnosticsDeps): string {
  const conn = d.pools.connectionView();
  const box = d.outbox.view();
  const recent = d.log?.recent() ?? [];
  const lines = [
    'AV Gym Console diagnostics',
    `taken:       ${new Date(d.now).toISOString()}`,
    `version:     ${d.version}`,
    `mode:        ${d.demo ? 'DEMO (embedded demo gym, simulated data)' : d.review ? 'REVIEW ONLY (no backend, no demo; data in review/)' : 'live'}${d.kiosk ? ', kiosk' : ''}`,
    `data dir:    ${d.dataDir}`,
    `log file:    ${d.log?.file ?? 'none (this run keeps no log file)'}`,
    `backend:     ${conn.state}; last event ${conn.lastSeq}; protocol errors ${conn.protocolErrors}; events missed ${conn.eventsMissed}×; events unreadable ${conn.eventsUnreadable ?? 0}; member records unreadable ${conn.recordsUnreadable ?? 0}; event log started over ${conn.restartedAt === null ? 'never' : `last at ${new Date(conn.restartedAt).toISOString()}`}`,
    ...conn.endpoints.map((e) => `  ${e.url}  ${e.state}${e.rttMs === null ? '' : ` ${Math.round(e.rttMs)} ms`}${e.primary ? '  (event stream)' : ''}`),
    '',
    ...poolLines(d.pools),
    '',
    `outbox:      ${box.queued} queued, ${box.inFlight} in flight, ${box.dead} dead letters${box.oldestAgeMs === null ? '' : `, oldest ${Math.round(box.oldestAgeMs / 1000)} s`}`,
    `  by lane:   ${Object.entries(box.lanes).map(([l, n]) => `${l} ${n}`).join(', ')}`,
    ...(box.alert ? [`  alert:     ${box.alert}`] : []),
    '',
    ...healthLines(d.health),
    // This run's only: "none" after a restart read as a clean morning while the log file held its outages (readme25 W6).
    `recent warnings and errors since this start${d.startedAt === undefined ? '' : ` at ${new Date(d.startedAt).toISOString()}`} (${recent.length})${d.log ? `; earlier ones are in ${d.log.file}` : ''}:`,
    ...(recent.length ? recent.map((l) => `  ${l}`) : ['  none']),
  ];
  const text = lines.join('\n');
  return d.log ? d.log.scrub(text) : text;
}

function healthLines(h: HealthGauge | undefined): string[] {
  if (!h) return [];
  return [
    `health:      ${h.overall}`,
    ...h.checks.filter((c) => c.status !== 'ok').map((c) => `  ${c.label}: ${c.status}: ${c.reason}`),
    ...h.alerts.map(alertLine),
    '',
  ];
}

/**
 * One alert as IT reads it in the paste. A firing alert whose trouble has ended says so: beside `health: ok`, a bare
 * "firing: … refused the console's token" read as trouble still going on (readme21 R12).
 */
export function alertLine(a: AlertView): string {
  const state = a.state === 'firing' && a.clearedAt !== null ? `back to normal since ${new Date(a.clearedAt).toISOString()}, closing` : a.state;
  return `  alert ${a.id} ${state}${a.inhibitedBy ? ` (part of ${a.inhibitedBy})` : ''}${a.ackedBy ? `, acknowledged by ${a.ackedBy}` : ''}: ${a.reason}`;
}

function poolLines(pools: PoolManager): string[] {
  const list = pools.list();
  if (!list.length) return ['pools:       none configured'];
  return list.flatMap((p) => [
    `pool "${p.config.name}": ${p.config.strategy}, ${p.sockets.filter((s) => s.inRotation).length}/${p.config.maxConnections} sockets in rotation`,
    ...p.endpoints.map((e) => `  ${e.url}  breaker ${e.breaker}${e.failures ? `, ${e.failures} failures` : ''}${e.nextRetryInMs === null ? '' : `, retry in ${Math.round(e.nextRetryInMs / 1000)} s`}`),
    ...p.sockets.map((s) => `    socket ${s.id} ${s.endpoint} ${s.state}${s.rttMs === null ? '' : ` ${Math.round(s.rttMs)} ms`} health ${Math.round(s.score)}${s.inRotation ? '' : ' (out of rotation)'}${s.subscribed ? '  (event stream)' : ''}`),
  ]);
}
