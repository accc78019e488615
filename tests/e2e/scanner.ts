import type { Page } from '@playwright/test';

/**
 * A barcode scanner: real (trusted) key events 8 ms apart by their own timestamps (or `gapsMs`, cycling:
 * what a busy PC's page sees), ending in Enter, however busy this machine is when it sends them.
 */
export async function scan(page: Page, code: string, gapsMs: number[] = [8]): Promise<void> {
  await burst(page, code, { gapsMs });
}

/**
 * Part of a scan: `code`'s keys from `from` (seconds, as CDP's timestamps; now if not given), Enter at the end
 * if `enter`. Returns when the next key of the same burst is due, so a scan can be sent in two parts with
 * the page doing something in between (probe28a R4).
 */
export async function burst(page: Page, code: string, { gapsMs = [8], from = Date.now() / 1000, enter = true }: { gapsMs?: number[]; from?: number; enter?: boolean } = {}): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  const t0 = from;
  const keys = [...code].map((ch) => ({ key: ch, text: ch, code: '' })).concat(enter ? [{ key: 'Enter', text: '\r', code: 'Enter' }] : []);
  let at = 0;
  for (const [i, k] of keys.entries()) {
    if (i > 0) at += gapsMs[(i - 1) % gapsMs.length]! / 1000;
    const timestamp = t0 + at;
    const vk = k.key === 'Enter' ? 13 : k.key.toUpperCase().charCodeAt(0);
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: k.key, code: k.code, text: k.text, windowsVirtualKeyCode: vk, timestamp });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: vk, timestamp: timestamp + 0.001 });
  }
  await cdp.detach();
  return t0 + at + gapsMs[(keys.length - 1) % gapsMs.length]! / 1000;
}
