/** Names that keep their capital at the start of a line. */
const NAMES = new Set(['Electron', 'Redis', 'Node', 'Linux', 'Windows', 'macOS']);

/**
 * One line on stderr: "console: " and the message as the rest of that sentence, so its first word is
 * lowercased as in every other line ("console: another AV Gym Console is running…"). The same message keeps
 * its capital where it stands alone: on a screen, in a dialog, in the log.
 */
export function terminalLine(message: string): string {
  const first = /^[A-Z][a-z]+\b/.exec(message)?.[0];
  const text = first && !NAMES.has(first) ? message[0]!.toLowerCase() + message.slice(1) : message;
  return `console: ${text}\n`;
}
