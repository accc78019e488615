import { app, BrowserWindow, dialog, ipcMain, Notification, powerMonitor, type OpenDialogOptions } from 'electron';
import { terminalLine } from './core/terminal-line';
import { IPC_CALL, IPC_EVENT } from '../shared/ipc';
import { fail } from '../shared/result';
import { startCore, type Core } from './core/app';
import { dispatch } from './core/bridge/dispatch';
import { resolve } from 'node:path';
import { dataDirProblem, openDataDir } from './core/data-dir';
import { consolePage, createMainWindow } from './window';
import type { Session } from './core/auth/session';
import { parseArgs } from 'node:util';
import { hardenKiosk } from './kiosk';
import { safeStorageVault } from './electron-token';
import { installMenu } from './menu';
import { rememberBounds, savedBounds } from './electron/window-state';
import { lostBeforeStart, resolveStart, startProblems } from './core/startup/resolve-start';
import { announceStart, coreStart } from './core/startup/announce-start';
import { sayBackendOnTerminal } from './core/startup/backend-lines';
import { keepServingOnUnexpectedErrors } from './core/last-resort';
import { watchTerminal } from './core/lost-terminal';
import { gracefulShutdown } from './core/shutdown';
import { senderGate } from './electron/ipc-sender';
import { installTray } from './electron/tray';
import { osLoginItem } from './electron/login-item';
import { pickSaveFile } from './electron/save-dialog';
import { builtReviewWorker } from './core/store/review-thread';
import { fileURLToPath } from 'node:url';
import { StartRefused } from './core/startup/start-refused';
import type { ConsoleLog } from './core/log';
import { resolveStation, stationProblem } from './core/startup/station';
import { flagToken } from './core/startup/handed-token';
import { KIOSK_NO_PINS_NOTE } from '../shared/roles';
import { patchFor } from '../shared/kiosk-replies';

/** How IT starts the desktop app: the lines that say how to give a token name it. */
const COMMAND = 'npm start';

/** The native open dialog: the only way the desktop screens name files on this PC. */
async function pickExportFiles(): Promise<string[]> {
  const options: OpenDialogOptions = {
    title: 'Open exports for review',
    properties: ['openFile', 'multiSelections'],
    filters: [{ name: 'AV Gym Console exports', extensions: ['sqlite', 'json'] }],
  };
  const win = BrowserWindow.getFocusedWindow();
  const r = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
  return r.canceled ? [] : r.filePaths;
}

/** Flags: --kiosk / --desk (remembered), --demo, --review-only, --backend ws://a,ws://b, --backend-token T (saved with safeStorage for later runs). */
function flags() {
  const options = { kiosk: { type: 'boolean' }, desk: { type: 'boolean' }, demo: { type: 'boolean' }, 'review-only': { type: 'boolean' }, backend: { type: 'string' }, 'backend-token': { type: 'string' } } as const;
  const { values } = parseArgs({ args: process.argv.slice(1), strict: false, options });
  return values as { kiosk?: boolean; desk?: boolean; demo?: boolean; 'review-only'?: boolean; backend?: string; 'backend-token'?: string };
}

