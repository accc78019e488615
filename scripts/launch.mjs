// Shared by the launcher scripts: run one child and never outlive it, nor let it outlive us.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** How long a child may take to stop after a forwarded signal before it is killed outright. */
const GRACE_MS = 20_000;

/**
 * Runs `command` with our terminal, forwards stop signals to it and exits with it.
 * `npm start` puts a shell between npm and this script, and a killed npm takes the shell down
 * without telling us, so we also watch our own parent and, on Linux, its parent: when either is
 * gone, the child is stopped.
 * With `ipc`, a Node child also learns of our end (even a SIGKILL) when the channel closes.
 */
export function runChild(command, args, { ipc = false, env = process.env, graceMs = GRACE_MS } = {}) {
  let stopping = null;
  let forwarded = null;
  let killedAfterGrace = false;
  const stop = (sig) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    forwarded ??= sig;
    child.kill(sig);
    stopping ??= setTimeout(() => {
      killedAfterGrace = true;
      child.kill('SIGKILL');
    }, graceMs);
  };
  // Before the spawn: a stop signal in between would end us and leave the child running.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(sig));
  const child = spawn(command, args, { stdio: ipc ? ['inherit', 'inherit', 'inherit', 'ipc'] : 'inherit', env });
  // npm itself killed outright (or hung up: it does not pass SIGHUP on) leaves its shell running,
  // so on Linux the shell's parent is watched too: it changes only when npm is gone.
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  const orphaned = () => process.ppid !== parent || (grandparent !== null && grandparent > 1 && parentOf(parent) !== grandparent);
  const watch = setInterval(() => orphaned() && stop('SIGTERM'), 500);
  // The headless host says where its log is and when it serves (over the ipc channel), so an end nobody
  // asked for can be told in one line: a kill by the system (out of memory) or a crash says nothing itself.
  let logFile = null;
  let serving = false;
  // The stop signal the host was sent, as it tells us: one that did not come through us came from another program.
  let stoppedBy = null;
  child.on('message', (m) => {
    if (m && typeof m === 'object' && typeof m.logFile === 'string') logFile = m.logFile;
    if (m && typeof m === 'object' && m.serving === true) serving = true;
    if (m && typeof m === 'object' && typeof m.stopSignal === 'string') stoppedBy = m.stopSignal;
  });
  child.on('exit', (code, signal) => {
    clearInterval(watch);
    clearTimeout(stopping ?? undefined);
    const asked = stopping !== null;
    const unasked = !asked && (signal !== null || (serving && code !== 0));
    if (unasked) process.stderr.write(`console: ${unexpectedEnd(code, signal, logFile)}\n`);
    else if (killedAfterGrace && signal === 'SIGKILL') process.stderr.write(`console: ${killedAfterGraceWords(graceMs, logFile)}\n`);
    else if (!asked && code === 0 && stoppedBy) process.stderr.write(`console: ${stoppedByAnother(stoppedBy)}\n`);
    // A stop asked for here ends well even when it came before the host could handle it (it died of the very signal).
    process.exit(code ?? (signal && !(asked && signal === forwarded) ? 1 : 0));
  });
  return child;
}

/** Signals a console ends by without being asked, in words. */
const SIGNAL_WORDS = {
  SIGKILL: 'it was killed outright (SIGKILL), as the system does when memory runs out, or another program did',
  SIGABRT: 'it crashed (SIGABRT), as it does when it runs out of memory',
  SIGSEGV: 'it crashed (SIGSEGV)',
  SIGBUS: 'it crashed (SIGBUS)',
  SIGTERM: 'another program stopped it (SIGTERM)',
};

/** One line for an end nobody asked for here: what happened, where the log is, what to do. */
export function unexpectedEnd(code, signal, logFile) {
  const how = signal ? (SIGNAL_WORDS[signal] ?? `it was stopped by the signal ${signal}`) : `it ended with exit status ${code}`;
  const log = logFile ? `its log is ${logFile}` : 'its log is logs/console.log in its data folder';
  return `the console stopped unexpectedly: ${how}; ${log}. Start it again: check-ins waiting to be sent are kept and go out when it is back.`;
}

/** A stop asked for that the console did not finish in time, so it was killed: not clean, and said (review23 V9). */
export function killedAfterGraceWords(graceMs, logFile) {
  const log = logFile ? `its log is ${logFile}` : 'its log is logs/console.log in its data folder';
  return `the console did not stop within ${Math.round(graceMs / 1000)} s of being asked, so it was stopped outright; ${log}. Check-ins waiting to be sent are kept: the next start says how many.`;
}

/** A clean stop this terminal did not ask for (a SIGTERM from another program, a shutdown): said, so nobody wonders. */
export function stoppedByAnother(signal) {
  return `the console was stopped by another program on this PC (${signal}), not from this terminal; it shut down cleanly, and check-ins waiting to be sent are kept. Start it again when wanted.`;
}

/** A process's parent from /proc (Linux); null where there is none or it is gone. */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (name) S ppid …": the name may hold spaces or parentheses, so read after the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}
