import { parseArgs } from 'node:util';
import { terminalLine } from '../core/terminal-line';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { startCore } from '../core/app';
import { dataDirProblem, defaultDataDir, openDataDir } from '../core/data-dir';
import { openLog, type ConsoleLog } from '../core/log';
import { joinNegativeValues, plainArgsError } from '../../shared/cli-args';
import { APP_VERSION } from '../core/version';
import { startHost, takePort } from './host';
import { keptWebToken, newWebToken } from './web-token';
import { guestOnLive, guestOnLiveNote } from './guest-on-live';
import { heldByConsole } from './port-holder';
import { keepPort, keptPortNote, portFile, readKeptPort } from './kept-port';
import { builtReviewWorker } from '../core/store/review-thread';
import { fileTokenVault } from '../core/token-vault';
import { lostBeforeStart, resolveStart, startProblems } from '../core/startup/resolve-start';
import { announceStart, coreStart } from '../core/startup/announce-start';
import { sayBackendOnTerminal } from '../core/startup/backend-lines';
import { keepServingOnUnexpectedErrors } from '../core/last-resort';
import { watchTerminal } from '../core/lost-terminal';
import { gracefulShutdown } from '../core/shutdown';
import { StartRefused } from '../core/startup/start-refused';
import { resolveStation, stationProblem } from '../core/startup/station';
import { flagToken } from '../core/startup/handed-token';
import { LOCK_FILE } from '../core/startup/data-dir-lock';
import { KIOSK_NO_PINS_NOTE } from '../../shared/roles';
import { writeKioskPage } from './kiosk-page';

const HELP = `Usage: [GYM_BACKEND_TOKEN=TOKEN] npm run web -- [--demo | --review-only] [--kiosk | --desk] [--port N] [--data-dir DIR] [--backend URL,URL] [--demo-rate R]
Runs the console's core in Node and serves its screens to a browser on 127.0.0.1.
A live gym's first start: GYM_BACKEND_TOKEN=TOKEN npm run web -- --backend wss://HOST:PORT,wss://HOST:PORT
  (the addresses and the token are saved in the data folder: later starts need neither)
  --demo           run on the embedded demo gym (the default only for a new data dir)
  --review-only    a console for opening exports only: no backend, no demo (its data in DIR/review/)
  --port N         listen on port N, kept in DIR/web-port.json: later starts without --port use it, so
                   screens left open keep their address (its token is kept in DIR/web-token).
                   --port 0 picks a free port on each start and forgets a kept one (the default for a new DIR)
  --data-dir DIR   where the console keeps its data (default: ${defaultDataDir()})
  --backend        comma-separated ws:// or wss:// URLs of the gym backend instances (saved: later runs need no flags)
  --backend-token  the token on the command line instead of GYM_BACKEND_TOKEN: every user of this PC can read it
                   while the console runs, so prefer the environment variable (either way it is saved)
  --demo-rate R    demo arrivals per hour at peak (default 1800)
  --kiosk          make this PC a kiosk check-in station (remembered: later starts need no flag)
  --desk           make a kiosk PC a front-desk console again
Environment:
  GYM_BACKEND_TOKEN  the backend's token (saved in the data folder, so it is needed once)
  AV_GYM_DATA_DIR    the data folder, when --data-dir is not given
Exit status: 2 a wrong flag, 1 a problem on this machine (port taken, folder not writable), 3 another console
is running on this data folder.`;

/** How IT started this console, so the lines that say how to give a token name the command they typed (npm sets it). */
const COMMAND = process.env.npm_lifecycle_event === 'start' ? 'npm start' : 'npm run web';
/** Exit statuses: 2 a wrong flag (fix the command), 1 this machine (fix the environment), 3 the data folder is in use. */
const EXIT = { badArgument: 2, environment: 1, inUse: 3 } as const;
const VALUE_FLAGS = ['port', 'data-dir', 'backend', 'backend-token', 'demo-rate'];

/** One line (or one per problem) on stderr, then the exit status. */
function fail(message: string | string[], code: number = EXIT.badArgument): never {
  process.stderr.write([message].flat().map(terminalLine).join(''));
  process.exit(code);
}