/** Electron composition root: the plain-Node core, bound to IPC and a window. No behaviour lives here. */
async function main(): Promise<void> {
  const terminal = watchTerminal();
  // One console per PC: a second start focuses the first.
  if (!app.requestSingleInstanceLock()) return app.quit();
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  await app.whenReady();
  const f = flags();
  const refuse = (problems: string[], code: number): void => {
    process.stderr.write(problems.map(terminalLine).join(''));
    dialog.showErrorBox('AV Gym Console cannot start', problems.join('\n\n'));
    app.exit(code);
  };
  // As the headless host: checked before anything is created, then locked (one console per data folder, whichever kind).
  const dataDir = resolve(process.env.AV_GYM_DATA_DIR ?? app.getPath('userData'));
  // This host reads no --data-dir: the variable is its one way to another folder.
  const where = { choose: 'start it with AV_GYM_DATA_DIR=DIR' };
  const problem = dataDirProblem(dataDir, where);
  if (problem) return refuse([problem.message], 1);
  const vault = safeStorageVault(dataDir);
  if (f['review-only'] && f.kiosk) return refuse(['--review-only and --kiosk do not go together: a kiosk checks members in, a review-only console opens exports. Leave out one of them.'], 2);
  const token = flagToken(f['backend-token'], process.env, COMMAND);
  const input = { flags: { demo: f.demo, reviewOnly: f['review-only'], backend: f.backend, backendToken: token.token }, env: process.env, dataDir, vault, command: COMMAND };
  const problems = startProblems(input);
  const clash = stationProblem(f);
  if (clash) problems.push(clash);
  if (problems.length) return refuse(problems, 2);
  const lost = lostBeforeStart(input);
  if (lost) return refuse([lost], 1);
  const opened = openDataDir(dataDir, where);
  if (!opened.ok) return refuse([opened.problem.message], opened.problem.kind === 'in-use' ? 3 : 1);
  const decision = resolveStart(input);
  if (!decision.ok) return refuse(decision.problems, 2);
  const { plan } = decision;
  const station = resolveStation(dataDir, f, plan.mode === 'review');
  if (!station.ok) return refuse([station.problem], 2);
  plan.notes.push(...station.notes);
  const kiosk = station.kiosk;
  let log: ConsoleLog;
  try {
    log = announceStart(plan, dataDir, COMMAND);
    const logged = log;
    terminal.toLog((line) => logged.logger.warn(line));
  } catch (e) {
    if (!(e instanceof StartRefused)) throw e; // no log to write it to: the logs folder is what is wrong
    return refuse([e.message], 1);
  }
  let core: Core;
  try {
    core = await startCore({ version: app.getVersion(), dataDir, ...coreStart(plan), kiosk, tokenVault: vault, log, pickExportFiles: kiosk ? undefined : pickExportFiles, loginItem: osLoginItem(kiosk), pickSaveFile: kiosk ? undefined : pickSaveFile, reviewWorker: builtReviewWorker(fileURLToPath(new URL('.', import.meta.url))) });
  } catch (e) {
    if (!(e instanceof StartRefused)) throw e;
    log.logger.error(`start refused: ${e.message}`);
    await log.close().catch(() => {});
    return refuse([e.message], 1);
  }
  // Said once the console stands: a refused start says why and nothing else (as the browser form's).
  if (token.warning) {
    log.logger.warn(token.warning);
    process.stderr.write(terminalLine(token.warning));
  }
  // Said before anyone is stuck at a kiosk that cannot be closed (the same line as the browser form's).
  if (kiosk && !core.pinsConfigured()) {
    log.logger.warn(KIOSK_NO_PINS_NOTE);
    process.stderr.write(`console: ${KIOSK_NO_PINS_NOTE}\n`);
  }
  if (plan.mode === 'live') sayBackendOnTerminal(core.pools, plan, log);

  // One sign-in per window.
  const sessions = new Map<number, Session>();
  const fromConsole = senderGate(consolePage, (fields, msg) => log.logger.warn(fields, msg));
  ipcMain.handle(IPC_CALL, (event, name: unknown, payload: unknown) => {
    const frame = event.senderFrame;
    if (!fromConsole({ url: frame?.url, isMainFrame: frame?.parent === null })) return fail('forbidden', 'Calls are only accepted from the console window.');
    let session = sessions.get(event.sender.id);
    if (!session) {
      const { sender } = event;
      const made = core.newSession((message) => !sender.isDestroyed() && sender.send(IPC_EVENT, 'auth.changed', { message }));
      sessions.set(sender.id, (session = made));
      sender.once('destroyed', () => {
        made.end();
        sessions.delete(sender.id);
      });
    }
    return dispatch(core.handlers, name, payload, { transport: 'electron', session });
  });
  core.stream.subscribe((patch) => {
    // State goes only to a signed-in window.
    for (const win of BrowserWindow.getAllWindows()) {
      const role = sessions.get(win.webContents.id)?.role;
      if (role) win.webContents.send(IPC_EVENT, 'state.patch', patchFor(role, patch));
    }
  });
  // Alert notices (after rules, silences and the hourly cap) reach the desktop as system notifications;
  // not on a kiosk, where members would see them over the check-in screen.
  core.onNotice((n) => {
    if (!kiosk && Notification.isSupported()) new Notification({ title: n.title, body: n.text, urgency: n.severity === 'critical' ? 'critical' : 'normal' }).show();
  });

  // A sleeping PC may hold sockets that died meanwhile: check them at once on wake.
  powerMonitor.on('resume', () => core.probe('resume'));
  powerMonitor.on('unlock-screen', () => core.probe('unlock'));

  const win = createMainWindow({ kiosk, bounds: kiosk ? null : savedBounds(dataDir) });
  if (kiosk) hardenKiosk(win);
  else {
    installMenu();
    rememberBounds(win, dataDir);
    // No tray on a kiosk: its Quit would bypass the manager PIN that guards leaving kiosk mode.
    const tray = installTray(() => {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    });
    tray.show(core.stream.current('connection').state);
    core.stream.subscribe((patch) => patch.gauges.connection && tray.show(patch.gauges.connection.state));
  }
  app.on('window-all-closed', () => app.quit());
  const shutdown = gracefulShutdown({
    steps: [
      { name: 'stop the core', run: () => core.stop() },
      { name: 'close the log', run: () => log.close() },
    ],
    exit: (code) => app.exit(code),
  });
  // Hold the quit until the outbox and stores are flushed and closed; app.exit does not ask again.
  app.on('before-quit', (event) => {
    event.preventDefault();
    void shutdown();
  });
  // A stop signal (npm start's launcher forwards it) is a quit like any other: stores closed first.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void shutdown());
  // Serving from here on: a stray error is logged, never the end of the console. Its stack to the log file, one line on stderr.
  keepServingOnUnexpectedErrors(process, undefined, (kind, err) => (log.logger.error({ err }, `unexpected ${kind}, kept running`), log.failing === null));
}

void main();
