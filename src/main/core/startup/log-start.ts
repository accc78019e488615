import type { ConsoleLog } from '../log';
import type { StartPlan } from './resolve-start';

/** The start-up decision, for IT reading the log later: mode, endpoints, data dir, and never the token. */
export function logStart(log: ConsoleLog, plan: StartPlan, dataDir: string): void {
  const offline = plan.mode === 'live' && (plan.token === null || plan.endpoints.length === 0);
  const fields = plan.mode === 'live' ? { mode: 'live', source: plan.source, endpoints: plan.endpoints, dataDir, logFile: log.file } : { mode: 'demo', dataDir, logFile: log.file };
  log.logger.info(fields, plan.mode === 'live' ? `start-up: live (${plan.source === 'flags' ? 'from flags' : 'from the saved site'})${offline ? ', offline' : ''}` : 'start-up: demo gym');
  for (const note of plan.notes) log.logger[offline ? 'warn' : 'info'](note);
}
