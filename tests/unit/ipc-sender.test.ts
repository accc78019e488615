import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { senderGate, whyRefused, type ConsolePage } from '../../src/main/electron/ipc-sender';

// An install path with a space, as under C:\Program Files or /opt/AV Gym Console.
const fileUrl = pathToFileURL('/opt/AV Gym Console/resources/app.asar/out/renderer/index.html').href;
const packaged: ConsolePage = { fileUrl };
const dev: ConsolePage = { fileUrl, devUrl: 'http://localhost:5173/' };

describe('IPC sender check', () => {
  it("accepts the main frame of the console's own page, whatever its #hash or ?query", () => {
    expect(whyRefused({ url: fileUrl, isMainFrame: true }, packaged)).toBeNull();
    expect(whyRefused({ url: `${fileUrl}#/analytics`, isMainFrame: true }, packaged)).toBeNull();
    expect(whyRefused({ url: `${fileUrl}?x=1`, isMainFrame: true }, packaged)).toBeNull();
    expect(whyRefused({ url: 'http://localhost:5173/#/pools', isMainFrame: true }, dev)).toBeNull();
  });

  it('refuses a frame inside the page, even one showing the console itself', () => {
    expect(whyRefused({ url: fileUrl, isMainFrame: false }, packaged)).toMatch(/frame inside/);
    expect(whyRefused({ url: 'http://localhost:5173/', isMainFrame: false }, dev)).toMatch(/frame inside/);
  });

  it('refuses any other page, file or origin', () => {
    const others = [
      'https://evil.example/',
      'file:///tmp/index.html',
      fileUrl.replace('index.html', 'other.html'),
      `${fileUrl}.html`,
      'about:blank',
      'data:text/html,<b>hi</b>',
      'not a url',
    ];
    for (const url of others) expect(whyRefused({ url, isMainFrame: true }, packaged), url).not.toBeNull();
    // The dev server is matched by origin, not by a prefix of the address.
    for (const url of ['http://localhost:51730/', 'http://localhost:5173.evil.example/', 'https://localhost:5173/']) {
      expect(whyRefused({ url, isMainFrame: true }, dev), url).not.toBeNull();
    }
  });

  it('refuses a frame that is gone', () => {
    expect(whyRefused({ url: undefined, isMainFrame: true }, packaged)).toMatch(/gone/);
    expect(whyRefused({ url: '', isMainFrame: true }, packaged)).toMatch(/gone/);
  });

  it('logs each refusal with the frame and why, and nothing for the console', () => {
    const logged: Array<{ fields: Record<string, unknown>; msg: string }> = [];
    const gate = senderGate(packaged, (fields, msg) => logged.push({ fields, msg }));
    expect(gate({ url: fileUrl, isMainFrame: true })).toBe(true);
    expect(logged).toHaveLength(0);
    expect(gate({ url: 'https://evil.example/frame', isMainFrame: false })).toBe(false);
    expect(gate({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(logged).toEqual([
      { msg: 'ipc call refused', fields: { frameUrl: 'https://evil.example/frame', isMainFrame: false, why: expect.stringMatching(/frame inside/) } },
      { msg: 'ipc call refused', fields: { frameUrl: 'https://evil.example/', isMainFrame: true, why: expect.stringMatching(/not the console/) } },
    ]);
  });
});
