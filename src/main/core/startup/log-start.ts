import type { ConsoleLog } from '../log';
import type { StartPlan } from './resolve-start';

/** The start-up decision, for IT reading the log later: mode, endpoints, data dir, and never the token. */
export function logStart(log: ConsoleLog, plan: StartPlan, dataDir: string): void {
  const offline = plan.mode === 'live' && plan.warnings.length > 0;
  const fields = plan.mode === 'live' ? { mode: 'live', source: plan.source, endpoints: plan.endpoints, dataDir, logFile: log.file } : { mode: 'demo', dataDir, logFile: log.file };
  log.logger.info(fields, plan.mode === 'live' ? `start-up: live (${plan.source === 'flags' ? 'from flags' : 'from the saved site'})${offline ? ', offline' : ''}` : 'start-up: demo gym');
  for (const note of plan.notes) log.logger.info(note);
  if (plan.mode === 'live') for (const warning of plan.warnings) log.logger.warn(warning);
}

/** Every line the person starting the console should read, for stderr. */
export function startLines(plan: StartPlan): string[] {
  return [...plan.notes, ...(plan.mode === 'live' ? plan.warnings : [])];
}
