import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { replaceFile, writeFailureWords } from '../core/disk-words';

/**
 * The page a kiosk PC's browser opens: a file in the data dir, readable by this PC user only, that takes the
 * browser on to the console's address. A browser started with the address itself shows its token to every
 * user of the PC (`ps`, /proc/PID/cmdline), and any program holding the token is a kiosk screen, with no PIN:
 * it could open screens until the real kiosk's was closed to make room, and check cards in to learn whose
 * they are (probe-hostile21 J10). The file's name on the command line gives away nothing.
 */
export const KIOSK_PAGE_FILE = 'kiosk-screen.html';

const escaped = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The file's whole text: on to `url` at once, without telling the console's page where it came from. */
export function kioskPageHtml(url: string): string {
  const to = escaped(url);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${to}">
<title>AV Gym Console kiosk</title>
</head>
<body>
<p>Opening the check-in station… If it does not open, the console is not running on this PC: start it, then open this page again.</p>
</body>
</html>
`;
}

export interface KioskPage {
  /** What the kiosk's browser opens (file:///…), or null when it could not be written. */
  href: string | null;
  note: string;
  warn: boolean;
}

/** Writes the kiosk's page for this run's address (its port may have changed since the last start). */
export function writeKioskPage(dataDir: string, url: string): KioskPage {
  const file = join(dataDir, KIOSK_PAGE_FILE);
  try {
    replaceFile(file, kioskPageHtml(url), 0o600);
  } catch (e) {
    return {
      href: null,
      note: `the kiosk's page ${file} could not be written (${writeFailureWords(e)}), so the kiosk's browser cannot open this console from it: fix the data folder, then restart the console.`,
      warn: true,
    };
  }
  const href = pathToFileURL(file).href;
  return {
    href,
    note: `the kiosk's browser opens ${href} (it takes the browser on to this console's address): give the browser that, not the address, so the address's token stays off the browser's command line, where every user of this PC can read it.`,
    warn: false,
  };
}