const OPTIONS = {
  demo: { type: 'boolean' },
  'review-only': { type: 'boolean' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  backend: { type: 'string' },
  'backend-token': { type: 'string' },
  'demo-rate': { type: 'string' },
  kiosk: { type: 'boolean' },
  desk: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

function parse() {
  const args = joinNegativeValues(process.argv.slice(2), VALUE_FLAGS);
  try {
    return parseArgs({ args, options: OPTIONS }).values;
  } catch (e) {
    fail(plainArgsError(e, 'npm run web -- --help', { args, options: OPTIONS }));
  }
}

/** A whole number in [min, max] written in digits, or null: Number() also reads '', '1e3', '0x10' and ' 8 '. */
function wholeNumber(raw: string, min: number, max: number): number | null {
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** A listen failure in plain words; null when it is not one we can explain. `keptIn`: the port came from this file, not --port. */
function listenProblem(e: NodeJS.ErrnoException, port: number, keptIn: string | null, byConsole = false): string | null {
  // A kept port is never swapped for another quietly: the screens left open know only this one.
  const which = keptIn ? `port ${port} (kept in ${keptIn} from an earlier --port ${port}, so open screens find the console there)` : `port ${port}`;
  const instead = keptIn ? 'start it with --port N for another port' : 'pick another --port';
  // A console on the same folder is told before this (its lock); one that answers like us is another folder's.
  if (e.code === 'EADDRINUSE' && byConsole) return `${which} is already in use by another AV Gym Console, one running on another data folder: stop that console, or ${instead} (--port 0: a free one is picked).`;
  if (e.code === 'EADDRINUSE') return `${which} is already in use by another program: close that program, or ${instead} (--port 0: a free one is picked).`;
  if (e.code === 'EACCES') return `${which} needs administrator rights on this system: ${instead} from 1024 to 65535 (--port 0: a free one is picked).`;
  return null;
}

let log: ConsoleLog | null = null;
let openedDir: string | null = null;

async function main(): Promise<void> {
  const terminal = watchTerminal();
  const v = parse();
  if (v.help) return void process.stdout.write(`${HELP}\n`);
  const given = v.port === undefined ? undefined : wholeNumber(v.port, 0, 65535);
  if (given === null) fail(`--port must be a whole number from 0 to 65535 (0 picks a free port), not "${v.port}".`);
  const rate = v['demo-rate'] === undefined ? undefined : wholeNumber(v['demo-rate'], 0, 20_000);
  if (rate === null) fail(`--demo-rate must be a whole number of arrivals per hour at peak, from 0 to 20000, not "${v['demo-rate']}".`);
  const here = dirname(fileURLToPath(import.meta.url));
  const rendererDir = resolve(here, '../renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) fail(`no built renderer in ${rendererDir}; run "npm run build" first.`, EXIT.environment);

  // Checked before anything is created or saved, so a refused start leaves the disk as it was.
  if (v['data-dir']?.trim() === '') fail('--data-dir is empty: give the folder for the console\'s data, or leave the flag out for the default.');
  const dataDir = resolve(v['data-dir'] ?? defaultDataDir());
  const named = { flag: v['data-dir'] !== undefined ? '--data-dir' : process.env.AV_GYM_DATA_DIR ? 'AV_GYM_DATA_DIR' : undefined };
  const problem = dataDirProblem(dataDir, named);
  if (problem) fail(problem.message, problem.kind === 'not-a-folder' ? EXIT.badArgument : EXIT.environment);
  const vault = fileTokenVault(dataDir);
  if (v['review-only'] && v.kiosk) fail('--review-only and --kiosk do not go together: a kiosk checks members in, a review-only console opens exports. Leave out one of them.');
  const flagged = flagToken(v['backend-token'], process.env, COMMAND);
  const input = { flags: { demo: v.demo, reviewOnly: v['review-only'], backend: v.backend, backendToken: flagged.token }, env: process.env, dataDir, vault, command: COMMAND };
  const problems = startProblems(input);
  const stationFlags = { kiosk: v.kiosk, desk: v.desk };
  const clash = stationProblem(stationFlags);
  if (clash) problems.push(clash);
  if (problems.length) fail(problems);
  const lost = lostBeforeStart(input);
  if (lost) fail(lost, EXIT.environment);
  // Read, never written, before the port is taken: a start refused for its port leaves the disk as it was.
  // A demo or a review on a live gym's folder uses none of the live site's address (guest-on-live.ts).
  const guest = guestOnLive({ demo: v.demo, reviewOnly: v['review-only'] }, dataDir, vault);
  const liveKept = readKeptPort(dataDir);
  const kept = guest ? { port: null, warning: null } : liveKept;
  const port = given ?? kept.port ?? 0;
  const keptIn = given === undefined && kept.port !== null ? portFile(dataDir) : null;
  // The port before the data folder: a start refused for it has set up and saved nothing.
  const server = await takePort(port).catch(async (e: NodeJS.ErrnoException) => {
    const why = listenProblem(e, port, keptIn, e.code === 'EADDRINUSE' && port !== 0 && (await heldByConsole(port)));
    if (!why) throw e;
    // The same command twice is the likelier story for a fixed port taken: say the console that runs, by its folder's lock.
    if (existsSync(join(dataDir, LOCK_FILE))) {
      const running = openDataDir(dataDir, named);
      if (!running.ok && running.problem.kind === 'in-use') fail(running.problem.message, EXIT.inUse);
    }
    fail(why, EXIT.environment);
  });
  const opened = openDataDir(dataDir, named);
  if (!opened.ok) fail(opened.problem.message, opened.problem.kind === 'in-use' ? EXIT.inUse : opened.problem.kind === 'not-a-folder' ? EXIT.badArgument : EXIT.environment);
  openedDir = dataDir;
  const decision = resolveStart(input);
  if (!decision.ok) fail(decision.problems);
  const { plan } = decision;
  const station = resolveStation(dataDir, stationFlags, plan.mode === 'review');
  if (!station.ok) fail(station.problem);
  plan.notes.push(...station.notes);
  if (keptIn) plan.notes.push(keptPortNote(dataDir, port));
  log = announceStart(plan, dataDir, COMMAND);
  const logged = log;
  terminal.toLog((line) => logged.logger.warn(line));
  // The launcher names the log if this process ends without being asked (killed when memory runs out, a crash).
  process.send?.({ logFile: log.file });
  const core = await startCore({ version: APP_VERSION, dataDir, ...coreStart(plan), demoRatePerHour: rate, kiosk: station.kiosk, tokenVault: vault, log, reviewWorker: builtReviewWorker(here) });
  // Kept in the data dir: a screen left open across a restart reconnects with the address it has.
  // Made once the core stands, so a start refused for its console.db has written no token either.
  const portKept = guest ? { note: guestOnLiveNote(guest, dataDir, (server.address() as AddressInfo).port, liveKept.port), warn: false, kept: false } : keepPort(dataDir, given, kept.port);
  const web = guest ? { token: newWebToken(), note: null, warn: false } : keptWebToken(dataDir, { portKept: portKept.kept });
  log.hide(web.token);
  // Said once the console stands, with the other notes: a refused start says why in one line, and nothing else.
  const said = [{ note: flagged.warning, warn: true }, { note: given === undefined ? kept.warning : null, warn: true }, portKept, web, { note: station.kiosk && !core.pinsConfigured() ? KIOSK_NO_PINS_NOTE : null, warn: true }];
  for (const { note, warn } of said) {
    if (!note) continue;
    log.logger[warn ? 'warn' : 'info'](note);
    process.stderr.write(`console: ${note}\n`);
  }
  if (plan.mode === 'live') sayBackendOnTerminal(core.pools, plan, log);
  const host = await startHost({ handlers: core.handlers, stream: core.stream, rendererDir, server, token: web.token, exportsDir: join(dataDir, 'exports'), inbox: core.inbox, newSession: core.newSession, tickets: core.tickets,
    note: (line) => {
      log?.logger.warn(line);
      process.stderr.write(`console: ${line}\n`);
    },
  });
  // A kiosk's browser opens a file that holds the address, so the token stays off its command line (kiosk-page.ts).
  if (station.kiosk && !guest) {
    const page = writeKioskPage(dataDir, host.url);
    log.logger[page.warn ? 'warn' : 'info'](page.note);
    process.stderr.write(`console: ${page.note}\n`);
  }
  // Serving from here on: a stray error is logged, never the end of the console. Its stack to the log file, one line on stderr.
  keepServingOnUnexpectedErrors(process, undefined, logged ? (kind, err) => (logged.logger.error({ err }, `unexpected ${kind}, kept running`), logged.failing === null) : undefined);

  const shutdown = gracefulShutdown({
    steps: [
      { name: 'close the web host', run: () => host.close() },
      { name: 'stop the core', run: () => core.stop() },
      { name: 'close the log', run: () => log!.close() },
    ],
    exit: (code) => process.exit(code),
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      // Which signal: the launcher tells a stop it did not forward (another program's) on the terminal.
      if (process.connected) process.send?.({ stopSignal: sig });
      void shutdown();
    });
  }
  // Started by scripts/launch.mjs: when the launcher is gone (even killed outright), so are we.
  if (process.connected) process.on('disconnect', () => void shutdown());
  // The one line scripts wait for (everything else goes to stderr); only once a stop signal is handled.
  process.stdout.write(`console ready: ${host.url}\n`);
  process.send?.({ serving: true });
}

/** Something we did not foresee: its stack goes to the log for IT, one line to the person starting it. */
async function unexpected(e: unknown): Promise<never> {
  const err = e instanceof Error ? e : new Error(String(e));
  try {
    log ??= openedDir ? openLog(openedDir) : null;
  } catch {
    log = null;
  }
  const refused = err instanceof StartRefused;
  // No log to keep the details in: still one line (a stack on a gym's terminal helps no one there).
  if (!log) fail(refused ? err.message : `could not start: ${err.message}`, EXIT.environment);
  if (refused) log.logger.error(`start refused: ${err.message}`);
  else log.logger.error({ err }, 'could not start');
  await log.close().catch(() => {});
  // A refusal's message is the whole story, and already says what to do. Our own messages end their
  // sentence already; a library's often do not.
  const said = /[.!?]$/.test(err.message) ? err.message : `${err.message}.`;
  fail(refused ? err.message : `could not start: ${said} The details are in ${log.file}.`, EXIT.environment);
}

main().catch(unexpected);
