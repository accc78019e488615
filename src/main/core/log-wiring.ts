import type { BannerLine } from '../../shared/banner-words';
import type { Logger } from 'pino';
import { UserError } from '../../shared/result';
import type { Handlers } from './bridge/dispatch';
import type { PoolActivity } from './pool/activity';
import type { PoolManager } from './pool/manager';
import type { PatchStream } from './state/patch-stream';

const WARN_ACTIVITY = new Set<PoolActivity['type']>(['disconnected', 'failed', 'failover', 'feed-stranded', 'continuity-lost', 'event-unreadable', 'feed-unstable', 'record-unreadable', 'answer-wrong', 'breaker-open', 'quarantined']);

/** What the pools did, protocol errors and alerts, into the log file: the trail IT reads after "it went offline at 7". */
export function logCoreEvents(logger: Logger, pools: PoolManager, stream: PatchStream): void {
  pools.on('activity', (a) => {
    const where = [a.pool && `pool ${a.pool}`, a.endpoint].filter(Boolean).join(' ');
    // The technical detail (an error code, an instance's id) is for IT, so the log file says it first.
    const detail = [a.raw, a.detail].filter(Boolean).join(' · ');
    // A close the console made on purpose is info: ten clean restarts must not push real trouble out of
    // the last 50 warnings and errors that Copy diagnostics carries.
    logger[WARN_ACTIVITY.has(a.type) && !a.onPurpose ? 'warn' : 'info']({ activity: a }, `${a.type}${where ? ` ${where}` : ''}${detail ? `: ${detail}` : ''}`);
  });
  // Pools count protocol errors rather than report each; the log says when the count grows. Read from
  // the coalesced state stream (at most 20 patches a second), never per frame: a backend flooding bad
  // frames must not also flood the log or cost a connection view per frame.
  let protocolErrors = 0;
  stream.subscribe((patch) => {
    const now = patch.gauges.connection?.protocolErrors;
    if (now !== undefined && now > protocolErrors) logger.warn({ protocolErrors: now }, `protocol error from the backend (${now - protocolErrors} more, ${now} this run)`);
    if (now !== undefined) protocolErrors = now;
  });
  const told = new Set<string>();
  // The log is IT's: the cause (detail) where there is one, not the desk's first line.
  const alerts = (list: BannerLine[]): void => {
    for (const alert of list.map((a) => a.detail ?? a.text)) {
      if (!told.has(alert)) logger.error({ alert }, `alert: ${alert}`);
      told.add(alert);
    }
  };
  alerts(stream.current('alerts'));
  stream.subscribe((patch) => alerts(patch.gauges.alerts ?? []));
}

/** Failures the staff see as "something went wrong" are logged with their stack; UserErrors are expected answers. */
export function logInternalErrors(handlers: Handlers, logger: Logger): Handlers {
  const wrapped: Record<string, (input: unknown, ctx: unknown) => unknown> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (input: unknown, ctx: unknown) => unknown][]) {
    wrapped[name] = async (input, ctx) => {
      try {
        return await handler(input, ctx);
      } catch (e) {
        if (!(e instanceof UserError)) logger.error({ err: e, request: name }, `request ${name} failed`);
        throw e;
      }
    };
  }
  return wrapped as unknown as Handlers;
}
