import { openLog, type ConsoleLog } from '../log';
import { terminalLine } from '../terminal-line';
import { APP_VERSION } from '../version';
import type { CoreOptions } from '../app';
import { tokenByEnv, type StartPlan } from './resolve-start';

/**
 * Opens the log and tells the start-up decision: to the log for IT reading it later (mode, endpoints, data dir,
 * never the token), and to stderr for the person starting the console (what was saved where, why it is offline).
 */
export function announceStart(plan: StartPlan, dataDir: string, command: string): ConsoleLog {
  const log = openLog(dataDir);
  if (plan.mode === 'live' && plan.token) log.hide(plan.token);
  // The token saved before, which a refused new one falls back to (token-fallback.ts): never written either (review24 V7).
  if (plan.mode === 'live' && plan.previousToken) log.hide(plan.previousToken);
  const warnings = plan.mode === 'live' ? plan.warnings : [];
  const lost = plan.mode === 'live' ? plan.lost : [];
  const poolProblems = plan.mode === 'live' ? [...(plan.replacedAddresses ? [plan.replacedAddresses] : []), ...plan.poolProblems] : [];
  // The version with each start: after an update IT reads which one logged what (readme25 W6).
  const fields = plan.mode === 'live' ? { version: APP_VERSION, mode: 'live', source: plan.source, endpoints: plan.endpoints, dataDir, logFile: log.file } : { version: APP_VERSION, mode: plan.mode, dataDir, logFile: log.file };
  const how = plan.mode === 'live' ? `live (${plan.source === 'flags' ? 'from flags' : 'from the saved site'})${warnings.length ? ', offline' : ''}` : plan.mode === 'demo' ? 'demo gym' : 'review only (no backend, no demo)';
  log.logger.info(fields, `start-up: ${how}`);
  for (const note of plan.notes) log.logger.info(note);
  for (const warning of [...lost, ...warnings, ...poolProblems]) log.logger.warn(warning);
  for (const line of [...startingLine(plan, command), ...lost, ...plan.notes, ...warnings, ...poolProblems, `log file ${log.file}`]) process.stderr.write(terminalLine(line));
  return log;
}

/** What this start is, first: a demo started by mistake, or a live one on the wrong backend, is seen from the terminal. */
function startingLine(plan: StartPlan, command: string): string[] {
  // On a live gym's folder the way to the backend is already set up: what IT needs is the way back to it.
  if (plan.mode === 'demo' && plan.onLive) return ["starting the demo gym: simulated members and check-ins, not a real gym. This PC's live console starts again when started without --demo."];
  if (plan.mode === 'demo') return [`starting the demo gym: simulated members and check-ins, not a real gym. To connect to the gym's backend, start it as ${tokenByEnv(command, '--backend ws://host:port')}.`];
  if (plan.mode !== 'live' || !plan.endpoints.length) return [];
  const [first, ...more] = plan.endpoints;
  return [`starting live, with the gym's backend at ${first}${more.length ? ` (and ${more.length} more)` : ''}.`];
}

/** What startCore needs from the plan: the backend (none: the demo), why a live start is offline, and what it lost. */
export function coreStart(plan: StartPlan): Pick<CoreOptions, 'backend' | 'startupWarnings' | 'lostData' | 'reviewOnly' | 'uncleanStop' | 'replacedAddresses'> {
  if (plan.mode === 'demo') return { backend: undefined };
  if (plan.mode === 'review') return { backend: undefined, reviewOnly: true };
  // With no endpoints the saved pools are the configuration. With no token the backend refuses the sockets:
  // offline, as the warnings say, until a token is saved.
  return { backend: { endpoints: plan.source === 'flags' ? plan.endpoints : [], token: plan.token ?? '', ...(plan.previousToken && { previousToken: plan.previousToken }) }, startupWarnings: plan.warnings, lostData: plan.lost, ...(plan.crashed ? { uncleanStop: plan.crashed } : {}), ...(plan.replacedAddresses && { replacedAddresses: plan.replacedAddresses }) };
}
