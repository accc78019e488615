import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KIOSK_PAGE_FILE, kioskPageHtml, writeKioskPage } from '../../src/main/web/kiosk-page';

// probe-hostile21 J10: the README started the kiosk's browser with the address, token and all, on its command
// line, where every user of the PC reads it (`ps`): any program could then be a kiosk screen without a PIN.

describe("the kiosk's page", () => {
  it('is written in the data dir for this PC user only, and takes the browser on to the address', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gym-kiosk-page-'));
    const url = 'http://127.0.0.1:8600/#token=abcdefghijklmnopqrstuvwxyz012345';
    const page = writeKioskPage(dir, url);
    expect(page.warn).toBe(false);
    const file = fileURLToPath(page.href!);
    expect(file).toBe(join(dir, KIOSK_PAGE_FILE));
    // What goes on the browser's command line: the file's name, nothing of the token.
    expect(page.href).not.toContain('abcdefghij');
    expect(page.note).toContain(page.href);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(`<meta http-equiv="refresh" content="0;url=${url}">`);
    // The next start's address (another port) replaces it.
    writeKioskPage(dir, 'http://127.0.0.1:8601/#token=abcdefghijklmnopqrstuvwxyz012345');
    expect(readFileSync(file, 'utf8')).toContain('127.0.0.1:8601');
    expect(readFileSync(file, 'utf8')).not.toContain('127.0.0.1:8600');
  });

  it('cannot be broken out of by what is in the address', () => {
    expect(kioskPageHtml('http://x/#"><script>')).toContain('url=http://x/#&quot;&gt;&lt;script&gt;"');
  });

  it('says so when it cannot be written, and what to do', () => {
    const page = writeKioskPage(join(mkdtempSync(join(tmpdir(), 'gym-kiosk-page-')), 'no-such-folder'), 'http://127.0.0.1:1/#token=x');
    expect(page).toMatchObject({ href: null, warn: true, note: expect.stringContaining('fix the data folder, then restart the console') });
  });
});
